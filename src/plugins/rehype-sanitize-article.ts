/**
 * The last check before the article leaves the parse stage: the tree and every note are
 * sanitized with `articleSchema` (what an author may write plus Imprint's own structure: figures,
 * captions, credits, byline, rights notice, note references). Nothing should be left to remove
 * after rehype-sanitize-input and Imprint's plugins; whatever is (for example a note linking an
 * image URL that is not http, https or mailto) is removed and reported.
 */
import type { Element, Root } from 'hast';
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize';
import type { VFile } from 'vfile';
import { findRemovals, reportRemovals } from './lib/sanitize-report.js';
import { articleSchema } from './lib/sanitize-schema.js';

export interface SanitizeArticleOptions {
  /** What the article may contain (default: articleSchema). */
  schema?: Schema;
}

export default function rehypeSanitizeArticle(options: SanitizeArticleOptions = {}) {
  const schema = options.schema ?? articleSchema;
  const sanitize = rehypeSanitize(schema);
  return (tree: Root, file: VFile): Root => {
    const removals = findRemovals(tree, schema);
    if (removals.length > 0) reportRemovals(removals, file);
    const clean = removals.length > 0 ? sanitize(tree) : tree;

    const images = file.data.images ?? [];
    for (const note of file.data.notes ?? []) {
      const holder: Root = { type: 'root', children: note.content };
      const found = findRemovals(holder, schema);
      if (found.length === 0) continue;
      // Note content has no position: a note that links an image's URL is reported at the image.
      reportRemovals(found, file, (removal) => removal.node.position ?? images.find((image) => image.url === removal.value)?.position);
      note.content = sanitize(holder).children as Element['children'];
    }
    return clean;
  };
}
