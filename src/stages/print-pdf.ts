/**
 * Stage, print PDF: the print HTML (from renderDocument) → a print-grade PDF.
 *
 *   print HTML + geometry CSS + cover + colophon (src/pdf/document.ts; a book: book-document.ts)
 *   →  Chromium (print media, page JS off)
 *   →  in-page footnote layout (src/pdf/paginate.ts; a book: once per chapter, then its title page,
 *      contents and blank pages, src/pdf/book-layout.ts)  →  accessibility roles (src/pdf/tag-plan.ts)
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
import type { Article, AssetSet, Book } from '../model.js';
import { ORIGIN, withDocumentPage, type AssetLookup } from '../browser/page-server.js';
import { bookAuthor } from '../html/book-meta.js';
import { stringsFor } from '../html/strings.js';
import { prepareBookPrintHtml } from '../pdf/book-document.js';
import { layoutBook, type BookLayoutParams, type BookLayoutResult } from '../pdf/book-layout.js';
import { preparePrintHtml } from '../pdf/document.js';
import { pageBoxHeight, pageGeometry, type PageGeometry } from '../pdf/geometry.js';
import { documentDate, finishPdf, type PdfMetadata } from '../pdf/metadata.js';
import { relieveLooseLines } from '../pdf/loose-lines.js';
import { cutLongTextNodes, TEXT_CHUNK } from '../pdf/text-chunks.js';
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

/** What the page layout made of a document, and what Chromium printed. */
interface LaidOut {
  /** One layout per article (a book: per chapter, in order). */
  layouts: PaginateResult[];
  /** The book's pages around its chapters (a book only). */
  book: BookLayoutResult | undefined;
  tags: TagPlan | undefined;
  raw: Uint8Array | undefined;
}

interface PrintRequest {
  config: Config;
  html: string;
  assets: AssetSet;
  /** Articles in the document (a book's chapters). */
  articles: number;
  /** Set for a book: its pages around the chapters. */
  book?: BookLayoutParams | undefined;
  lang: string;
  geometry: PageGeometry;
  deadline: number;
}

/** Loads the print document, lays out its articles (and a book's pages), tags it and prints it. */
async function layOutAndPrint(browser: Browser, request: PrintRequest): Promise<LaidOut> {
  const { config, geometry, assets } = request;
  const placeholders: PaginateParams['placeholders'] = {};
  for (const [id, image] of assets) if (image.kind === 'placeholder' && image.width && image.height) placeholders[id] = { width: image.width, height: image.height };
  const budget = config.limits.timeBudgetMs;
  const viewport = { width: Math.ceil(geometry.sheetWidth), height: Math.ceil(geometry.sheetHeight) };
  return withDocumentPage(browser, request.html, printAssetLookup(assets), { media: 'print', viewport }, async (page) => {
    const layouts: PaginateResult[] = [];
    // Lines that would stretch too far are set flush left before the pages are made (loose-lines.ts).
    const loose = { width: geometry.contentWidth, maxSpaceRatio: 2, maxCjkGap: 0.25 };
    // Before anything measures the text: no text node thousands of characters long (text-chunks.ts).
    await page.evaluate(cutLongTextNodes, { chunk: TEXT_CHUNK });
    for (let n = 0; n < request.articles; n++) {
      await page.evaluate(relieveLooseLines, { ...loose, scope: 'article' as const });
      // The layout stops itself while a tenth of the budget is left, so that its message (which
      // page, which text) comes before the run's own time limit.
      const budgetMs = Math.max(0, request.deadline - Date.now() - budget / 10);
      const params: PaginateParams = { width: geometry.contentWidth, height: pageBoxHeight(geometry), safety: 1, minTextLines: 3, placeholders, maxPages: MAX_PAGES, budgetMs };
      const laidOut: PaginateResult = await page.evaluate(paginate, params);
      layouts.push(laidOut);
      if (laidOut.stopped) return { layouts, book: undefined, tags: undefined, raw: undefined };
    }
    // … and the last lines of paragraphs that the pages split.
    await page.evaluate(relieveLooseLines, { ...loose, scope: 'pages' as const });
    const book = request.book ? await page.evaluate(layoutBook, request.book) : undefined;
    const tags: TagPlan = await page.evaluate(tagPrintDocument, tagLabelsFor(request.lang));
    const printed = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
      outline: true,
      tagged: true,
      timeout: config.limits.timeBudgetMs,
    });
    return { layouts, book, tags, raw: printed };
  });
}

