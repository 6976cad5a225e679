/**
 * The document Chromium prints: the print HTML from renderDocument with the page geometry CSS,
 * the optional cover and the colophon, and a hidden font warm-up for the page margin boxes.
 */
import type { Article } from '../model.js';
import type { Theme } from '../theme/theme.js';
import { colophonHtml, coverHtml } from './book-pages.js';
import { escapeHtml } from '../html/text.js';
import { geometryCss, type PageGeometry } from './geometry.js';
import { marginBoxFaces } from './margin-fonts.js';

export interface PrintDocumentParts {
  geometry: PageGeometry;
  cover: boolean;
  colophon: boolean;
}

/**
 * Boxes the layout creates and the page margin boxes are set only after the document has loaded
 * (margin boxes only while printing, and they load no fonts of their own). This hidden block sets
 * their text beforehand in the faces they use, so those web-font slices load with the document;
 * the layout removes it again.
 */
export function fontWarmupHtml(theme: Theme, strings: readonly string[]): string {
  const text = escapeHtml(`${strings.join(' ')} 0123456789`);
  const spans = marginBoxFaces(theme.files['print.css']).map(
    (face) => `<span style='font: ${face.style} ${face.weight} 10px "${face.family}", "${face.family} CJK"'>${text}</span>`,
  );
  // Footnote numbers, in whatever face the theme gives them.
  spans.push('<aside class="imprint-footnotes"><div class="imprint-footnote"><a class="imprint-footnote-number">0123456789</a></div></aside>');
  return `<div class="imprint-font-warmup" aria-hidden="true" style="position:absolute;left:0;top:0;width:100px;visibility:hidden;white-space:nowrap">${spans.join('')}</div>`;
}

/**
 * Until the page layout starts on it, an article is set on unbroken lines: a paragraph of 100 000
 * characters then costs Chromium one line (not thousands of line breaks) on load, and every glyph
 * it uses still loads its font slice. The layout marks the article it starts on (a book's later
 * chapters wait on their unbroken lines).
 */
export const LOADING_STYLE = '<style id="imprint-loading">article.article:not([data-imprint-layout]), article.article:not([data-imprint-layout]) * { white-space: nowrap !important; }</style>';

/** Adds the geometry CSS, the cover and the colophon to the print HTML. */
export function preparePrintHtml(html: string, article: Article, theme: Theme, parts: PrintDocumentParts): string {
  const { meta } = article;
  const css = geometryCss(parts.geometry, {
    title: meta.title,
    publication: meta.publisher || meta.title,
    author: meta.author ?? '',
  });
  const style = `<style id="imprint-page-geometry">${css}</style>${LOADING_STYLE}`;
  const headEnd = html.indexOf('</head>');
  let out = headEnd >= 0 ? `${html.slice(0, headEnd)}${style}\n${html.slice(headEnd)}` : `${style}\n${html}`;
  const opening = [fontWarmupHtml(theme, [meta.title, meta.publisher ?? '', meta.author ?? '']), parts.cover ? coverHtml(meta, theme) : ''].join('\n');
  const bodyOpen = /<body[^>]*>/i.exec(out);
  const at = bodyOpen ? bodyOpen.index + bodyOpen[0].length : 0;
  out = `${out.slice(0, at)}\n${opening}${out.slice(at)}`;
  if (parts.colophon) {
    const bodyClose = out.lastIndexOf('</body>');
    const colophon = colophonHtml(meta, theme);
    out = bodyClose >= 0 ? `${out.slice(0, bodyClose)}${colophon}\n${out.slice(bodyClose)}` : `${out}${colophon}`;
  }
  return out;
}
