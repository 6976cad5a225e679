/**
 * The floor the bench compares Imprint with: Chromium alone, driven the way Imprint drives it
 * (puppeteer-core, the same flags), launched, printing a one-line CJK page to PDF, and closed —
 * no Markdown, no fonts to load, nothing written. `node dist/bench/floor.js` prints its timings.
 */
import { launch } from 'puppeteer-core';
import { chromiumArgs, findChromium, NO_BROWSER_HELP } from '../src/browser/provider.js';

const chromium = findChromium();
if (!chromium) throw new Error(NO_BROWSER_HELP);
const start = performance.now();
const browser = await launch({ executablePath: chromium.path, headless: true, args: chromiumArgs() });
const launched = performance.now();
const [page] = await browser.pages();
if (!page) throw new Error('Chromium opened no tab');
await page.setContent('<p>Hello, 你好</p>');
await page.pdf({ format: 'A5' });
const printed = performance.now();
await browser.close();
const closed = performance.now();
const ms = (a: number, b: number): string => `${Math.round(b - a)} ms`;
process.stdout.write(`launch ${ms(start, launched)}, print ${ms(launched, printed)}, close ${ms(printed, closed)}\n`);
