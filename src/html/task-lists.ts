/**
 * The web page's task lists (GFM `- [x] …`): each item's checkbox is labelled by the item's text,
 * the native way — the box and the words after it in one <label> — so a screen reader names the
 * checkbox ("measured the harbour, checkbox, checked") instead of announcing an unnamed control.
 * The PDF prints the box as it is, and the EPUB shows it as a character (src/epub/chapter.ts).
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

/** Elements that end the item's first line: a nested list, a paragraph, any other block. */
const BLOCK = new Set(['ul', 'ol', 'p', 'div', 'pre', 'blockquote', 'table', 'figure', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'section']);

const isCheckbox = (node: ElementContent | undefined): boolean =>
  node?.type === 'element' && node.tagName === 'input' && node.properties['type'] === 'checkbox';

const firstElement = (parent: Element): Element | undefined => parent.children.find((child): child is Element => child.type === 'element');

/** Wraps the checkbox and the phrasing content after it in a <label> (in place). */
function label(parent: Element): void {
  const start = parent.children.findIndex(isCheckbox);
  if (start < 0) return;
  let end = start + 1;
  while (end < parent.children.length) {
    const child = parent.children[end] as ElementContent;
    if (child.type === 'element' && BLOCK.has(child.tagName)) break;
    end++;
  }
  const wrapped: Element = { type: 'element', tagName: 'label', properties: {}, children: parent.children.slice(start, end) };
  parent.children.splice(start, end - start, wrapped);
}

export function labelTaskCheckboxes(tree: Root): void {
  visit(tree, 'element', (node) => {
    if (node.tagName !== 'li') return;
    // A tight list item holds the box itself; a loose one holds it in its first paragraph.
    const first = firstElement(node);
    if (isCheckbox(first)) label(node);
    else if (first?.tagName === 'p' && isCheckbox(firstElement(first))) label(first);
  });
}
