/**
 * Finds a trailing photo credit in a caption: 图自…, 图源：…, 摄影：…, 来源：…,
 * Photo: …, Source: …, … 摄, …供图, (图自…).
 */
import { isWide } from './cjk.js';

export interface CreditSplit {
  /** Where the caption text ends (trailing space and an opening bracket excluded). */
  captionEnd: number;
  /** Where the credit starts and ends (brackets excluded). */
  creditStart: number;
  creditEnd: number;
}

/** Credit openers, matched at a boundary; each must be followed by the credit itself. */
const OPENERS: readonly RegExp[] = [
  // 图自IC Photo, 图源：新华社, 图片来自网络
  /^(?:图|圖)(?:片)?(?:自|源|来自|來自|来源|來源)\s*[:：/／]?\s*(?=\S)/,
  // 来源：…, 摄影：…, 摄影/…, 图/…, 供图：…
  /^(?:来源|來源|摄影师?|攝影師?|图|圖|供图|供圖|资料图|資料圖)\s*[:：/／|｜]\s*(?=\S)/,
  // 写真：…, 出典：…, 提供：…, 사진=…, 출처: …
  /^(?:写真|出典|提供|사진|출처|자료)\s*[:：/／=＝]\s*(?=\S)/,
  // Photo: …, Source: …, Image credit: …
  /^(?:photo(?:graph|graphy)?s?|images?|pictures?|illustrations?|credits?|sources?|image credit|photo credit)\s*[:：]\s*(?=\S)/i,
  // Photo by …, Courtesy of …
  /^(?:(?:photo(?:graph)?s?|images?|illustrations?|pictures?)\s+by|courtesy\s+of)\s+(?=\S)/i,
];
const TERMINATORS = /[。！？；.!?;]/;
const MAX_CREDIT = 80;

export function findCredit(caption: string): CreditSplit | undefined {
  const value = caption.replace(/\s+$/, '');
  return bracketed(value) ?? prefixed(value, 0, value.length) ?? suffixed(value, 0, value.length);
}

/** caption（图自新华社） / caption (Photo: AP) */
function bracketed(value: string): CreditSplit | undefined {
  const close = value[value.length - 1];
  if (close !== '）' && close !== ')') return undefined;
  const open = value.lastIndexOf(close === '）' ? '（' : '(');
  if (open < 0) return undefined;
  const inner = prefixed(value, open + 1, value.length - 1, true) ?? suffixed(value, open + 1, value.length - 1, true);
  if (!inner) return undefined;
  return { captionEnd: trimEndIndex(value, open), creditStart: inner.creditStart, creditEnd: value.length - 1 };
}

function prefixed(value: string, from: number, to: number, whole = false): CreditSplit | undefined {
  for (let i = from; i < to; i++) {
    if (whole && i !== from) break;
    if (!atBoundary(value, i, from)) continue;
    const rest = value.slice(i, to);
    if (!OPENERS.some((opener) => opener.test(rest))) continue;
    if (rest.length > MAX_CREDIT || TERMINATORS.test(rest.slice(0, -1).replace(/\b[A-Z]\./g, ''))) continue;
    return { captionEnd: trimEndIndex(value, i), creditStart: i, creditEnd: to };
  }
  return undefined;
}

/** A credit starts the caption, or follows whitespace, a sentence end or a comma-like separator. */
function atBoundary(value: string, i: number, from: number): boolean {
  if (i === from) return true;
  const before = value[i - 1] ?? '';
  if (/\s/.test(before) || TERMINATORS.test(before) || /[，,、|｜]/.test(before)) return true;
  // Chinese captions may run straight into the credit: “…峰会图自IC Photo”.
  return isWide(before) && /[图圖]/.test(value[i] ?? '') && value[i + 1] === '自';
}

/** … 新华社记者 姚大伟 摄 / 张三/摄 / 李四供图 */
function suffixed(value: string, from: number, to: number, whole = false): CreditSplit | undefined {
  const tail = value.slice(from, to);
  const match = /(?:[/／\s]*(?:摄|攝|供图|供圖|撮影)|\/\s*(?:Getty Images|AFP|Reuters|AP|EPA|IC Photo))$/i.exec(tail);
  if (!match) return undefined;
  if (match.index === 0) return undefined;
  if (whole) return { captionEnd: from, creditStart: from, creditEnd: to };
  // The credit is the last sentence of the caption.
  let start = from;
  for (let i = to - match[0].length - 1; i >= from; i--) {
    if (TERMINATORS.test(value[i] ?? '') || /[，,]/.test(value[i] ?? '')) {
      start = i + 1;
      break;
    }
  }
  while (start < to && /\s/.test(value[start] ?? '')) start++;
  // Too long for a credit: keep only the last name before the marker.
  if (to - start > 30) {
    const before = value.slice(from, to - match[0].length).trimEnd();
    const space = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\u3000'));
    if (space < 0) return undefined;
    start = from + space + 1;
  }
  return { captionEnd: trimEndIndex(value, start), creditStart: start, creditEnd: to };
}

/** End of the caption before a credit: trailing spaces and separators (，,、：:) dropped. */
function trimEndIndex(value: string, end: number): number {
  let i = end;
  while (i > 0 && /[\s，,、;；:：|｜—–-]/.test(value[i - 1] ?? '')) i--;
  return i;
}
