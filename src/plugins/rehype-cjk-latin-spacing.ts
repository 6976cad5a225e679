/**
 * Spacing between Chinese or Japanese characters and Latin letters or digits, made consistent
 * within the article, in its text: "使用 Puppeteer 渲染" or "使用Puppeteer渲染", never both.
 *
 * Authors follow one of two conventions (a space on each side, or none — Chromium's
 * `text-autospace` then adds a small gap when it draws the page, e-readers show none). A clipping
 * often mixes them where a soft line break fell next to a Latin word. The article's own convention
 * is the one it uses more often where the author wrote the boundary on one line; every boundary,
 * including those at soft line breaks, then follows it. An article that never shows a boundary on
 * one line keeps what it has (line breaks are then joined without a space, by
 * rehype-cjk-line-breaks). Runs before rehype-cjk-line-breaks.
 *
 * Only letters and digits count as Latin here, Han, Hiragana and Katakana as CJK: punctuation,
 * symbols and ideographic spaces are never touched, nor is code (it may be a neighbour, as a word).
 * Written by hand: pangu (the npm package) inserts spaces by a fixed rule and around punctuation
 * too; it has no notion of following the author's convention.
 */
import type { Element, Root, Text } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import { diagnose } from '../diagnostics/rules.js';

export type CjkLatinSpacing = 'space' | 'none';

const PRESERVE = new Set(['pre', 'code', 'kbd', 'samp', 'script', 'style', 'textarea', 'math', 'svg']);
// Superscripts and subscripts (note references above all) are not words next to the text.
const BOUNDARY = new Set(['br', 'img', 'hr', 'input', 'wbr', 'sup', 'sub']);
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'figcaption', 'caption', 'blockquote', 'summary', 'div', 'section', 'figure', 'ul', 'ol', 'table', 'tr', 'aside']);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LATIN = /[\p{Script=Latin}\p{Nd}]/u;
/** A CJK character before a Latin one or the reverse, with the spaces (and a soft line break) between them. */
const PAIR = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])([ \t]*(?:\r?\n[ \t]*)?)(?=[\p{Script=Latin}\p{Nd}])|([\p{Script=Latin}\p{Nd}])([ \t]*(?:\r?\n[ \t]*)?)(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;

const isPair = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && ((CJK.test(a) && LATIN.test(b)) || (LATIN.test(a) && CJK.test(b)));

/** A piece of a block's running text: a text node that may change, or fixed text (code); null ends the run. */
type Piece = { node: Text; fixed: boolean; depth: number } | null;

function collect(node: Element | Root, out: Piece[][], current: Piece[], depth = 0): void {
  for (const child of node.children) {
    if (child.type === 'text') current.push({ node: child, fixed: false, depth });
    else if (child.type === 'element') {
      if (PRESERVE.has(child.tagName)) current.push({ node: { type: 'text', value: toString(child) }, fixed: true, depth: depth + 1 });
      else if (BOUNDARY.has(child.tagName)) current.push(null);
      else if (BLOCKS.has(child.tagName)) {
        current.push(null);
        const inner: Piece[] = [];
        out.push(inner);
        collect(child, out, inner, 0);
      } else collect(child, out, current, depth + 1);
    }
  }
}

/** The author's boundaries written on one line: how many have one space, how many none. */
function count(runs: readonly Piece[][]): { space: number; none: number } {
  let space = 0;
  let none = 0;
  for (const run of runs) {
    // Code counts as a word at its edges only: what is inside it is not the author's spacing.
    const text = run
      .map((piece) => (piece === null ? '\u0000' : piece.fixed ? [...piece.node.value].filter((_, i, all) => i === 0 || i === all.length - 1).join('') : piece.node.value))
      .join('');
    for (const m of text.matchAll(PAIR)) {
      const gap = m[2] ?? m[4] ?? '';
      if (gap === '') none++;
      else if (gap === ' ') space++;
    }
  }
  return { space, none };
}

/**
 * Applies `convention` to every boundary of a run; returns the text node of each boundary it
 * changed. Spaces are added to or taken from text nodes, never from code.
 */
function apply(run: readonly Piece[], convention: CjkLatinSpacing): Text[] {
  const changed: Text[] = [];
  const wanted = convention === 'space' ? ' ' : '';
  for (const piece of run) {
    if (!piece || piece.fixed) continue;
    const node = piece.node;
    node.value = node.value.replace(PAIR, (match, a?: string, gapA?: string, c?: string, gapC?: string) => {
      const gap = gapA ?? gapC ?? '';
      if (gap === wanted) return match;
      changed.push(node);
      return `${a ?? c ?? ''}${wanted}`;
    });
  }
  // Across pieces (an element's edge): the last character of one and the first of the next.
  for (let i = 0; i + 1 < run.length; i++) {
    const left = run[i];
    const right = run[i + 1];
    if (!left || !right) continue;
    const leftTrimmed = left.node.value.replace(/[ \t\r\n]+$/, '');
    const rightTrimmed = right.node.value.replace(/^[ \t\r\n]+/, '');
    if (!isPair(leftTrimmed.at(-1), [...rightTrimmed][0])) continue;
    const gap = left.node.value.slice(leftTrimmed.length) + right.node.value.slice(0, right.node.value.length - rightTrimmed.length);
    if (gap === wanted) continue;
    // The space goes outside an element: into the text nearer the block (the left one on a tie).
    const intoLeft = !left.fixed && (right.fixed || left.depth <= right.depth);
    if (!left.fixed) left.node.value = leftTrimmed + (intoLeft ? wanted : '');
    if (!right.fixed) right.node.value = (intoLeft ? '' : wanted) + rightTrimmed;
    if (left.fixed && right.fixed) continue;
    changed.push(intoLeft ? left.node : right.node);
  }
  return changed;
}

export default function rehypeCjkLatinSpacing() {
  return (tree: Root, file: VFile): void => {
    const runs: Piece[][] = [];
    const top: Piece[] = [];
    runs.push(top);
    collect(tree, runs, top);
    const { space, none } = count(runs);
    if (space === 0 && none === 0) return;
    const convention: CjkLatinSpacing = space > none ? 'space' : 'none';
    file.data.cjkLatinSpacing = convention;
    const changed = runs.flatMap((run) => apply(run, convention));
    if (changed.length > 0) {
      const how = convention === 'space' ? 'a space' : 'no space';
      const place = changed.find((node) => node.position)?.position;
      diagnose(file, 'cjk-latin-spacing', `Put ${how} between CJK and Latin text in ${changed.length} place${changed.length === 1 ? '' : 's'}, as the article does at ${Math.max(space, none)} of ${space + none} such places`, place);
    }
  };
}
