/**
 * Checks an EPUB with Ace by DAISY (the checker publishers and auditors use for EPUB
 * Accessibility 1.1: axe-core on every content document, plus the package's accessibility
 * metadata), when it is installed: `@daisy/ace-core` and its Puppeteer runner
 * `@daisy/ace-axe-runner-puppeteer` (devDependencies of Imprint; `npm i -D` them in a project),
 * on the Chromium Imprint prints with. Without them the check is skipped with a reason, never
 * failed. Ace runs in a child process (src/check/ace-process.ts) that is stopped at a deadline.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../browser/chromium.js';
import { checkProblem, type CheckProblem } from './pdf.js';

export interface AceTool {
  /** Ace's version, e.g. "1.4.6". */
  version: string;
  chromium: string;
}

/** Ace and a Chromium, or why Ace cannot run here (`require` loads a package: Node's, by default). */
export function findAce(env: NodeJS.ProcessEnv = process.env, require: NodeJS.Require = createRequire(import.meta.url)): AceTool | { missing: string } {
  let version: string;
  try {
    require.resolve('@daisy/ace-axe-runner-puppeteer');
    version = (require('@daisy/ace-core/package.json') as { version: string }).version;
  } catch {
    return { missing: 'not installed (npm i -D @daisy/ace-core @daisy/ace-axe-runner-puppeteer, with PUPPETEER_SKIP_DOWNLOAD=1)' };
  }
  const chromium = findChromium(env);
  if (!chromium) return { missing: 'no Chrome or Chromium to run it in' };
  return { version, chromium: chromium.path };
}

/** One failed assertion of Ace's report. */
export interface AceViolation {
  /** The axe rule or Ace check, e.g. "color-contrast". */
  rule: string;
  /** critical, serious, moderate or minor. */
  impact: string;
  /** The content document (or the package) it was found in. */
  document: string;
  description: string;
  /** The element's markup, when the rule is about one. */
  html?: string;
}

export interface AceResult {
  version: string;
  /** Ace's verdict for the whole book. */
  outcome: 'pass' | 'fail' | 'unknown';
  violations: AceViolation[];
  /** The package's accessibility metadata as Ace read it (conformsTo, accessMode, …). */
  metadata: Record<string, unknown>;
  /** The violations (and a failure to run) as problems of `imprint check`. */
  problems: CheckProblem[];
}

interface EarlAssertion {
  'earl:testSubject'?: { url?: string };
  'earl:test'?: { 'dct:title'?: string; 'earl:impact'?: string };
  'earl:result'?: { 'earl:outcome'?: string; 'dct:description'?: string; html?: string };
  assertions?: EarlAssertion[];
}

interface AceReport {
  'earl:result'?: { 'earl:outcome'?: string };
  'earl:testSubject'?: { metadata?: Record<string, unknown> };
  assertions?: EarlAssertion[];
}

/** The failed assertions of a report, each with the document it was found in. */
export function aceViolations(report: AceReport): AceViolation[] {
  const out: AceViolation[] = [];
  const walk = (assertions: readonly EarlAssertion[], document: string): void => {
    for (const assertion of assertions) {
      const here = assertion['earl:testSubject']?.url ?? document;
      if (assertion.assertions) walk(assertion.assertions, here);
      const result = assertion['earl:result'];
      if (assertion.assertions || result?.['earl:outcome'] !== 'fail') continue;
      const violation: AceViolation = {
        rule: assertion['earl:test']?.['dct:title'] ?? 'unknown',
        impact: assertion['earl:test']?.['earl:impact'] ?? 'unknown',
        document: here.replace(/^\//, ''),
        description: (result['dct:description'] ?? '').replace(/\s+/g, ' ').trim(),
      };
      if (result.html) violation.html = result.html.replace(/\s+/g, ' ').trim();
      out.push(violation);
    }
  };
  walk(report.assertions ?? [], 'package');
  return out;
}

/** Runs Ace on `file`; a failure to run is reported as an ace-run problem, never thrown. */
export async function runAce(tool: AceTool, file: string, timeoutMs = 300_000): Promise<AceResult> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'imprint-ace-'));
  const script = fileURLToPath(new URL('./ace-process.js', import.meta.url));
  try {
    const { code, signal, output } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, [script, file, outdir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: tool.chromium, PUPPETEER_SKIP_DOWNLOAD: '1' },
      });
      let output = '';
      const keep = (d: Buffer): void => {
        output = (output + d.toString()).slice(-4000);
      };
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, output: error.message });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, output });
      });
    });
    const report = JSON.parse(await readFile(path.join(outdir, 'report.json'), 'utf8').catch(() => 'null')) as AceReport | null;
    if (code !== 0 || !report) {
      const why = signal ? `did not finish (${signal})` : `could not run (exit ${code ?? 'none'}): ${output.trim().split('\n').filter((l) => !l.startsWith('[winston]')).pop() ?? ''}`;
      return { version: tool.version, outcome: 'unknown', violations: [], metadata: {}, problems: [checkProblem('ace-run', `Ace ${why}`)] };
    }
    const violations = aceViolations(report);
    const outcome = report['earl:result']?.['earl:outcome'] === 'pass' ? 'pass' : 'fail';
    const problems = violations.map(
      (v): CheckProblem => ({
        severity: 'error',
        ruleId: `ace-${v.rule}`,
        reason: `${v.document}: ${v.description} (${v.impact})${v.html ? `: ${v.html.length > 160 ? `${v.html.slice(0, 159)}…` : v.html}` : ''}`,
      }),
    );
    if (outcome === 'fail' && problems.length === 0) problems.push(checkProblem('ace-run', 'Ace failed the book without naming a violation'));
    return { version: tool.version, outcome, violations, metadata: report['earl:testSubject']?.metadata ?? {}, problems };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}
