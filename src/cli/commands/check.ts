/**
 * `imprint check [files…]`: validates outputs that were already published. PDFs get the
 * built-in checks (fonts embedded, metadata, tagged, PDF/UA-1 structure: src/check/pdf-ua.ts);
 * EPUBs get epubcheck when Java is there.
 * Without files, every .pdf and .epub in the output folder is checked; a Markdown file (or a
 * book: its folder or book.yaml) stands for its outputs. Exit codes: 0 no errors (warnings and
 * skipped checks allowed), 1 an output has errors, 2 usage or config error.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { formatDiagnostic } from '../../diagnostics/report.js';
import { shownPath } from '../../diagnostics/report.js';
import { findEpubcheck, runEpubcheck } from '../../check/epub.js';
import { checkPdf, type CheckProblem } from '../../check/pdf.js';
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
  format: 'pdf' | 'epub';
  status: 'passed' | 'failed' | 'skipped';
  /** What was found (pages, fonts, title, …) or why the check was skipped. */
  summary: string;
  problems: CheckProblem[];
  pages?: number;
}

const CHECKABLE = /\.(pdf|epub)$/i;


async function outputsToCheck(args: readonly string[], cwd: string, outDir: string): Promise<string[]> {
  const out = path.resolve(cwd, outDir);
  if (args.length === 0) {
    const entries = await readdir(out).catch(() => []);
    const files = entries.filter((f) => CHECKABLE.test(f) && !f.startsWith('.')).sort().map((f) => path.join(out, f));
    if (files.length === 0) throw new UsageError(`no PDF or EPUB files in ${shownPath(out, cwd)}/ (run \`imprint publish\` first)`);
    return files;
  }
  const files: string[] = [];
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    const info = await stat(full).catch(() => undefined);
    const book = info ? bookFolderOf(full) : undefined;
    if (book) {
      // A book (its folder or its book.yaml) stands for its outputs, as an article's .md does.
      const base = path.basename(book);
      const found = [];
      for (const ext of ['pdf', 'epub']) {
        const candidate = path.join(out, `${base}.${ext}`);
        if (await stat(candidate).catch(() => undefined)) found.push(candidate);
      }
      if (found.length === 0) throw new UsageError(`${arg}: no ${base}.pdf or ${base}.epub in ${shownPath(out, cwd)}/ (publish it first)`);
      files.push(...found);
    } else if (info?.isDirectory()) {
      const found = (await readdir(full)).filter((f) => CHECKABLE.test(f) && !f.startsWith('.')).sort();
      if (found.length === 0) throw new UsageError(`no PDF or EPUB files in ${arg}`);
      files.push(...found.map((f) => path.join(full, f)));
    } else if (/\.(md|markdown)$/i.test(arg)) {
      const base = path.basename(arg).replace(/\.(md|markdown)$/i, '');
      const found = [];
      for (const ext of ['pdf', 'epub']) {
        const candidate = path.join(out, `${base}.${ext}`);
        if (await stat(candidate).catch(() => undefined)) found.push(candidate);
      }
      if (found.length === 0) throw new UsageError(`${arg}: no ${base}.pdf or ${base}.epub in ${shownPath(out, cwd)}/ (publish it first)`);
      files.push(...found);
    } else if (!CHECKABLE.test(arg)) {
      throw new UsageError(`${arg}: check validates .pdf and .epub files (or the .md they were published from)`);
    } else if (!info?.isFile()) {
      throw new UsageError(`${arg}: file not found`);
    } else {
      files.push(full);
    }
  }
  return [...new Set(files)];
}

async function checkOne(file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CheckedOutput> {
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
  const tool = findEpubcheck(env);
  if ('missing' in tool) return { path: shown, format: 'epub', status: 'skipped', summary: `not checked: ${tool.missing}`, problems: [] };
  const checked = await runEpubcheck(tool, file);
  const errors = checked.problems.filter((p) => p.severity === 'error').length;
  const warnings = checked.problems.length - errors;
  const name = `epubcheck${checked.version ? ` ${checked.version}` : ''}`;
  return {
    path: shown,
    format: 'epub',
    status: errors > 0 ? 'failed' : 'passed',
    summary: errors + warnings === 0 ? `${name}: no errors or warnings` : `${name}: ${errors} errors, ${warnings} warnings`,
    problems: checked.problems,
  };
}

export async function checkCommand(args: readonly string[], flags: CheckFlags, io: CommandIO): Promise<number> {
  const project = await loadProjectConfig(io.cwd, {
    ...(flags.config === undefined ? {} : { config: flags.config }),
    ...(flags.out === undefined ? {} : { out: flags.out }),
  });
  const files = await outputsToCheck(args, io.cwd, project.config.out);
  const results: CheckedOutput[] = [];
  for (const file of files) {
    const result = await checkOne(file, io.cwd, io.env);
    results.push(result);
    if (!flags.json && !(flags.quiet && result.status === 'passed')) {
      const mark = result.status === 'passed' ? '✔' : result.status === 'failed' ? '✖' : '–';
      const lines = [`${mark} ${result.path}  ${result.summary}`];
      for (const p of result.problems) lines.push(`  ${formatDiagnostic({ file: result.path, severity: p.severity, reason: p.reason, ruleId: p.ruleId })}`);
      io.stderr.write(`${lines.join('\n')}\n`);
    }
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