/** The error of a layout that ran out of time: where it stopped (`where`), and the setting to raise. */
function layoutTimeout(config: Config, laidOut: LaidOut, where: string): DocumentError {
  const budget = config.limits.timeBudgetMs;
  const seconds = (laidOut.layouts.reduce((sum, layout) => sum + layout.ms, 0) / 1000).toFixed(1);
  const message = `the PDF page layout did not finish within the time budget: it stopped ${where} after ${seconds} s. Raise limits.timeBudgetMs (now ${budget} ms) in imprint.config.json, or publish the article in parts`;
  return new DocumentError(message, 'pdf-time-budget');
}

/** The layout's findings about one article, as diagnostics on its file (`page`: how a page of it is named). */
function reportLayout(article: Article, layout: PaginateResult, page: (n: number) => string): void {
  const file = article.file;
  for (const n of layout.overflows) {
    diagnose(file, 'pdf-page-overflow', `${page(n)} is too full (a note or block taller than the page); it was clipped`);
  }
  for (const figure of layout.scaled) {
    // Scaling a little loses nothing; below half its size a picture loses detail the reader needs.
    if (figure.scale >= 0.5) continue;
    const why = figure.why === 'page' ? 'is taller than a page' : 'ends the article and does not fit beside the last text';
    diagnose(file, 'pdf-figure-scaled', `A figure (“${figure.caption}”) ${why}: printed at ${Math.round(figure.scale * 100)} % of its size on ${page(figure.page)}`, figurePosition(article, figure.caption));
  }
  if (layout.unreferenced.length > 0) {
    diagnose(file, 'pdf-unreferenced-note', `notes ${layout.unreferenced.join(', ')} have no mark in the text; printed at the foot of the last page`);
  }
}

/** Sums the layouts' figures for the stage's result. */
function layoutFacts(layouts: readonly PaginateResult[]): PrintedPdf['layout'] {
  return {
    ms: layouts.reduce((sum, l) => sum + l.ms, 0),
    layouts: layouts.reduce((sum, l) => sum + l.layouts, 0),
    deferred: layouts.reduce((sum, l) => sum + l.deferred, 0),
  };
}

/** The document information an article's or a book's PDF carries, and its trim box. */
function pdfMetadata(
  meta: { title: string; author?: string | undefined; description?: string | undefined; keywords: readonly string[]; lang: string; date?: string | undefined },
  geometry: PageGeometry,
): PdfMetadata {
  return {
    title: meta.title,
    author: meta.author,
    subject: meta.description,
    keywords: meta.keywords,
    lang: meta.lang,
    creator: 'Imprint',
    date: documentDate(meta.date),
    trim: { width: geometry.width * PX_TO_PT, height: geometry.height * PX_TO_PT, bleed: geometry.bleed * PX_TO_PT },
  };
}

