/**
 * `imprint publish --preview`: PNGs of every PDF page in <out>/preview/, for a person to look at
 * (poppler's pdftoppm draws them; `npm test` installs it, or apt-get install poppler-utils).
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentResult } from '../model.js';

/** Runs a program to its end (node:util's promisify is not used: loading node:util costs every start of the command line about 2 ms). */
const exec = (file: string, args: readonly string[]): Promise<void> =>
  new Promise((resolve, reject) => void execFile(file, args, (error) => (error ? reject(error) : resolve())));

export interface PagePreviews {
  written: string[];
  /** Set when no PNG could be drawn. */
  problem?: string;
}

export async function writePagePreviews(documents: readonly DocumentResult[], outDir: string): Promise<PagePreviews> {
  const dir = path.join(outDir, 'preview');
  const written: string[] = [];
  for (const doc of documents) {
    const pdf = doc.outputs.find((o) => o.format === 'pdf');
    if (!pdf) continue;
    await mkdir(dir, { recursive: true });
    // Old pages of this document go first, so a shorter PDF leaves no stale pages behind.
    for (const old of await readdir(dir)) if (old.startsWith(`${doc.name}-`) && old.endsWith('.png')) await rm(path.join(dir, old));
    try {
      await exec('pdftoppm', ['-png', '-r', '60', pdf.path, path.join(dir, doc.name)]);
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      return { written, problem: missing ? 'pdftoppm not found: install poppler-utils to draw page previews' : `pdftoppm failed on ${pdf.path}` };
    }
    for (const file of (await readdir(dir)).sort()) if (file.startsWith(`${doc.name}-`) && file.endsWith('.png')) written.push(path.join(dir, file));
  }
  return { written };
}
