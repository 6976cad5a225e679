/**
 * Where Chromium is and how it is started: the executable (PUPPETEER_EXECUTABLE_PATH, then a
 * system Chrome/Chromium, then Puppeteer's cache) and the flags. Cheap to import: the build cache
 * asks for the executable on every run, also when no browser is launched.
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