export async function printPdf(browser: Browser, options: PrintPdfOptions): Promise<PrintedPdf> {
  const { config, theme, article, assets } = options;
  const file = article.file;
  // config is the article's own: front-matter page settings are already merged in (articleConfig).
  const settings = config.page;
  const geometry = pageGeometry(settings);
  const html = preparePrintHtml(options.html, article, theme, { geometry, cover: settings.cover, colophon: settings.colophon });
  const deadline = options.deadline ?? Date.now() + config.limits.timeBudgetMs;
  const laidOut = await layOutAndPrint(browser, { config, html, assets, articles: 1, lang: article.meta.lang, geometry, deadline });
  const layout = laidOut.layouts[0];
  if (!layout || layout.stopped || !laidOut.raw || !laidOut.tags) {
    throw layoutTimeout(config, laidOut, layout?.stopped ? `at page ${layout.stopped.page} of the article (the text “${layout.stopped.text}…”)` : '');
  }
  reportLayout(article, layout, (n) => `PDF page ${n} of the article`);

  const { meta } = article;
  const finished = await finishPdf(laidOut.raw, pdfMetadata(meta, geometry), laidOut.tags, { relink: pageServerLink });
  for (const problem of finished.problems) {
    diagnose(file, 'pdf-tags', `PDF accessibility: ${problem}`);
  }
  return { bytes: finished.bytes, pages: finished.pages, layout: layoutFacts(laidOut.layouts) };
}

export interface PrintBookPdfOptions {
  /** The book's configuration (book.yaml's page settings merged in). */
  config: Config;
  theme: Theme;
  book: Book;
  /** Print HTML from renderBookPrintHtml. */
  html: string;
  /** Every chapter's images, by the keys the print HTML names them with (bookPrintAssets). */
  assets: AssetSet;
  deadline?: number | undefined;
}

/**
 * The PDF of a book: a title page, the contents with the page each chapter starts on, each
 * chapter laid out as an article is (from a new page, a right-hand one with book.recto), the
 * colophon; running heads, nested bookmarks, page labels, one tagged structure (Document → an Art
 * per chapter).
 */
export async function printBookPdf(browser: Browser, options: PrintBookPdfOptions): Promise<PrintedPdf> {
  const { config, theme, book, assets } = options;
  const settings = config.page;
  const geometry = pageGeometry(settings);
  const html = prepareBookPrintHtml(options.html, book, theme, { geometry, cover: settings.cover, colophon: settings.colophon });
  const deadline = options.deadline ?? Date.now() + config.limits.timeBudgetMs;
  const laidOut = await layOutAndPrint(browser, {
    config,
    html,
    assets,
    articles: book.chapters.length,
    book: { height: pageBoxHeight(geometry), recto: config.book.recto, cover: settings.cover },
    lang: book.meta.lang,
    geometry,
    deadline,
  });
  const stoppedAt = laidOut.layouts.findIndex((layout) => layout.stopped);
  if (stoppedAt >= 0 || !laidOut.raw || !laidOut.tags || !laidOut.book) {
    const stopped = laidOut.layouts[stoppedAt]?.stopped;
    const chapter = book.chapters[stoppedAt];
    throw layoutTimeout(config, laidOut, stopped && chapter ? `at page ${stopped.page} of chapter ${stoppedAt + 1}, ${chapter.path} (the text “${stopped.text}…”)` : '');
  }
  const pages = laidOut.book;
  book.chapters.forEach((chapter, index) => {
    const layout = laidOut.layouts[index];
    const start = pages.chapters[index]?.start ?? 1;
    if (layout) reportLayout(chapter, layout, (n) => `page ${start + n - 1} of the book's PDF`);
  });

  const { meta } = book;
  const strings = stringsFor(meta.lang);
  const front = pages.coverPages + pages.frontPages;
  const finished = await finishPdf(laidOut.raw, {
    ...pdfMetadata({ ...meta, author: bookAuthor(meta) }, geometry),
    pageLabels: [
      ...(pages.coverPages > 0 ? [{ start: 0, prefix: strings.cover }] : []),
      { start: pages.coverPages, style: 'r' as const },
      { start: front, style: 'D' as const },
    ],
  }, laidOut.tags, { relink: pageServerLink });
  for (const problem of finished.problems) {
    diagnose(book.file, 'pdf-tags', `PDF accessibility: ${problem}`);
  }
  return { bytes: finished.bytes, pages: finished.pages, layout: layoutFacts(laidOut.layouts) };
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
