/**
 * A book as one HTML document, for the screen (the web page) or for print (what the PDF stage
 * prints): the title block, the contents (a list linked to the chapters), then each chapter as an
 * <article> — its title, subtitle and credits (author, source, rights), its text and its notes.
 *
 * The book's title is the document's one h1; a chapter's title is an h2 and its headings go one
 * level down (src/html/in-book.ts, which also gives each chapter's ids their own prefix).
 * The print document carries what the PDF's page layout fills in: the contents' dot leaders and
 * page numbers (src/pdf/book-layout.ts).
 */
import type { Element, ElementContent, Properties, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Config } from '../config/schema.js';
import type { Article, Book, BookMeta, ImageAsset } from '../model.js';
import { assetUrl, fontStylesheetUrl } from '../browser/page-server.js';
import { fillTemplate, type Theme } from '../theme/theme.js';
import rehypeHyphenate from '../plugins/rehype-hyphenate.js';
import { bodyClassOf, documentCss, elementLangs } from './document.js';
import { applyAssets } from './images.js';
import { fitIntoBook } from './in-book.js';
import { resolveDocumentLinks } from './links.js';
import { endnotesSection } from './notes.js';
import { stringsFor, type Strings } from './strings.js';
import { bookAuthor, bookCreators, chapterId, chapterPrefix, type BookChapterAssets } from './book-meta.js';

export type { BookChapterAssets };
import { escapeHtml, formatDate } from './text.js';
import { isPublicWebUrl } from '../plugins/lib/url-policy.js';
import type { RenderTarget } from './document.js';


export interface BookRenderOptions {
  target: RenderTarget;
  theme: Theme;
  config: Config;
  /** Image source on screen; defaults to a data: URI. `key` is unique in the book. */
  imageSrc?: ((asset: ImageAsset, key: string) => string) | undefined;
  /** @font-face rules of the web page's fonts (the print document links the page server's). */
  fontCss?: string | undefined;
}

/** The languages in the book besides its own: each chapter's, and those of elements in them. */
export function bookLangs(book: Book): Set<string> {
  const langs = new Set<string>();
  for (const chapter of book.chapters) {
    langs.add(chapter.meta.lang);
    for (const lang of elementLangs(chapter)) langs.add(lang);
  }
  langs.delete(book.meta.lang);
  return langs;
}

/** The book's CSS for a target: the theme's base and target style sheets with the faces of its other languages, then book.css. */
export function bookCss(book: Book, theme: Theme, target: RenderTarget): string {
  return `${documentCss(theme, target, book.meta.lang, bookLangs(book))}\n${theme.files['book.css']}`;
}

const el = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

/** The data: URI of the screen version of an image. */
function dataUri(asset: ImageAsset): string {
  const shown = asset.screen ?? asset;
  return `data:${shown.mediaType};base64,${Buffer.from(shown.bytes).toString('base64')}`;
}

/** The title block: the title page of the PDF, the head of the web page. */
function titleBlock(meta: BookMeta): Element {
  const children: ElementContent[] = [el('h1', { className: ['book-title'] }, [text(meta.title)])];
  if (meta.subtitle) children.push(el('p', { className: ['book-subtitle'] }, [text(meta.subtitle)]));
  for (const line of bookCreators(meta)) children.push(el('p', { className: ['book-creators'] }, [text(line)]));
  const foot: ElementContent[] = [];
  if (meta.publisher) foot.push(el('p', { className: ['book-publisher'] }, [text(meta.publisher)]));
  if (meta.date) foot.push(el('p', { className: ['book-date'] }, [text(formatDate(meta.date, meta.lang))]));
  if (meta.description) children.push(el('p', { className: ['book-description'] }, [text(meta.description)]));
  return el('header', { className: ['book-title-page'] }, [el('div', { className: ['book-title-main'] }, children), ...(foot.length > 0 ? [el('div', { className: ['book-title-foot'] }, foot)] : [])]);
}

