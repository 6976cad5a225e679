/**
 * Subsets of Imprint's faces holding exactly the characters a document sets in them (FontUsage),
 * made with subset-font (HarfBuzz's hb-subset, compiled to WebAssembly) as WOFF2. A face shipped
 * as unicode-range slices gives one subset per slice it uses; each is declared with the
 * unicode-range of the characters it holds. Layout features are kept (HarfBuzz closes over the
 * glyphs they reach: ligatures, vertical and proportional forms), so the text shapes as it does
 * with the full face.
 */
import subsetFont from 'subset-font';
import { faceKey, type FontUsage, type UsedFace } from './font-usage.js';
import { fontFaceRule, readFontFile, type PlannedFace } from './fonts.js';
import { parseUnicodeRange, unicodeRangeOf } from './unicode-range.js';

export interface FontSubset {
  face: UsedFace;
  /** The shipped slice it was cut from. */
  file: string;
  /** The characters it holds, as a unicode-range value. */
  unicodeRange: string;
  /** WOFF2 bytes. */
  bytes: Uint8Array;
}

/** Subsets already made in this process (a batch shares its faces' common characters rarely, a preview often). */
const made = new Map<string, Promise<Uint8Array>>();
const MAX_KEPT = 400;

function subsetOf(file: string, codes: readonly number[]): Promise<Uint8Array> {
  const text = String.fromCodePoint(...codes);
  const key = `${file}\u0000${text}`;
  let pending = made.get(key);
  if (!pending) {
    // The WOFF copy of the slice: the subsetter unpacks zlib faster than WOFF2's Brotli.
    const bytes = readFontFile(file, 'woff');
    if (!bytes) return Promise.reject(new Error(`font file ${file} is not shipped`));
    pending = subsetFont(bytes, text, { targetFormat: 'woff2' }).then((out) => new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    pending.catch(() => made.delete(key));
    if (made.size >= MAX_KEPT) made.delete(made.keys().next().value as string);
    made.set(key, pending);
  }
  return pending;
}

/** The subsets for `usage`, cut from the slices of `faces` (the document's planned faces), in a stable order. */
export async function fontSubsets(usage: FontUsage, faces: readonly PlannedFace[]): Promise<FontSubset[]> {
  const jobs: Array<Promise<FontSubset>> = [];
  const keys = [...usage.faces.keys()].sort();
  for (const key of keys) {
    const used = usage.faces.get(key) as UsedFace;
    const codes = [...(usage.chars.get(key) ?? [])].sort((a, b) => a - b);
    const slices = faces.filter((f) => faceKey(f) === key);
    const bySlice = new Map<PlannedFace, number[]>();
    for (const code of codes) {
      const slice = slices.find((f) => parseUnicodeRangeCached(f.unicodeRange).some(([lo, hi]) => code >= lo && code <= hi));
      if (!slice) continue;
      let list = bySlice.get(slice);
      if (!list) bySlice.set(slice, (list = []));
      list.push(code);
    }
    for (const [slice, sliceCodes] of bySlice) {
      jobs.push(subsetOf(slice.file, sliceCodes).then((bytes) => ({ face: used, file: slice.file, unicodeRange: unicodeRangeOf(sliceCodes), bytes })));
    }
  }
  return Promise.all(jobs);
}

const parsed = new Map<string, ReturnType<typeof parseUnicodeRange>>();
function parseUnicodeRangeCached(value: string): ReturnType<typeof parseUnicodeRange> {
  let ranges = parsed.get(value);
  if (!ranges) parsed.set(value, (ranges = parseUnicodeRange(value)));
  return ranges;
}

/** @font-face rules for subsets, each at urlFor(subset). */
export function subsetCss(subsets: readonly FontSubset[], urlFor: (subset: FontSubset) => string): string {
  return subsets.map((s) => fontFaceRule({ ...s.face, unicodeRange: s.unicodeRange }, urlFor(s), 'swap')).join('\n');
}
