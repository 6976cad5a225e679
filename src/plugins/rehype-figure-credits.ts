/**
 * Splits a trailing credit (图自…, 图源：…, …摄, 摄影：…, 来源：…, Photo: …,
 * Source: …) out of each figure caption into its own
 * `<span class="credit">`, placed after `<span class="caption">`.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import { firstChar, lastChar, separator } from './lib/cjk.js';
import { findCredit } from './lib/credit.js';
import type { CreditSplit } from './lib/credit.js';
import { hasClass, isElement, text, walk } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

export interface FigureCreditsOptions {
  /** Finds the credit in a caption's text. */
  find?: (caption: string) => CreditSplit | undefined;
}

export default function rehypeFigureCredits(options: FigureCreditsOptions = {}) {
  const find = options.find ?? findCredit;
  return (tree: Root, file: VFile): void => {
    walk(tree, (node) => {
      if (!isElement(node, 'figcaption')) return;
      const index = node.children.findIndex((child) => hasClass(child, 'caption'));
      const caption = node.children[index];
      if (!isElement(caption) || node.children.some((child) => hasClass(child, 'credit'))) return;
      const split = find(toString(caption));
      if (!split) return;
      const before = sliceChildren(caption.children, 0, split.captionEnd);
      const credit = sliceChildren(caption.children, split.creditStart, split.creditEnd);
      if (!before || !credit) return;
      const creditSpan: Element = { type: 'element', tagName: 'span', properties: { className: ['credit'] }, children: credit };
      const parts: ElementContent[] = [];
      if (toString({ type: 'root', children: before }).trim()) {
        caption.children = before;
        parts.push(caption);
        // A real separator between caption and credit (an ideographic space in CJK text), not
        // only the style sheet's gap: copied and spoken text keeps the boundary.
        parts.push(text(separator(lastChar(toString(caption)), firstChar(toString(creditSpan)))));
      }
      parts.push(creditSpan);
      node.children.splice(index, 1, ...parts);
      diagnose(file, 'credit-split', `Split the credit “${toString(creditSpan)}” out of the caption`, caption.position ?? node.position);
    });
  };
}

/**
 * Children covering the text range [start, end). Text nodes are cut; an
 * element may only be taken whole. Returns undefined when the range would cut
 * through an element.
 */
function sliceChildren(children: readonly ElementContent[], start: number, end: number): ElementContent[] | undefined {
  const out: ElementContent[] = [];
  let offset = 0;
  for (const child of children) {
    const value = toString(child);
    const from = offset;
    const to = offset + value.length;
    offset = to;
    if (to <= start || from >= end) continue;
    if (child.type === 'text') {
      out.push({ ...child, value: child.value.slice(Math.max(0, start - from), Math.min(value.length, end - from)) });
    } else if (from >= start && to <= end) {
      out.push(child);
    } else {
      return undefined;
    }
  }
  return out;
}
