/**
 * Links in the document the PDF is printed from. A link to a file beside the article (a relative
 * URL, not a fragment: a local image's path in its note, a link to another Markdown file) leads
 * nowhere a reader of the PDF can follow, and Chromium would resolve it against the page server's
 * address of that load (https://imprint.invalid/d/<n>/…), which changes from build to build. Such a
 * link becomes its text. (A book's links to its own chapters are fragments by then.)
 */
import type { Element, ElementContent, Root } from 'hast';
import { isRelativeLink } from './in-book.js';

/** Unwraps every <a> with a relative href under `root`, in place. */
export function unlinkRelative(root: Root | Element): void {
  const visit = (parent: Root | Element): void => {
    const children: Array<Root['children'][number]> = [];
    for (const child of parent.children) {
      if (child.type === 'element') {
        visit(child);
        const href = child.properties['href'];
        if (child.tagName === 'a' && typeof href === 'string' && isRelativeLink(href.trim())) {
          children.push(...(child.children as ElementContent[]));
          continue;
        }
      }
      children.push(child);
    }
    parent.children = children as typeof parent.children;
  };
  visit(root);
}
