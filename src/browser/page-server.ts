/**
 * Serves documents to Chromium pages through the DevTools Fetch domain. Chromium never reaches the
 * network or the disk by itself: every request is answered from memory (the document, Imprint's
 * fonts, the document's resolved assets) or refused. The document's own JavaScript is disabled.
 *
 * Pages are kept warm: each browser has a small pool of pages for each media type (print pages for
 * the PDF, screen pages for the EPUB cover), one per document being rendered at the same time, and
 * a page goes back to the pool after use. Fonts are answered with a long cache
 * lifetime, so Chromium loads and decodes each font slice once per run, not once per document;
 * documents and their assets are never cached, and each load has its own URL, so a document can
 * never see another one's images.
 */
import type { Browser, CDPSession, Page, Protocol } from 'puppeteer-core';
import { fontPlan, parsePlanKey, planCss, planKey, readFontFile } from '../theme/fonts.js';

/** The made-up origin documents are served from (.invalid never resolves). */
export const ORIGIN = 'https://imprint.invalid';
export const fontUrl = (file: string): string => `${ORIGIN}/fonts/${file}`;
/**
 * The @font-face rules of Imprint's fonts for a document in `lang` whose elements carry the
 * languages `langs`, as one stylesheet shared by every document of the run that needs the same
 * faces: Chromium fetches and parses its 400 KB once, not once per document.
 */
export const fontStylesheetUrl = (lang: string, langs: Iterable<string> = []): string => `${ORIGIN}/fonts/faces-${planKey(fontPlan(lang, langs))}.css`;
/** An asset's URL in a served document: relative, so it resolves under that load's own URL. */
export const assetUrl = (id: string): string => `assets/${encodeURIComponent(id)}`;

export interface Resource {
  body: Uint8Array | string;
  contentType: string;
}

/** Answers an asset id (the path after assets/), or undefined for 404. */
export type AssetLookup = (id: string) => Resource | undefined;

const CSP = [
  "default-src 'none'",
  `img-src ${ORIGIN} data:`,
  `font-src ${ORIGIN}`,
  `style-src 'unsafe-inline' ${ORIGIN}`,
  "script-src 'none'",
].join('; ');

type Header = Protocol.Fetch.HeaderEntry;
const header = (name: string, value: string): Header => ({ name, value });
const NO_STORE = [header('Cache-Control', 'no-store')];
const IMMUTABLE = [header('Cache-Control', 'max-age=31536000, immutable'), header('Access-Control-Allow-Origin', '*')];

/** Font files and stylesheets as base64, encoded once per process (the DevTools protocol carries bodies as base64). */
const fontBodies = new Map<string, { body: string; contentType: string }>();
function fontBody(file: string): { body: string; contentType: string } | undefined {
  const cached = fontBodies.get(file);
  if (cached !== undefined) return cached;
  const plan = /^faces-(.+)\.css$/.exec(file)?.[1];
  const stylesheet = plan === undefined ? undefined : parsePlanKey(plan);
  if (plan !== undefined && !stylesheet) return undefined;
  const bytes = stylesheet ? Buffer.from(planCss(stylesheet, (face) => fontUrl(face.file))) : readFontFile(file);
  if (!bytes) return undefined;
  const found = { body: bytes.toString('base64'), contentType: stylesheet ? 'text/css; charset=utf-8' : 'font/woff2' };
  fontBodies.set(file, found);
  return found;
}

const base64 = (body: Uint8Array | string): string =>
  (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength)).toString('base64');

/** What a page serves while it shows one document. */
interface Current {
  /** Path prefix of this load, e.g. /d/7/ — the document is at <prefix>document.html. */
  prefix: string;
  html: string;
  assets: AssetLookup;
}

interface Reply {
  status: number;
  headers: Header[];
  /** Base64 body. */
  body: string;
}

function reply(url: string, current: Current | undefined): Reply | 'refuse' {
  if (!url.startsWith(`${ORIGIN}/`)) return 'refuse';
  const pathname = new URL(url).pathname;
  const notFound: Reply = { status: 404, headers: [header('Content-Type', 'text/plain'), ...NO_STORE], body: '' };
  if (pathname.startsWith('/fonts/')) {
    const found = fontBody(decodeURIComponent(pathname.slice('/fonts/'.length)));
    return found === undefined ? notFound : { status: 200, headers: [header('Content-Type', found.contentType), ...IMMUTABLE], body: found.body };
  }
  if (!current || !pathname.startsWith(current.prefix)) return notFound;
  const rest = pathname.slice(current.prefix.length);
  if (rest === 'document.html') {
    const headers = [header('Content-Type', 'text/html; charset=utf-8'), header('Content-Security-Policy', CSP), ...NO_STORE];
    return { status: 200, headers, body: base64(current.html) };
  }
  if (rest.startsWith('assets/')) {
    const resource = current.assets(decodeURIComponent(rest.slice('assets/'.length)));
    if (!resource) return notFound;
    return { status: 200, headers: [header('Content-Type', resource.contentType), ...NO_STORE], body: base64(resource.body) };
  }
  return notFound;
}

type Media = 'screen' | 'print';

/** A page of the pool, with its own interception session. */
interface PooledPage {
  page: Page;
  media: Media;
  session: CDPSession;
  current: Current | undefined;
}

let loads = 0;

