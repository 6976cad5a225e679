/**
 * Soft line breaks inside running text. CommonMark keeps them as "\n", which
 * a browser shows as a space; between Chinese or Japanese characters that
 * space is wrong. A break (and the spaces around it) becomes nothing when the
 * character before or after it is wide (Han, kana, CJK/fullwidth punctuation),
 * and one space otherwise. See docs/cjk-line-breaks.md.
 */
import type { Element, Nodes, Root, Text } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import { breakReplacement, firstChar, joinSoftBreaks, lastChar } from './lib/cjk.js';
import { diagnose } from '../diagnostics/rules.js';

export interface CjkLineBreaksOptions {
  /** Elements whose text is left alone. */
  preserve?: readonly string[];
  /** Elements that interrupt running text (the break next to them is left alone). */
  boundaries?: readonly string[];
}

const PRESERVE = ['pre', 'code', 'kbd', 'samp', 'script', 'style', 'textarea'];
const BOUNDARIES = ['br', 'img', 'hr', 'input'];
const BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'td', 'th', 'figcaption', 'caption', 'blockquote', 'summary']);
const BREAK = /[ \t]*\r?\n[ \t]*/g;

/** A run of text inside one block, in order; null marks a boundary. Fixed text (code) is read, never changed. */
type Run = Array<{ node: Text; fixed: boolean } | null>;

export default function rehypeCjkLineBreaks(options: CjkLineBreaksOptions = {}) {
  const preserve = new Set(options.preserve ?? PRESERVE);
  const boundaries = new Set(options.boundaries ?? BOUNDARIES);
  return (tree: Root, file: VFile): void => {
    const visitBlock = (block: Element): void => {
      const run: Run = [];
      collect(block, run);
      if (joinRun(run) > 0) {
        diagnose(file, 'cjk-line-break', 'Joined soft line breaks in this paragraph (no space between CJK characters)', block.position);
      }
    };
    const collect = (node: Element, run: Run): void => {
      joinAttributes(node);
      for (const child of node.children) {
        if (child.type === 'text') run.push({ node: child, fixed: false });
        else if (child.type === 'element') {
          if (child.tagName === 'pre' || boundaries.has(child.tagName)) {
            joinAttributes(child);
            run.push(null);
          } else if (preserve.has(child.tagName)) {
            run.push({ node: { type: 'text', value: toString(child) }, fixed: true });
          }
          else if (BLOCKS.has(child.tagName)) {
            run.push(null);
            visitBlock(child);
          } else collect(child, run);
        }
      }
    };
    const visitNode = (node: Nodes): void => {
      if (node.type !== 'element' && node.type !== 'root') return;
      for (const child of node.children) {
        if (child.type !== 'element' || preserve.has(child.tagName)) continue;
        if (BLOCKS.has(child.tagName)) visitBlock(child);
        else visitNode(child);
      }
    };
    visitNode(tree);
  };
}

/** Titles and alt text wrap like running text. */
function joinAttributes(node: Element): void {
  for (const key of ['title', 'alt']) {
    const value = node.properties[key];
    if (typeof value === 'string' && value.includes('\n')) node.properties[key] = joinSoftBreaks(value);
  }
}

/** Replaces breaks in a run; returns how many it changed. */
function joinRun(run: Run): number {
  let changed = 0;
  run.forEach((entry, i) => {
    if (entry === null || entry.fixed || !entry.node.value.includes('\n')) return;
    const node = entry.node;
    node.value = node.value.replace(BREAK, (match, offset: number, whole: string) => {
      const before = lastChar(whole.slice(0, offset)) ?? neighbour(run, i, -1);
      const after = firstChar(whole.slice(offset + match.length)) ?? neighbour(run, i, 1);
      if (before === undefined || after === undefined) return match;
      const replacement = breakReplacement(before, after);
      if (replacement === '') changed++;
      return replacement;
    });
  });
  return changed;
}

/** The nearest character before (-1) or after (1) text node i, stopping at boundaries. */
function neighbour(run: Run, i: number, step: -1 | 1): string | undefined {
  for (let j = i + step; j >= 0 && j < run.length; j += step) {
    const entry = run[j];
    if (entry === null || entry === undefined) return undefined;
    const value = step === -1 ? entry.node.value.trimEnd() : entry.node.value.trimStart();
    if (value) return step === -1 ? lastChar(value) : firstChar(value);
  }
  return undefined;
}
