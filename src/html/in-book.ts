/**
 * A chapter's rendered <article> made fit to stand in one HTML document with the other chapters
 * of its book (the web page, and the document the PDF is printed from):
 *
 *  - its ids get the chapter's prefix ("c2-"), and so do the links, labels and image ids that
 *    refer to them: every chapter numbers its notes from 1 and may name its headings alike;
 *  - its headings go one level down (the book's title is the one h1; a chapter's title is an h2);
 *  - a relative link to another chapter of the book points to that chapter in the document.
 *
 * The article's own tree is not touched: this works on the copy the renderer made.
 */
import type { Element } from 'hast';

export interface InBookOptions {
  /** Prefix of the chapter's ids, e.g. "c2-". */
  prefix: string;
  /** Levels headings go down (0–5); a heading never goes below h6. */
  shift: number;
  /** Where a relative link leads inside the book ("#c3-title"), or undefined to leave it as it is. */
  link?: ((href: string) => string | undefined) | undefined;
}

const HEADING = /^h([1-6])$/;
/** Properties that hold one id, or a list of ids. */
const ID_LISTS = ['ariaLabelledBy', 'ariaDescribedBy', 'ariaControls', 'ariaOwns', 'htmlFor', 'headers'] as const;

/** True for a link that names a file beside the document (no scheme, no fragment only, not protocol-relative). */
export function isRelativeLink(href: string): boolean {
  return href !== '' && !href.startsWith('#') && !href.startsWith('//') && !/^[a-z][a-z0-9+.-]*:/i.test(href);
}

/** Changes `el` and everything under it in place (see the module's header). */
export function fitIntoBook(el: Element, options: InBookOptions): Element {
  const { prefix } = options;
  const visit = (node: Element): void => {
    const props = node.properties;
    if (typeof props['id'] === 'string' && props['id'] !== '') props['id'] = `${prefix}${props['id']}`;
    if (typeof props['dataImageId'] === 'string') props['dataImageId'] = `${prefix}${props['dataImageId']}`;
    for (const key of ID_LISTS) {
      const value: unknown = props[key];
      if (Array.isArray(value)) props[key] = value.map((id) => `${prefix}${String(id)}`);
      else if (typeof value === 'string' && value !== '') (props as Record<string, unknown>)[key] = value.split(/\s+/).map((id) => `${prefix}${id}`).join(' ');
    }
    const href = props['href'];
    if (typeof href === 'string') {
      if (href.startsWith('#') && href.length > 1) props['href'] = `#${prefix}${href.slice(1)}`;
      else if (isRelativeLink(href)) {
        const target = options.link?.(href);
        if (target !== undefined) props['href'] = target;
      }
    }
    const level = HEADING.exec(node.tagName)?.[1];
    if (level && options.shift > 0) node.tagName = `h${Math.min(6, Number(level) + options.shift)}`;
    for (const child of node.children) if (child.type === 'element') visit(child);
  };
  visit(el);
  return el;
}
