/**
 * The article as an EPUB chapter: header (the one title heading), the body with its images
 * pointing into the book, note references marked epub:type="noteref", and the notes as
 * <aside epub:type="footnote"> with back-links (pop-ups in Apple Books and Kobo, a linked list
 * elsewhere). Everything is made valid for epubcheck on the way: XML-name ids, no links to
 * nowhere, no attributes XHTML forbids, alt text on every image.
 *
 * Not the library's job: epub-gen-memory puts the content it is given into a chapter as it is
 * (with Imprint's `xhtmlContent` option; without it, it would drop attributes outside a fixed
 * list and keep everything else). What an article's notes, figures, placeholders and links
 * become in an e-book is Imprint's.
 */
import type { Element, ElementContent, Properties, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import type { Article, AssetSet, Note } from '../model.js';
import { applyAssets } from '../html/images.js';
import { resolveDocumentLinks } from '../html/links.js';
import { noteBody } from '../html/notes.js';
import { normalizeIds, relinkFragments, uniqueId, type IdMap } from './ids.js';
import type { EpubImage } from './images.js';
import type { EpubLabels } from './labels.js';
import { visitElements } from './walk.js';
import { isPublicWebUrl } from '../plugins/lib/url-policy.js';
import { diagnose } from '../diagnostics/rules.js';

/** Elements that never belong in an e-book (active content, forms, external players). */
const DROPPED = new Set([
  'script', 'noscript', 'style', 'link', 'meta', 'base', 'template', 'iframe', 'frame', 'frameset', 'object',
  'embed', 'applet', 'video', 'audio', 'source', 'track', 'canvas', 'form', 'button', 'select', 'textarea',
  'option', 'optgroup', 'datalist', 'output', 'dialog', 'portal', 'slot',
]);
/** Attributes dropped everywhere (loading hints, responsive sources, obsolete presentational ones). */
const DROPPED_PROPERTIES = new Set(['style', 'loading', 'decoding', 'fetchPriority', 'srcSet', 'sizes', 'dataImageId', 'dataReason', 'align', 'vAlign', 'bgColor', 'border', 'cellPadding', 'cellSpacing', 'frame', 'rules', 'target', 'ping', 'referrerPolicy', 'crossOrigin', 'contentEditable', 'draggable', 'tabIndex', 'accessKey', 'autoFocus', 'inert', 'popover']);
/** Phrasing contexts: a block placeholder inside them must become a <span>. */
const PHRASING_PARENTS = new Set(['p', 'span', 'a', 'em', 'strong', 'b', 'i', 'u', 's', 'sub', 'sup', 'small', 'code', 'q', 'cite', 'del', 'ins', 'mark', 'abbr', 'label', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'th', 'pre']);

const el = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

function classes(node: Element): string[] {
  const value: unknown = node.properties['className'];
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/) : [];
}

function hasRole(node: Element, role: string): boolean {
  const value = node.properties['role'];
  return (Array.isArray(value) ? value.map(String) : String(value ?? '').split(/\s+/)).includes(role);
}

