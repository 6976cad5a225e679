/**
 * Numbered notes, one numbering in order of first reference:
 * - each figure with a remote image: its credit (if any) and its images' original URLs (a figure
 *   with neither caption nor credit gets the note's label as its credit, "原图¹", so that the
 *   number does not stand alone under the picture);
 * - each remote image outside a figure: its URL;
 * - each external link: its URL (the link text stays in the tree);
 * - each GFM footnote (remark-rehype's footnote section is removed).
 * Notes name sources, not files: a local image (a path, file:, data:) gets no note — it is the
 * editor's file, not where the picture came from — and its credit stays in its caption. A URL
 * is a link in a note only when a reader can follow it (http or https to a public host, see
 * isPublicWebUrl); any other URL is shown as plain text (one that runs code, by its scheme alone).
 * In the tree a reference is
 *   <sup class="noteref"><a id="noteref-N" href="#note-N" role="doc-noteref">N</a></sup>
 * The note bodies go to `file.data.notes`.
 */
import type { Element, ElementContent, Parents, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import type { Note } from '../model.js';
import { isWide, lastChar } from './lib/cjk.js';
import { hasClass, isElement, isWhitespaceText, text, walk } from './lib/hast.js';
import { checkLink, isPublicWebUrl, urlScheme } from './lib/url-policy.js';

export interface SourceNotesOptions {
  /** Links whose URL matches get a source note (default: http, https, ftp and protocol-relative). */
  external?: RegExp;
  /** Label before the image URL(s) in a figure's note, per language (primary subtag; zh-hant for Traditional Chinese). */
  imageLabels?: Record<string, string>;
}

const EXTERNAL = /^(?:https?:|ftp:|\/\/)/i;
const IMAGE_LABELS: Record<string, string> = { zh: '原图：', 'zh-hant': '原圖：', ja: '元画像：', ko: '원본 이미지: ', en: 'Original image: ' };

export default function rehypeSourceNotes(options: SourceNotesOptions = {}) {
  const external = options.external ?? EXTERNAL;
  const labels = { ...IMAGE_LABELS, ...options.imageLabels };

  return (tree: Root, file: VFile): void => {
    const lang = file.data.meta?.lang ?? file.data.frontMatter?.lang ?? 'en';
    const primary = lang.toLowerCase().split('-')[0] ?? 'en';
    const wide = primary === 'zh' || primary === 'ja';
    // Traditional Chinese (Taiwan, Hong Kong, Macau) writes 圖, not 图.
    const traditional = primary === 'zh' && /^zh-(?:tw|hk|mo|hant)\b/i.test(lang);
    const imageLabel = (traditional ? labels['zh-hant'] : undefined) ?? labels[primary] ?? labels['en'] ?? 'Original image: ';

    const notes: Note[] = [];
    const byKey = new Map<string, Note>();
    const footnotes = takeFootnoteSection(tree);

    const reference = (key: string, kind: Note['kind'], content: () => ElementContent[]): Element => {
      let note = byKey.get(key);
      if (!note) {
        const number = notes.length + 1;
        note = { id: `note-${number}`, number, kind, refIds: [], content: content() };
        notes.push(note);
        byKey.set(key, note);
      }
      const refId = note.refIds.length === 0 ? `noteref-${note.number}` : `noteref-${note.number}-${note.refIds.length + 1}`;
      note.refIds.push(refId);
      return noteref(note, refId);
    };

    const insertAfter = (parent: Parents, node: ElementContent, inserted: Element): void => {
      const index = parent.children.indexOf(node as never);
      parent.children.splice(index + 1, 0, inserted as never);
    };

    let figureCount = 0;
    let figureDepth = 0;
    const pendingAfterLink = new Map<Element, Element[]>();
    walk(
      tree,
      (node, parent) => {
        if (!isElement(node)) return;
        if (node.tagName === 'figure') figureDepth++;
        // GFM footnote reference from remark-rehype: <sup><a data-footnote-ref href="#user-content-fn-x">.
        if (node.tagName === 'sup') {
          const link = node.children.find((child): child is Element => isElement(child, 'a') && child.properties['dataFootnoteRef'] !== undefined);
          const target = link && typeof link.properties['href'] === 'string' ? link.properties['href'].slice(1) : undefined;
          if (target !== undefined) {
            const definition = footnotes.get(target);
            const ref = reference(`footnote:${target}`, 'footnote', () => definition ?? [paragraph([text('')])]);
            parent.children.splice(parent.children.indexOf(node as never), 1, ref as never);
            node.children = [];
          }
        }
      },
      (node, parent) => {
        if (!isElement(node)) return;
        if (node.tagName === 'figure') figureDepth--;
        if (node.tagName === 'figure' && hasClass(node, 'figure')) {
          figureCount++;
          const images = node.children.filter((child): child is Element => isElement(child, 'img'));
          const remote = images.filter((image) => isRemoteSource(String(image.properties['src'] ?? '')));
          const links = images.map((image) => image.properties['dataLinkHref']).filter((href): href is string => typeof href === 'string' && isRemoteSource(href));
          // Only local images, not linked anywhere: nothing to name (a credit stays in the caption).
          if (remote.length === 0 && links.length === 0) return;
          let figcaption = node.children.find((child): child is Element => isElement(child, 'figcaption'));
          if (!figcaption) {
            figcaption = { type: 'element', tagName: 'figcaption', properties: {}, children: [] };
            node.children.push(figcaption);
          }
          const credit = figcaption.children.find((child): child is Element => hasClass(child, 'credit'));
          const ref = reference(`figure:${figureCount}`, 'source', () => figureNote(credit, remote, links, imageLabel, wide));
          // A figure with neither caption nor credit would show its note number alone under the
          // picture: the number follows the note's own label ("原图²", "Original image²"), as a credit.
          if (!credit && !figcaption.children.some((child) => hasClass(child, 'caption'))) {
            const label = imageLabel.replace(/[：:]\s*$/u, '');
            figcaption.children.push({ type: 'element', tagName: 'span', properties: { className: ['credit'] }, children: [text(label)] });
          }
          figcaption.children.push(ref);
        } else if (node.tagName === 'img' && figureDepth === 0) {
          const src = String(node.properties['src'] ?? '');
          if (!isRemoteSource(src)) return;
          const ref = reference(`image:${src}`, 'source', () => [paragraph([text(imageLabel), urlLink(src)])]);
          if (isElement(parent as ElementContent, 'a')) pendingAfterLink.set(parent as Element, [...(pendingAfterLink.get(parent as Element) ?? []), ref]);
          else insertAfter(parent, node, ref);
        } else if (node.tagName === 'a') {
          // References for images inside this link go after it (a link may not contain a link).
          let anchor: Element = node;
          for (const ref of pendingAfterLink.get(node) ?? []) {
            insertAfter(parent, anchor, ref);
            anchor = ref;
          }
          const href = typeof node.properties['href'] === 'string' ? node.properties['href'] : '';
          if (!external.test(href) || node.properties['dataFootnoteRef'] !== undefined) return;
          // A link in a figure credit is shown in the figure's own note.
          if (hasClass(parent as ElementContent, 'credit')) return;
          // An autolink shows its URL already.
          if (toString(node).trim() === href || `mailto:${toString(node).trim()}` === href) return;
          insertAfter(parent, anchor, reference(`link:${href}`, 'source', () => [paragraph([urlLink(href)])]));
        }
      },
    );

    file.data.notes = notes;
  };
}

function noteref(note: Note, refId: string): Element {
  return {
    type: 'element',
    tagName: 'sup',
    properties: { className: ['noteref'] },
    children: [
      {
        type: 'element',
        tagName: 'a',
        properties: { id: refId, href: `#${note.id}`, role: 'doc-noteref' },
        children: [text(String(note.number))],
      },
    ],
  };
}

function paragraph(children: ElementContent[]): Element {
  return { type: 'element', tagName: 'p', properties: {}, children };
}

/**
 * A URL as a note shows it: a link when a reader can follow it, else plain text (a refused or
 * local address, another scheme).
 */
function urlLink(url: string): ElementContent {
  if (!isPublicWebUrl(url)) {
    // A URL that runs code (javascript:, vbscript:) is named by its scheme alone: its text is a payload.
    const verdict = checkLink(url);
    return text(verdict.unsafe ? `${verdict.scheme ?? ''}:…` : url);
  }
  // A protocol-relative URL is read as https, also where the output is opened from a file.
  const href = url.startsWith('//') ? `https:${url}` : url;
  return { type: 'element', tagName: 'a', properties: { href }, children: [text(url)] };
}

/**
 * Whether an image URL (or a link around an image) names a source: anything with a scheme but
 * file: and data:, or protocol-relative. A path (relative, absolute, or a Windows drive path,
 * which reads as a one-letter scheme) is the editor's own file.
 */
function isRemoteSource(url: string): boolean {
  const value = url.trim();
  if (value === '') return false;
  if (/^[/\\]{2}/.test(value)) return true;
  const scheme = urlScheme(value);
  return scheme !== undefined && scheme.length > 1 && scheme !== 'file' && scheme !== 'data';
}

function figureNote(credit: Element | undefined, images: Element[], links: string[], label: string, wide: boolean): ElementContent[] {
  const children: ElementContent[] = [];
  if (credit) {
    for (const child of structuredClone(credit.children)) {
      children.push(child);
      // The note shows the URL of a link in the credit.
      const href = isElement(child, 'a') ? child.properties['href'] : undefined;
      if (typeof href === 'string' && toString(child).trim() !== href) {
        children.push(text(wide ? '（' : ' ('), urlLink(href), text(wide ? '）' : ')'));
      }
    }
    const last = lastChar(toString(credit).trim());
    const closed = last !== undefined && /[。．.！!？?]/.test(last);
    if (!closed) children.push(text(wide || isWide(last) ? '。' : '. '));
    else if (!wide) children.push(text(' '));
  }
  if (images.length > 0) children.push(text(label));
  images.forEach((image, i) => {
    if (i > 0) children.push(text(wide ? '、' : ', '));
    children.push(urlLink(String(image.properties['src'] ?? '')));
  });
  links.forEach((href, i) => {
    const first = images.length === 0 ? (wide ? '链接：' : 'Link: ') : wide ? '；链接：' : '; link: ';
    children.push(text(i > 0 ? (wide ? '、' : ', ') : first), urlLink(href));
  });
  return [paragraph(children)];
}

/**
 * Removes remark-rehype's footnote section and returns each definition's
 * content (without back-links), keyed by the id its references point to.
 */
function takeFootnoteSection(tree: Root): Map<string, ElementContent[]> {
  const definitions = new Map<string, ElementContent[]>();
  const index = tree.children.findIndex((child) => isElement(child, 'section') && child.properties['dataFootnotes'] !== undefined);
  const section = tree.children[index];
  if (!isElement(section)) return definitions;
  tree.children.splice(index, 1);
  while (isWhitespaceText(tree.children[index - 1]) && index - 1 === tree.children.length - 1) tree.children.pop();
  walk(section, (node) => {
    if (!isElement(node, 'li') || typeof node.properties['id'] !== 'string') return;
    stripBackrefs(node);
    const content = node.children.filter((child) => !isWhitespaceText(child));
    definitions.set(node.properties['id'], content);
  });
  return definitions;
}

function stripBackrefs(node: Element): void {
  node.children = node.children.filter((child) => !(isElement(child, 'a') && child.properties['dataFootnoteBackref'] !== undefined));
  for (const child of node.children) if (isElement(child)) stripBackrefs(child);
  while (isWhitespaceText(node.children[node.children.length - 1])) node.children.pop();
  const last = node.children[node.children.length - 1];
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '');
}
