import type { Element, ElementContent, Nodes, Parents, Text } from 'hast';
import { toString } from 'hast-util-to-string';

export function isElement<T extends string>(node: Nodes | undefined, tagName?: T): node is Element & { tagName: T } {
  return node !== undefined && node.type === 'element' && (tagName === undefined || node.tagName === tagName);
}

export function hasClass(node: Nodes | undefined, className: string): boolean {
  if (!isElement(node)) return false;
  const value = node.properties['className'];
  return Array.isArray(value) && value.includes(className);
}

export function isWhitespaceText(node: Nodes | undefined): node is Text {
  return node !== undefined && node.type === 'text' && node.value.trim() === '';
}

export function text(value: string): Text {
  return { type: 'text', value };
}

/** Plain text of a node, whitespace collapsed at both ends. */
export function plainText(node: Nodes): string {
  return toString(node).trim();
}

/** Children without whitespace-only text nodes. */
export function significant(children: readonly ElementContent[]): ElementContent[] {
  return children.filter((child) => !isWhitespaceText(child));
}

/** Depth-first walk with enter and exit hooks, in document order. */
export function walk(
  node: Parents,
  enter: (node: ElementContent, parent: Parents) => void,
  exit?: (node: ElementContent, parent: Parents) => void,
): void {
  for (const child of [...node.children]) {
    if (child.type === 'doctype') continue;
    enter(child, node);
    if (child.type === 'element') walk(child, enter, exit);
    exit?.(child, node);
  }
}

/** Text a reader sees in the body, without note reference numbers. */
export function readableText(node: Nodes): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' && node.tagName === 'sup' && hasClass(node, 'noteref')) return '';
  if (node.type === 'element' || node.type === 'root') return node.children.map((child) => readableText(child)).join('');
  return '';
}

/**
 * Visits every link (`<a>`) under `parent`, innermost first, and unwraps those for which `unwrap`
 * returns true: the link goes, its children stay in its place. `unwrap` may change a link it keeps.
 */
export function unwrapLinks(parent: Parents, unwrap: (link: Element) => boolean): void {
  const out: Parents['children'][number][] = [];
  let changed = false;
  for (const child of parent.children) {
    if (child.type !== 'element') {
      out.push(child);
      continue;
    }
    unwrapLinks(child, unwrap);
    if (child.tagName === 'a' && unwrap(child)) {
      out.push(...child.children);
      changed = true;
    } else {
      out.push(child);
    }
  }
  if (changed) parent.children = out as typeof parent.children;
}
