/**
 * Where things are on the pages of a PDF, read with poppler: words with their boxes
 * (pdftotext -bbox) and embedded images with their boxes and pixel sizes (pdftohtml -xml).
 * Boxes are in points from the page's top left corner.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { tool } from './tools.js';

export interface Box {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface Word extends Box {
  text: string;
}

export interface PlacedImage extends Box {
  /** Pixel size of the embedded image. */
  width: number;
  height: number;
}

/** Every word of the PDF with its box (pdftotext -bbox). */
export async function words(file: string): Promise<Word[]> {
  const html = await tool('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const out: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (/<page width=/.test(line)) {
      page++;
      continue;
    }
    const w = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/.exec(line);
    if (w) out.push({ page, xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), text: (w[5] ?? '').replace(/&amp;/g, '&') });
  }
  return out;
}

/** Text of each page (pdftotext -layout), index 0 = page 1. */
export async function pageTexts(file: string, pages: number): Promise<string[]> {
  const texts: string[] = [];
  for (let n = 1; n <= pages; n++) texts.push(await tool('pdftotext', ['-f', String(n), '-l', String(n), '-layout', '-enc', 'UTF-8', file, '-']));
  return texts;
}

/** Every image drawn on the pages, with its box and its pixel size (pdftohtml -xml). */
export async function placedImages(file: string): Promise<PlacedImage[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-images-'));
  try {
    const prefix = path.join(dir, 'p');
    await tool('pdftohtml', ['-xml', '-q', '-zoom', '1', file, prefix]);
    const xml = await readFile(`${prefix}.xml`, 'utf8');
    const out: PlacedImage[] = [];
    let page = 0;
    for (const line of xml.split('\n')) {
      const p = /<page number="(\d+)"/.exec(line);
      if (p) page = Number(p[1]);
      const m = /<image top="(-?[\d.]+)" left="(-?[\d.]+)" width="([\d.]+)" height="([\d.]+)" src="([^"]+)"/.exec(line);
      if (!m) continue;
      const meta = await sharp(m[5] as string).metadata();
      const top = Number(m[1]);
      const left = Number(m[2]);
      out.push({ page, xMin: left, yMin: top, xMax: left + Number(m[3]), yMax: top + Number(m[4]), width: meta.width ?? 0, height: meta.height ?? 0 });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Page text without the spaces pdftotext puts between CJK glyphs of different runs. */
export const squash = (text: string): string => text.replace(/\s+/g, '');
