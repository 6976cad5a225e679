/**
 * `npm run bench`: how fast `imprint publish` is, as a user runs it (a new process each time,
 * Node's start-up and the browser launch included), on generated inputs in a throw-away project.
 *
 * First the rows of issue 18, each a ratio to something measured in the same run, the two
 * interleaved run by run (medians of --runs, at least 5 by default), so a busy machine slows both:
 *
 *   sample, cold, html+pdf+epub      ÷ the floor (Chromium launched through puppeteer-core with the
 *                                      same flags, one CJK line printed, closed: bench/floor.ts)  ≤ 1.3
 *   50× the sample, html+pdf+epub    ÷ md-to-pdf's PDF of it                                      ≤ 1.0
 *   batch of 20, html+pdf+epub       ÷ md-to-pdf's PDFs of the same 20                            ≤ 0.25
 *   rebuild with nothing changed     ÷ `node -e 0`                                                ≤ 3
 *
 * each with the Node process's peak RSS and the largest process's (Chromium's included), both
 * ≤ 200 MB. Then more cases for context: a running Chromium (--browser-endpoint), PDF only beside
 * md-to-pdf, EPUB only beside Pandoc, and the linear-time pair (100 000 characters in one paragraph
 * and in 500; the page layout's cost must grow with the text, not with the paragraph).
 * md-to-pdf and Pandoc are used when installed (on PATH or in node_modules/.bin); a row whose peer
 * is missing prints no ratio. Images are offline placeholders (the sample's CDN is unreachable).
 *
 *   node dist/bench/bench.js [--runs N] [--keep] [--only case,…]
 *
 * and a book of the batch's 20 articles as 20 chapters, interleaved with the batch (issue 16: the
 * book takes no longer than its chapters published one by one in one run).
 *
 * --only runs some of the cases: sample, long, batch, noop (the issue's rows), book (with the batch
 * beside it), running, pdf, epub, linear.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../src/browser/provider.js';
import type { JsonReport } from '../src/diagnostics/json-report.js';
import { BATCH_SIZE, generateInputs, LINEAR_CHARS, LINEAR_PARAGRAPHS, LONG_FACTOR } from './inputs.js';
import { measure, median, type Measured } from './measure.js';
import { findMdToPdf, findPandoc, type Peer } from './peers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const FLOOR = path.join(HERE, 'floor.js');
const BIN = path.join(REPO, 'bin', 'imprint.js');
const SAMPLE = path.join(REPO, 'content', 'biden-xi-summit.md');

const CASES = ['sample', 'long', 'batch', 'noop', 'book', 'running', 'pdf', 'epub', 'linear'] as const;
type Case = (typeof CASES)[number];

interface Args {
  runs: number | undefined;
  keep: boolean;
  only: Case[] | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { runs: undefined, keep: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--keep') args.keep = true;
    else if (arg === '--runs') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error('--runs needs a whole number ≥ 1');
      args.runs = n;
    } else if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = names.filter((n) => !(CASES as readonly string[]).includes(n));
      if (names.length === 0 || unknown.length > 0) throw new Error(`--only takes cases among ${CASES.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`);
      args.only = names as Case[];
    } else throw new Error(`unknown argument ${arg ?? ''} (use --runs N, --keep, --only case,…)`);
  }
  return args;
}

/** One Imprint run's figures. */
interface ImprintRun {
  measured: Measured;
  report: JsonReport | undefined;
  launches: number;
}

interface Context {
  root: string;
  launchLog: string;
  env: NodeJS.ProcessEnv;
  /** Every Imprint run, for peak RSS and browser launches. */
  all: ImprintRun[];
  failures: string[];
}

const seconds = (ms: number): string => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'n/a');
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const progress = (text: string): void => void process.stderr.write(text);

