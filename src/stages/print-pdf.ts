/**
 * Stage, print PDF: the print HTML (from renderDocument) → a print-grade PDF.
 *
 *   print HTML + geometry CSS + cover + colophon (src/pdf/document.ts)  →  Chromium (print media, page JS off)
 *   →  in-page footnote layout (src/pdf/paginate.ts)  →  accessibility roles (src/pdf/tag-plan.ts)
 *   →  page.pdf (tagged, outline, CSS page size)
 *   →  PDF/UA structure and artifacts (src/pdf/accessible.ts), metadata, XMP, trim/bleed boxes,
 *      content-derived /ID, written as a new file (src/pdf/metadata.ts)
 *
 * One browser serves many documents at once: everything here is per call.
 */
import type { Browser } from 'puppeteer-core';
import { toString } from 'hast-util-to-string';
import type { Element } from 'hast';
import { visit } from 'unist-util-visit';
import { DocumentError } from '../errors.js';
import type { Config } from '../config/schema.js';
import type { Article, AssetSet } from '../model.js';
import { ORIGIN, withDocumentPage, type AssetLookup } from '../browser/page-server.js';
import { preparePrintHtml } from '../pdf/document.js';
import { pageBoxHeight, pageGeometry } from '../pdf/geometry.js';
import { documentDate, finishPdf } from '../pdf/metadata.js';
import { relieveLooseLines } from '../pdf/loose-lines.js';
import { paginate, type PaginateParams, type PaginateResult } from '../pdf/paginate.js';
import { tagLabelsFor, tagPrintDocument, type TagPlan } from '../pdf/tag-plan.js';
import type { Theme } from '../theme/theme.js';
import { diagnose } from '../diagnostics/rules.js';

export interface PrintPdfOptions {
  /** The article's configuration (front-matter page settings merged in by articleConfig). */
  config: Config;
  theme: Theme;
  article: Article;
  /** Print HTML from renderDocument(…, { target: 'print' }). */
  html: string;
  assets: AssetSet;
  /** When the document's time budget runs out (epoch ms); default: limits.timeBudgetMs from now. */
  deadline?: number | undefined;
}

export interface PrintedPdf {
  bytes: Uint8Array;
  pages: number;
  /** The page layout: time in the page, layouts of the measuring box, figures set on a later page. */
  layout: { ms: number; layouts: number; deferred: number };
}

/** Answers assets/<id> with the original image bytes (print uses the originals). */
export function printAssetLookup(assets: AssetSet): AssetLookup {
  return (id) => {
    const asset = assets.get(id);
    return asset?.kind === 'image' ? { body: asset.bytes, contentType: asset.mediaType } : undefined;
  };
}

const PX_TO_PT = 72 / 96;
/** More pages than any article Imprint accepts (limits.maxInputBytes) can fill. */
const MAX_PAGES = 20_000;

