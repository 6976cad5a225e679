/**
 * The document Chromium prints a book from: the print HTML of src/html/book.ts with the page
 * geometry, the book's named pages, the optional cover and the book's colophon.
 *
 * Named pages (CSS) carry what changes from page to page, since Chromium's margin boxes cannot
 * read the page's content: the title page, the contents and the blank pages print nothing in their
 * margins; a chapter's first page is the theme's `imprint-first` (no running head); every other page
 * of chapter k is `imprint-ch-k`, whose running head is the book's title on left-hand pages and the
 * chapter's title on right-hand pages. Page numbers are the theme's counter(page), set by
 * src/pdf/book-layout.ts so that the first chapter starts at 1.
 */
import stringWidth from 'string-width';
import type { Book } from '../model.js';
import type { Theme } from '../theme/theme.js';
import { bookAuthor, bookArticleMeta } from '../html/book-meta.js';
import { bookColophonHtml, coverHtml } from './book-pages.js';
import { fontWarmupHtml, LOADING_STYLE } from './document.js';
import { cssString, geometryCss, pageBoxHeight, type PageGeometry } from './geometry.js';

export interface BookPrintParts {
  geometry: PageGeometry;
  cover: boolean;
  colophon: boolean;
}

/** Display columns a running head may take (a CJK character takes two): what fits the head of an A5 page. */
const RUNNING_HEAD_WIDTH = 64;

/**
 * A chapter's title as its running head: whole when it fits, else the part before its first
 * colon when that fits (a clipping's "Topic: what happened"), else cut with an ellipsis.
 */
export function runningHead(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (stringWidth(clean) <= RUNNING_HEAD_WIDTH) return clean;
  const colon = /^(.+?)\s*[:：]/.exec(clean)?.[1];
  if (colon && stringWidth(colon) <= RUNNING_HEAD_WIDTH && stringWidth(colon) >= 8) return colon;
  let cut = '';
  for (const char of clean) {
    if (stringWidth(`${cut}${char}…`) > RUNNING_HEAD_WIDTH) break;
    cut += char;
  }
  const word = /^(.*\S)\s+\S*$/.exec(cut)?.[1];
  return `${word && stringWidth(word) > RUNNING_HEAD_WIDTH / 2 ? word : cut.trimEnd()}…`;
}

const MARGIN_BOXES = ['top-left-corner', 'top-left', 'top-center', 'top-right', 'top-right-corner', 'bottom-left-corner', 'bottom-left', 'bottom-center', 'bottom-right', 'bottom-right-corner'];
const quiet = MARGIN_BOXES.map((box) => `@${box} { content: none; }`).join(' ');

/** The book's named pages and the boxes of its front matter (after the theme's print.css and the geometry). */
export function bookPagesCss(book: Book, geometry: PageGeometry): string {
  const height = `${pageBoxHeight(geometry)}px`;
  // Set at the width they are printed at (the window Chromium lays the document out in is the sheet's).
  const width = `${Number(geometry.contentWidth.toFixed(3))}px`;
  const rules = [
    `@page imprint-title { ${quiet} }`,
    `@page imprint-front { ${quiet} }`,
    `@page imprint-blank { ${quiet} }`,
    `@page imprint-cover-blank { margin: 0; counter-increment: page 0; ${quiet} }`,
    `.book-title-page { page: imprint-title; box-sizing: border-box; height: ${height}; overflow: clip; break-after: page; }`,
    `nav.book-contents { page: imprint-front; }`,
    `.book-title-page, nav.book-contents, .imprint-front-blank, .imprint-cover-blank { width: ${width}; }`,
    `.imprint-contents-page { display: flow-root; box-sizing: border-box; height: ${height}; overflow: clip; break-after: page; break-inside: avoid; }`,
    `.imprint-front-blank, .imprint-cover-blank { display: flow-root; height: ${height}; break-after: page; break-inside: avoid; }`,
    `.imprint-front-blank { page: imprint-blank; }`,
    `.imprint-cover-blank { page: imprint-cover-blank; }`,
    `.imprint-pages { break-before: page; }`,
  ];
  const bookTitle = cssString(runningHead(book.meta.title));
  book.chapters.forEach((chapter, index) => {
    const name = `imprint-ch-${index + 1}`;
    rules.push(
      `.imprint-pages[data-imprint-chapter="${index + 1}"] > .imprint-page { page: ${name}; }`,
      `@page ${name}:left { @top-center { content: ${bookTitle}; } }`,
      `@page ${name}:right { @top-center { content: ${cssString(runningHead(chapter.meta.title))}; } }`,
    );
  });
  rules.push(
    '.imprint-pages > .imprint-page.imprint-page-first { page: imprint-first; }',
    '.imprint-pages > .imprint-page.imprint-page-blank { page: imprint-blank; }',
  );
  return rules.join('\n');
}

/** Adds the geometry and the book's pages, the cover and the colophon to the book's print HTML. */
export function prepareBookPrintHtml(html: string, book: Book, theme: Theme, parts: BookPrintParts): string {
  const { meta } = book;
  const css = geometryCss(parts.geometry, {
    title: meta.title,
    publication: meta.publisher || meta.title,
    author: bookAuthor(meta) ?? '',
  });
  const style = `<style id="imprint-page-geometry">${css}\n${bookPagesCss(book, parts.geometry)}</style>${LOADING_STYLE}`;
  const headEnd = html.indexOf('</head>');
  let out = headEnd >= 0 ? `${html.slice(0, headEnd)}${style}\n${html.slice(headEnd)}` : `${style}\n${html}`;
  // The margin boxes' text: the running heads of every chapter.
  const heads = [meta.title, runningHead(meta.title), ...book.chapters.map((chapter) => runningHead(chapter.meta.title)), meta.publisher ?? '', bookAuthor(meta) ?? ''];
  const opening = [fontWarmupHtml(theme, heads), parts.cover ? coverHtml(bookArticleMeta(meta), theme) : ''].join('\n');
  const bodyOpen = /<body[^>]*>/i.exec(out);
  const at = bodyOpen ? bodyOpen.index + bodyOpen[0].length : 0;
  out = `${out.slice(0, at)}\n${opening}${out.slice(at)}`;
  if (parts.colophon) {
    const bodyClose = out.lastIndexOf('</body>');
    const colophon = bookColophonHtml(book, theme);
    out = bodyClose >= 0 ? `${out.slice(0, bodyClose)}${colophon}\n${out.slice(bodyClose)}` : `${out}${colophon}`;
  }
  return out;
}
