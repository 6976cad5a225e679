/**
 * Stage, print PDF: the print HTML (from renderDocument) → a print-grade PDF.
 *
 *   geometry CSS + cover + colophon  →  Chromium (print media, page JS off)
 *   →  in-page footnote layout (src/pdf/paginate.ts)  →  page.pdf (tagged, outline, CSS page size)
 *   →  pdf-lib: metadata, /Lang, XMP, trim/bleed boxes, content-derived /ID (src/pdf/metadata.ts)
 *
 * One browser serves many documents at once: everything here is per call.
 */
import type { Browser } from 'puppeteer-core';
import type { Config } from '../config.js';
import type { Article, AssetSet } from '../model.js';
import { openDocumentPage, type AssetLookup } from '../page-server.js';
import { colophonHtml, coverHtml, escapeHtml } from '../pdf/book-pages.js';
import { applyFrontMatterPage, geometryCss, pageBoxHeight, pageGeometry, type PageGeometry } from '../pdf/geometry.js';
import { documentDate, finishPdf } from '../pdf/metadata.js';
import { paginate, type PaginateParams, type PaginateResult } from '../pdf/paginate.js';
import type { Theme } from '../theme.js';

export interface PrintPdfOptions {
  config: Config;
  theme: Theme;
  article: Article;
  /** Print HTML from renderDocument(…, { target: 'print' }). */
  html: string;
  assets: AssetSet;
  sourceDateEpoch?: number | undefined;
}

export interface PrintedPdf {
  bytes: Uint8Array;
  pages: number;
}

/** Answers assets/<id> with the original image bytes (print uses the originals). */
export function printAssetLookup(assets: AssetSet): AssetLookup {
  return (id) => {
    const asset = assets.get(id);
    return asset?.kind === 'image' ? { body: asset.bytes, contentType: asset.mediaType } : undefined;
  };
}

export interface PrintDocumentParts {
  geometry: PageGeometry;
  cover: boolean;
  colophon: boolean;
}

/**
 * Text of the page margin boxes (running head strings, page numbers) set once in every Imprint
 * face, hidden. Margin boxes are laid out only while printing and load no fonts of their own: this
 * makes their glyphs' web-font slices load with the document (the layout removes it again).
 */
export function fontWarmupHtml(strings: readonly string[]): string {
  const text = escapeHtml(`${strings.join(' ')} 0123456789`);
  const spans: string[] = [];
  for (const family of ['Imprint Serif', 'Imprint Sans']) {
    for (const weight of [400, 700]) {
      for (const style of ['normal', 'italic']) {
        spans.push(`<span style='font: ${style} ${weight} 10px "${family}", "${family} CJK"'>${text}</span>`);
      }
    }
  }
  return `<div class="imprint-font-warmup" aria-hidden="true" style="position:absolute;left:0;top:0;visibility:hidden;white-space:nowrap">${spans.join('')}</div>`;
}

/** Adds the geometry CSS, the cover and the colophon to the print HTML. */
export function preparePrintHtml(html: string, article: Article, theme: Theme, parts: PrintDocumentParts): string {
  const { meta } = article;
  const css = geometryCss(parts.geometry, {
    title: meta.title,
    publication: meta.publisher || meta.title,
    author: meta.author ?? '',
  });
  const style = `<style id="imprint-page-geometry">${css}</style>`;
  const headEnd = html.indexOf('</head>');
  let out = headEnd >= 0 ? `${html.slice(0, headEnd)}${style}\n${html.slice(headEnd)}` : `${style}\n${html}`;
  const opening = [fontWarmupHtml([meta.title, meta.publisher ?? '', meta.author ?? '']), parts.cover ? coverHtml(meta, theme) : ''].join('\n');
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

const PX_TO_PT = 72 / 96;

export async function printPdf(browser: Browser, options: PrintPdfOptions): Promise<PrintedPdf> {
  const { config, theme, article, assets } = options;
  const file = article.file;
  const { settings, problems } = applyFrontMatterPage(config.page, file.data.frontMatter);
  for (const problem of problems) file.message(problem, { ruleId: 'pdf-page-settings', source: 'imprint' });
  const geometry = pageGeometry(settings);
  const html = preparePrintHtml(options.html, article, theme, { geometry, cover: settings.cover, colophon: settings.colophon });

  const t0 = performance.now();
  const page = await openDocumentPage(browser, html, printAssetLookup(assets), {
    media: 'print',
    viewport: { width: Math.ceil(geometry.sheetWidth), height: Math.ceil(geometry.sheetHeight) },
  });
  let layout: PaginateResult;
  let raw: Uint8Array;
  try {
    const placeholders: PaginateParams['placeholders'] = {};
    for (const [id, image] of assets) if (image.kind === 'placeholder' && image.width && image.height) placeholders[id] = { width: image.width, height: image.height };
    const params: PaginateParams = { width: geometry.contentWidth, height: pageBoxHeight(geometry), safety: 1, minTextLines: 3, placeholders };
    const t1 = performance.now();
    layout = await page.evaluate(paginate, params);
    const t2 = performance.now();
    raw = await page.pdf({
      preferCSSPageSize: true,
      printBackground: true,
      displayHeaderFooter: false,
      outline: true,
      tagged: true,
      timeout: config.limits.timeBudgetMs,
    });
    if (process.env['IMPRINT_PDF_DEBUG']) console.error(`open ${Math.round(t1 - t0)} paginate ${Math.round(t2 - t1)} (${layout.ms} in page, ${layout.layouts} layouts) pdf ${Math.round(performance.now() - t2)}`);
  } finally {
    await page.close().catch(() => undefined);
  }

  for (const n of layout.overflows) {
    file.message(`PDF page ${n} of the article is too full (a note or block taller than the page); it was clipped`, {
      ruleId: 'pdf-page-overflow',
      source: 'imprint',
    });
  }
  if (layout.unreferenced.length > 0) {
    file.message(`notes ${layout.unreferenced.join(', ')} have no mark in the text; printed at the foot of the last page`, {
      ruleId: 'pdf-unreferenced-note',
      source: 'imprint',
    });
  }

  const { meta } = article;
  const finished = await finishPdf(raw, {
    title: meta.title,
    author: meta.author,
    subject: meta.description,
    keywords: meta.keywords,
    lang: meta.lang,
    creator: 'Imprint',
    date: documentDate(meta.date, options.sourceDateEpoch),
    bleedPt: geometry.bleed * PX_TO_PT,
  });
  return finished;
}
