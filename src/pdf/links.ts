/**
 * The link annotations of a printed PDF that lead to the page server. Chromium resolves every
 * link against the address the page server gave the document (https://imprint.invalid/d/N/…)
 * and writes it as a URI action: a link to another document published together (href
 * "other.pdf", see src/html/links.ts) would point there, where no reader can go. Such a link
 * becomes a go-to-file action (GoToR) on the first page of the other PDF, which viewers open
 * beside this one; any other link to the page server loses its action. The rewrite is applied
 * where the annotations are read and written again (readLinks in src/pdf/accessible.ts), and the
 * whole file is written anew, so the old URI is nowhere in the result.
 */
import { writeDict, writeText, type PdfDict } from './incremental-syntax.js';

/** What becomes of a URI link: another PDF file (its name, beside this one), no action, or unchanged (undefined). */
export type LinkRewrite = (uri: string) => { file: string } | 'remove' | undefined;

/** A file specification for a file name (PDF 32000 7.11.3: /F for older readers, /UF as text). */
function fileSpec(name: string): string {
  const ascii = /^[\x20-\x7E]*$/.test(name);
  const spec: PdfDict = new Map([['/Type', '/Filespec'], ['/F', writeText(ascii ? name : name.replace(/[^\x20-\x7E]/g, '_'))], ['/UF', writeText(name)]]);
  return writeDict(spec);
}

/** The action that opens `file` (beside this PDF) at its first page, in a window of its own. */
export function goToFileAction(file: string): string {
  return writeDict(new Map([['/S', '/GoToR'], ['/F', fileSpec(file)], ['/D', '[0 /Fit]'], ['/NewWindow', 'true']]));
}
