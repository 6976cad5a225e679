/**
 * Runs Ace by DAISY on one EPUB, in a process of its own (src/check/ace.ts starts it):
 *   node ace-process.js <book.epub> <report folder>
 * Ace writes report.json into the folder. Ace's Puppeteer runner starts the Chromium named by
 * PUPPETEER_EXECUTABLE_PATH, which the parent sets: Puppeteer reads it once, when it is loaded, so
 * the variable lives in this process only. Ace logs through winston, and its runner cannot be
 * handed a browser or a timeout from outside: a process of its own keeps both away from Imprint
 * and can be stopped at the parent's deadline (Puppeteer closes its Chromium on SIGTERM).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

type AceRunner = object;
type Ace = (epub: string, options: Record<string, unknown>, runner: AceRunner) => Promise<unknown>;

const [epub, outdir] = process.argv.slice(2);
if (!epub || !outdir) {
  process.stderr.write('usage: ace-process <book.epub> <report folder>\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const ace = require('@daisy/ace-core') as Ace;
const runner = require('@daisy/ace-axe-runner-puppeteer') as AceRunner;
try {
  await ace(path.resolve(epub), { cwd: process.cwd(), outdir: path.resolve(outdir), initLogger: false, silent: true }, runner);
  process.exit(0);
} catch (error) {
  process.stderr.write(`ace: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
