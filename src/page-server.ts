/**
 * Serves one document to a Chromium page through request interception. Chromium never reaches the
 * network or the disk by itself: every request is answered from memory (the document, Imprint's
 * fonts, the document's resolved assets) or aborted. The document's own JavaScript is disabled.
 */
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { readFontFile } from './fonts.js';

/** The made-up origin documents are served from (.invalid never resolves). */
export const ORIGIN = 'https://imprint.invalid';
export const DOCUMENT_URL = `${ORIGIN}/document.html`;
export const fontUrl = (file: string): string => `${ORIGIN}/fonts/${file}`;
export const assetUrl = (id: string): string => `${ORIGIN}/assets/${id}`;

export interface Resource {
  body: Uint8Array | string;
  contentType: string;
}

/** Answers a path under ORIGIN/assets/ (the id after /assets/), or undefined for 404. */
export type AssetLookup = (id: string) => Resource | undefined;

const CSP = [
  "default-src 'none'",
  `img-src ${ORIGIN} data:`,
  `font-src ${ORIGIN}`,
  `style-src 'unsafe-inline' ${ORIGIN}`,
  "script-src 'none'",
].join('; ');

function respond(request: HTTPRequest, status: number, resource?: Resource): Promise<void> {
  return request.respond({
    status,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'max-age=31536000, immutable',
    },
    contentType: resource?.contentType ?? 'text/plain',
    body: resource ? (typeof resource.body === 'string' ? resource.body : Buffer.from(resource.body)) : '',
  });
}

function answer(request: HTTPRequest, html: string, assets: AssetLookup): Promise<void> {
  const url = request.url();
  if (url.startsWith('data:')) return request.continue();
  if (!url.startsWith(`${ORIGIN}/`)) return request.abort('blockedbyclient');
  const pathname = new URL(url).pathname;
  if (pathname === '/document.html') return respond(request, 200, { body: html, contentType: 'text/html; charset=utf-8' });
  if (pathname.startsWith('/fonts/')) {
    const bytes = readFontFile(decodeURIComponent(pathname.slice('/fonts/'.length)));
    return bytes ? respond(request, 200, { body: bytes, contentType: 'font/woff2' }) : respond(request, 404);
  }
  if (pathname.startsWith('/assets/')) {
    const resource = assets(decodeURIComponent(pathname.slice('/assets/'.length)));
    return resource ? respond(request, 200, resource) : respond(request, 404);
  }
  return respond(request, 404);
}

export interface OpenPageOptions {
  viewport?: { width: number; height: number; deviceScaleFactor?: number };
  /** Media type to emulate before loading ('print' for PDF layout). */
  media?: 'screen' | 'print';
}

/**
 * Opens a new page showing `html` with its assets, waits until it and its fonts are loaded.
 * The caller closes the page.
 */
export async function openDocumentPage(
  browser: Browser,
  html: string,
  assets: AssetLookup,
  options: OpenPageOptions = {},
): Promise<Page> {
  const page = await browser.newPage();
  try {
    await page.setJavaScriptEnabled(false);
    if (options.viewport) await page.setViewport(options.viewport);
    if (options.media) await page.emulateMediaType(options.media);
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      answer(request, html, assets).catch(() => undefined);
    });
    await page.goto(DOCUMENT_URL, { waitUntil: 'load', timeout: 60_000 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return page;
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}
