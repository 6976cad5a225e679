/**
 * Finds what an article's author wrote that assistive technology cannot convey, and warns about
 * each (the author has to fix it: Imprint cannot know the missing words):
 *
 *   link-no-text        a link with no text (`[](https://…)`): a screen reader can only read its URL
 *   heading-empty       a heading with no text (`## ` alone on a line)
 *   heading-skipped     a heading more than one level below the one before it (## then ####);
 *                       the article's title is the level-1 heading every body heading follows
 *   table-header-empty  a table header cell with no text
 *
 * Changes nothing; counts the findings in `file.data.accessibility.contentProblems`. An EPUB
 * whose articles have any (or any image without a description, rehype-image-alt) claims no
 * conformance (src/epub/accessibility.ts). Runs last, on the tree the outputs get.
 */
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { hasClass, isElement, readableText, walk } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

/** Text or an image's alternative: what gives a link or a heading its name. */
function hasName(node: Element): boolean {
  if (readableText(node).trim() !== '') return true;
  let named = false;
  walk(node, (child) => {
    if (isElement(child, 'img') && String(child.properties['alt'] ?? '').trim() !== '') named = true;
  });
  return named;
}

export default function rehypeAuditAccessibility() {
  return (tree: Root, file: VFile): void => {
    let problems = 0;
    let level = 1;
    walk(tree, (node) => {
      if (!isElement(node)) return;
      const heading = /^h([1-6])$/.exec(node.tagName);
      if (heading) {
        const depth = Number(heading[1]);
        if (!hasName(node)) {
          problems++;
          diagnose(file, 'heading-empty', 'A heading without text: screen readers list it as an empty heading (remove it or give it words)', node.position);
        } else if (depth > level + 1) {
          problems++;
          diagnose(file, 'heading-skipped', `A level-${depth} heading after a level-${level} one: readers who move by headings miss a level (use ${'#'.repeat(level + 1)})`, node.position);
        }
        level = depth;
        return;
      }
      if (node.tagName === 'a' && typeof node.properties['href'] === 'string' && !hasClass(node, 'backlink') && !hasName(node)) {
        problems++;
        diagnose(file, 'link-no-text', `A link without text: a screen reader can only read its address (${node.properties['href']})`, node.position);
        return;
      }
      if (node.tagName === 'th' && !hasName(node)) {
        problems++;
        diagnose(file, 'table-header-empty', 'A table header cell without text: the column it heads has no name', node.position);
      }
    });
    file.data.accessibility = { ...(file.data.accessibility ?? { undescribedImages: 0 }), contentProblems: problems };
  };
}
