/**
 * Gives every image the text alternative all three outputs use (the web page, the PDF's /Alt and
 * the EPUB), decided once, in the article's language:
 *
 *   - alt text written by the author is kept, unless it only repeats the figure's caption;
 *   - an image in a captioned figure whose alt text is empty (or repeats the caption) gets a short
 *     alternative that names it and points to the caption, "Image 3, described in its caption",
 *     so that a screen reader reads the caption once, not twice (a non-empty alt, as the DIAGRAM
 *     Center's image guidelines for EPUB 3 advise for figures whose caption describes the image;
 *     an empty alt would hide an informative picture);
 *   - an image with neither alt text nor a caption is "Image 3": readers learn that a picture is
 *     there, and the author is warned that it is not described (`image-no-alt`).
 *
 * The number is the image's number in the document (img-N). Records each image's alternative and
 * what describes it in `file.data.images`, and how many images nothing describes in
 * `file.data.accessibility`. Runs after
 * rehype-figure-credits (a caption's credit is not part of what describes the image) and
 * rehype-detect-lang (the words are the article's language).
 */
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { stringsFor } from '../html/strings.js';
import { hasClass, isElement, readableText, walk } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

const collapse = (value: string): string => value.replace(/\s+/g, ' ').trim();

/** The caption that describes the figure's images: its caption span, without credit and note marks. */
function captionOf(figure: Element): string {
  const figcaption = figure.children.find((child): child is Element => isElement(child, 'figcaption'));
  const caption = figcaption?.children.find((child): child is Element => hasClass(child, 'caption'));
  return caption ? collapse(readableText(caption)) : '';
}

/**
 * Alt text that says nothing the caption does not: the same words (in any case), the caption and
 * more, or most of the caption. A short alt that is only a word of a longer caption ("Left" under
 * "Left and right") still tells the images of a group apart, and is kept.
 */
export function repeatsCaption(alt: string, caption: string): boolean {
  const a = collapse(alt).toLowerCase();
  const c = collapse(caption).toLowerCase();
  if (a === '' || c === '') return false;
  return a.includes(c) || (c.includes(a) && [...a].length * 2 >= [...c].length);
}

export default function rehypeImageAlt() {
  return (tree: Root, file: VFile): void => {
    const strings = stringsFor(file.data.meta?.lang ?? '');
    const refs = new Map((file.data.images ?? []).map((ref) => [ref.id, ref]));
    /** The open figures, innermost last, with the images of each that now point to the caption. */
    const figures: Array<{ node: Element; fromEmpty: number; fromRepeat: number }> = [];
    let undescribed = 0;
    walk(
      tree,
      (node) => {
        if (!isElement(node)) return;
        if (node.tagName === 'figure') figures.push({ node, fromEmpty: 0, fromRepeat: 0 });
        if (node.tagName !== 'img') return;
        const id = String(node.properties['dataImageId'] ?? '');
        const number = /^img-(\d+)$/.exec(id)?.[1] ?? '?';
        const figure = figures.at(-1);
        const caption = figure ? captionOf(figure.node) : '';
        const alt = collapse(String(node.properties['alt'] ?? ''));
        const ref = refs.get(id);
        if (figure && caption !== '' && (alt === '' || repeatsCaption(alt, caption))) {
          node.properties['alt'] = strings.imageInCaption.replace('{n}', number);
          if (alt === '') figure.fromEmpty++;
          else figure.fromRepeat++;
          if (ref) Object.assign(ref, { alt: node.properties['alt'], description: 'caption' });
          return;
        }
        if (alt !== '') {
          node.properties['alt'] = alt;
          if (ref) Object.assign(ref, { alt, description: 'alt' });
          return;
        }
        node.properties['alt'] = strings.imageNumbered.replace('{n}', number);
        undescribed++;
        if (ref) Object.assign(ref, { alt: node.properties['alt'], description: 'none' });
        diagnose(
          file,
          'image-no-alt',
          `Image ${number} has neither alt text nor a caption: readers who cannot see it learn only that it is there (write ![what it shows](…) or a caption under it)`,
          node.position ?? figure?.node.position,
        );
      },
      (node) => {
        if (!isElement(node, 'figure')) return;
        const figure = figures.pop();
        if (!figure) return;
        const what = (count: number): string => (count === 1 ? 'an image' : `${count} images`);
        if (figure.fromEmpty > 0) {
          diagnose(file, 'alt-from-caption', `Gave ${what(figure.fromEmpty)} without alt text an alternative that points to the caption`, figure.node.position);
        }
        if (figure.fromRepeat > 0) {
          diagnose(file, 'alt-repeats-caption', `Replaced the alt text of ${what(figure.fromRepeat)} that repeats the caption with an alternative that points to it`, figure.node.position);
        }
      },
    );
    file.data.accessibility = { ...(file.data.accessibility ?? { contentProblems: 0 }), undescribedImages: undescribed };
  };
}
