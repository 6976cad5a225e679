/**
 * `imprint check [files…]`: validates outputs that were already published. PDFs get the
 * built-in checks (fonts embedded, metadata, tagged, PDF/UA-1 structure: src/check/pdf-ua.ts);
 * EPUBs get epubcheck when Java is there and Ace by DAISY when it is installed
 * (src/check/ace.ts); web pages get axe-core when it is installed (src/check/web.ts).
 * Without files, every .pdf, .epub and .html in the output folder is checked; a Markdown file (or
 * a book: its folder or book.yaml) stands for its outputs. Exit codes: 0 no errors (warnings and
 * skipped checks allowed), 1 an output has errors, 2 usage or config error.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { formatDiagnostic } from '../../diagnostics/report.js';
import { shownPath } from '../../diagnostics/report.js';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, openBrowser } from '../../browser/provider.js';
import { findAce, runAce } from '../../check/ace.js';
import { findEpubcheck, runEpubcheck } from '../../check/epub.js';
import { checkPdf, type CheckProblem } from '../../check/pdf.js';
import { checkWebPage, findAxe } from '../../check/web.js';
import { loadProjectConfig } from '../../config/project.js';
import type { CommandIO } from './publish.js';
import { bookFolderOf } from '../../stages/read-book.js';

export interface CheckFlags {
  out?: string;
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

export interface CheckedOutput {
  path: string;
  format: 'pdf' | 'epub' | 'html';
  status: 'passed' | 'failed' | 'skipped';
  /** What was found (pages, fonts, title, …) or why the check was skipped. */
  summary: string;
  problems: CheckProblem[];
  pages?: number;
}

const CHECKABLE = /\.(pdf|epub|html)$/i;

/** The outputs published from `arg` (an article's .md or a book) under the name `base`. */
async function publishedOutputs(arg: string, base: string, out: string, cwd: string): Promise<string[]> {
  const found: string[] = [];
  for (const ext of ['pdf', 'epub', 'html']) {
    const candidate = path.join(out, `${base}.${ext}`);
    if (await stat(candidate).catch(() => undefined)) found.push(candidate);
  }
  if (found.length === 0) throw new UsageError(`${arg}: no ${base}.pdf, ${base}.epub or ${base}.html in ${shownPath(out, cwd)}/ (publish it first)`);
  return found;
}

async function outputsToCheck(args: readonly string[], cwd: string, outDir: string): Promise<string[]> {
  const out = path.resolve(cwd, outDir);
  if (args.length === 0) {
    const entries = await readdir(out).catch(() => []);
    const files = entries.filter((f) => CHECKABLE.test(f) && !f.startsWith('.')).sort().map((f) => path.join(out, f));
    if (files.length === 0) throw new UsageError(`no PDF, EPUB or HTML files in ${shownPath(out, cwd)}/ (run \`imprint publish\` first)`);
    return files;
  }
  const files: string[] = [];
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    const info = await stat(full).catch(() => undefined);
    const book = info ? bookFolderOf(full) : undefined;
    if (book) {
      // A book (its folder or its book.yaml) stands for its outputs, as an article's .md does.
      files.push(...(await publishedOutputs(arg, path.basename(book), out, cwd)));
    } else if (info?.isDirectory()) {
      const found = (await readdir(full)).filter((f) => CHECKABLE.test(f) && !f.startsWith('.')).sort();
      if (found.length === 0) throw new UsageError(`no PDF, EPUB or HTML files in ${arg}`);
      files.push(...found.map((f) => path.join(full, f)));
    } else if (/\.(md|markdown)$/i.test(arg)) {
      files.push(...(await publishedOutputs(arg, path.basename(arg).replace(/\.(md|markdown)$/i, ''), out, cwd)));
    } else if (!CHECKABLE.test(arg)) {
      throw new UsageError(`${arg}: check validates .pdf, .epub and .html files (or the .md they were published from)`);
    } else if (!info?.isFile()) {
      throw new UsageError(`${arg}: file not found`);
    } else {
      files.push(full);
    }
  }
  return [...new Set(files)];
}

