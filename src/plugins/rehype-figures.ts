/**
 * Turns image paragraphs into figures. An image paragraph followed by an
 * italic-only paragraph (or with the italic text in the same paragraph)
 * becomes `<figure class="figure">` with `<figcaption><span class="caption">`.
 * The images of one paragraph — consecutive image-only lines, joined by line
 * breaks or not — form one `figure figure-group` with the caption under them;
 * an image paragraph further down is a figure of its own, never part of the
 * group. Only a caption that names its images' positions (左/右, 上/下, the four
 * corners, left/right, top/bottom) also takes the image paragraphs right above
 * its own, as many as it names; a caption that names none describes its own
 * paragraph's images alone. `![alt](src "title")` uses the title as its
 * caption (rehype-image-alt later gives each image its text alternative).
 * Every image gets `data-image-id="img-N"` and is listed in
 * `file.data.images`.
 * A group whose caption names its images' positions gets the class figure-row,
 * figure-column or figure-grid, which the themes lay out (see
 * lib/figure-positions.ts).
 */
import type { Element, ElementContent, Parents, Root, RootContent } from 'hast';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import type { ImageRef } from '../model.js';
import { joinSoftBreaks } from './lib/cjk.js';
import { figureLayout } from './lib/figure-positions.js';
import { isElement, isWhitespaceText, plainText, significant, text, walk } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

export interface FiguresOptions {
  /** Tag names accepted as the caption wrapper. */
  captionTags?: readonly string[];
}

interface ImageParagraph {
  node: Element;
  images: Element[];
  caption?: ElementContent[];
}

export default function rehypeFigures(options: FiguresOptions = {}) {
  const captionTags = new Set(options.captionTags ?? ['em', 'i']);

  return (tree: Root, file: VFile): void => {
    const readImageParagraph = (node: RootContent | undefined): ImageParagraph | undefined => {
      if (!isElement(node, 'p')) return undefined;
      // Line breaks between the images of a paragraph (one image per line) are only layout.
      const children = significant(node.children).filter((child, index, all) => !(isElement(child, 'br') && asImage(all[index - 1]) !== undefined));
      const images: Element[] = [];
      let i = 0;
      for (let image = asImage(children[i]); image; image = asImage(children[++i])) images.push(image);
      if (images.length === 0) return undefined;
      if (i === children.length) return { node, images };
      const last = children[i];
      if (i === children.length - 1 && isElement(last) && captionTags.has(last.tagName)) {
        return { node, images, caption: last.children };
      }
      return undefined;
    };
    const readCaptionParagraph = (node: RootContent | undefined): ElementContent[] | undefined => {
      if (!isElement(node, 'p')) return undefined;
      const children = significant(node.children);
      const only = children[0];
      return children.length === 1 && isElement(only) && captionTags.has(only.tagName) ? only.children : undefined;
    };

    const processParent = (parent: Parents): void => {
      const out: RootContent[] = [];
      // Uncaptioned image paragraphs right above (only white space between): each a figure of its
      // own, unless a caption under them names their positions.
      let pending: ImageParagraph[] = [];
      const flush = (): void => {
        for (const item of pending) out.push(makeFigure([item], undefined, file, 'none'));
        pending = [];
      };
      /** The image paragraphs a caption stands under: its own, and those above when it names their positions. */
      const captioned = (item: ImageParagraph, caption: ElementContent[]): ImageParagraph[] => {
        const words = joinSoftBreaks(plainText({ type: 'element', tagName: 'span', properties: {}, children: caption }));
        const count = (items: ImageParagraph[]): number => items.reduce((sum, entry) => sum + entry.images.length, 0);
        let taken = 0;
        if (figureLayout(words, item.images.length) === undefined) {
          for (let k = 1; k <= pending.length; k++) {
            if (figureLayout(words, count([...pending.slice(pending.length - k), item])) !== undefined) {
              taken = k;
              break;
            }
          }
        }
        const joined = pending.slice(pending.length - taken);
        pending = pending.slice(0, pending.length - taken);
        flush();
        return [...joined, item];
      };
      const children = parent.children;
      for (let i = 0; i < children.length; i++) {
        const child = children[i];
        if (child === undefined) continue;
        const item = readImageParagraph(child as RootContent);
        if (!item) {
          if (isWhitespaceText(child) && pending.length > 0) continue;
          flush();
          out.push(child);
          continue;
        }
        // One paragraph, one figure: its caption is in it or right under it.
        if (item.caption) {
          out.push(makeFigure(captioned(item, item.caption), item.caption, file, 'inline'));
          continue;
        }
        const nextIndex = nextSignificant(children, i + 1);
        const caption = readCaptionParagraph(children[nextIndex] as RootContent | undefined);
        if (caption) {
          out.push(makeFigure(captioned(item, caption), caption, file, 'paragraph', children[nextIndex] as Element));
          i = nextIndex;
          continue;
        }
        const titled = item.images.some((image) => typeof image.properties['title'] === 'string');
        if (titled) {
          flush();
          out.push(makeFigure([item], undefined, file, 'title'));
          continue;
        }
        pending.push(item);
      }
      flush();
      if (out.some((child) => isElement(child, 'figure'))) {
        // One line break between blocks, as remark-rehype writes them.
        const blocks = out.filter((child) => !isWhitespaceText(child));
        out.length = 0;
        blocks.forEach((block, i) => out.push(...(i > 0 ? [text('\n'), block] : [block])));
        if (parent.type === 'element' && blocks.length > 0) out.splice(0, 0, text('\n')), out.push(text('\n'));
      }
      parent.children = out as typeof parent.children;
      for (const child of parent.children) {
        if (child.type === 'element' && child.tagName !== 'figure' && child.tagName !== 'p' && child.tagName !== 'pre') processParent(child);
      }
    };
    processParent(tree);

    // Number every image in document order.
    const images: ImageRef[] = [];
    walk(tree, (node) => {
      if (!isElement(node, 'img')) return;
      const id = `img-${images.length + 1}`;
      const src = typeof node.properties['src'] === 'string' ? node.properties['src'] : '';
      const alt = typeof node.properties['alt'] === 'string' ? node.properties['alt'] : '';
      node.properties = { dataImageId: id, src, alt, ...withoutKeys(node.properties, ['src', 'alt', 'dataImageId']) };
      const ref: ImageRef = { id, url: src, alt };
      if (node.position) ref.position = node.position;
      images.push(ref);
    });
    file.data.images = images;
  };
}

