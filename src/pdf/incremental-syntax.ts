/**
 * Just enough PDF syntax for reading and writing single objects: finding where one value ends, splitting a
 * dictionary or an array into the raw text of its entries, references, numbers, and text strings
 * both ways. Works on latin1 strings, so string indices are byte offsets.
 */

/** A dictionary as its entries in file order: raw name key ("/Type") → raw value text ("/Page", "3 0 R"). */
export type PdfDict = Map<string, string>;

export interface PdfRef {
  num: number;
  gen: number;
}

const WHITESPACE = new Set(['\0', '\t', '\n', '\f', '\r', ' ']);
const DELIMITERS = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);
/** Character classes by code: 1 whitespace, 2 delimiter, 0 regular (latin1 text only has codes below 256). */
const CLASS = new Uint8Array(256);
for (const c of WHITESPACE) CLASS[c.charCodeAt(0)] = 1;
for (const c of DELIMITERS) CLASS[c.charCodeAt(0)] = 2;

/** Index of the first character at or after `at` that is neither whitespace nor inside a comment. */
export function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (CLASS[c] === 1) i++;
    else if (c === 0x25) {
      while (i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i) !== 0x0d) i++;
    } else break;
  }
  return i;
}

function tokenEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && CLASS[text.charCodeAt(i) & 0xff] === 0) i++;
  return i;
}

function literalStringEnd(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  throw new SyntaxError(`PDF: unterminated string at ${at}`);
}

const INTEGER = /^\d+$/;

/** Index just after the value that starts at (or after whitespace from) `at`; "3 0 R" counts as one value. */
export function valueEnd(text: string, at: number): number {
  const i = skipSpace(text, at);
  const c = text[i];
  if (c === undefined) throw new SyntaxError('PDF: value expected, end of text found');
  if (c === '<' && text[i + 1] === '<') {
    let j = i + 2;
    for (;;) {
      j = skipSpace(text, j);
      if (text.startsWith('>>', j)) return j + 2;
      if (text[j] !== '/') throw new SyntaxError(`PDF: name expected as dictionary key at ${j}`);
      j = valueEnd(text, tokenEnd(text, j + 1));
    }
  }
  if (c === '<') {
    const close = text.indexOf('>', i);
    if (close < 0) throw new SyntaxError(`PDF: unterminated hex string at ${i}`);
    return close + 1;
  }
  if (c === '(') return literalStringEnd(text, i);
  if (c === '[') {
    let j = i + 1;
    for (;;) {
      j = skipSpace(text, j);
      if (text[j] === ']') return j + 1;
      j = valueEnd(text, j);
    }
  }
  if (c === '/') return tokenEnd(text, i + 1);
  if (DELIMITERS.has(c)) throw new SyntaxError(`PDF: unexpected "${c}" at ${i}`);
  const end = tokenEnd(text, i);
  if (end === i) throw new SyntaxError(`PDF: value expected at ${i}`);
  // An integer may be the first of "num gen R".
  if (INTEGER.test(text.slice(i, end))) {
    const genAt = skipSpace(text, end);
    const genEnd = tokenEnd(text, genAt);
    if (genEnd > genAt && INTEGER.test(text.slice(genAt, genEnd))) {
      const rAt = skipSpace(text, genEnd);
      if (text[rAt] === 'R' && tokenEnd(text, rAt) === rAt + 1) return rAt + 1;
    }
  }
  return end;
}

/** The dictionary starting at `at` (after whitespace), and the index just after its ">>". */
export function readDict(text: string, at: number): { dict: PdfDict; end: number } {
  let j = skipSpace(text, at);
  if (!text.startsWith('<<', j)) throw new SyntaxError(`PDF: dictionary expected at ${j}`);
  const dict: PdfDict = new Map();
  j += 2;
  for (;;) {
    j = skipSpace(text, j);
    if (text.startsWith('>>', j)) return { dict, end: j + 2 };
    if (text[j] !== '/') throw new SyntaxError(`PDF: name expected as dictionary key at ${j}`);
    const keyEnd = tokenEnd(text, j + 1);
    const valueStart = skipSpace(text, keyEnd);
    const end = valueEnd(text, valueStart);
    dict.set(text.slice(j, keyEnd), text.slice(valueStart, end));
    j = end;
  }
}

/** The raw text of each item of an array value ("[1 0 R 2 0 R]" → ["1 0 R", "2 0 R"]). */
export function arrayItems(value: string): string[] {
  let j = skipSpace(value, 0);
  if (value[j] !== '[') throw new SyntaxError(`PDF: array expected, found ${value.slice(0, 40)}`);
  const items: string[] = [];
  for (j++; ; ) {
    j = skipSpace(value, j);
    if (value[j] === ']') return items;
    const end = valueEnd(value, j);
    items.push(value.slice(j, end));
    j = end;
  }
}

/** Dictionary text from entries: "<</Type /Page\n/Parent 3 0 R>>". */
export function writeDict(dict: PdfDict): string {
  return `<<${[...dict].map(([key, value]) => `${key} ${value}`).join('\n')}>>`;
}

export function parseRef(value: string | undefined): PdfRef | undefined {
  const m = value === undefined ? null : /^\s*(\d+)\s+(\d+)\s+R\s*$/.exec(value);
  return m ? { num: Number(m[1]), gen: Number(m[2]) } : undefined;
}

export const writeRef = (ref: PdfRef): string => `${ref.num} ${ref.gen} R`;

export function parseNumber(value: string): number {
  const n = Number(value.trim());
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(value) || !Number.isFinite(n)) throw new SyntaxError(`PDF: number expected, found ${value.slice(0, 40)}`);
  return n;
}

/** A number as PDF writes it: at most three decimals, no exponent, no trailing zeros. */
export function writeNumber(n: number): string {
  const rounded = Math.round(n * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };

/** The bytes of a literal "(…)" or hex "<…>" string, as latin1 characters. */
function stringBytes(value: string): string {
  const v = value.trim();
  if (v.startsWith('<')) {
    const hex = v.slice(1, -1).replace(/[^0-9A-Fa-f]/g, '');
    const padded = hex.length % 2 === 0 ? hex : `${hex}0`;
    return Buffer.from(padded, 'hex').toString('latin1');
  }
  if (!v.startsWith('(')) throw new SyntaxError(`PDF: string expected, found ${v.slice(0, 40)}`);
  let out = '';
  for (let i = 1; i < v.length - 1; i++) {
    const c = v[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = v[++i] ?? '';
    const octal = /^[0-7]{1,3}/.exec(v.slice(i, i + 3));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else if (next === '\r') {
      if (v[i + 1] === '\n') i++;
    } else if (next !== '\n') out += ESCAPES[next] ?? next;
  }
  return out;
}

/** A text string's value: UTF-16BE with its byte order mark, else PDFDocEncoding (read as latin1). */
export function decodeText(value: string): string {
  const bytes = stringBytes(value);
  if (bytes.startsWith('\xFE\xFF')) {
    const utf16 = bytes.slice(2, 2 + ((bytes.length - 2) & ~1));
    return Buffer.from(utf16, 'latin1').swap16().toString('utf16le');
  }
  return bytes;
}

/** A text string: "(…)" when it is printable ASCII, else UTF-16BE hex with a byte order mark. */
export function writeText(text: string): string {
  if (/^[\x20-\x7E]*$/.test(text)) return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return `<FEFF${utf16.toString('hex').toUpperCase()}>`;
}
