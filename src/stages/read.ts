/**
 * Stage 1, read: the Markdown file → a VFile with clean text (UTF-8 checked, BOM dropped,
 * CRLF normalised). Binary, invalid or oversized input ends the document with a clear error.
 */
import { readFile, stat } from 'node:fs/promises';
import { VFile } from 'vfile';
import { DocumentError } from '../errors.js';

export interface ReadOptions {
  /** Path shown in diagnostics, e.g. content/article.md. */
  displayPath: string;
  maxInputBytes: number;
}

export async function readArticle(filePath: string, options: ReadOptions): Promise<VFile> {
  const info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) throw new DocumentError('file not found or not a regular file', 'input-missing');
  if (info.size > options.maxInputBytes) {
    throw new DocumentError(`file is ${info.size} bytes, over the limit of ${options.maxInputBytes} (limits.maxInputBytes)`, 'input-too-large');
  }
  const bytes = await readFile(filePath);
  if (bytes.includes(0)) throw new DocumentError('file is binary (it contains NUL bytes), not Markdown text', 'input-binary');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    throw new DocumentError(`file is not valid UTF-8 (first bad byte at offset ${offset}); save it as UTF-8`, 'input-encoding');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  return new VFile({ path: options.displayPath, value: text });
}

/** Offset of the first byte that is not valid UTF-8 (bisection over prefixes). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    try {
      // stream: a sequence cut by the end of the prefix is not an error; a fresh decoder each time.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
