/**
 * Hyphenation points as soft hyphens (U+00AD) in Latin words, from the TeX hyphenation patterns
 * of each element's language (the `hyphen` package; Chromium's own dictionaries are not shipped
 * with Debian's Chromium, so `hyphens: auto` does nothing there). Justified Latin lines then
 * break inside long words instead of stretching their word gaps.
 *
 * - The language is the nearest `lang` attribute's, else the article's. Latin words in Chinese,
 *   Japanese or Korean text are hyphenated with the English patterns (they are mostly English
 *   names and terms), so a long word can break instead of letter-spacing the CJK line before it.
 * - Only words of six letters or more, at least two letters before a break and three after (TeX's
 *   \lefthyphenmin and \righthyphenmin for English); words with a capital after their first letter
 *   (NASA, JavaScript) are left whole, and so are words with digits, hyphens or apostrophes.
 * - Never in code, headings, bylines and credits (names), the text of a link that spells out a
 *   URL, the label of a missing image (role="img": a centred caption-like label, not running
 *   text), or anything marked translate="no".
 *
 * The PDF stage applies it to its copy of the tree; the web page and the EPUB keep clean text
 * (see docs/typography.md).
 */
import type { Element, ElementContent, Root } from 'hast';
import { createRequire } from 'node:module';

export interface HyphenateOptions {
  /** The article's language (BCP 47). */
  lang: string;
}

type Hyphenator = (text: string, options?: { minWordLength?: number; hyphenChar?: string }) => string;

const require = createRequire(import.meta.url);
const SHY = '\u00ad';
const SKIP = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'svg', 'math', 'textarea']);
const URL_TEXT = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)/i;
/** URLs and e-mail addresses written out in running text (a note's "原图：https://…"). */
const URL_IN_TEXT = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>"“”‘’「」、，。；：！？（）()\[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;
const CJK_LANG = /^(zh|ja|ko|yue|cmn|lzh)\b/i;
/** A run of Latin letters (with combining marks). */
const WORD = /\p{Script=Latin}[\p{Script=Latin}\p{M}]*/gu;
const MIN_WORD = 6;
const LEFT_MIN = 2;
const RIGHT_MIN = 3;

/** The pattern modules of `hyphen` by language tag (the first that exists is used). */
function patternModules(lang: string): string[] {
  const tag = lang.toLowerCase().replace(/_/g, '-');
  const [primary = 'en'] = tag.split('-');
  if (CJK_LANG.test(tag) || primary === 'en') return /^en-(gb|au|nz|ie|za|in)\b/.test(tag) ? ['en-gb'] : ['en-us'];
  if (primary === 'de') return [/-ch\b/.test(tag) ? 'de-ch-1901' : 'de-1996'];
  if (primary === 'nb' || primary === 'nn' || primary === 'no') return [primary, 'nb'];
  return [tag, primary];
}

const hyphenators = new Map<string, Hyphenator | null>();

/** The hyphenation function for a language, or null when `hyphen` has no patterns for it. */
export function hyphenatorFor(lang: string): Hyphenator | null {
  const key = lang.toLowerCase();
  const cached = hyphenators.get(key);
  if (cached !== undefined) return cached;
  let found: Hyphenator | null = null;
  for (const name of patternModules(key)) {
    if (!/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(name)) continue;
    try {
      found = (require(`hyphen/${name}`) as { hyphenateSync: Hyphenator }).hyphenateSync;
      break;
    } catch {
      // No patterns for this tag: try the next.
    }
  }
  hyphenators.set(key, found);
  return found;
}

/** One word with soft hyphens at its hyphenation points (left whole when it should not be broken). */
export function hyphenateWord(word: string, hyphenate: Hyphenator): string {
  if ([...word].length < MIN_WORD || /\p{Lu}/u.test(word.slice(1))) return word;
  const marked = hyphenate(word, { minWordLength: MIN_WORD });
  const parts = marked.split(SHY);
  if (parts.length === 1) return word;
  // Keep only the points that leave LEFT_MIN letters before and RIGHT_MIN after.
  let out = '';
  let before = 0;
  const total = [...word].length;
  parts.forEach((part, i) => {
    before += [...part].length;
    out += part;
    if (i < parts.length - 1 && before >= LEFT_MIN && total - before >= RIGHT_MIN) out += SHY;
  });
  return out;
}

/** Hyphenates Latin words in one text value; URLs and addresses written out in it stay whole. */
export function hyphenateText(value: string, lang: string): string {
  const hyphenate = hyphenatorFor(lang);
  if (!hyphenate) return value;
  let out = '';
  let last = 0;
  for (const url of value.matchAll(URL_IN_TEXT)) {
    out += hyphenateWords(value.slice(last, url.index), hyphenate) + url[0];
    last = url.index + url[0].length;
  }
  return out + hyphenateWords(value.slice(last), hyphenate);
}

function hyphenateWords(value: string, hyphenate: Hyphenator): string {
  return value.replace(WORD, (word, offset: number, whole: string) => {
    // A word joined to digits, a hyphen or symbols is a name or a code (B2B-Plattform, v2beta),
    // and the part after an apostrophe is a suffix (’s, ’ll): they stay as written.
    const previous = whole[offset - 1] ?? '';
    const next = whole[offset + word.length] ?? '';
    if (/[\p{N}'’\-_@/.=&?#%~+]/u.test(previous) || /[\p{N}\-_@/=&+]/u.test(next)) return word;
    return hyphenateWord(word, hyphenate);
  });
}

function visit(nodes: ElementContent[], lang: string): void {
  for (const node of nodes) {
    if (node.type === 'text') node.value = hyphenateText(node.value, lang);
    else if (node.type === 'element') {
      if (SKIP.has(node.tagName) || node.properties['translate'] === 'no' || node.properties['role'] === 'img' || isName(node)) continue;
      if (node.tagName === 'a' && URL_TEXT.test(textOf(node))) continue;
      const own = node.properties['lang'];
      visit(node.children, typeof own === 'string' && own.trim() ? own.trim() : lang);
    }
  }
}

/** A byline or a credit: names, which are not broken. */
function isName(node: Element): boolean {
  const className = node.properties['className'];
  return Array.isArray(className) && (className.includes('byline') || className.includes('credit'));
}

function textOf(node: Element): string {
  let text = '';
  for (const child of node.children) text += child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : '';
  return text.trim();
}

export default function rehypeHyphenate(options: HyphenateOptions) {
  return (tree: Root | Element): void => {
    visit(tree.children as ElementContent[], options.lang);
  };
}
