/**
 * Removes raw HTML from the Markdown (Imprint renders Markdown only, unless html.allowRawHtml
 * is on: then the HTML is kept, parsed by rehype-raw and sanitized by rehype-sanitize-input) and
 * reports each removal; HTML comments go silently.
 */
import type { Html, Root } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { printable } from './lib/url-policy.js';

export interface DropRawHtmlOptions {
  /** Keep raw HTML in the tree (a later sanitizer must handle it). */
  keep?: boolean;
}

export default function remarkDropRawHtml(options: DropRawHtmlOptions = {}) {
  return (tree: Root, file: VFile): void => {
    if (options.keep) return;
    visit(tree, 'html', (node: Html, index, parent) => {
      if (parent === undefined || index === undefined) return;
      parent.children.splice(index, 1);
      if (!/^\s*<!--[\s\S]*-->\s*$/.test(node.value)) {
        const shown = printable(node.value.trim().replace(/\s+/g, ' '));
        file.message(`Removed raw HTML \`${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown}\` (html.allowRawHtml is off)`, {
          place: node.position,
          ruleId: 'raw-html',
          source: 'imprint',
        });
      }
      return [SKIP, index];
    });
  };
}
