/**
 * The one Chromium of a run: finding it, launching (or connecting to) it, and
 * making sure it is gone afterwards, whatever happens.
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, PuppeteerNode } from 'puppeteer-core';
import { closePages, warmPages } from './page-server.js';

export interface ChromiumLocation {
  path: string;
  /** Where it was found: the env var, the system, or Puppeteer's cache. */
  source: 'env' | 'system' | 'puppeteer-cache';
}

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** Finds a browser: PUPPETEER_EXECUTABLE_PATH, then a system Chrome/Chromium, then Puppeteer's cache. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLocation | undefined {
  const fromEnv = env['PUPPETEER_EXECUTABLE_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv, source: 'env' } : undefined;
  for (const candidate of SYSTEM_CANDIDATES) {
    if (existsSync(candidate)) return { path: candidate, source: 'system' };
  }
  const cacheRoot = env['PUPPETEER_CACHE_DIR'] ?? path.join(os.homedir(), '.cache', 'puppeteer');
  for (const product of ['chrome', 'chrome-headless-shell']) {
    const dir = path.join(cacheRoot, product);
    if (!existsSync(dir)) continue;
    for (const build of readdirSync(dir).sort().reverse()) {
      for (const exe of ['chrome-linux64/chrome', 'chrome-headless-shell-linux64/chrome-headless-shell']) {
        const candidate = path.join(dir, build, exe);
        if (existsSync(candidate)) return { path: candidate, source: 'puppeteer-cache' };
      }
    }
  }
  return undefined;
}

export const NO_BROWSER_HELP =
  'No Chrome or Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`), ' +
  'or set PUPPETEER_EXECUTABLE_PATH to a Chrome/Chromium executable.';

export class BrowserNotFoundError extends Error {
  constructor() {
    super(NO_BROWSER_HELP);
    this.name = 'BrowserNotFoundError';
  }
}

/** Flags for a quiet, offline, headless Chromium. */
export function chromiumArgs(): string[] {
  const args = [
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-dev-shm-usage',
    '--font-render-hinting=none',
    '--mute-audio',
  ];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--no-sandbox');
  return args;
}

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