/**
 * An image, or a link around nothing but an image (a clipper's linked
 * picture): the link is unwrapped and its URL kept as data-link-href, so the
 * figure's note can show it.
 */
function asImage(node: ElementContent | undefined): Element | undefined {
  if (node?.type !== 'element') return undefined;
  if (node.tagName === 'img') return node;
  if (node.tagName !== 'a') return undefined;
  const inner = significant(node.children);
  const image = inner[0];
  if (inner.length !== 1 || !isElement(image, 'img')) return undefined;
  const href = node.properties['href'];
  if (typeof href === 'string' && href !== '') image.properties['dataLinkHref'] = href;
  return image;
}

function nextSignificant(children: readonly unknown[], from: number): number {
  let i = from;
  while (i < children.length && isWhitespaceText(children[i] as RootContent)) i++;
  return i;
}

type CaptionSource = 'inline' | 'paragraph' | 'title' | 'none';

function makeFigure(items: ImageParagraph[], caption: ElementContent[] | undefined, file: VFile, from: CaptionSource, captionNode?: Element): Element {
  const images = items.flatMap((item) => item.images);
  let captionChildren = caption;
  if (from === 'title') {
    const titles = images.map((image) => image.properties['title']).filter((t): t is string => typeof t === 'string' && t.trim() !== '');
    captionChildren = titles.length ? [text(joinSoftBreaks(titles.join(' ')))] : undefined;
  }
  for (const image of images) delete image.properties['title'];

  const layout = images.length > 1 && captionChildren ? figureLayout(joinSoftBreaks(plainText({ type: 'element', tagName: 'span', properties: {}, children: captionChildren })), images.length) : undefined;
  const figure: Element = {
    type: 'element',
    tagName: 'figure',
    properties: { className: images.length > 1 ? ['figure', 'figure-group', ...(layout ? [`figure-${layout}`] : [])] : ['figure'] },
    children: [...images],
  };
  const first = items[0]?.node.position;
  const last = (captionNode ?? items[items.length - 1]?.node)?.position;
  const position: Position | undefined = first && last ? { start: first.start, end: last.end } : undefined;
  if (position) figure.position = position;
  if (captionChildren && captionChildren.length) {
    const span: Element = { type: 'element', tagName: 'span', properties: { className: ['caption'] }, children: captionChildren };
    const figcaption: Element = { type: 'element', tagName: 'figcaption', properties: {}, children: [span] };
    const captionPosition = captionNode?.position ?? items[items.length - 1]?.node.position;
    if (captionPosition) figcaption.position = captionPosition;
    figure.children.push(figcaption);
  }

  const what = images.length > 1 ? `${images.length} images` : 'an image';
  const reason =
    from === 'inline' || from === 'paragraph'
      ? `Made ${what} and the italic caption ${from === 'inline' ? 'that follows it' : 'in the next paragraph'} into a figure${images.length > 1 ? ' group' : ''}`
      : from === 'title'
        ? `Made ${what} into a figure captioned with the image title`
        : `Made ${what} into a figure without a caption`;
  diagnose(file, from === 'none' ? 'figure' : 'figure-caption', reason, position);
  if (images.some((image) => image.properties['dataLinkHref'] !== undefined)) {
    diagnose(file, 'linked-image', 'Unwrapped the link around an image in a figure; its URL goes to the figure’s note', position);
  }
  return figure;
}

function withoutKeys(properties: Element['properties'], keys: readonly string[]): Element['properties'] {
  const out: Element['properties'] = {};
  for (const [key, value] of Object.entries(properties)) if (!keys.includes(key)) out[key] = value;
  return out;
}