/** Under a chapter's title: its author (and publisher), its source and its rights. */
export function chapterCredits(article: Article, strings: Strings): Element | undefined {
  const { author, publisher, source, rights } = article.meta;
  const lines: Element[] = [];
  const by = [author, publisher].filter((part): part is string => Boolean(part));
  if (by.length > 0) lines.push(el('p', { className: ['chapter-author'] }, [text(by.join(' · '))]));
  if (source) {
    const safe = isPublicWebUrl(source);
    lines.push(el('p', { className: ['chapter-source'] }, [text(`${strings.source}: `), safe ? el('a', { href: source }, [text(source)]) : text(source)]));
  }
  if (rights) lines.push(el('p', { className: ['chapter-rights'] }, [text(rights)]));
  return lines.length > 0 ? el('div', { className: ['chapter-credits'] }, lines) : undefined;
}

/** The contents: each chapter's title (and author), linked to it; in print with a leader and its page number. */
function contents(book: Book, print: boolean): Element {
  const strings = stringsFor(book.meta.lang);
  const entries = book.chapters.map((article, index) => {
    const label: ElementContent[] = [el('span', { className: ['contents-chapter'] }, [text(article.meta.title)])];
    if (article.meta.author) label.push(text(' '), el('span', { className: ['contents-author'] }, [text(article.meta.author)]));
    const link: ElementContent[] = [el('span', { className: ['contents-text'] }, label)];
    // Filled by the PDF's page layout: dots to the number, and the page the chapter starts on.
    if (print) link.push(el('span', { className: ['contents-leader'], ariaHidden: 'true' }), el('span', { className: ['contents-page'] }));
    return el('li', { className: ['contents-entry'], ...(article.meta.lang !== book.meta.lang ? { lang: article.meta.lang } : {}) }, [
      el('a', { href: `#${chapterId(index)}` }, link),
    ]);
  });
  return el('nav', { className: ['book-contents'], role: 'doc-toc', ariaLabelledBy: ['contents-title'] }, [
    el('h2', { className: ['contents-title'], id: 'contents-title' }, [text(strings.contents)]),
    el('ol', { className: ['contents-list'] }, entries),
  ]);
}

/** The ids of a tree, as written before the book prefixes them. */
function idsOf(tree: Root): Set<string> {
  const ids = new Set<string>();
  const visit = (node: Root | Element): void => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const id = child.properties['id'];
      if (typeof id === 'string') ids.add(id);
      visit(child);
    }
  };
  visit(tree);
  return ids;
}

/**
 * Where a link to another chapter leads in the book's document: the element its fragment names
 * ("#c3-part"), or the chapter's title ("#c3") when it names none there. Chapters are found by
 * their document name, as rehype-document-links marked the link (see Publication in src/model.ts).
 */
function chapterLinks(book: Book): (name: string, fragment: string | undefined) => string | undefined {
  const indexOf = new Map(book.chapters.map((chapter, index) => [chapter.name, index]));
  const ids = new Map<number, Set<string>>();
  return (name, fragment) => {
    const index = indexOf.get(name);
    if (index === undefined) return undefined;
    if (fragment === undefined) return `#${chapterId(index)}`;
    let known = ids.get(index);
    if (!known) ids.set(index, (known = idsOf(book.chapters[index]!.tree)));
    return known.has(fragment) ? `#${chapterPrefix(index)}${fragment}` : `#${chapterId(index)}`;
  };
}

