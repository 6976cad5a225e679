/**
 * Puts the resolved asset set into a copy of the article tree: each
 * `<img data-image-id>` gets the target's source and its intrinsic size, and
 * an image that could not be had becomes a framed placeholder of the same size
 * (its figure keeps caption and note). The placeholder says what is missing —
 * the image's alt text, or the caption right under it — and why, in the
 * article's language ("Image unavailable: refused by policy"), in the body
 * text's colour. Its accessible name holds both.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { AssetSet, ImageAsset, ImageRef, PlaceholderCause } from '../model.js';
import { stringsFor } from './strings.js';

export interface ApplyAssetsOptions {
  lang: string;
  /** Source for an image in this target (data: URI, asset URL, EPUB path…). */
  src: (asset: ImageAsset) => string;
  /** Use the screen version's size (true for HTML/EPUB, false for print). */
  screen: boolean;
  /** The article's images as the parse stage described them (rehype-image-alt). */
  images: readonly ImageRef[];
}

const span = (className: string, value: string): Element => ({ type: 'element', tagName: 'span', properties: { className: [className] }, children: [{ type: 'text', value }] });

/**
 * The frame: `shown` first (what is missing, unless the caption under it says so), then why; its
 * accessible name says both. Without a known size it fits its text instead of holding an empty
 * page-wide box.
 */
function placeholder(shown: string, description: string, id: string, reason: string, cause: PlaceholderCause | undefined, lang: string, size: { width: number; height: number } | undefined): Element {
  const strings = stringsFor(lang);
  const wide = /^(zh|ja)\b/i.test(lang);
  const label = cause ? `${strings.imageUnavailable}${wide ? '：' : ': '}${strings.imageCause[cause]}` : strings.imageUnavailable;
  const properties: Element['properties'] = {
    className: ['image-placeholder'],
    role: 'img',
    ariaLabel: description ? `${label}${wide ? '。' : '. '}${description}` : label,
    dataImageId: id,
    dataReason: reason,
  };
  if (size) properties['style'] = `aspect-ratio: ${size.width} / ${size.height}`;
  return {
    type: 'element',
    tagName: 'div',
    properties,
    children: [...(shown ? [span('image-placeholder-description', shown)] : []), span('image-placeholder-label', label)],
  };
}

/** The caption text of each figure's images, by image id (a placeholder without alt text shows it). */
function captions(tree: Root): Map<string, string> {
  const found = new Map<string, string>();
  visit(tree, 'element', (figure) => {
    if (figure.tagName !== 'figure') return;
    let caption = '';
    visit(figure, 'element', (node) => {
      const names = node.properties['className'];
      if (!caption && node.tagName === 'span' && Array.isArray(names) && names.includes('caption')) caption = toString(node).trim();
    });
    if (!caption) return;
    visit(figure, 'element', (node) => {
      if (node.tagName === 'img') found.set(String(node.properties['dataImageId'] ?? ''), caption);
    });
  });
  return found;
}

/** Returns a new tree; the article's own tree is left as it was. */
export function applyAssets(tree: Root, assets: AssetSet, options: ApplyAssetsOptions): Root {
  const copy = structuredClone(tree);
  const captionOf = captions(copy);
  const describedByCaption = new Set(options.images.filter((ref) => ref.description === 'caption').map((ref) => ref.id));
  visit(copy, 'element', (node, index, parent) => {
    if (node.tagName !== 'img' || parent === undefined || index === undefined) return;
    const id = String(node.properties['dataImageId'] ?? '');
    const alt = String(node.properties['alt'] ?? '');
    const resolved = assets.get(id);
    if (resolved?.kind === 'image') {
      const shown = options.screen && resolved.screen ? resolved.screen : resolved;
      node.properties['src'] = options.src(resolved);
      node.properties['width'] = shown.width;
      node.properties['height'] = shown.height;
      node.properties['alt'] = alt;
      return;
    }
    const size = resolved?.width && resolved.height ? { width: resolved.width, height: resolved.height } : undefined;
    const reason = resolved?.reason ?? 'not resolved';
    const caption = captionOf.get(id) ?? '';
    const description = alt.trim() || caption;
    // The caption right under the frame says what is missing: an image it describes (whose
    // alternative points to it, rehype-image-alt) shows only why it is missing.
    const shown = caption && describedByCaption.has(id) ? '' : description;
    parent.children[index] = placeholder(shown, description, id, reason, resolved?.cause, options.lang, size) as ElementContent;
  });
  return copy;
}
