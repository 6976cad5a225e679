/**
 * epub.embedFonts: embeds the serif faces the book needs, as the fontsource slices already are:
 * only the woff2 files whose unicode-range covers a character of the text set in that face
 * (regular, bold, italic), declared with the same @font-face rules the PDF uses.
 *
 * Not the library's job: epub-gen-memory stores the fonts it is given (Imprint hands it the bytes
 * from memory through its font hook, src/epub/generator.ts); which slices the text needs is Imprint's.
 */
import type { ElementContent, Root } from 'hast';
import { fontFaceCss, fontPlan, readFontFile, setFamily } from '../theme/fonts.js';
import { parseUnicodeRange, type Range } from '../theme/unicode-range.js';

/** The families the EPUB style sheet sets text in. */
export const EMBEDDED_FAMILIES = ['Imprint Serif', 'Imprint Serif CJK'] as const;

/** Code points of the text, by the face it is set in. */
export interface TextByFace {
  regular: Set<number>;
  bold: Set<number>;
  italic: Set<number>;
}

export const emptyTextByFace = (): TextByFace => ({ regular: new Set(), bold: new Set(), italic: new Set() });

const BOLD = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'th', 'dt']);
const ITALIC = new Set(['em', 'i', 'cite', 'dfn', 'var']);

/** White space as RegExp \s matches it (never set in a face, so never a reason to embed one). */
function isSpace(code: number): boolean {
  return (
    code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

function add(set: Set<number>, value: string): void {
  for (let i = 0; i < value.length; i++) {
    const code = value.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (!isSpace(code)) set.add(code);
  }
}

/**
 * Adds the text of `nodes` to `into`. Bold: headings, strong, b, th, dt and the byline's author
 * (as base.css sets them); italic: em, i, cite (not in CJK text, where emphasis is set upright).
 */
export function collectText(nodes: Root | readonly ElementContent[], into: TextByFace, cjk: boolean, bold = false, italic = false): void {
  const list = Array.isArray(nodes) ? nodes : (nodes as Root).children;
  for (const node of list as readonly (ElementContent | Root['children'][number])[]) {
    if (node.type === 'text') add(bold ? into.bold : italic ? into.italic : into.regular, node.value);
    else if (node.type === 'element') {
      if (node.tagName === 'title' || node.tagName === 'svg') continue;
      const className = node.properties['className'];
      const isAuthor = Array.isArray(className) && className.includes('author');
      collectText(node.children, into, cjk, bold || BOLD.has(node.tagName) || isAuthor, italic || (!cjk && ITALIC.has(node.tagName)));
    }
  }
}

export { parseUnicodeRange };

/** The ranges of each unicode-range value: the faces of one family repeat them weight after weight. */
const parsedRanges = new Map<string, Range[]>();
function rangesOf(value: string): Range[] {
  let ranges = parsedRanges.get(value);
  if (!ranges) {
    ranges = parseUnicodeRange(value);
    parsedRanges.set(value, ranges);
  }
  return ranges;
}

/** True when one of `codes` (sorted ascending) lies in one of `ranges`: a binary search per range. */
function covers(ranges: readonly Range[], codes: readonly number[]): boolean {
  for (const [lo, hi] of ranges) {
    let low = 0;
    let high = codes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (codes[middle]! < lo) low = middle + 1;
      else high = middle;
    }
    if (low < codes.length && codes[low]! <= hi) return true;
  }
  return false;
}

const ascending = (codes: ReadonlySet<number>): number[] => [...codes].sort((a, b) => a - b);

export interface EmbeddedFont {
  /** File name, as stored in the book's fonts/ folder. */
  file: string;
  bytes: Uint8Array;
}

export interface EmbeddedFonts {
  /** @font-face rules, with URLs relative to the style sheet (which sits beside fonts/). */
  css: string;
  fonts: EmbeddedFont[];
}

/**
 * The @font-face rules and woff2 files covering `text`: lang decides the CJK faces and which faces
 * set shared punctuation; elements in other CJK languages (`langs`) add those languages' serif faces.
 */
export function embedFonts(lang: string, text: TextByFace, langs: Iterable<string> = []): EmbeddedFonts {
  const langList = [...langs];
  const families = new Set<string>([...EMBEDDED_FAMILIES, ...fontPlan(lang, langList).others.map((set) => setFamily('serif', set))]);
  const sorted = { regular: ascending(text.regular), bold: ascending(text.bold), italic: ascending(text.italic) };
  const rules: string[] = [];
  const fonts: EmbeddedFont[] = [];
  for (const rule of fontFaceCss(lang, (face) => `fonts/${face.file}`, langList).split('\n')) {
    const family = /font-family:"([^"]+)"/.exec(rule)?.[1];
    const file = /url\(fonts\/([^)]+)\)/.exec(rule)?.[1];
    const range = /unicode-range:([^}]+)\}?$/.exec(rule)?.[1];
    if (!family || !file || !range || !families.has(family)) continue;
    const italic = /font-style:italic/.test(rule);
    const bold = Number(/font-weight:(\d+)/.exec(rule)?.[1] ?? 400) >= 600;
    const codes = italic ? sorted.italic : bold ? sorted.bold : sorted.regular;
    if (!covers(rangesOf(range), codes)) continue;
    const bytes = readFontFile(file);
    if (!bytes) continue;
    rules.push(rule);
    fonts.push({ file, bytes: new Uint8Array(bytes) });
  }
  return { css: rules.join('\n'), fonts };
}