async function preparePage(page: Page, media: Media): Promise<PooledPage> {
  const pooled: PooledPage = { page, media, session: await page.createCDPSession(), current: undefined };
  const { session } = pooled;
  session.on('Fetch.requestPaused', (event: Protocol.Fetch.RequestPausedEvent) => {
    const answer = reply(event.request.url, pooled.current);
    const sent =
      answer === 'refuse'
        ? session.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })
        : session.send('Fetch.fulfillRequest', { requestId: event.requestId, responseCode: answer.status, responseHeaders: answer.headers, body: answer.body });
    sent.catch(() => undefined);
  });
  await Promise.all([
    session.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }),
    page.setJavaScriptEnabled(false),
  ]);
  return pooled;
}

interface Pool {
  idle: Record<Media, PooledPage[]>;
  /** Pages handed out and not yet back. */
  busy: Set<PooledPage>;
  /** A print page being prepared ahead of use (warmPages), taken by the first print acquire. */
  warming: Promise<PooledPage> | undefined;
}

const pools = new WeakMap<Browser, Pool>();

function poolOf(browser: Browser): Pool {
  let pool = pools.get(browser);
  if (!pool) {
    pool = { idle: { print: [], screen: [] }, busy: new Set(), warming: undefined };
    pools.set(browser, pool);
  }
  return pool;
}

/** A new page of the pool: `tab` when given and open (the tab Chromium opened at launch), else a new one. */
async function newPooledPage(browser: Browser, media: Media, tab?: Promise<Page | undefined>): Promise<PooledPage> {
  const given = await tab;
  const page = given && !given.isClosed() ? given : await browser.newPage();
  try {
    return await preparePage(page, media);
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}

async function acquire(browser: Browser, media: Media): Promise<PooledPage> {
  const pool = poolOf(browser);
  const idle = pool.idle[media];
  let pooled = idle.pop();
  while (pooled && pooled.page.isClosed()) pooled = idle.pop();
  if (!pooled) {
    const warming = media === 'print' ? pool.warming : undefined;
    if (warming) pool.warming = undefined;
    const fresh = (): Promise<PooledPage> => newPooledPage(browser, media);
    pooled = warming ? await warming.catch(fresh) : await fresh();
  }
  pool.busy.add(pooled);
  return pooled;
}

function release(browser: Browser, pooled: PooledPage, healthy: boolean): Promise<void> {
  const pool = poolOf(browser);
  pool.busy.delete(pooled);
  pooled.current = undefined;
  if (healthy && !pooled.page.isClosed() && browser.connected) {
    pool.idle[pooled.media].push(pooled);
    return Promise.resolve();
  }
  return pooled.page.close().catch(() => undefined);
}

/**
 * Prepares the first print page of a browser right after launch, while the article is still being
 * parsed: on the tab Chromium opened at launch when the browser is this run's own. Failures are
 * left for the first real use to report.
 */
export function warmPages(browser: Browser, ownsLaunchTab: boolean): void {
  const pool = poolOf(browser);
  if (pool.idle.print.length > 0 || pool.busy.size > 0 || pool.warming) return;
  const tab = ownsLaunchTab ? browser.pages().then((pages) => pages.find((p) => p.url() === 'about:blank'), () => undefined) : undefined;
  pool.warming = newPooledPage(browser, 'print', tab);
  pool.warming.catch(() => undefined);
}

/** Closes every page of the pool (before disconnecting from a browser that lives on). */
export async function closePages(browser: Browser): Promise<void> {
  const pool = pools.get(browser);
  if (!pool) return;
  pools.delete(browser);
  const warming = await pool.warming?.catch(() => undefined);
  const pages = [...pool.idle.print, ...pool.idle.screen, ...pool.busy, ...(warming ? [warming] : [])].map((p) => p.page);
  pool.idle = { print: [], screen: [] };
  pool.busy.clear();
  await Promise.all(pages.map((page) => page.close().catch(() => undefined)));
}

export interface OpenPageOptions {
  viewport?: { width: number; height: number; deviceScaleFactor?: number };
  /** Media type to emulate ('print' for PDF layout; default 'screen'). Each has its own pages. */
  media?: Media;
}

/**
 * Shows `html` with its assets on a warm page, waits until it, its images and its fonts are
 * loaded, and runs fn with the page. The page goes back to the pool afterwards (or is closed when
 * fn failed, so a broken page is never reused). fn must not close the page.
 */
export async function withDocumentPage<T>(
  browser: Browser,
  html: string,
  assets: AssetLookup,
  options: OpenPageOptions,
  fn: (page: Page) => Promise<T>,
): Promise<T> {
  const pooled = await acquire(browser, options.media ?? 'screen');
  let healthy = false;
  try {
    const { page } = pooled;
    const prefix = `/d/${++loads}/`;
    pooled.current = { prefix, html, assets };
    await page.setViewport(options.viewport ?? { width: 800, height: 600 });
    await page.goto(`${ORIGIN}${prefix}document.html`, { waitUntil: 'load', timeout: 60_000 });
    // Emulated media does not survive a navigation in this Chromium (each document gets a new
    // frame host), so it is set on every document, before fonts are awaited.
    await page.emulateMediaType(pooled.media);
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const result = await fn(page);
    healthy = true;
    return result;
  } finally {
    await release(browser, pooled, healthy);
  }
}