/** One chapter as an <article>: header (h2 title, subtitle, credits), body, notes; ids prefixed. */
function chapterElement(index: number, source: BookChapterAssets, options: BookRenderOptions, links: ReturnType<typeof chapterLinks>): Element {
  const { article, assets } = source;
  const print = options.target === 'print';
  const prefix = chapterPrefix(index);
  const key = (asset: ImageAsset): string => `${prefix}${asset.id}`;
  const src = print ? (asset: ImageAsset) => assetUrl(key(asset)) : options.imageSrc ? (asset: ImageAsset) => options.imageSrc!(asset, key(asset)) : dataUri;
  const strings = stringsFor(article.meta.lang);
  const body: Root = applyAssets(article.tree, assets, { lang: article.meta.lang, src, screen: !print, images: article.images });
  const { title, subtitle } = article.meta;
  const header: ElementContent[] = [el('h1', { className: ['title'] }, [text(title)])];
  if (subtitle) header.push(el('p', { className: ['subtitle'] }, [text(subtitle)]));
  const credits = chapterCredits(article, strings);
  if (credits) header.push(credits);
  const notes = endnotesSection(article.notes, article.meta.lang);
  // The printed page is justified: hyphenation points in its copy of the text, in the chapter's language.
  if (print) {
    const hyphenate = rehypeHyphenate({ lang: article.meta.lang });
    hyphenate(body);
    if (notes) hyphenate(notes);
  }
  const chapter = el('article', { className: ['article', 'chapter'], lang: article.meta.lang, dataImprintChapter: String(index + 1) }, [
    el('header', { className: ['article-header', 'chapter-header'] }, header),
    el('div', { className: ['article-body'] }, body.children as ElementContent[]),
    ...(notes ? [notes] : []),
  ]);
  fitIntoBook(chapter, { prefix, shift: 1, chapter: links });
  // Links to the other documents of the run: their web page, or their PDF (src/html/links.ts).
  resolveDocumentLinks(chapter, print ? 'pdf' : 'html');
  // The title's id is the chapter's own: what the contents and links to the chapter point at.
  ((chapter.children[0] as Element).children[0] as Element).properties['id'] = chapterId(index);
  // Every chapter has a "Notes" section: each is named by its heading and the chapter's title, so
  // that the landmarks of one page are told apart (WCAG 1.3.1; axe's landmark-unique).
  if (notes) notes.properties['ariaLabelledBy'] = [`${prefix}notes-title`, chapterId(index)];
  return chapter;
}

function metaTags(meta: BookMeta): string {
  const tags = ['<meta name="generator" content="Imprint">'];
  const author = bookAuthor(meta);
  if (author) tags.push(`<meta name="author" content="${escapeHtml(author)}">`);
  if (meta.description) tags.push(`<meta name="description" content="${escapeHtml(meta.description)}">`);
  if (meta.keywords.length > 0) tags.push(`<meta name="keywords" content="${escapeHtml(meta.keywords.join(', '))}">`);
  if (meta.publisher) tags.push(`<meta name="publisher" content="${escapeHtml(meta.publisher)}">`);
  if (meta.date) tags.push(`<meta name="date" content="${escapeHtml(meta.date)}">`);
  return tags.join('\n');
}

/** The body of the book's document: title block, contents, chapters. */
export function bookBody(book: Book, chapters: readonly BookChapterAssets[], options: BookRenderOptions): Element[] {
  const print = options.target === 'print';
  const parts: Element[] = [titleBlock(book.meta), contents(book, print)];
  const links = chapterLinks(book);
  const articles = chapters.map((chapter, index) => chapterElement(index, chapter, options, links));
  if (print) return [...parts, ...articles];
  // The web page has no colophon: the book's rights close it.
  const rights = book.meta.rights ? [el('footer', { className: ['book-footer'] }, [el('p', { className: ['book-rights'] }, [text(book.meta.rights)])])] : [];
  return [...parts, el('main', { className: ['book-chapters'] }, articles), ...rights];
}

/** The body class of a book's document for a target. */
export const bookBodyClass = (target: RenderTarget): string[] => [...bodyClassOf(target), 'book'];

/**
 * The whole HTML document of the book through the theme's page.html (`body`: the parts of
 * bookBody when they are already made); its style sheet adds book.css.
 */
export function renderBookDocument(book: Book, chapters: readonly BookChapterAssets[], options: BookRenderOptions, body?: readonly Element[]): string {
  const { theme, target } = options;
  const html = (body ?? bookBody(book, chapters, options)).map((part) => toHtml(part)).join('\n');
  // Print documents are shown by the page server, which serves Imprint's fonts; the web page carries its own.
  const fonts =
    target === 'print'
      ? `<link rel="stylesheet" href="${fontStylesheetUrl(book.meta.lang, bookLangs(book))}">\n`
      : options.fontCss
        ? `<style>\n${options.fontCss}\n</style>\n`
        : '';
  return fillTemplate(theme.files['page.html'], {
    lang: escapeHtml(book.meta.lang),
    title: escapeHtml(book.meta.title),
    head: `${metaTags(book.meta)}\n${fonts}<style>\n${bookCss(book, theme, target)}\n</style>`,
    bodyClass: bookBodyClass(target).join(' '),
    body: html,
  });
}