/** A safe href for a link in the book, or undefined to drop it (relative files, scripts, data…). */
export function safeHref(href: string): string | undefined {
  const value = href.trim();
  if (value.startsWith('#')) return value;
  if (!/^(https?|mailto|tel):/i.test(value)) return undefined;
  if (/^https?:/i.test(value) && !isPublicWebUrl(value)) return undefined;
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

export interface ChapterFacts {
  images: number;
  /** Images whose alt text Imprint had to make up (no alt, no caption): their alternative is only "Image n". */
  imagesWithoutDescription: number;
  notes: number;
}

export interface Chapter {
  /** Content of <body>: the article section (header, body, notes). */
  body: ElementContent[];
  /** How the article's ids were renamed to XML names (for the navigation). */
  ids: IdMap;
  /** Id of the notes section, when there are notes. */
  notesId: string | undefined;
  titleId: string;
  facts: ChapterFacts;
}

export interface ChapterOptions {
  article: Article;
  assets: AssetSet;
  /** Images as stored in the book, by image id (ImageAsset with bytes that could be used); their keys become the sources. */
  images: ReadonlyMap<string, EpubImage>;
  labels: EpubLabels;
  file: VFile;
  /** Shown under the title (a book's chapter: its author, source and rights). */
  credits?: Element | undefined;
  /** The other chapters of the book by document name → their file (links between them stay links). */
  chapters?: ReadonlyMap<string, string> | undefined;
}

/** The figure caption text (without credit or note number), for alt text. */
function captionOf(figure: Element | undefined): string {
  if (!figure) return '';
  let caption = '';
  visitElements(figure, (node) => {
    if (caption) return;
    if (node.tagName === 'span' && classes(node).includes('caption')) caption = toString(node).trim();
  });
  return caption;
}

function removeDuplicateTitle(tree: Root, title: string, file: VFile): void {
  const first = tree.children.find((child) => child.type === 'element');
  if (first?.type === 'element' && first.tagName === 'h1' && toString(first).trim() === title.trim()) {
    tree.children.splice(tree.children.indexOf(first), 1);
    diagnose(file, 'epub-duplicate-title', 'Dropped a title heading repeated at the start of the body (the EPUB adds its own)', first.position);
  }
}

/** Cleans one subtree in place: dropped elements, links, noterefs, checkboxes, alt text, table alignment. */
function cleanTree(tree: Root, labels: EpubLabels, facts: ChapterFacts, chapterFiles: ReadonlySet<string> = new Set()): void {
  let imageNumber = 0;
  const removals: Array<{ parent: Element | Root; node: Element }> = [];
  visitElements(tree, (node, ancestors) => {
    const parent = ancestors.at(-1) as Element | Root | undefined;
    if (DROPPED.has(node.tagName)) {
      if (parent) removals.push({ parent, node });
      return 'skip';
    }
    if (ancestors.some((a) => a.type === 'element' && a.tagName === 'svg')) return undefined;
    if ((node.tagName === 'td' || node.tagName === 'th') && typeof node.properties['align'] === 'string') {
      const align = node.properties['align'];
      if (/^(left|right|center|justify)$/.test(align)) node.properties['className'] = [...classes(node), `align-${align}`];
    }
    // Dropped properties, event handlers, and sizes anywhere but on images and SVG.
    const keepsSize = node.tagName === 'img' || node.tagName === 'svg';
    for (const property of Object.keys(node.properties)) {
      if (DROPPED_PROPERTIES.has(property) || /^on/i.test(property) || (!keepsSize && (property === 'width' || property === 'height'))) {
        delete node.properties[property];
      }
    }
    const parentName = parent?.type === 'element' ? parent.tagName : undefined;
    switch (node.tagName) {
      case 'img': {
        imageNumber++;
        facts.images++;
        // The parse stage gives every image its alternative (rehype-image-alt); a tree made
        // another way gets the same fallbacks here.
        let alt = String(node.properties['alt'] ?? '').trim();
        if (!alt) alt = captionOf(ancestors.findLast((a): a is Element => a.type === 'element' && a.tagName === 'figure'));
        if (!alt) {
          alt = labels.imageNumbered.replace('{n}', String(imageNumber));
          facts.imagesWithoutDescription++;
        }
        node.properties['alt'] = alt;
        break;
      }
      case 'div':
        if (classes(node).includes('image-placeholder')) {
          imageNumber++;
          facts.images++;
          if (parentName && PHRASING_PARENTS.has(parentName)) node.tagName = 'span';
        }
        break;
      case 'a': {
        const href = node.properties['href'];
        if (typeof href === 'string') {
          // A link to another chapter of the book (its fragment is resolved once all are built).
          const safe = chapterFiles.has(href) ? href : safeHref(href);
          if (safe) node.properties['href'] = safe;
          else delete node.properties['href'];
        }
        if (hasRole(node, 'doc-noteref') || (parentName === 'sup' && classes(parent as Element).includes('noteref'))) {
          node.properties['epub:type'] = 'noteref';
        }
        break;
      }
      case 'input': {
        // GFM task list items: the box as a character; any other form control goes.
        if (node.properties['type'] !== 'checkbox') {
          if (parent) removals.push({ parent, node });
          return 'skip';
        }
        const checked = node.properties['checked'] === true || node.properties['checked'] === 'checked';
        node.tagName = 'span';
        node.properties = { className: ['task-checkbox'] };
        node.children = [text(checked ? '☑' : '☐')];
        break;
      }
      default:
        break;
    }
    return undefined;
  });
  for (const { parent, node } of removals) {
    const index = parent.children.indexOf(node as never);
    if (index >= 0) parent.children.splice(index, 1);
  }
}

function noteAside(note: Note, labels: EpubLabels): Element {
  const content = noteBody(note, labels.backToText);
  const number = el('b', { className: ['note-number'] }, [text(`${note.number}.`)]);
  const first = content[0];
  if (first?.type === 'element' && first.tagName === 'p') first.children.unshift(number, text(' '));
  else content.unshift(el('p', {}, [number]));
  const extra = note.refIds.slice(1);
  if (extra.length > 0) {
    let last = content.at(-1);
    if (!(last?.type === 'element' && last.tagName === 'p')) {
      last = el('p', {});
      content.push(last);
    }
    const paragraph = last as Element;
    extra.forEach((refId, i) => {
      paragraph.children.push(
        text(' '),
        el('a', { className: ['backlink'], href: `#${refId}`, role: 'doc-backlink', ariaLabel: `${labels.backToText} (${i + 2})` }, [text(`↩\uFE0E${i + 2}`)]),
      );
    });
  }
  return el('aside', { id: note.id, className: ['note', `note-${note.kind}`], 'epub:type': 'footnote', role: 'doc-footnote' }, content);
}

export function buildChapter(options: ChapterOptions): Chapter {
  const { article, labels, images } = options;
  const facts: ChapterFacts = { images: 0, imagesWithoutDescription: 0, notes: article.notes.length };

  // Assets without usable EPUB bytes become placeholders, like unresolved ones.
  const assets: AssetSet = new Map();
  for (const [id, resolved] of options.assets) {
    assets.set(id, resolved.kind === 'image' && !images.has(id) ? { kind: 'placeholder', id, reason: 'no usable bytes' } : resolved);
  }
  const body = applyAssets(article.tree, assets, {
    lang: article.meta.lang,
    src: (asset) => images.get(asset.id)?.key ?? '',
    screen: true,
    images: article.images,
  });
  resolveDocumentLinks(body, 'epub', (name) => options.chapters?.get(name));
  removeDuplicateTitle(body, article.meta.title, options.file);
  cleanTree(body, labels, facts, new Set(options.chapters?.values()));
  // Images the parse stage could only call "Image n" (no alt text, no caption).
  if (article.accessibility) facts.imagesWithoutDescription = article.accessibility.undescribedImages;

  // Notes (cleaned like the body: their links are external URLs and back-links).
  const notesRoot: Root = { type: 'root', children: article.notes.map((note) => noteAside(note, labels)) };
  cleanTree(notesRoot, labels, { images: 0, imagesWithoutDescription: 0, notes: 0 });

  // Ids: the article's own first, then Imprint's, so links in the text keep their targets.
  const ids = normalizeIds(body);
  for (const [old, fresh] of normalizeIds(notesRoot, ids.used).map) if (!ids.map.has(old)) ids.map.set(old, fresh);
  const titleId = uniqueId('title', ids.used);
  const notesId = article.notes.length > 0 ? uniqueId('notes', ids.used) : undefined;
  const notesTitleId = notesId ? uniqueId(`${notesId}-title`, ids.used) : undefined;

  const { title, subtitle } = article.meta;
  const header = el('header', { className: ['article-header'] }, [
    el('h1', { id: titleId, className: ['title'], 'epub:type': 'title' }, [text(title)]),
    ...(subtitle ? [el('p', { className: ['subtitle'], 'epub:type': 'subtitle', role: 'doc-subtitle' }, [text(subtitle)])] : []),
    ...(options.credits ? [options.credits] : []),
  ]);
  const children: ElementContent[] = [header, el('div', { className: ['article-body'] }, body.children as ElementContent[])];
  if (notesId && notesTitleId) {
    children.push(
      el('section', { id: notesId, className: ['notes'], 'epub:type': 'footnotes', ariaLabelledBy: [notesTitleId] }, [
        el('h2', { id: notesTitleId, className: ['notes-title'] }, [text(labels.notes)]),
        ...(notesRoot.children as ElementContent[]),
      ]),
    );
  }
  const chapterRoot: Root = {
    type: 'root',
    children: [el('section', { id: 'article', className: ['article'], 'epub:type': 'chapter', role: 'doc-chapter', ariaLabelledBy: [titleId] }, children)],
  };
  if (ids.used.has('article')) (chapterRoot.children[0] as Element).properties['id'] = uniqueId('article', ids.used);
  else ids.used.add('article');
  relinkFragments(chapterRoot, ids);
  return { body: chapterRoot.children as ElementContent[], ids, notesId, titleId, facts };
}
