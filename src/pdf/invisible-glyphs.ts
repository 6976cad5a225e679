/**
 * Invisible characters out of the PDF's text layer.
 *
 * Chromium shapes a soft hyphen (U+00AD) that does not end a line — and any other default
 * ignorable character: a zero-width space, a word joiner — as the font's space glyph with no
 * advance, and Skia writes it like any glyph, with the character as its ActualText. Text
 * extraction, search and copying then find an invisible character inside every hyphenated word.
 * Such a glyph paints nothing and moves nothing, so it is taken out (removeInvisibleSpaces).
 */
import { operandText, operations, type Operation } from './content-stream.js';
import { objectValue, streamData, type PdfFile } from './incremental.js';
import { parseRef, readDict, type PdfDict } from './incremental-syntax.js';
import { inflateSync } from 'node:zlib';

/** The glyph codes (hex, as in a Tj string, upper case) a ToUnicode CMap maps to U+0020. */
export function spaceCodes(cmap: string): Set<string> {
  const codes = new Set<string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      if ((m[2] ?? '').toUpperCase() === '0020') codes.add((m[1] ?? '').toUpperCase());
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = parseInt(m[1] ?? '0', 16);
      const hi = parseInt(m[2] ?? '0', 16);
      const start = parseInt(m[3] ?? '0', 16);
      if (start <= 0x20 && start + (hi - lo) >= 0x20) codes.add((lo + 0x20 - start).toString(16).toUpperCase().padStart((m[1] ?? '').length, '0'));
    }
  }
  return codes;
}

const resolveValue = (pdf: PdfFile, value: string | undefined): string | undefined => {
  const ref = parseRef(value);
  return ref ? objectValue(pdf, ref) : value;
};

const dictOf = (text: string | undefined): PdfDict | undefined => {
  const trimmed = text?.trim();
  return trimmed?.startsWith('<<') ? readDict(trimmed, 0).dict : undefined;
};

/** Space glyph codes by font resource name ("/F6") of a page's resources. */
export function pageSpaceCodes(pdf: PdfFile, pageDict: PdfDict, cache: Map<string, Set<string>>): Map<string, Set<string>> {
  const byName = new Map<string, Set<string>>();
  const resources = dictOf(resolveValue(pdf, pageDict.get('/Resources')));
  const fonts = dictOf(resolveValue(pdf, resources?.get('/Font')));
  for (const [name, value] of fonts ?? []) {
    const key = value.trim();
    let codes = cache.get(key);
    if (!codes) {
      codes = new Set();
      try {
        const font = dictOf(resolveValue(pdf, value));
        const toUnicode = parseRef(font?.get('/ToUnicode'));
        if (toUnicode) {
          const stream = streamData(pdf, toUnicode);
          const raw = pdf.bytes.subarray(stream.start, stream.end);
          const filter = stream.dict.get('/Filter')?.replace(/[[\]\s]/g, '');
          const data = filter === '/FlateDecode' ? inflateSync(raw) : filter === undefined ? raw : undefined;
          if (data) codes = spaceCodes(Buffer.from(data).toString('latin1'));
        }
      } catch {
        // A font whose map cannot be read keeps all its glyphs.
      }
      cache.set(key, codes);
    }
    byName.set(name, codes);
  }
  return byName;
}

/** ActualText of an invisible character: soft hyphen, zero-width space and joiners, word joiner, BOM. */
const INVISIBLE_ACTUAL_TEXT = /^\s*\/Span\s*<<\s*\/ActualText\s*<feff(00ad|200b|200c|200d|2060|feff)>\s*>>\s*$/i;

/**
 * The content stream without invisible characters drawn as space glyphs; the same array when
 * there is none. Skia marks such a glyph with its character as ActualText:
 *   /Span <</ActualText <feff00ad>>> BDC  4.8 0 Td <0003> Tj  EMC  0 0 Td …
 * The BDC, the Tj and the EMC go; the Td stays, so every other glyph keeps its place. A soft
 * hyphen that ends a line is drawn as a hyphen glyph, and is kept (with its ActualText).
 */
const TEXT_STATE = new Set(['Tf', 'Td', 'TD', 'Tm', 'T*', 'Tc', 'Tw', 'Tz', 'TL', 'Ts']);

export function removeInvisibleSpaces(data: Uint8Array, spaces: ReadonlyMap<string, ReadonlySet<string>>): Uint8Array {
  if (spaces.size === 0) return data;
  const ops = operations(data, TEXT_STATE);
  const cut: Array<[number, number]> = [];
  let font: ReadonlySet<string> | undefined;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Operation;
    if (op.op === 'Tf') font = spaces.get(/^\s*(\/[^\s/]+)/.exec(operandText(data, op))?.[1] ?? '');
    if (op.op !== 'BDC' || !INVISIBLE_ACTUAL_TEXT.test(operandText(data, op))) continue;
    // The sequence up to its EMC: only positioning and space glyphs may be in it.
    const inside: Array<[number, number]> = [];
    let j = i + 1;
    let invisible = true;
    let current = font;
    for (; j < ops.length; j++) {
      const inner = ops[j] as Operation;
      if (inner.op === 'EMC') break;
      if (inner.op === 'Tf') current = spaces.get(/^\s*(\/[^\s/]+)/.exec(operandText(data, inner))?.[1] ?? '');
      else if (inner.op === 'Tj') {
        const code = /^\s*<([0-9A-Fa-f]+)>\s*$/.exec(operandText(data, inner))?.[1]?.toUpperCase();
        if (!code || !current?.has(code)) invisible = false;
        else inside.push([inner.start, inner.end]);
      } else if (!TEXT_STATE.has(inner.op)) invisible = false;
      if (!invisible) break;
    }
    const end = ops[j];
    if (!invisible || end?.op !== 'EMC') continue;
    cut.push([op.start, op.end], ...inside, [end.start, end.end]);
    font = current;
    i = j;
  }
  if (cut.length === 0) return data;
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const [start, end] of cut) {
    parts.push(data.subarray(last, start));
    last = end;
  }
  parts.push(data.subarray(last));
  return Buffer.concat(parts);
}
