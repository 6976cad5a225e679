/**
 * Checks a web page with axe-core (through `@axe-core/puppeteer`, a devDependency of Imprint;
 * `npm i -D @axe-core/puppeteer` in a project) for WCAG 2.2 AA and axe's best practices, the way
 * a reader meets it: 1280 and 375 px wide, in the light and the dark colour scheme. Without
 * axe-core the check is skipped with a reason, never failed.
 *
 * The page is loaded from its file in a fresh tab of Imprint's Chromium with every request
 * refused except the page itself, data: URIs and files in its folder (its assets, when it is not
 * self-contained); axe is injected by Puppeteer. JavaScript stays on in this tab: axe runs in the
 * page and waits on promises and timers, which a page without scripts never settles (Imprint's
 * pages have no scripts of their own).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { checkProblem, type CheckProblem } from './pdf.js';

/** What WCAG 2.2 AA asks (with axe's best practices). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] as const;
/** The widths and colour schemes every page is checked at. */
export const VIEWS: ReadonlyArray<{ width: number; scheme: 'light' | 'dark' }> = [
  { width: 1280, scheme: 'light' },
  { width: 1280, scheme: 'dark' },
  { width: 375, scheme: 'light' },
  { width: 375, scheme: 'dark' },
];

interface AxeNode {
  html: string;
  target: unknown[];
}
interface AxeViolationResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}
interface AxeResults {
  violations: AxeViolationResult[];
  testEngine: { version: string };
}
interface AxeBuilder {
  withTags(tags: string[]): AxeBuilder;
  setLegacyMode(legacy: boolean): AxeBuilder;
  analyze(): Promise<AxeResults>;
}
type AxePuppeteerClass = new (page: Page) => AxeBuilder;

export interface AxeTool {
  AxePuppeteer: AxePuppeteerClass;
}

/** @axe-core/puppeteer, or why it cannot run here (`resolve` finds a package: Node's, by default). */
export async function findAxe(resolve: (name: string) => string = createRequire(import.meta.url).resolve): Promise<AxeTool | { missing: string }> {
  try {
    const resolved = resolve('@axe-core/puppeteer');
    const module = (await import(pathToFileURL(resolved).href)) as { AxePuppeteer?: AxePuppeteerClass; default?: { AxePuppeteer?: AxePuppeteerClass } };
    const AxePuppeteer = module.AxePuppeteer ?? module.default?.AxePuppeteer;
    if (!AxePuppeteer) return { missing: '@axe-core/puppeteer has no AxePuppeteer export' };
    return { AxePuppeteer };
  } catch {
    return { missing: 'not installed (npm i -D @axe-core/puppeteer)' };
  }
}

export interface WebViolation {
  rule: string;
  impact: string;
  help: string;
  width: number;
  scheme: 'light' | 'dark';
  /** The elements, as axe shows them. */
  nodes: string[];
}

export interface WebCheck {
  /** axe-core's version. */
  version: string;
  violations: WebViolation[];
  problems: CheckProblem[];
}

/** Loads the page from its file with nothing else allowed in. */
async function loadPage(page: Page, file: string): Promise<void> {
  const folder = pathToFileURL(path.dirname(path.resolve(file)) + path.sep).href;
  const url = pathToFileURL(path.resolve(file)).href;
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const target = request.url();
    if (request.isInterceptResolutionHandled()) return;
    if (target === url || target.startsWith('data:') || target.startsWith(folder)) void request.continue();
    else void request.abort('blockedbyclient');
  });
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
}

/** Runs axe on the page at each width and colour scheme; a failure to run is an axe-run problem. */
export async function checkWebPage(tool: AxeTool, browser: Browser, file: string): Promise<WebCheck> {
  const page = await browser.newPage();
  const violations: WebViolation[] = [];
  let version = '';
  try {
    await loadPage(page, file);
    for (const { width, scheme } of VIEWS) {
      await page.setViewport({ width, height: 900 });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      // Legacy mode runs axe in the page in one call: the page has no frames of another origin
      // to gather from, and the default mode's extra blank tab costs a second per run.
      const results = await new tool.AxePuppeteer(page).withTags([...AXE_TAGS]).setLegacyMode(true).analyze();
      version = results.testEngine.version;
      for (const v of results.violations) {
        violations.push({ rule: v.id, impact: v.impact ?? 'unknown', help: v.help, width, scheme, nodes: v.nodes.map((n) => n.html.replace(/\s+/g, ' ').trim()) });
      }
    }
  } catch (error) {
    return { version, violations, problems: [checkProblem('axe-run', `axe-core could not check the page: ${error instanceof Error ? error.message : String(error)}`)] };
  } finally {
    await page.close().catch(() => undefined);
  }
  const problems = violations.map((v): CheckProblem => {
    const first = v.nodes[0] ?? '';
    const shown = first.length > 160 ? `${first.slice(0, 159)}…` : first;
    const more = v.nodes.length > 1 ? ` (and ${v.nodes.length - 1} more)` : '';
    return { severity: 'error', ruleId: `axe-${v.rule}`, reason: `${v.width} px, ${v.scheme}: ${v.help} (${v.impact}): ${shown}${more}` };
  });
  return { version, violations, problems };
}
