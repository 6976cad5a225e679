/**
 * Completes `file.data.meta`: inferred values (title, byline, rights, lang)
 * overlaid with the front matter, which always wins; a description inferred
 * from the first paragraph when none is given; keywords default to [].
 */
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import type { ArticleMeta } from '../model.js';
import { hasClass, isElement, plainText, readableText } from './lib/hast.js';

export interface ArticleMetaOptions {
  /** Longest inferred description, in characters. */
  descriptionLength?: number;
}

const META_KEYS = ['title', 'subtitle', 'author', 'publisher', 'date', 'lang', 'source', 'rights', 'description', 'cover'] as const;

export default function rehypeArticleMeta(options: ArticleMetaOptions = {}) {
  const descriptionLength = options.descriptionLength ?? 150;
  return (tree: Root, file: VFile): void => {
    const meta: Partial<ArticleMeta> = { ...file.data.meta };
    const front = file.data.frontMatter ?? {};
    for (const key of META_KEYS) {
      const value = front[key];
      if (typeof value === 'string' && value !== '') meta[key] = value;
    }
    meta.keywords = front.keywords ?? meta.keywords ?? [];
    if (meta.description === undefined) {
      const first = tree.children.find((node) => isElement(node, 'p') && !hasClass(node, 'byline') && !hasClass(node, 'rights') && plainText(node) !== '');
      if (first) meta.description = truncate(readableText(first).trim().replace(/\s+/g, ' '), descriptionLength);
    }
    file.data.meta = meta;
  };
}

function truncate(value: string, length: number): string {
  const chars = Array.from(value);
  if (chars.length <= length) return value;
  let cut = chars.slice(0, length - 1).join('');
  // Do not end inside a Latin word.
  if (/[A-Za-z0-9]/.test(chars[length - 1] ?? '') && /[A-Za-z0-9]$/.test(cut)) cut = cut.replace(/\s+\S*$/, '');
  return cut.replace(/[\s,，、;；:：]+$/, '') + '…';
}
