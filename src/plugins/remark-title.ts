/**
 * Takes the article title out of the body: the leading H1 becomes the title
 * (unless front matter has one), repeated copies of it are dropped, and any
 * later, different H1 is demoted to H2. Renderers print the title from meta.
 */
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { diagnose } from '../diagnostics/rules.js';

export interface TitleOptions {
  /** Depth that later H1s are demoted to. */
  demoteTo?: 2 | 3 | 4 | 5 | 6;
}

const normalise = (value: string): string => value.replace(/\s+/g, '').normalize('NFKC');

export default function remarkTitle(options: TitleOptions = {}) {
  const demoteTo = options.demoteTo ?? 2;
  return (tree: Root, file: VFile): void => {
    const meta = (file.data.meta ??= {});
    const fmTitle = file.data.frontMatter?.title;
    const first = tree.children.findIndex((node) => node.type !== 'yaml' && node.type !== 'definition' && node.type !== 'html');
    const lead = tree.children[first];
    let title = fmTitle;

    if (lead?.type === 'heading' && lead.depth === 1) {
      const text = toString(lead).trim();
      if (title === undefined || normalise(title) === normalise(text)) {
        title ??= text;
        tree.children.splice(first, 1);
        if (fmTitle !== undefined) {
          diagnose(file, 'duplicate-title', 'Dropped the leading heading: it repeats the front-matter title', lead.position);
        }
      }
    }

    if (title !== undefined) {
      meta.title = title;
      // Drop copies of the title that follow directly (clippers often repeat it).
      for (;;) {
        const index = tree.children.findIndex((node) => node.type !== 'yaml' && node.type !== 'definition' && node.type !== 'html');
        const next = tree.children[index];
        if (next?.type !== 'heading' || next.depth !== 1 || normalise(toString(next)) !== normalise(title)) break;
        tree.children.splice(index, 1);
        diagnose(file, 'duplicate-title', 'Dropped a repeated title heading', next.position);
      }
    }

    visit(tree, 'heading', (node) => {
      if (node.depth === 1) demote(node, demoteTo, file);
    });
  };
}

function demote(node: Heading, depth: 2 | 3 | 4 | 5 | 6, file: VFile): void {
  node.depth = depth;
  diagnose(file, 'heading-demoted', `Demoted a second top-level heading to level ${depth}: the article has one title`, node.position);
}
