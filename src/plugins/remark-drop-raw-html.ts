/**
 * Removes raw HTML from the Markdown (Imprint renders Markdown only) and
 * reports each removal; HTML comments go silently.
 */
import type { Html, Root } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

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
        file.message(`Removed raw HTML \`${node.value.trim().slice(0, 40)}\``, { place: node.position, ruleId: 'raw-html', source: 'imprint' });
      }
      return [SKIP, index];
    });
  };
}
