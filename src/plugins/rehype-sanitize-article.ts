/**
 * The last check before the article leaves the parse stage: the tree and every note are
 * sanitized with `articleSchema` (what an author may write plus Imprint's own structure:
 * figures, captions, credits, byline, rights notice, note references).
 *
 * Notes link only to public http(s) URLs (rehype-source-notes); should a note link with another
 * scheme get here all the same, it loses its link, and its text — the refused URL — is cut to the
 * scheme ("javascript:…"), with a warning at the image. Anything else this pass removes is
 * reported as unsafe HTML.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { findRemovals, reportRemovals } from './lib/sanitize-report.js';
import { articleSchema } from './lib/sanitize-schema.js';
import { checkLink, LINK_SCHEMES, shownUrl } from './lib/url-policy.js';
import { diagnose } from '../diagnostics/rules.js';

export interface SanitizeArticleOptions {
  /** What the article may contain (default: articleSchema). */
  schema?: Schema;
  /** Schemes a note link may use (relative links are always allowed). */
  schemes?: readonly string[];
}

export default function rehypeSanitizeArticle(options: SanitizeArticleOptions = {}) {
  const schema = options.schema ?? articleSchema;
  const schemes = options.schemes ?? LINK_SCHEMES;
  const sanitize = rehypeSanitize(schema);
  return (tree: Root, file: VFile): Root => {
    const removals = findRemovals(tree, schema);
    if (removals.length > 0) reportRemovals(removals, file);
    const clean = removals.length > 0 ? sanitize(tree) : tree;

    const images = file.data.images ?? [];
    // Note content has no position: a note about an image is reported at the image.
    const placeOf = (url: string | undefined): Position | undefined => images.find((image) => image.url === url)?.position;
    for (const note of file.data.notes ?? []) {
      const holder: Root = { type: 'root', children: note.content };
      unlinkRefused(holder, schemes, (href) => {
        const verdict = checkLink(href, schemes);
        diagnose(file, verdict.unsafe ? 'unsafe-link' : 'link-scheme', `Removed the link to a ${verdict.scheme ?? ''}: URL from a note${verdict.unsafe ? ' (unsafe)' : ''}: ${shownUrl(href)}`, placeOf(href));
      });
      const found = findRemovals(holder, schema);
      if (found.length > 0) {
        reportRemovals(found, file, (removal) => removal.node.position ?? placeOf(removal.value));
        note.content = sanitize(holder).children as ElementContent[];
      } else {
        note.content = holder.children as ElementContent[];
      }
    }
    return clean;
  };
}

/** Links with a refused URL become plain text; a link showing its own URL shows only the scheme. */
function unlinkRefused(parent: Root | Element, schemes: readonly string[], found: (href: string) => void): void {
  parent.children = (parent.children as ElementContent[]).flatMap((child): ElementContent[] => {
    if (child.type !== 'element') return [child];
    unlinkRefused(child, schemes, found);
    const href = child.properties['href'];
    if (child.tagName !== 'a' || typeof href !== 'string') return [child];
    const verdict = checkLink(href, schemes);
    if (verdict.allowed) return [child];
    found(href);
    if (toString(child).trim() === href.trim()) return [{ type: 'text', value: `${verdict.scheme ?? ''}:…` }];
    return child.children;
  }) as typeof parent.children;
}
