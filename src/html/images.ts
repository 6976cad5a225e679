/**
 * Puts the resolved asset set into a copy of the article tree: each
 * `<img data-image-id>` gets the target's source and its intrinsic size, and
 * an image that could not be had becomes a framed placeholder of the same size
 * (its figure keeps caption and note).
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { AssetSet, ImageAsset } from '../model.js';
import { stringsFor } from './strings.js';

export interface ApplyAssetsOptions {
  lang: string;
  /** Source for an image in this target (data: URI, asset URL, EPUB path…). */
  src: (asset: ImageAsset) => string;
  /** Use the screen version's size (true for HTML/EPUB, false for print). */
  screen: boolean;
}

// Size unknown (nothing could be read of the image): a compact frame rather than a page-sized hole.
const DEFAULT_PLACEHOLDER = { width: 5, height: 2 };

function placeholder(alt: string, id: string, reason: string, lang: string, size: { width: number; height: number }): Element {
  const label = stringsFor(lang).imageUnavailable;
  return {
    type: 'element',
    tagName: 'div',
    properties: {
      className: ['image-placeholder'],
      role: 'img',
      ariaLabel: alt ? `${label}: ${alt}` : label,
      dataImageId: id,
      dataReason: reason,
      style: `aspect-ratio: ${size.width} / ${size.height}`,
    },
    children: [{ type: 'element', tagName: 'span', properties: { className: ['image-placeholder-label'] }, children: [{ type: 'text', value: label }] }],
  };
}

/** Returns a new tree; the article's own tree is left as it was. */
export function applyAssets(tree: Root, assets: AssetSet, options: ApplyAssetsOptions): Root {
  const copy = structuredClone(tree);
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
    const size = resolved?.width && resolved.height ? { width: resolved.width, height: resolved.height } : DEFAULT_PLACEHOLDER;
    const reason = resolved?.reason ?? 'not resolved';
    parent.children[index] = placeholder(alt, id, reason, options.lang, size) as ElementContent;
  });
  return copy;
}
