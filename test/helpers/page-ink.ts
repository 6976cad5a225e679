/**
 * Where a PDF page has ink, read from the page as poppler renders it: each page is rendered in
 * grey at 72 dpi (one pixel a point) and every pixel row of the text block is checked for a pixel
 * darker than the paper. A blank run is a run of rows with no ink at all: the holes a reader sees,
 * whatever drew the page (text, images, placeholder frames, rules).
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tool } from './tools.js';

const MM = 72 / 25.4;

export interface TextBlock {
  /** Margins from the trim edge, mm (the text block is what they leave). */
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Imprint's default margins (20/16/20/16 mm). */
export const DEFAULT_TEXT_BLOCK: TextBlock = { top: 20, right: 16, bottom: 20, left: 16 };

export interface PageInk {
  /** 1-based page number. */
  page: number;
  /** Height of the text block, pt. */
  height: number;
  /** Longest run of rows without ink inside the text block, pt, and where it starts (pt from the text block's top). */
  longestBlank: number;
  longestBlankAt: number;
  /** Rows with ink, pt from the text block's top (first and last). */
  firstInk: number;
  lastInk: number;
  /** For each row of the text block (pt from its top), whether it has ink. */
  rows: boolean[];
}

interface Gray {
  width: number;
  height: number;
  pixels: Buffer;
}

/** Parses a binary PGM (P5) image. */
function readPgm(data: Buffer): Gray {
  let at = 0;
  const token = (): string => {
    for (;;) {
      while (at < data.length && /\s/.test(String.fromCharCode(data[at] as number))) at++;
      if (data[at] === 0x23) while (at < data.length && data[at] !== 0x0a) at++;
      else break;
    }
    const start = at;
    while (at < data.length && !/\s/.test(String.fromCharCode(data[at] as number))) at++;
    return data.subarray(start, at).toString('latin1');
  };
  if (token() !== 'P5') throw new Error('not a binary PGM');
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  if (max !== 255) throw new Error(`PGM depth ${max} not supported`);
  at++;
  return { width, height, pixels: data.subarray(at, at + width * height) };
}

/** A pixel this dark or darker is ink (paper is 255; Imprint's palest fill, a placeholder's, is about 241). */
const INK = 236;

/** Measures the ink of every page of `file` (or of pages first..last). */
export async function pageInk(file: string, block: TextBlock = DEFAULT_TEXT_BLOCK, first?: number, last?: number): Promise<PageInk[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-ink-'));
  try {
    const range = [...(first === undefined ? [] : ['-f', String(first)]), ...(last === undefined ? [] : ['-l', String(last)])];
    await tool('pdftoppm', ['-gray', '-r', '72', ...range, file, path.join(dir, 'p')]);
    const names = (await readdir(dir)).filter((n) => n.endsWith('.pgm')).sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)?.[1]) - Number(/(\d+)\.pgm$/.exec(b)?.[1]));
    const pages: PageInk[] = [];
    for (const name of names) {
      const page = Number(/(\d+)\.pgm$/.exec(name)?.[1]);
      const image = readPgm(await readFile(path.join(dir, name)));
      const x0 = Math.ceil(block.left * MM);
      const x1 = Math.floor(image.width - block.right * MM);
      const y0 = Math.ceil(block.top * MM);
      const y1 = Math.floor(image.height - block.bottom * MM);
      const rows: boolean[] = [];
      for (let y = y0; y < y1; y++) {
        let ink = false;
        const row = y * image.width;
        for (let x = x0; x < x1 && !ink; x++) if ((image.pixels[row + x] as number) <= INK) ink = true;
        rows.push(ink);
      }
      let longestBlank = 0;
      let longestBlankAt = 0;
      let run = 0;
      rows.forEach((ink, y) => {
        run = ink ? 0 : run + 1;
        if (run > longestBlank) {
          longestBlank = run;
          longestBlankAt = y - run + 1;
        }
      });
      pages.push({ page, height: rows.length, longestBlank, longestBlankAt, firstInk: rows.indexOf(true), lastInk: rows.lastIndexOf(true), rows });
    }
    return pages;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The runs of columns with ink in a band of a page (points from the page's top left), left to right:
 * what a reader sees side by side on one line (words, a bullet, a checkbox).
 */
export async function inkRuns(file: string, page: number, band: { xMin: number; yMin: number; xMax: number; yMax: number }): Promise<{ xMin: number; xMax: number }[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-ink-'));
  try {
    await tool('pdftoppm', ['-gray', '-r', '72', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'p')]);
    const image = readPgm(await readFile(path.join(dir, 'p.pgm')));
    const runs: { xMin: number; xMax: number }[] = [];
    for (let x = Math.max(0, Math.floor(band.xMin)); x < Math.min(image.width, Math.ceil(band.xMax)); x++) {
      let ink = false;
      for (let y = Math.max(0, Math.floor(band.yMin)); y < Math.min(image.height, Math.ceil(band.yMax)) && !ink; y++) ink = (image.pixels[y * image.width + x] as number) <= INK;
      if (!ink) continue;
      const last = runs[runs.length - 1];
      if (last && last.xMax >= x - 1) last.xMax = x + 1;
      else runs.push({ xMin: x, xMax: x + 1 });
    }
    return runs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
