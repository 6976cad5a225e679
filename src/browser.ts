/**
 * The one Chromium of a run: finding it, launching (or connecting to) it, and
 * making sure it is gone afterwards, whatever happens.
 */
import type { Browser, PuppeteerNode } from 'puppeteer-core';
import { BrowserNotFoundError, chromiumArgs, findChromium } from './chromium.js';
import { closePages, warmPages } from './page-server.js';

export { BrowserNotFoundError, chromiumArgs, findChromium, NO_BROWSER_HELP, type ChromiumLocation } from './chromium.js';

export interface BrowserOptions {
  /** ws:// endpoint of a running Chrome to connect to instead of launching one. */
  endpoint?: string | undefined;
}

const live = new Set<Browser>();

type Puppeteer = Pick<PuppeteerNode, 'launch' | 'connect'>;
let loaded: Promise<Puppeteer> | undefined;
/** puppeteer-core, loaded on first use: a run that needs no browser never loads it. */
function loadPuppeteer(): Promise<Puppeteer> {
  return (loaded ??= import('puppeteer-core').then(({ launch, connect }) => ({ launch, connect })));
}

/** Launches Chromium (or connects to a remote one). Pair with closeBrowser in a finally. */
export async function openBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const puppeteer = await loadPuppeteer();
  if (options.endpoint) {
    const browser = await puppeteer.connect({ browserWSEndpoint: options.endpoint, protocolTimeout: 60_000 });
    live.add(browser);
    return browser;
  }
  const location = findChromium();
  if (!location) throw new BrowserNotFoundError();
  installSignalHandlers();
  const browser = await puppeteer.launch({
    executablePath: location.path,
    headless: true,
    args: chromiumArgs(),
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    protocolTimeout: 60_000,
  });
  live.add(browser);
  return browser;
}

/** Closes (or disconnects from) the browser; kills the process when closing hangs. */
export async function closeBrowser(browser: Browser): Promise<void> {
  live.delete(browser);
  const child = browser.process();
  if (!child) {
    // A browser that lives on (--browser-endpoint): leave it without the pages this run opened.
    await closePages(browser);
    await browser.disconnect().catch(() => undefined);
    return;
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  try {
    await browser.close();
  } catch {
    child.kill('SIGKILL');
  } finally {
    clearTimeout(timer);
  }
}

let handlersInstalled = false;
function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const browser of live) browser.process()?.kill('SIGKILL');
    live.clear();
    process.exitCode = signal === 'SIGINT' ? 130 : 143;
    process.stderr.write(`\nimprint: interrupted (${signal}); browser closed, no partial output written.\n`);
    process.exit();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    for (const browser of live) browser.process()?.kill('SIGKILL');
  });
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
      pending.then(warmPages, () => undefined);
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
