/**
 * Sanitizes what the author wrote, right after Markdown (and, with html.allowRawHtml, raw HTML)
 * became a tree and before Imprint's plugins read it: active and embedding elements (script,
 * style, iframe, object, embed, link, svg, …) go with their content, unknown elements are
 * unwrapped, event handlers, style attributes, refused URLs and the author's own classes go.
 * Safe inline HTML (sup, sub, kbd, br, ruby/rt/rp, …) stays. Each removal is a warning; a
 * paragraph left empty by a removal goes too.
 */
import type { Element, Root, RootContent } from 'hast';
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize';
import type { VFile } from 'vfile';
import { findRemovals, reportRemovals } from './lib/sanitize-report.js';
import { inputSchema } from './lib/sanitize-schema.js';

export interface SanitizeInputOptions {
  /** What an article may contain (default: inputSchema). */
  schema?: Schema;
}

export default function rehypeSanitizeInput(options: SanitizeInputOptions = {}) {
  const schema = options.schema ?? inputSchema;
  const sanitize = rehypeSanitize(schema);
  return (tree: Root, file: VFile): Root => {
    const removals = findRemovals(tree, schema);
    if (removals.length === 0) return tree;
    reportRemovals(removals, file);
    const clean = sanitize(tree);
    dropEmptyParagraphs(clean);
    return clean;
  };
}

/** Markdown never writes an empty paragraph: one without content lost it to the sanitizer. */
function dropEmptyParagraphs(parent: Root | Element): void {
  const kept = (parent.children as RootContent[]).filter((child) => {
    if (child.type !== 'element') return true;
    dropEmptyParagraphs(child);
    return !(child.tagName === 'p' && child.children.every((c) => c.type === 'text' && c.value.trim() === ''));
  });
  if (kept.length !== parent.children.length) parent.children = kept as typeof parent.children;
}
