/**
 * Web fonts from the registry (@fontsource), TrueType outlines split by unicode-range, so Chromium
 * loads only the slices a document uses and embeds them as proper subsets (no Type 3 fonts).
 *
 * Han characters are drawn differently in each CJK locale (骨, 直, 令, 角 …), so every CJK
 * language gets the face made for it: Simplified Chinese (SC), Traditional Chinese as written in
 * Taiwan (TC) and in Hong Kong (HK), Japanese (JP) and Korean (KR) — see cjkSetOf().
 *
 * Themes use four families:
 *   "Imprint Serif" / "Imprint Sans"           Latin faces (Noto Serif / Noto Sans)
 *   "Imprint Serif CJK" / "Imprint Sans CJK"   the CJK faces of the document's language
 * e.g. font-family: "Imprint Serif", "Imprint Serif CJK", serif;
 * Elements in another CJK language (a `lang` attribute) are set in "Imprint Serif JP", "Imprint
 * Sans TC" and so on, by rules derived from the theme's own (theme/lang-fonts.ts).
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

/** The CJK face sets Imprint ships: one per locale whose Han glyph forms differ. */
export type CjkSet = 'SC' | 'TC' | 'HK' | 'JP' | 'KR';
export const CJK_SETS: readonly CjkSet[] = ['SC', 'TC', 'HK', 'JP', 'KR'];

export const LATIN_FAMILIES = { serif: 'Imprint Serif', sans: 'Imprint Sans' } as const;
/** The families themes name for the document's CJK faces. */
export const CJK_FAMILIES = { serif: 'Imprint Serif CJK', sans: 'Imprint Sans CJK' } as const;
/** The family of one set, e.g. "Imprint Serif JP". */
export const setFamily = (kind: 'serif' | 'sans', set: CjkSet): string => `${kind === 'serif' ? 'Imprint Serif' : 'Imprint Sans'} ${set}`;

interface Source {
  pkg: string;
  family: string;
  css: string[];
  latin: boolean;
  /** Only the slices whose file names match (the Latin faces: latin and latin-ext). */
  files?: RegExp;
}

const LATIN_SLICES = /-latin(-ext)?-\d+-(normal|italic)\.woff2$/;

const cjkSource = (kind: 'serif' | 'sans', set: CjkSet): Source => ({
  pkg: `@fontsource/noto-${kind}-${set.toLowerCase()}`,
  family: setFamily(kind, set),
  css: ['400.css', '700.css'],
  latin: false,
});

const SOURCES: Source[] = [
  // The per-subset CSS files (latin-400.css) carry no unicode-range; the weight files do.
  { pkg: '@fontsource/noto-serif', family: LATIN_FAMILIES.serif, css: ['400.css', '700.css', '400-italic.css'], latin: true, files: LATIN_SLICES },
  { pkg: '@fontsource/noto-sans', family: LATIN_FAMILIES.sans, css: ['400.css', '700.css'], latin: true, files: LATIN_SLICES },
  ...CJK_SETS.flatMap((set) => [cjkSource('serif', set), cjkSource('sans', set)]),
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

/** All font faces Imprint ships (CJK ones under their set's family, "Imprint Serif TC"), parsed once per process. */
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
  return /^(zh|ja|ko|yue|cmn|lzh)\b/i.test(lang);
}

/**
 * The CJK face set for a BCP 47 tag, or undefined for a language that is not CJK.
 *   ja → JP; ko → KR; yue (Cantonese), zh-HK, zh-MO, zh-Hant-HK → HK;
 *   zh-TW, zh-Hant (any other region) → TC; zh, zh-CN, zh-SG, zh-Hans… → SC.
 */
export function cjkSetOf(lang: string): CjkSet | undefined {
  const subtags = lang.trim().toLowerCase().replace(/_/g, '-').split('-');
  const [primary = ''] = subtags;
  if (primary === 'ja') return 'JP';
  if (primary === 'ko') return 'KR';
  if (primary === 'yue') return 'HK';
  if (primary !== 'zh' && primary !== 'cmn' && primary !== 'lzh') return undefined;
  const script = subtags.find((s) => s.length === 4);
  const region = subtags.find((s, i) => i > 0 && (s.length === 2 || /^\d{3}$/.test(s)));
  if (region === 'hk' || region === 'mo') return script === 'hans' ? 'SC' : 'HK';
  if (script === 'hant' || region === 'tw') return 'TC';
  return 'SC';
}

/** The CJK faces a document is set in: its language's, SC for a document that is not CJK. */
export function documentCjkSet(lang: string): CjkSet {
  return cjkSetOf(lang) ?? 'SC';
}

