/**
 * Gives every heading an id (a GitHub-style slug, which keeps CJK
 * characters) and lists the headings in `file.data.headings`.
 */
import GithubSlugger from 'github-slugger';
import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import type { Heading } from '../model.js';
import { walk } from './lib/hast.js';

export interface HeadingsOptions {
  /** Ids that headings must not take (they are prefixed with "h-"). */
  reserved?: RegExp;
  /** Id used when a heading's text gives an empty slug. */
  fallback?: string;
}

export default function rehypeHeadings(options: HeadingsOptions = {}) {
  const reserved = options.reserved ?? /^(?:note|noteref|img)-\d/;
  const fallback = options.fallback ?? 'section';
  return (tree: Root, file: VFile): void => {
    const slugger = new GithubSlugger();
    const headings: Heading[] = [];
    walk(tree, (node) => {
      if (node.type !== 'element') return;
      const match = /^h([1-6])$/.exec(node.tagName);
      if (!match) return;
      const value = toString(node).trim();
      let id = typeof node.properties['id'] === 'string' && node.properties['id'] ? node.properties['id'] : slugger.slug(value) || slugger.slug(fallback);
      if (reserved.test(id)) id = slugger.slug(`h-${id}`);
      node.properties['id'] = id;
      headings.push({ depth: Number(match[1]), id, text: value });
    });
    file.data.headings = headings;
  };
}