async function checkOne(file: string, cwd: string, env: NodeJS.ProcessEnv, browser: () => Promise<Browser>): Promise<CheckedOutput> {
  const shown = shownPath(file, cwd);
  if (/\.pdf$/i.test(file)) {
    const { facts, problems } = await checkPdf(file);
    const failed = problems.some((p) => p.severity === 'error');
    const summary = facts
      ? [
          `${facts.pages} page${facts.pages === 1 ? '' : 's'}`,
          `${facts.fonts.filter((f) => f.embedded && f.subtype !== 'Type3').length}/${facts.fonts.length} fonts embedded`,
          facts.tagged ? 'tagged' : 'not tagged',
          facts.title ? `title “${facts.title}”` : 'no title',
          facts.lang ? `lang ${facts.lang}` : 'no lang',
          ...(facts.structure ? [`PDF/UA-1 structure checked (${facts.structure.elements} elements)`] : []),
        ].join(', ')
      : 'unreadable';
    const result: CheckedOutput = { path: shown, format: 'pdf', status: failed ? 'failed' : 'passed', summary, problems };
    if (facts) result.pages = facts.pages;
    return result;
  }
  if (/\.html$/i.test(file)) return checkHtml(file, shown, browser);
  const [epubcheck, ace] = await Promise.all([epubcheckSummary(file, env), aceSummary(file, env)]);
  const problems = [...epubcheck.problems, ...ace.problems];
  const ran = [epubcheck, ace].filter((part) => part.ran);
  const status = problems.some((p) => p.severity === 'error') ? 'failed' : ran.length === 0 ? 'skipped' : 'passed';
  return { path: shown, format: 'epub', status, summary: `${epubcheck.summary}; ${ace.summary}`, problems };
}

interface PartCheck {
  /** The tool ran (false: skipped). */
  ran: boolean;
  summary: string;
  problems: CheckProblem[];
}

async function epubcheckSummary(file: string, env: NodeJS.ProcessEnv): Promise<PartCheck> {
  const tool = findEpubcheck(env);
  if ('missing' in tool) return { ran: false, summary: `epubcheck skipped: ${tool.missing}`, problems: [] };
  const checked = await runEpubcheck(tool, file);
  const errors = checked.problems.filter((p) => p.severity === 'error').length;
  const warnings = checked.problems.length - errors;
  const name = `epubcheck${checked.version ? ` ${checked.version}` : ''}`;
  return { ran: true, summary: errors + warnings === 0 ? `${name}: no errors or warnings` : `${name}: ${errors} errors, ${warnings} warnings`, problems: checked.problems };
}

async function aceSummary(file: string, env: NodeJS.ProcessEnv): Promise<PartCheck> {
  const tool = findAce(env);
  if ('missing' in tool) return { ran: false, summary: `Ace skipped: ${tool.missing}`, problems: [] };
  const result = await runAce(tool, file);
  const conformsTo = result.metadata['dcterms:conformsTo'];
  const claim = typeof conformsTo === 'string' ? `, claims “${conformsTo}”` : Array.isArray(conformsTo) ? `, claims “${conformsTo.join('”, “')}”` : ', no conformance claimed';
  const summary = result.outcome === 'unknown' ? `Ace ${result.version}: did not run` : `Ace ${result.version}: ${result.violations.length} violation${result.violations.length === 1 ? '' : 's'}${claim}`;
  return { ran: true, summary, problems: result.problems };
}

async function checkHtml(file: string, shown: string, browser: () => Promise<Browser>): Promise<CheckedOutput> {
  const tool = await findAxe();
  if ('missing' in tool) return { path: shown, format: 'html', status: 'skipped', summary: `axe-core skipped: ${tool.missing}`, problems: [] };
  const checked = await checkWebPage(tool, await browser(), file);
  const failed = checked.problems.some((p) => p.severity === 'error');
  const views = '1280 and 375 px, light and dark';
  const summary = checked.version
    ? `axe-core ${checked.version} (WCAG 2.2 AA and best practices, ${views}): ${checked.violations.length} violation${checked.violations.length === 1 ? '' : 's'}`
    : 'axe-core: did not run';
  return { path: shown, format: 'html', status: failed ? 'failed' : 'passed', summary, problems: checked.problems };
}

export async function checkCommand(args: readonly string[], flags: CheckFlags, io: CommandIO): Promise<number> {
  const project = await loadProjectConfig(io.cwd, {
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(flags.out === undefined ? {} : { out: flags.out }),
  });
  const files = await outputsToCheck(args, io.cwd, project.config.out);
  const results: CheckedOutput[] = [];
  // A browser for the web pages' checks, started on first use.
  let opened: Promise<Browser> | undefined;
  const browser = (): Promise<Browser> => (opened ??= openBrowser());
  try {
    for (const file of files) {
      const result = await checkOne(file, io.cwd, io.env, browser);
      results.push(result);
      if (!flags.json && !(flags.quiet && result.status === 'passed')) {
        const mark = result.status === 'passed' ? '✔' : result.status === 'failed' ? '✖' : '–';
        const lines = [`${mark} ${result.path}  ${result.summary}`];
        for (const p of result.problems) lines.push(`  ${formatDiagnostic({ file: result.path, severity: p.severity, reason: p.reason, ruleId: p.ruleId })}`);
        io.stderr.write(`${lines.join('\n')}\n`);
      }
    }
  } finally {
    const started = await opened?.catch(() => undefined);
    if (started) await closeBrowser(started);
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const code = failed > 0 ? 1 : 0;
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ok: code === 0, exitCode: code, imprint: io.version, outputs: results }, null, 2)}\n`);
  } else if (!flags.quiet) {
    io.stderr.write(`${results.length} output${results.length === 1 ? '' : 's'} checked, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
  return code;
}
