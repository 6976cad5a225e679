/**
 * Subsets of Imprint's faces holding exactly the characters a document sets in them (FontUsage),
 * made with subset-font (HarfBuzz's hb-subset, compiled to WebAssembly) and packed as WOFF
 * (woff.ts). A face shipped as unicode-range slices gives one subset per slice it uses; each is
 * declared with the unicode-range of the characters it holds. Layout features are kept (HarfBuzz
 * closes over the glyphs they reach: ligatures, vertical and proportional forms), so the text
 * shapes as it does with the full face.
 */
import subsetFont from 'subset-font';
import { sfntToWoff, woffToSfnt } from './woff.js';
import type { FontUsage, UsedFace } from './font-usage.js';
import { fontFaceRule, readFontFile } from './fonts.js';
import { unicodeRangeOf } from './unicode-range.js';

export interface FontSubset {
  face: UsedFace;
  /** The shipped slice it was cut from. */
  file: string;
  /** The characters it holds, as a unicode-range value. */
  unicodeRange: string;
  /** WOFF bytes. */
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
    // The WOFF copy of the slice, unpacked here (zlib): HarfBuzz reads and writes plain sfnt.
    const bytes = readFontFile(file, 'woff');
    if (!bytes) return Promise.reject(new Error(`font file ${file} is not shipped`));
    pending = subsetFont(woffToSfnt(bytes), text, { targetFormat: 'sfnt' }).then((out) => new Uint8Array(sfntToWoff(out)));
    pending.catch(() => made.delete(key));
    if (made.size >= MAX_KEPT) made.delete(made.keys().next().value as string);
    made.set(key, pending);
  }
  return pending;
}

/** The subsets for `usage` (cut from the slices of the document's planned faces), in a stable order. */
export async function fontSubsets(usage: FontUsage): Promise<FontSubset[]> {
  const files = [...usage.files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Promise.all(
    files.map(([file, { face, codes }]) => {
      const sorted = [...codes].sort((a, b) => a - b);
      return subsetOf(file, sorted).then((bytes) => ({ face, file, unicodeRange: unicodeRangeOf(sorted), bytes }));
    }),
  );
}

/** @font-face rules for subsets, each at urlFor(subset). */
export function subsetCss(subsets: readonly FontSubset[], urlFor: (subset: FontSubset) => string): string {
  return subsets.map((s) => fontFaceRule({ ...s.face, unicodeRange: s.unicodeRange }, urlFor(s), 'swap', 'woff')).join('\n');
}
