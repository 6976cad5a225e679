/**
 * Where each glyph of a PDF is drawn, read from its content streams after qpdf has decompressed
 * them (qpdf --qdf). Chromium (Skia) writes text as one `Tj` per glyph, each moved from the last
 * with a relative `Td`, inside `Tm` runs; the glyph's character comes from its font's ToUnicode
 * map (or its ActualText), its advance from the font's /W widths. Enough to measure what a reader
 * sees: the gaps between CJK characters on a line, the width of word spaces.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tool } from './tools.js';

export interface Glyph {
  page: number;
  /** Origin and advance in the text space of the run (Skia's px), size in the same units. */
  x: number;
  y: number;
  advance: number;
  size: number;
  char: string;
  font: string;
}

interface Font {
  name: string;
  toUnicode: Map<number, string>;
  widths: Map<number, number>;
  defaultWidth: number;
}

function parseCmap(body: string): Map<number, string> {
  const map = new Map<number, string>();
  const text = (hex: string): string => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const block of body.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(m[1] ?? '0', 16), text(m[2] ?? ''));
  }
  for (const block of body.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = parseInt(m[1] ?? '0', 16);
      const hi = parseInt(m[2] ?? '0', 16);
      const start = parseInt(m[3] ?? '0', 16);
      for (let g = lo; g <= hi; g++) map.set(g, String.fromCodePoint(start + g - lo));
    }
  }
  return map;
}

function parseWidths(w: string): Map<number, number> {
  const widths = new Map<number, number>();
  const tokens = w.match(/\[|\]|-?[\d.]+/g) ?? [];
  for (let i = 0; i < tokens.length; ) {
    const first = Number(tokens[i]);
    if (tokens[i + 1] === '[') {
      let g = first;
      i += 2;
      while (tokens[i] !== ']' && i < tokens.length) widths.set(g++, Number(tokens[i++]));
      i++;
    } else {
      const last = Number(tokens[i + 1]);
      const width = Number(tokens[i + 2]);
      for (let g = first; g <= last; g++) widths.set(g, width);
      i += 3;
    }
  }
  return widths;
}

/** Every glyph Chromium drew, page by page. */
export async function glyphs(file: string): Promise<Glyph[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-glyphs-'));
  try {
    const qdf = path.join(dir, 'qdf.pdf');
    await tool('qpdf', ['--qdf', '--object-streams=disable', file, qdf]).catch((error: { code?: number }) => {
      // qpdf exits 3 for warnings; the file is written.
      if (error.code !== 3) throw error;
    });
    const text = (await readFile(qdf)).toString('latin1');
    const objects = new Map<number, string>();
    for (const m of text.matchAll(/\n(\d+) 0 obj\n([\s\S]*?)\nendobj/g)) objects.set(Number(m[1]), m[2] ?? '');
    const fonts = new Map<number, Font>();
    const fontOf = (num: number): Font => {
      let font = fonts.get(num);
      if (font) return font;
      const body = objects.get(num) ?? '';
      const toUnicodeRef = /\/ToUnicode (\d+) 0 R/.exec(body)?.[1];
      const descendant = /\/DescendantFonts \[\s*(\d+) 0 R/.exec(body)?.[1];
      const cid = objects.get(Number(descendant)) ?? '';
      const w = /\/W \[([\s\S]*?)\n  \]/.exec(cid)?.[1] ?? '';
      font = {
        name: /\/BaseFont \/(\S+)/.exec(body)?.[1] ?? '',
        toUnicode: parseCmap(objects.get(Number(toUnicodeRef)) ?? ''),
        widths: parseWidths(w),
        defaultWidth: Number(/\/DW (\d+)/.exec(cid)?.[1] ?? 1000),
      };
      fonts.set(num, font);
      return font;
    };
    const out: Glyph[] = [];
    const pages = [...text.matchAll(/%% Page (\d+)\n%% Original object ID: \d+ \d+\n(\d+) 0 obj\n([\s\S]*?)\nendobj/g)];
    for (const [, pageNumber, , body = ''] of pages) {
      const resources = new Map<string, number>();
      for (const m of (/\/Font <<([\s\S]*?)>>/.exec(body)?.[1] ?? '').matchAll(/\/(\S+) (\d+) 0 R/g)) resources.set(m[1] ?? '', Number(m[2]));
      const contents = [...(/\/Contents (?:\[([\s\S]*?)\]|(\d+) 0 R)/.exec(body) ?? [])];
      const refs = (contents[1] ?? contents[2] ?? '').match(/\d+(?= 0 R)|^\d+$/g) ?? [];
      for (const ref of refs) {
        const stream = /stream\n([\s\S]*?)\nendstream/.exec(objects.get(Number(ref)) ?? '')?.[1] ?? '';
        let font: Font | undefined;
        let size = 0;
        let x = 0;
        let y = 0;
        let actual: string | undefined;
        for (const m of stream.matchAll(/\/(\S+) ([\d.]+) Tf|([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) Tm|([-\d.]+) ([-\d.]+) Td|<([0-9A-Fa-f]+)> Tj|\/ActualText <([0-9A-Fa-f]+)>|(EMC)/g)) {
          if (m[1] !== undefined) {
            font = fontOf(resources.get(m[1]) ?? -1);
            size = Number(m[2]);
          } else if (m[3] !== undefined) {
            x = Number(m[7]);
            y = Number(m[8]);
          } else if (m[9] !== undefined) {
            x += Number(m[9]);
            y += Number(m[10]);
          } else if (m[11] !== undefined && font) {
            const hex = m[11];
            for (let i = 0; i < hex.length; i += 4) {
              const gid = parseInt(hex.slice(i, i + 4), 16);
              const width = font.widths.get(gid) ?? font.defaultWidth;
              out.push({ page: Number(pageNumber), x, y, advance: (width * size) / 1000, size, char: actual ?? font.toUnicode.get(gid) ?? '\uFFFD', font: font.name });
            }
          } else if (m[12] !== undefined) {
            actual = Buffer.from(m[12].slice(4), 'hex').swap16().toString('utf16le');
          } else if (m[13] !== undefined) actual = undefined;
        }
      }
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Glyphs grouped into lines: same page, same baseline (within a tenth of a unit), left to right. */
export function lines(all: readonly Glyph[]): Glyph[][] {
  const byLine = new Map<string, Glyph[]>();
  for (const glyph of all) {
    const key = `${glyph.page}:${Math.round(glyph.y * 10) / 10}`;
    let line = byLine.get(key);
    if (!line) byLine.set(key, (line = []));
    line.push(glyph);
  }
  return [...byLine.values()].map((line) => line.sort((a, b) => a.x - b.x));
}
