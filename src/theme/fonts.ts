/**
 * Web fonts from the registry (@fontsource), TrueType outlines split by unicode-range, so Chromium
 * loads only the slices a document uses and embeds them as proper subsets (no Type 3 fonts).
 *
 * Themes use four families:
 *   "Imprint Serif" / "Imprint Sans"   Latin faces (Noto Serif / Noto Sans)
 *   "Imprint Serif CJK" / "Imprint Sans CJK"   CJK faces (Noto Serif SC / Noto Sans SC)
 * e.g. font-family: "Imprint Serif", "Imprint Serif CJK", serif;
 * For CJK documents the Latin faces leave out the punctuation that CJK text shares with Latin
 * (curly quotes, em dash, ellipsis, middle dot), so those are set full-width by the CJK face.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface FontFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  /** File name, unique across packages (fontsource names files after the package). */
  file: string;
  /** Absolute path of the woff2 file. */
  path: string;
  unicodeRange: string;
}

interface Source {
  pkg: string;
  family: string;
  css: string[];
  latin: boolean;
  /** Only the slices whose file names match (the Latin faces: latin and latin-ext). */
  files?: RegExp;
}

const LATIN_SLICES = /-latin(-ext)?-\d+-(normal|italic)\.woff2$/;

const SOURCES: Source[] = [
  // The per-subset CSS files (latin-400.css) carry no unicode-range; the weight files do.
  { pkg: '@fontsource/noto-serif', family: 'Imprint Serif', css: ['400.css', '700.css', '400-italic.css'], latin: true, files: LATIN_SLICES },
  { pkg: '@fontsource/noto-sans', family: 'Imprint Sans', css: ['400.css', '700.css'], latin: true, files: LATIN_SLICES },
  { pkg: '@fontsource/noto-serif-sc', family: 'Imprint Serif CJK', css: ['400.css', '700.css'], latin: false },
  { pkg: '@fontsource/noto-sans-sc', family: 'Imprint Sans CJK', css: ['400.css', '700.css'], latin: false },
];

const require = createRequire(import.meta.url);
let cachedFaces: FontFace[] | undefined;

function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

function parseFaces(source: Source): FontFace[] {
  const dir = packageDir(source.pkg);
  const faces: FontFace[] = [];
  for (const cssFile of source.css) {
    const css = readFileSync(path.join(dir, cssFile), 'utf8');
    for (const block of css.match(/@font-face\s*{[^}]*}/g) ?? []) {
      const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
      const weight = Number(/font-weight:\s*(\d+)/.exec(block)?.[1] ?? 400);
      const style = /font-style:\s*italic/.test(block) ? 'italic' : 'normal';
      const unicodeRange = /unicode-range:\s*([^;]+);/.exec(block)?.[1]?.trim() ?? 'U+0-10FFFF';
      if (!file || (source.files && !source.files.test(file))) continue;
      faces.push({ family: source.family, weight, style, file, path: path.join(dir, 'files', file), unicodeRange });
    }
  }
  return faces;
}

/** All font faces Imprint ships, parsed once per process. */
export function fontFaces(): FontFace[] {
  cachedFaces ??= SOURCES.flatMap(parseFaces);
  return cachedFaces;
}

/** Punctuation that CJK text shares with Latin: set by the CJK face in CJK documents. */
function withoutSharedPunctuation(range: string): string {
  return range
    .replace(/U\+0000-00FF/i, 'U+0000-00B6,U+00B8-00FF')
    .replace(/U\+2000-206F/i, 'U+2000-2013,U+2015-2017,U+201E-2025,U+2027-206F');
}

export function isCjkLang(lang: string): boolean {
  return /^(zh|ja|ko)\b/i.test(lang);
}

/** @font-face rules for a document in `lang`, with each file at urlFor(face). */
export function fontFaceCss(lang: string, urlFor: (face: FontFace) => string): string {
  const cjk = isCjkLang(lang);
  const latinFamilies = new Set(SOURCES.filter((s) => s.latin).map((s) => s.family));
  return fontFaces()
    .map((face) => {
      const range = cjk && latinFamilies.has(face.family) ? withoutSharedPunctuation(face.unicodeRange) : face.unicodeRange;
      return `@font-face{font-family:"${face.family}";font-style:${face.style};font-weight:${face.weight};font-display:block;src:url(${urlFor(face)}) format("woff2");unicode-range:${range}}`;
    })
    .join('\n');
}

const fileCache = new Map<string, Buffer>();

/** Bytes of a font file by name (as in FontFace.file), read once per process; undefined if unknown. */
export function readFontFile(file: string): Buffer | undefined {
  const cached = fileCache.get(file);
  if (cached) return cached;
  const face = fontFaces().find((f) => f.file === file);
  if (!face) return undefined;
  const bytes = readFileSync(face.path);
  fileCache.set(file, bytes);
  return bytes;
}
