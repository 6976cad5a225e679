/**
 * The one Chromium of a run: finding it, launching (or connecting to) it, and
 * making sure it is gone afterwards, whatever happens.
 */
import type { Browser, PuppeteerNode } from 'puppeteer-core';
import { BrowserNotFoundError, findChromium } from './chromium.js';
import { startChromium, type ChromiumProcess } from './chromium-process.js';
import { closePages, warmPages } from './page-server.js';

export { BrowserNotFoundError, chromiumArgs, findChromium, NO_BROWSER_HELP, type ChromiumLocation } from './chromium.js';

export interface BrowserOptions {
  /** ws:// endpoint of a running Chrome to connect to instead of launching one. */
  endpoint?: string | undefined;
  /**
   * Longest a single DevTools call may take. It must be longer than a document's time budget
   * (limits.timeBudgetMs), so that the document fails with Imprint's message, never Puppeteer's.
   */
  protocolTimeoutMs?: number | undefined;
}

/** Above the default time budget of a document (120 s). */
const DEFAULT_PROTOCOL_TIMEOUT_MS = 180_000;

type Puppeteer = Pick<PuppeteerNode, 'connect'>;
let loaded: Promise<Puppeteer> | undefined;
/** puppeteer-core, loaded on first use. Lazy: it takes about 350 ms to load, and a run that needs no browser never loads it. */
function loadPuppeteer(): Promise<Puppeteer> {
  return (loaded ??= import('puppeteer-core').then(({ connect }) => ({ connect })));
}

/** The Chromium processes this run started, by browser. */
const started = new Map<Browser, ChromiumProcess>();

/** Launches Chromium (or connects to a remote one). Pair with closeBrowser in a finally. */
export async function openBrowser(options: BrowserOptions = {}): Promise<Browser> {
  if (options.endpoint) {
    const puppeteer = await loadPuppeteer();
    return puppeteer.connect({ browserWSEndpoint: options.endpoint, protocolTimeout: options.protocolTimeoutMs ?? DEFAULT_PROTOCOL_TIMEOUT_MS });
  }
  const location = findChromium();
  if (!location) throw new BrowserNotFoundError();
  if (interrupted) throw new Error(`interrupted (${interrupted}): no browser is started`);
  installSignalHandlers();
  // Chromium starts while puppeteer-core is being loaded.
  const [chromium, puppeteer] = await Promise.all([startChromium(location.path), loadPuppeteer()]);
  try {
    const connecting = puppeteer.connect({
      transport: chromium.transport,
      protocolTimeout: options.protocolTimeoutMs ?? DEFAULT_PROTOCOL_TIMEOUT_MS,
      defaultViewport: { width: 800, height: 600 },
    });
    const browser = await Promise.race([connecting, chromium.failed]);
    started.set(browser, chromium);
    return browser;
  } catch (error) {
    await chromium.close();
    throw error;
  }
}

/** True for a browser this run started (not a remote one it connected to). */
export function isLaunched(browser: Browser): boolean {
  return started.has(browser);
}

/**
 * Closes the browser this run started, or leaves a remote one (closing the pages this run opened).
 * A started Chromium is asked to close (Browser.close: it deletes its temporary files itself) and
 * killed only if it has not exited after a grace period (chromium-process.ts); its folder is
 * removed either way.
 */
export async function closeBrowser(browser: Browser): Promise<void> {
  const chromium = started.get(browser);
  started.delete(browser);
  if (!chromium) {
    await closePages(browser);
    await browser.disconnect().catch(() => undefined);
    return;
  }
  await chromium.close(() => browser.close());
}

/** How long an interrupted run gives Chromium to close before it is killed. */
const INTERRUPT_GRACE_MS = 1000;

let handlersInstalled = false;
/** The signal that interrupted the run: no browser is started after it. */
let interrupted: NodeJS.Signals | undefined;
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupted = signal;
    const code = signal === 'SIGINT' ? 130 : 143;
    // The exit handler (chromium-process.ts) kills what is left of one that has not closed by then.
    const closing = [...started].map(([browser, chromium]) => chromium.close(() => browser.close(), INTERRUPT_GRACE_MS));
    // A second signal while Chromium closes ends the run at once.
    process.once(signal, () => process.exit(code));
    void Promise.allSettled(closing).then(() => {
      process.stderr.write(`\nimprint: interrupted (${signal}); browser closed, no partial output written.\n`);
      process.exit(code);
    });
  };
  // A run that exits otherwise (process.exit, an uncaught error) kills what it started: see chromium-process.ts.
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Runs fn with a browser that is always closed afterwards. */
export async function withBrowser<T>(options: BrowserOptions, fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await openBrowser(options);
  try {
    return await fn(browser);
  } finally {
    await closeBrowser(browser);
  }
}

/** A browser launched on first use and shared by every document of a run. */
export interface BrowserProvider {
  get(): Promise<Browser>;
  /** True once a browser was launched or connected. */
  readonly started: boolean;
  /**
   * Runs fn (which may call get()). When the browser dies during fn (a crash, an OOM kill),
   * a fresh one is started on the next get() and fn is retried once.
   */
  retryOnCrash<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createBrowserProvider(options: BrowserOptions = {}): BrowserProvider {
  let pending: Promise<Browser> | undefined;
  let started = false;
  const get = (): Promise<Browser> => {
    started = true;
    if (!pending) {
      pending = openBrowser(options);
      // The first page is set up while the article is still being parsed.
      pending.then((browser) => warmPages(browser, isLaunched(browser)), () => undefined);
    }
    return pending;
  };
  const discard = async (broken: Browser): Promise<void> => {
    const current = await pending?.catch(() => undefined);
    if (current === broken) pending = undefined;
    await closeBrowser(broken).catch(() => undefined);
  };
  return {
    get,
    get started() {
      return started;
    },
    async retryOnCrash(fn) {
      try {
        return await fn();
      } catch (error) {
        const current = await pending?.catch(() => undefined);
        if (!current || current.connected) throw error;
        await discard(current);
        return fn();
      }
    },
    async close() {
      if (!pending) return;
      const browser = await pending.catch(() => undefined);
      pending = undefined;
      if (browser) await closeBrowser(browser);
    },
  };
}
