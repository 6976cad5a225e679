/**
 * What an image reference points at: a remote http(s) URL, a data: URI, or a
 * local file relative to the article. file:// and other schemes are refused.
 */
import path from 'node:path';
import { ImageProblem } from './problem.js';

export type ImageSource =
  | { kind: 'remote'; url: URL }
  | { kind: 'data'; uri: string }
  | { kind: 'local'; path: string };

/** Classify `raw` as written in the article at `articlePath`; throws ImageProblem when refused. */
export function classifySource(raw: string, articlePath: string): ImageSource {
  let text = raw.trim();
  if (text === '') throw new ImageProblem('image-invalid', 'invalid (empty URL)');
  if (text.startsWith('//')) text = `https:${text}`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    try {
      return { kind: 'remote', url: new URL(text) };
    } catch {
      throw new ImageProblem('image-invalid', 'invalid (malformed URL)');
    }
  }
  if (scheme === 'data') return { kind: 'data', uri: text };
  if (scheme === 'file') throw new ImageProblem('image-refused', 'refused: file:// URLs are not allowed');
  if (scheme !== undefined && scheme.length > 1) {
    throw new ImageProblem('image-refused', `refused: ${scheme}: URLs are not supported`);
  }
  // A local path, written as a URL path: drop query and fragment, decode %XX.
  let local = text.replace(/[?#].*$/, '');
  try {
    local = decodeURIComponent(local);
  } catch {
    // Keep it as written.
  }
  if (local.includes('\0')) throw new ImageProblem('image-refused', 'refused: bad path');
  return { kind: 'local', path: path.resolve(path.dirname(path.resolve(articlePath)), local) };
}

/** Decode a data: URI; throws ImageProblem when malformed or larger than maxBytes. */
export function decodeDataUri(uri: string, maxBytes: number): Uint8Array {
  const comma = uri.indexOf(',');
  if (comma < 0) throw new ImageProblem('image-invalid', 'invalid (malformed data: URI)');
  const header = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  const base64 = /;base64$/i.test(header);
  // Upper bound before decoding, so a huge URI is never decoded.
  const estimate = base64 ? Math.floor((payload.length * 3) / 4) : payload.length;
  if (estimate > maxBytes) throw new ImageProblem('image-too-large', 'too large (data: URI)');
  try {
    return base64
      ? new Uint8Array(Buffer.from(decodeURIComponent(payload), 'base64'))
      : new Uint8Array(Buffer.from(decodeURIComponent(payload), 'utf8'));
  } catch {
    throw new ImageProblem('image-invalid', 'invalid (malformed data: URI)');
  }
}
