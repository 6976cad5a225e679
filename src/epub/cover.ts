/**
 * The cover: the front-matter cover image when there is one, else an image generated from the
 * theme's cover.html (title, author, publisher), rendered by Chromium at a fixed size; and the
 * content of the cover page, first in the spine, showing it full-page.
 *
 * Not the library's job: epub-gen-memory stores a cover image it is given (as a File, from
 * memory) and announces it in the package; it neither draws a cover for a book without one nor
 * writes a cover page.
 */
import type { ElementContent } from 'hast';
import type { Browser } from 'puppeteer-core';
import type { ArticleMeta } from '../model.js';
import { fontStylesheetUrl, withDocumentPage } from '../browser/page-server.js';
import { fillTemplate, type Theme } from '../theme/theme.js';
import type { StoredImage } from './images.js';
import { escapeHtml, formatDate } from '../html/text.js';

/** Size of a generated cover, in CSS px at device scale 1 (2:3, as Apple Books and Kobo recommend). */
export const COVER_SIZE = { width: 1600, height: 2400 } as const;


/** Width of a title in em: CJK and full-width characters count 1, others about half. */
function titleEms(title: string): number {
  let ems = 0;
  for (const char of title) {
    if (/[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3ffff}]/u.test(char)) ems += 1;
    else if (/\s/.test(char)) ems += 0.3;
    else ems += 0.58;
  }
  return ems;
}

/**
 * Title size in vw: the largest (at most 11vw) at which the title fits in about five lines of
 * the text column (78vw wide, 60vw tall). Line breaks are estimated, not measured (no scripts run).
 */
export function titleSizeVw(title: string): number {
  const ems = Math.max(1, titleEms(title));
  const width = 78;
  const height = 60;
  for (let size = 11; size > 4; size -= 0.25) {
    const perLine = Math.max(1, Math.floor(width / size));
    const lines = Math.ceil(ems / perLine) + (ems > perLine ? 0.3 : 0);
    if (lines * size * 1.34 <= height) return size;
  }
  return 4;
}

/** The HTML page rendered to a cover image. */
export function generatedCoverHtml(theme: Theme, meta: ArticleMeta, lang: string): string {
  const fragment = fillTemplate(theme.files['cover.html'], {
    lang: escapeHtml(lang),
    title: escapeHtml(meta.title),
    subtitle: escapeHtml(meta.subtitle ?? ''),
    author: escapeHtml(meta.author ?? ''),
    publisher: escapeHtml(meta.publisher ?? ''),
    date: escapeHtml(formatDate(meta.date, lang)),
  });
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(lang)}">`,
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(meta.title)}</title>`,
    `<link rel="stylesheet" href="${fontStylesheetUrl(lang)}">`,
    '<style>\nhtml, body { margin: 0; padding: 0; overflow: hidden; }\n</style>',
    '</head>',
    `<body class="imprint-cover-image" style="--title-size: ${titleSizeVw(meta.title)}vw">`,
    fragment,
    '</body>',
    '</html>',
  ].join('\n');
}

/** Renders the generated cover to PNG. Same input, same Chromium and fonts → same bytes. */
/**
 * Screenshots are taken one at a time, with the page brought to the front: headless Chromium can
 * leave a capture of a background page waiting for a frame that never comes (seen as
 * "Page.captureScreenshot timed out" when several documents render at once).
 */
let screenshotQueue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const run = screenshotQueue.then(task, task);
  screenshotQueue = run.catch(() => undefined);
  return run;
}

export async function renderCover(browser: Browser, theme: Theme, meta: ArticleMeta, lang: string): Promise<StoredImage> {
  const options = { viewport: { ...COVER_SIZE, deviceScaleFactor: 1 }, media: 'screen' as const };
  const png = await withDocumentPage(browser, generatedCoverHtml(theme, meta, lang), () => undefined, options, (page) =>
    oneAtATime(async () => {
      await page.bringToFront();
      return page.screenshot({ type: 'png', optimizeForSpeed: false, captureBeyondViewport: false });
    }),
  );
  return { bytes: new Uint8Array(png), mediaType: 'image/png', ext: 'png', ...COVER_SIZE };
}

export interface CoverPageOptions {
  /** Alt text of the cover image. */
  label: string;
  image: { href: string; width: number; height: number };
}

/**
 * The cover page's content: the image scaled to the screen, centred, through SVG (as Calibre
 * does, so ADE-based readers fit it too).
 */
export function coverPageBody(options: CoverPageOptions): ElementContent[] {
  const { width, height, href } = options.image;
  return [
    {
      type: 'element',
      tagName: 'div',
      properties: { className: ['cover-image'] },
      children: [
        {
          type: 'element',
          tagName: 'svg',
          properties: {
            version: '1.1',
            viewBox: `0 0 ${width} ${height}`,
            preserveAspectRatio: 'xMidYMid meet',
            width: '100%',
            height: '100%',
            role: 'img',
            ariaLabel: options.label,
          },
          children: [
            { type: 'element', tagName: 'title', properties: {}, children: [{ type: 'text', value: options.label }] },
            { type: 'element', tagName: 'image', properties: { width, height, xLinkHref: href }, children: [] },
          ],
        },
      ],
    },
  ];
}
