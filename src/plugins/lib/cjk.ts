/**
 * Character classes for CJK typesetting decisions.
 *
 * "Wide" characters are written without spaces between words: Han, kana,
 * bopomofo, CJK and fullwidth punctuation. Hangul is not wide here: Korean is
 * written with spaces between words, so it behaves like Latin for line breaks.
 */
const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\u30fb\u30fc\u31c0-\u31ef\u3200-\u33ff\ufe30-\ufe4f\uff00-\uffef]/u;

/** True for a Chinese/Japanese character or CJK/fullwidth punctuation. */
export function isWide(char: string | undefined): boolean {
  return char !== undefined && WIDE.test(char);
}

/**
 * What a line break (with the spaces around it) becomes between `before` and
 * `after`: nothing when either side is a wide (Chinese/Japanese) character,
 * one space otherwise (Latin, digits, Hangul, ambiguous punctuation).
 */
export function breakReplacement(before: string | undefined, after: string | undefined): string {
  return isWide(before) || isWide(after) ? '' : ' ';
}

/**
 * The character that separates two parts a reader sees apart (a byline's publisher and author, a
 * caption and its credit): an ideographic space (U+3000) next to Chinese or Japanese text, a space
 * otherwise. A real character, so that copied, searched and spoken text keeps the boundary.
 */
export function separator(before: string | undefined, after: string | undefined): string {
  return isWide(before) || isWide(after) ? '\u3000' : ' ';
}

/** Whitespace between two wide characters (a gap CJK text never shows). */
export const WIDE_GAP = new RegExp(`(?<=${WIDE.source})\\s+(?=${WIDE.source})`, 'gu');

/** The rule applied to a whole string (e.g. an alt attribute): joins every soft break. */
export function joinSoftBreaks(value: string): string {
  return value.replace(/[ \t]*\r?\n[ \t]*/g, (match, offset: number, whole: string) => {
    return breakReplacement(lastChar(whole.slice(0, offset)), firstChar(whole.slice(offset + match.length)));
  });
}

/** The last character (code point) of value, in constant time. */
export function lastChar(value: string): string | undefined {
  const n = value.length;
  if (n === 0) return undefined;
  const lo = value.charCodeAt(n - 1);
  const hi = n > 1 ? value.charCodeAt(n - 2) : 0;
  return lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff ? value.slice(-2) : value.slice(-1);
}

export function firstChar(value: string): string | undefined {
  const cp = value.codePointAt(0);
  return cp === undefined ? undefined : String.fromCodePoint(cp);
}