export async function printPdf(browser: Browser, options: PrintPdfOptions): Promise<PrintedPdf> {
  const { config, theme, article, assets } = options;
  const file = article.file;
  // config is the article's own: front-matter page settings are already merged in (articleConfig).
  const settings = config.page;
  const geometry = pageGeometry(settings);
  const html = preparePrintHtml(options.html, article, theme, { geometry, cover: settings.cover, colophon: settings.colophon });

  const placeholders: PaginateParams['placeholders'] = {};
  for (const [id, image] of assets) if (image.kind === 'placeholder' && image.width && image.height) placeholders[id] = { width: image.width, height: image.height };
  const budget = config.limits.timeBudgetMs;
  const deadline = options.deadline ?? Date.now() + budget;
  // The layout stops itself while a tenth of the budget is left, so that its message (which page,
  // which text) comes before the run's own time limit.
  const budgetMs = Math.max(0, deadline - Date.now() - budget / 10);
  const params: PaginateParams = { width: geometry.contentWidth, height: pageBoxHeight(geometry), safety: 1, minTextLines: 3, placeholders, maxPages: MAX_PAGES, budgetMs };
  const viewport = { width: Math.ceil(geometry.sheetWidth), height: Math.ceil(geometry.sheetHeight) };
  const { layout, tags, raw } = await withDocumentPage(browser, html, printAssetLookup(assets), { media: 'print', viewport }, async (page) => {
    // Lines that would stretch too far are set flush left before the pages are made (loose-lines.ts).
    const loose = { width: geometry.contentWidth, maxSpaceRatio: 2, maxCjkGap: 0.25 };
    await page.evaluate(relieveLooseLines, { ...loose, scope: 'article' as const });
    const laidOut: PaginateResult = await page.evaluate(paginate, params);
    if (laidOut.stopped) return { layout: laidOut, tags: undefined, raw: undefined };
    // … and the last lines of paragraphs that the pages split.
    await page.evaluate(relieveLooseLines, { ...loose, scope: 'pages' as const });
    const tags: TagPlan = await page.evaluate(tagPrintDocument, tagLabelsFor(article.meta.lang));
    const printed = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
      outline: true,
      tagged: true,
      timeout: config.limits.timeBudgetMs,
    });
    return { layout: laidOut, tags, raw: printed };
  });
  if (layout.stopped || !raw || !tags) {
    const where = layout.stopped ? `at page ${layout.stopped.page} of the article (the text “${layout.stopped.text}…”)` : '';
    const seconds = (layout.ms / 1000).toFixed(1);
    const message = `the PDF page layout did not finish within the time budget: it stopped ${where} after ${seconds} s. Raise limits.timeBudgetMs (now ${budget} ms) in imprint.config.json, or publish the article in parts`;
    throw new DocumentError(message, 'pdf-time-budget');
  }

  for (const n of layout.overflows) {
    diagnose(file, 'pdf-page-overflow', `PDF page ${n} of the article is too full (a note or block taller than the page); it was clipped`);
  }
  for (const figure of layout.scaled) {
    // Scaling a little loses nothing; below half its size a picture loses detail the reader needs.
    if (figure.scale >= 0.5) continue;
    const why = figure.why === 'page' ? 'is taller than a page' : 'ends the article and does not fit beside the last text';
    diagnose(file, 'pdf-figure-scaled', `A figure (“${figure.caption}”) ${why}: printed at ${Math.round(figure.scale * 100)} % of its size on PDF page ${figure.page}`, figurePosition(article, figure.caption));
  }
  if (layout.unreferenced.length > 0) {
    diagnose(file, 'pdf-unreferenced-note', `notes ${layout.unreferenced.join(', ')} have no mark in the text; printed at the foot of the last page`);
  }

  const { meta } = article;
  const finished = await finishPdf(raw, {
    title: meta.title,
    author: meta.author,
    subject: meta.description,
    keywords: meta.keywords,
    lang: meta.lang,
    creator: 'Imprint',
    date: documentDate(meta.date),
    trim: { width: geometry.width * PX_TO_PT, height: geometry.height * PX_TO_PT, bleed: geometry.bleed * PX_TO_PT },
  }, tags, { relink: pageServerLink });
  for (const problem of finished.problems) {
    diagnose(file, 'pdf-tags', `PDF accessibility: ${problem}`);
  }
  return { bytes: finished.bytes, pages: finished.pages, layout: { ms: layout.ms, layouts: layout.layouts, deferred: layout.deferred } };
}

/** Where in the article the figure whose caption starts with `caption` is. */
function figurePosition(article: Article, caption: string): Element['position'] {
  let position: Element['position'];
  const key = caption.replace(/\s+/g, '');
  visit(article.tree, 'element', (node: Element) => {
    if (position || node.tagName !== 'figure') return;
    const text = toString(node).replace(/\s+/g, '');
    if (key !== '' && text.includes(key.slice(0, 20))) position = node.position;
  });
  return position;
}

/**
 * A link Chromium resolved against the page server: a link to another document's PDF (the print
 * HTML links documents published together as "name.pdf", src/html/links.ts) opens that file
 * beside this one; nothing else may lead there.
 */
export function pageServerLink(uri: string): { file: string } | 'remove' | undefined {
  if (!uri.startsWith(`${ORIGIN}/`)) return undefined;
  let name = '';
  try {
    name = decodeURIComponent(new URL(uri).pathname.split('/').pop() ?? '');
  } catch {
    return 'remove';
  }
  return /\.pdf$/i.test(name) && !/[/\\]/.test(name) ? { file: name } : 'remove';
}
