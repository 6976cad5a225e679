/**
 * A chapter's rendered <article> made fit to stand in one HTML document with the other chapters
 * of its book (the web page, and the document the PDF is printed from):
 *
 *  - its ids get the chapter's prefix ("c2-"), and so do the links, labels and image ids that
 *    refer to them: every chapter numbers its notes from 1 and may name its headings alike;
 *  - its headings go one level down (the book's title is the one h1; a chapter's title is an h2);
 *  - a link to another chapter of the book (marked by rehype-document-links as
 *    `<a data-document="name" data-fragment="…">`, see Publication in src/model.ts) points to
 *    that chapter in the document; links to other documents are left for resolveDocumentLinks.
 *
 * The article's own tree is not touched: this works on the copy the renderer made.
 */
import type { Element } from 'hast';

export interface InBookOptions {
  /** Prefix of the chapter's ids, e.g. "c2-". */
  prefix: string;
  /** Levels headings go down (0–5); a heading never goes below h6. */
  shift: number;
  /** Where a link to document `name` leads inside the book ("#c3", "#c3-part"), or undefined when it is not a chapter. */
  chapter?: ((name: string, fragment: string | undefined) => string | undefined) | undefined;
}

const HEADING = /^h([1-6])$/;
/** Properties that hold one id, or a list of ids. */
const ID_LISTS = ['ariaLabelledBy', 'ariaDescribedBy', 'ariaControls', 'ariaOwns', 'htmlFor', 'headers'] as const;

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
    if (typeof href === 'string' && href.startsWith('#') && href.length > 1) props['href'] = `#${prefix}${href.slice(1)}`;
    const name = props['dataDocument'];
    if (node.tagName === 'a' && typeof name === 'string') {
      const fragment = props['dataFragment'];
      const target = options.chapter?.(name, typeof fragment === 'string' ? fragment : undefined);
      if (target !== undefined) {
        props['href'] = target;
        delete props['dataDocument'];
        delete props['dataFragment'];
      }
    }
    const level = HEADING.exec(node.tagName)?.[1];
    if (level && options.shift > 0) node.tagName = `h${Math.min(6, Number(level) + options.shift)}`;
    for (const child of node.children) if (child.type === 'element') visit(child);
  };
  visit(el);
  return el;
}