/** A Chromium started for the whole bench, as a browser pool would keep one: its ws:// endpoint and a stop. */
async function startRunningBrowser(executable: string, root: string): Promise<{ endpoint: string; stop: () => void }> {
  const { chromiumArgs } = await import('../src/browser/provider.js');
  const args = [...chromiumArgs(), '--headless', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${path.join(root, 'running-profile')}`, 'about:blank'];
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the running Chromium gave no DevTools endpoint in 30 s')), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => reject(new Error(`the running Chromium exited (${code})`)));
  });
  return { endpoint, stop: () => void child.kill('SIGKILL') };
}

async function runImprint(ctx: Context, project: string, formats: string, cold: boolean, extra: readonly string[] = []): Promise<ImprintRun> {
  if (cold) {
    await rm(path.join(project, 'output'), { recursive: true, force: true });
    await rm(path.join(project, '.cache', 'builds.json'), { force: true });
  }
  await writeFile(ctx.launchLog, '');
  const measured = await measure(BIN, ['publish', '--offline', '--json', '--format', formats, ...extra], { cwd: project, node: true, env: ctx.env });
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(measured.stdout) as JsonReport;
  } catch {
    report = undefined;
  }
  const launches = (await readFile(ctx.launchLog, 'utf8')).split('\n').filter(Boolean).length;
  if (measured.code !== 0 || !report?.ok) {
    const failed = report?.documents?.find((d) => !d.ok);
    const reason = failed?.error ?? measured.stderr.trim().split('\n').slice(-3).join(' ');
    ctx.failures.push(`${path.basename(project)} (${formats}): exit ${measured.code}: ${reason}`);
  }
  const run: ImprintRun = { measured, report, launches };
  ctx.all.push(run);
  progress('.');
  return run;
}

async function runPeer(ctx: Context, peer: Peer, files: readonly string[], out: string): Promise<Measured> {
  const measured = await measure(peer.command, peer.args(files, out), { cwd: ctx.root, env: ctx.env });
  if (measured.code !== 0) ctx.failures.push(`${peer.name}: exit ${measured.code}: ${measured.stderr.trim().split('\n').slice(-2).join(' ')}`);
  progress(',');
  return measured;
}

interface Row {
  label: string;
  runs: readonly Measured[];
  extra?: string;
}

/** Median wall-clock time of runs, in ms. */
const wall = (runs: readonly Measured[]): number => median(runs.map((r) => r.ms));
/** Median CPU time of runs (every process), in ms; NaN when unknown. */
const cpu = (runs: readonly Measured[]): number => median(runs.map((r) => r.cpuMs ?? Number.NaN));
/** Median CPU time of the Node process alone, in ms; NaN when unknown. */
const nodeCpu = (runs: readonly Measured[]): number => median(runs.map((r) => r.nodeCpuMs ?? Number.NaN));
/** Highest peak RSS of the runs' Node process, in bytes. */
const rss = (runs: readonly Measured[]): number => Math.max(0, ...runs.map((r) => r.peakRss ?? 0));

function table(rows: readonly Row[]): string {
  const width = Math.max(...rows.map((r) => r.label.length));
  return rows
    .filter((r) => r.runs.length > 0)
    .map((r) => {
      const node = r.runs.some((run) => run.nodeCpuMs !== undefined) ? ` (Node ${seconds(nodeCpu(r.runs))}, RSS ${megabytes(rss(r.runs))})` : '';
      const figures = `${String(r.runs.length).padStart(2)}×  median ${seconds(wall(r.runs)).padStart(8)}  CPU ${seconds(cpu(r.runs)).padStart(8)}${node}`;
      return `  ${r.label.padEnd(width)}  ${figures}${r.extra ? `  ${r.extra}` : ''}`;
    })
    .join('\n');
}

/** ✔ or ✖; – when a figure it needs was not measured (a case left out with --only). */
function verdict(ok: boolean, ...figures: number[]): string {
  if (figures.some((f) => Number.isNaN(f))) return '–';
  return ok ? '✔' : '✖';
}

function stageMedians(runs: readonly ImprintRun[]): string {
  const byStage = new Map<string, number[]>();
  for (const run of runs) {
    for (const doc of run.report?.documents ?? []) {
      for (const t of doc.timings) byStage.set(t.stage, [...(byStage.get(t.stage) ?? []), t.ms]);
    }
  }
  return [...byStage].map(([stage, ms]) => `${stage} ${Math.round(median(ms))} ms`).join(', ');
}

/** One issue-18 row: Imprint's runs against a reference's, their ratio and its target. */
interface RatioRow {
  label: string;
  imprint: readonly Measured[];
  reference: readonly Measured[];
  referenceLabel: string;
  target: number;
}

const largest = (runs: readonly Measured[]): number => Math.max(0, ...runs.map((r) => r.largestRss ?? 0));

function ratioTable(rows: readonly RatioRow[]): string[] {
  const cells = rows.map((r) => {
    const ratio = wall(r.imprint) / wall(r.reference);
    const nodeRss = rss(r.imprint);
    const treeRss = largest(r.imprint);
    return [
      r.label,
      `${r.imprint.length}×${r.reference.length}`,
      Number.isFinite(ratio) ? `${ratio.toFixed(2)}× ${r.referenceLabel}` : `– (no ${r.referenceLabel})`,
      `≤ ${r.target}`,
      verdict(ratio <= r.target, ratio),
      `${megabytes(nodeRss)} ${verdict(nodeRss <= 200 * 1024 * 1024, nodeRss || Number.NaN)}`,
      treeRss ? `${megabytes(treeRss)} ${verdict(treeRss <= 200 * 1024 * 1024)}` : 'n/a',
      Number.isFinite(ratio) ? `CPU ${(cpu(r.imprint) / cpu(r.reference)).toFixed(2)}×` : '',
    ];
  });
  const header = ['case', 'runs', 'ratio (medians of wall time)', 'target', '', 'Node RSS', 'largest process', 'CPU ratio'];
  const all = [header, ...cells];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (name: Case): boolean => !args.only || args.only.includes(name);
  const runs = args.runs ?? 5;
  const chromium = findChromium();
  const loadStart = os.loadavg();
  const root = await mkdtemp(path.join(os.tmpdir(), 'imprint-bench-'));
  // Chromium through a wrapper that counts launches (the same executable as without it).
  const launchLog = path.join(root, 'launches.log');
  const wrapper = path.join(root, 'chromium-counting.sh');
  await writeFile(wrapper, `#!/bin/sh\necho launch >> "${launchLog}"\nexec "${chromium?.path ?? 'chromium'}" "$@"\n`);
  await chmod(wrapper, 0o755);
  const ctx: Context = { root, launchLog, env: { PUPPETEER_EXECUTABLE_PATH: wrapper, NO_COLOR: '1' }, all: [], failures: [] };

  const pandoc = findPandoc(REPO);
  const mdToPdf = findMdToPdf(REPO, chromium?.path);
  const chromiumVersion = chromium ? (spawnSync(chromium.path, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim() : 'not found';
  const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  const say = (line = ''): void => void lines.push(line);

  try {
    const inputs = await generateInputs(root, SAMPLE);
    progress(`bench: ${root}\n`);

    // 1. The sample, cold, all three formats — interleaved with the floor.
    const sampleAll: ImprintRun[] = [];
    const floor: Measured[] = [];
    for (let i = 0; want('sample') && i < runs; i++) {
      floor.push(await measure(FLOOR, [], { cwd: root, node: true, env: ctx.env }));
      progress('_');
      sampleAll.push(await runImprint(ctx, inputs.sample, 'html,pdf,epub', true));
    }

    // 2. One article 50× the sample, cold, all three formats — interleaved with md-to-pdf (PDF).
    const long: ImprintRun[] = [];
    const peerLong: Measured[] = [];
    for (let i = 0; want('long') && i < runs; i++) {
      long.push(await runImprint(ctx, inputs.long, 'html,pdf,epub', true));
      if (mdToPdf) peerLong.push(await runPeer(ctx, mdToPdf, [inputs.files.long], ''));
    }

    // 3. A batch of 20 articles, cold, all three formats — interleaved with md-to-pdf (PDF).
    const batch: ImprintRun[] = [];
    const peerBatch: Measured[] = [];
    const book: ImprintRun[] = [];
    for (let i = 0; (want('batch') || want('book')) && i < runs; i++) {
      batch.push(await runImprint(ctx, inputs.batch, 'html,pdf,epub', true));
      if (want('book')) book.push(await runImprint(ctx, inputs.book, 'html,pdf,epub', true));
      if (mdToPdf && want('batch')) peerBatch.push(await runPeer(ctx, mdToPdf, inputs.files.batch, ''));
    }

    // 4. A rebuild with nothing changed (after one build) — interleaved with `node -e 0`.
    if (want('noop')) await runImprint(ctx, inputs.sample, 'html,pdf,epub', true);
    const noop: ImprintRun[] = [];
    const bareNode: Measured[] = [];
    for (let i = 0; want('noop') && i < runs; i++) {
      bareNode.push(await measure('-e', ['0'], { cwd: inputs.sample, node: true, env: ctx.env }));
      progress('_');
      noop.push(await runImprint(ctx, inputs.sample, 'html,pdf,epub', false));
    }

    // 5. For context: the sample with a Chromium already running (--browser-endpoint).
    const running = chromium && want('running') ? await startRunningBrowser(chromium.path, root) : undefined;
    const sampleRunning: ImprintRun[] = [];
    try {
      for (let i = 0; running && i < runs; i++) sampleRunning.push(await runImprint(ctx, inputs.sample, 'html,pdf,epub', true, ['--browser-endpoint', running.endpoint]));
    } finally {
      running?.stop();
    }

    // 6. The sample, cold, PDF only — interleaved with md-to-pdf.
    const samplePdf: ImprintRun[] = [];
    const peerPdf: Measured[] = [];
    for (let i = 0; want('pdf') && i < runs; i++) {
      samplePdf.push(await runImprint(ctx, inputs.sample, 'pdf', true));
      if (mdToPdf) peerPdf.push(await runPeer(ctx, mdToPdf, [inputs.files.sample], ''));
    }

    // 7. The sample, cold, EPUB only — interleaved with Pandoc.
    const sampleEpub: ImprintRun[] = [];
    const peerEpub: Measured[] = [];
    for (let i = 0; want('epub') && i < runs; i++) {
      sampleEpub.push(await runImprint(ctx, inputs.sample, 'epub', true));
      if (pandoc) peerEpub.push(await runPeer(ctx, pandoc, [inputs.files.sample], path.join(root, 'pandoc.epub')));
    }

    // 8. The linear-time pair, interleaved: the same characters in one paragraph and in many.
    const oneParagraph: ImprintRun[] = [];
    const paragraphs: ImprintRun[] = [];
    for (let i = 0; want('linear') && i < Math.min(runs, 3); i++) {
      oneParagraph.push(await runImprint(ctx, inputs.oneParagraph, 'html,pdf,epub', true));
      paragraphs.push(await runImprint(ctx, inputs.paragraphs, 'html,pdf,epub', true));
    }
    progress('\n');

    const m = (list: readonly ImprintRun[]): Measured[] => list.map((r) => r.measured);
    const oneParagraphMs = wall(m(oneParagraph));
    const paragraphsMs = wall(m(paragraphs));
    const coldRuns = [...sampleAll, ...samplePdf, ...batch, ...book, ...long, ...oneParagraph, ...paragraphs];
    const bookPages = book[0]?.report?.documents[0]?.outputs.find((o) => o.format === 'pdf')?.pages;
    const floorDetail = floor.at(-1)?.stdout.trim() ?? '';
    const maxLaunches = Math.max(0, ...coldRuns.map((r) => r.launches));
    const epubLaunches = Math.max(0, ...sampleEpub.map((r) => r.launches));
    const noopLaunches = Math.max(0, ...noop.map((r) => r.launches));
    const noopAllSkipped = noop.every((r) => r.report?.documents.every((d) => d.outputs.length === 3 && d.outputs.every((o) => o.skipped === true)) === true);
    const longPages = long[0]?.report?.documents[0]?.outputs.find((o) => o.format === 'pdf')?.pages;

    say(`Imprint bench — ${os.availableParallelism()} cores (${cpuModel}), Node ${process.version}, ${chromiumVersion}`);
    say(`load average at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    say(`inputs: sample ${(await readFile(inputs.files.sample)).length} bytes; batch ${BATCH_SIZE} articles; long ${(await readFile(inputs.files.long)).length} bytes (${LONG_FACTOR}× the sample)`);
    if (mdToPdf) say(`peer: ${mdToPdf.version}`);
    say();
    say('Issue 18 (each ratio: median wall time of Imprint ÷ median of the reference, the two interleaved in this run;');
    say('RSS: the highest peak of Imprint\'s runs, of its Node process and of its largest process, Chromium\'s included):');
    const rows: RatioRow[] = [];
    if (floor.length) rows.push({ label: 'sample, cold, html+pdf+epub', imprint: m(sampleAll), reference: floor, referenceLabel: 'the floor', target: 1.3 });
    if (long.length) rows.push({ label: `${LONG_FACTOR}× the sample, html+pdf+epub`, imprint: m(long), reference: peerLong.length ? peerLong : [], referenceLabel: "md-to-pdf's PDF", target: 1.0 });
    if (batch.length) rows.push({ label: `batch of ${BATCH_SIZE}, html+pdf+epub`, imprint: m(batch), reference: peerBatch, referenceLabel: "md-to-pdf's PDFs", target: 0.25 });
    if (book.length) rows.push({ label: `book of ${BATCH_SIZE} chapters, html+pdf+epub`, imprint: m(book), reference: m(batch), referenceLabel: 'the same articles one by one', target: 1.0 });
    if (noop.length) rows.push({ label: 'rebuild, nothing changed', imprint: m(noop), reference: bareNode, referenceLabel: '`node -e 0`', target: 3 });
    for (const line of ratioTable(rows)) say(line);
    if (!mdToPdf && (long.length || batch.length)) say('  md-to-pdf is not installed: the rows against it have no ratio (– ).');
    say(`  the reference rows: floor ${floorDetail ? `(${floorDetail}) ` : ''}largest process ${megabytes(largest(floor))}; md-to-pdf largest process ${megabytes(largest([...peerLong, ...peerBatch]))}`);
    say(`  the no-op: ${noopLaunches} browser launches, ${noopAllSkipped ? 'every output skipped' : 'NOT every output skipped'}; browsers launched per cold run: at most ${maxLaunches} (epub only: ${epubLaunches})`);
    say();
    say('Every case (a new process per run; CPU is user + system time of the command and every process it started,');
    say('which a busy machine inflates less than wall-clock time; Node is the Imprint process alone):');
    say(
      table([
        { label: 'chromium floor', runs: floor },
        { label: 'sample, cold, html+pdf+epub', runs: m(sampleAll) },
        { label: `long (${LONG_FACTOR}×), cold, html+pdf+epub`, runs: m(long), extra: longPages ? `${longPages} PDF pages` : '' },
        { label: `md-to-pdf, long (${LONG_FACTOR}×), pdf`, runs: peerLong },
        { label: `batch of ${BATCH_SIZE}, cold, html+pdf+epub`, runs: m(batch), extra: `${seconds(wall(m(batch)) / BATCH_SIZE)} per article` },
        { label: `md-to-pdf, batch of ${BATCH_SIZE}, pdf`, runs: peerBatch },
        { label: `book of ${BATCH_SIZE} chapters, cold, html+pdf+epub`, runs: m(book), extra: bookPages ? `${bookPages} PDF pages` : '' },
        { label: 'node -e 0', runs: bareNode },
        { label: 'rebuild, nothing changed', runs: m(noop) },
        { label: 'sample, cold, running Chromium', runs: m(sampleRunning), extra: 'html+pdf+epub, --browser-endpoint' },
        { label: 'sample, cold, pdf', runs: m(samplePdf), extra: peerPdf.length ? `${(wall(m(samplePdf)) / wall(peerPdf)).toFixed(2)}× md-to-pdf` : '' },
        { label: 'md-to-pdf, sample, pdf', runs: peerPdf },
        { label: 'sample, cold, epub', runs: m(sampleEpub), extra: peerEpub.length ? `${(wall(m(sampleEpub)) / wall(peerEpub)).toFixed(2)}× pandoc` : '' },
        { label: 'pandoc, sample, epub', runs: peerEpub },
        { label: `${LINEAR_CHARS / 1000}k chars, 1 paragraph`, runs: m(oneParagraph), extra: `${(oneParagraphMs / paragraphsMs).toFixed(2)}× the same text in ${LINEAR_PARAGRAPHS} paragraphs (≤ 2 ${verdict(oneParagraphMs <= 2 * paragraphsMs, oneParagraphMs)})` },
        { label: `${LINEAR_CHARS / 1000}k chars, ${LINEAR_PARAGRAPHS} paragraphs`, runs: m(paragraphs) },
      ]),
    );
    say(`  stages of the sample (median): ${stageMedians(sampleAll)}`);
    if (ctx.failures.length > 0) {
      say();
      say(`Failed runs (${ctx.failures.length}):`);
      for (const failure of [...new Set(ctx.failures)]) say(`  ${failure}`);
      process.exitCode = 1;
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (args.keep) progress(`bench: inputs and outputs kept in ${root}\n`);
    else await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
