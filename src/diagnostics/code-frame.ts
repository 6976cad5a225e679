/**
 * A code frame for a diagnostic: the lines of the article around line:column with a marker
 * under the column (@babel/code-frame), for the CLI to print under an error such as broken
 * front matter.
 *
 * The article is untrusted text shown on a terminal: control characters (an ESC sequence could
 * recolour, retitle or rewrite the terminal) are shown as U+FFFD, very long lines are cut to a
 * window around the column, and the marker allows for wide (CJK) characters.
 */
import type { codeFrameColumns as CodeFrameColumns } from '@babel/code-frame';
import { createRequire } from 'node:module';
import stringWidth from 'string-width';
import type { VFile } from 'vfile';

export interface CodeFrameOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** Lines shown before the line (default 2). */
  linesAbove?: number;
  /** Lines shown after it (default 1). */
  linesBelow?: number;
  /** Longest line shown, in characters (default 120): longer lines are cut around the column. */
  maxWidth?: number;
}

let loaded: typeof CodeFrameColumns | undefined;
/** @babel/code-frame, loaded when a frame is first shown. Lazy: it takes about 4 ms to load, and most runs show no frame. */
function codeFrameColumns(...args: Parameters<typeof CodeFrameColumns>): string {
  loaded ??= (createRequire(import.meta.url)('@babel/code-frame') as { codeFrameColumns: typeof CodeFrameColumns }).codeFrameColumns;
  return loaded(...args);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function sourceOf(file: VFile | string): string | undefined {
  if (typeof file === 'string') return file;
  if (typeof file.value === 'string') return file.value;
  if (file.value instanceof Uint8Array) return new TextDecoder().decode(file.value);
  return undefined;
}

/**
 * The frame for `line` (1-based) and `column` (1-based, optional) of the file's text, or
 * undefined when there is no text or no such line. `file` is the article's VFile (its value is
 * the text the positions refer to) or the text itself.
 */
export function codeFrame(file: VFile | string, line: number, column?: number, options: CodeFrameOptions = {}): string | undefined {
  const source = sourceOf(file);
  if (source === undefined || !Number.isInteger(line) || line < 1) return undefined;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const target = lines[line - 1];
  if (target === undefined) return undefined;
  const above = options.linesAbove ?? 2;
  const below = options.linesBelow ?? 1;
  const maxWidth = Math.max(20, options.maxWidth ?? 120);
  const col = column !== undefined && Number.isInteger(column) && column >= 1 ? Math.min(column, target.length + 1) : undefined;

  // One window of columns for every line shown, so that they stay aligned.
  const start = col !== undefined && target.length > maxWidth ? Math.max(0, Math.min(col - 1 - Math.floor(maxWidth / 2), target.length - maxWidth)) : 0;
  const cut = (text: string): string => {
    const piece = text.slice(start, start + maxWidth).replace(CONTROL, '\uFFFD');
    return `${start > 0 && text.length > 0 ? '…' : ''}${piece}${text.length > start + maxWidth ? '…' : ''}`;
  };
  const first = Math.max(1, line - above);
  const last = Math.min(lines.length, line + below);
  // Only the lines shown are handed over (with their real numbers: the others are left empty).
  const shown: string[] = new Array<string>(last).fill('');
  for (let n = first; n <= last; n++) shown[n - 1] = cut(lines[n - 1] ?? '');

  let location: { start: { line: number; column?: number } } = { start: { line } };
  if (col !== undefined) {
    const lead = start > 0 ? 1 : 0;
    const prefix = shown[line - 1]?.slice(0, col - 1 - start + lead) ?? '';
    // @babel/code-frame draws the marker one space per UTF-16 unit (keeping tabs): add the columns
    // the terminal shows beyond that (wide CJK characters) or short of it (combining marks).
    const markerColumn = col - start + lead + stringWidth(prefix.replaceAll('\t', ' ')) - prefix.length;
    // The marker is drawn with one space per character before it: pad the line so it reaches.
    const text = shown[line - 1] ?? '';
    if (markerColumn - 1 > text.length) shown[line - 1] = text + ' '.repeat(markerColumn - 1 - text.length);
    location = { start: { line, column: markerColumn } };
  }
  return codeFrameColumns(shown.join('\n'), location, { highlightCode: options.color ?? false, linesAbove: above, linesBelow: below });
}