/**
 * Which faces a document needs: the CJK set of its language (under the "… CJK" families), the
 * sets of elements in other CJK languages (under their own families), and whether the Latin
 * faces give up the shared punctuation (a CJK document).
 */
export interface FontPlan {
  cjkDocument: boolean;
  set: CjkSet;
  /** Other sets, in CJK_SETS order, never `set`. */
  others: CjkSet[];
}

/** The plan for a document in `lang` whose elements carry the languages `langs` (lang attributes). */
export function fontPlan(lang: string, langs: Iterable<string> = []): FontPlan {
  const set = documentCjkSet(lang);
  const wanted = new Set<CjkSet>();
  for (const other of langs) {
    const s = cjkSetOf(other);
    if (s && s !== set) wanted.add(s);
  }
  return { cjkDocument: isCjkLang(lang), set, others: CJK_SETS.filter((s) => wanted.has(s)) };
}

/** A short name of the plan, usable in a URL: "cjk-TC+JP", "latin-SC". */
export function planKey(plan: FontPlan): string {
  return `${plan.cjkDocument ? 'cjk' : 'latin'}-${plan.set}${plan.others.map((s) => `+${s}`).join('')}`;
}

/** The plan a planKey names, or undefined. */
export function parsePlanKey(key: string): FontPlan | undefined {
  const m = /^(cjk|latin)-(SC|TC|HK|JP|KR)((?:\+(?:SC|TC|HK|JP|KR))*)$/.exec(key);
  if (!m) return undefined;
  const set = m[2] as CjkSet;
  const named = new Set((m[3] ?? '').split('+').filter(Boolean));
  return { cjkDocument: m[1] === 'cjk', set, others: CJK_SETS.filter((s) => s !== set && named.has(s)) };
}

/** A face as a document declares it: under the family the document names, with its unicode-range. */
export interface PlannedFace extends FontFace {
  /** The shipped face's own family ("Imprint Serif TC"); `family` is what the document calls it. */
  source: string;
}

/** The faces of a plan, each under the family the document's CSS names. */
export function plannedFaces(plan: FontPlan): PlannedFace[] {
  const out: PlannedFace[] = [];
  const latin = new Set<string>(Object.values(LATIN_FAMILIES));
  const ownSerif = setFamily('serif', plan.set);
  const ownSans = setFamily('sans', plan.set);
  const others = new Set(plan.others.flatMap((s) => [setFamily('serif', s), setFamily('sans', s)]));
  for (const face of fontFaces()) {
    if (latin.has(face.family)) {
      out.push({ ...face, source: face.family, unicodeRange: plan.cjkDocument ? withoutSharedPunctuation(face.unicodeRange) : face.unicodeRange });
    } else if (face.family === ownSerif || face.family === ownSans) {
      out.push({ ...face, source: face.family, family: face.family === ownSerif ? CJK_FAMILIES.serif : CJK_FAMILIES.sans });
    } else if (others.has(face.family)) {
      out.push({ ...face, source: face.family });
    }
  }
  return out;
}

/** One @font-face rule. */
export function fontFaceRule(face: Pick<FontFace, 'family' | 'style' | 'weight' | 'unicodeRange'>, src: string, display = 'block', format: 'woff2' | 'woff' = 'woff2'): string {
  return `@font-face{font-family:"${face.family}";font-style:${face.style};font-weight:${face.weight};font-display:${display};src:url(${src}) format("${format}");unicode-range:${face.unicodeRange}}`;
}

/**
 * @font-face rules for a document in `lang` (and elements in `langs`), with each file at
 * urlFor(face), one rule a line.
 */
export function fontFaceCss(lang: string, urlFor: (face: FontFace) => string, langs: Iterable<string> = []): string {
  return planCss(fontPlan(lang, langs), urlFor);
}

/** @font-face rules of a plan, one a line. */
export function planCss(plan: FontPlan, urlFor: (face: FontFace) => string): string {
  return plannedFaces(plan)
    .map((face) => fontFaceRule(face, urlFor(face)))
    .join('\n');
}

const fileCache = new Map<string, Buffer>();

/**
 * Bytes of a font file by name (as in FontFace.file), read once per process; undefined if unknown.
 * `woff` reads the same slice in WOFF (zlib), which the subsetter unpacks several times faster.
 */
export function readFontFile(file: string, format: 'woff2' | 'woff' = 'woff2'): Buffer | undefined {
  const key = `${format}:${file}`;
  const cached = fileCache.get(key);
  if (cached) return cached;
  const face = fontFaces().find((f) => f.file === file);
  if (!face) return undefined;
  const bytes = readFileSync(format === 'woff' ? face.path.replace(/\.woff2$/, '.woff') : face.path);
  fileCache.set(key, bytes);
  return bytes;
}
