/**
 * `npm run bench`: how fast `imprint publish` is, as a user runs it (a new process each time,
 * Node's start-up and the browser launch included), on generated inputs in a throw-away project:
 *
 *   the sample, cold, to HTML + PDF + EPUB          (also PDF only and EPUB only, for the peers)
 *   a batch of 20 articles, cold, all three formats
 *   the same 20 articles as one book of 20 chapters, cold, all three formats (interleaved with
 *   the batch: the book must take no longer than its chapters published one by one in one run)
 *   one article 50 times the sample's length, cold, all three formats
 *   100 000 characters in one paragraph and in 500 paragraphs, cold, all three formats (the
 *   page layout's cost must grow with the text, not with the paragraph)
 *   a rebuild with nothing changed
 *
 * Each case runs several times (--runs N) and the medians are printed, with Node's peak RSS and
 * how many browsers each run launched (Chromium is started through a wrapper that counts).
 * When Pandoc or md-to-pdf is installed it runs on the same input, interleaved with Imprint,
 * and the ratios are printed. Images are offline placeholders (the sample's CDN is unreachable).
 *
 *   node dist/bench/bench.js [--runs N] [--keep] [--only case,…]
 *
 * --only runs some of the cases: sample, floor, running, pdf, epub, batch, book, long, linear, noop
 * (book runs the batch beside it).
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

const CASES = ['sample', 'floor', 'running', 'pdf', 'epub', 'batch', 'book', 'long', 'linear', 'noop'] as const;
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (name: Case): boolean => !args.only || args.only.includes(name);
  const small = args.runs ?? 5;
  const large = args.runs ?? 3;
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
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [];
  const say = (line = ''): void => void lines.push(line);

  try {
    const inputs = await generateInputs(root, SAMPLE);
    progress(`bench: ${root}\n`);

    // 1. The sample, cold, all three formats.
    const sampleAll: ImprintRun[] = [];
    for (let i = 0; want('sample') && i < small; i++) sampleAll.push(await runImprint(ctx, inputs.sample, 'html,pdf,epub', true));

    // 1b. The floor: Chromium alone launched, printing one line, closed.
    const floor: Measured[] = [];
    for (let i = 0; want('floor') && i < small; i++) {
      floor.push(await measure(FLOOR, [], { cwd: root, node: true, env: ctx.env }));
      progress('_');
    }

    // 1c. The sample, cold, with a Chromium that is already running (--browser-endpoint).
    const running = chromium && want('running') ? await startRunningBrowser(chromium.path, root) : undefined;
    const sampleRunning: ImprintRun[] = [];
    try {
      for (let i = 0; running && i < small; i++) sampleRunning.push(await runImprint(ctx, inputs.sample, 'html,pdf,epub', true, ['--browser-endpoint', running.endpoint]));
    } finally {
      running?.stop();
    }

    // 2. The sample, cold, PDF only — interleaved with md-to-pdf.
    const samplePdf: ImprintRun[] = [];
    const peerPdf: Measured[] = [];
    for (let i = 0; want('pdf') && i < small; i++) {
      samplePdf.push(await runImprint(ctx, inputs.sample, 'pdf', true));
      if (mdToPdf) peerPdf.push(await runPeer(ctx, mdToPdf, [inputs.files.sample], ''));
    }

    // 3. The sample, cold, EPUB only — interleaved with Pandoc.
    const sampleEpub: ImprintRun[] = [];
    const peerEpub: Measured[] = [];
    for (let i = 0; want('epub') && i < small; i++) {
      sampleEpub.push(await runImprint(ctx, inputs.sample, 'epub', true));
      if (pandoc) peerEpub.push(await runPeer(ctx, pandoc, [inputs.files.sample], path.join(root, 'pandoc.epub')));
    }

    // 4. A batch of 20 articles, cold, all three formats — interleaved with md-to-pdf (PDF), and
    //    with the same articles as one book of 20 chapters.
    const batch: ImprintRun[] = [];
    const peerBatch: Measured[] = [];
    const book: ImprintRun[] = [];
    for (let i = 0; (want('batch') || want('book')) && i < large; i++) {
      batch.push(await runImprint(ctx, inputs.batch, 'html,pdf,epub', true));
      if (want('book')) book.push(await runImprint(ctx, inputs.book, 'html,pdf,epub', true));
      if (mdToPdf && want('batch')) peerBatch.push(await runPeer(ctx, mdToPdf, inputs.files.batch, ''));
    }

    // 5. One long article, cold, all three formats — interleaved with md-to-pdf (PDF).
    const long: ImprintRun[] = [];
    const peerLong: Measured[] = [];
    for (let i = 0; want('long') && i < large; i++) {
      long.push(await runImprint(ctx, inputs.long, 'html,pdf,epub', true));
      if (mdToPdf) peerLong.push(await runPeer(ctx, mdToPdf, [inputs.files.long], ''));
    }

    // 5b. The linear-time pair, interleaved: the same characters in one paragraph and in many.
    const oneParagraph: ImprintRun[] = [];
    const paragraphs: ImprintRun[] = [];
    for (let i = 0; want('linear') && i < large; i++) {
      oneParagraph.push(await runImprint(ctx, inputs.oneParagraph, 'html,pdf,epub', true));
      paragraphs.push(await runImprint(ctx, inputs.paragraphs, 'html,pdf,epub', true));
    }

    // 6. A rebuild with nothing changed (after one build).
    if (want('noop')) await runImprint(ctx, inputs.sample, 'html,pdf,epub', true);
    const noop: ImprintRun[] = [];
    for (let i = 0; want('noop') && i < small; i++) noop.push(await runImprint(ctx, inputs.sample, 'html,pdf,epub', false));
    progress('\n');

    const m = (runs: readonly ImprintRun[]): Measured[] => runs.map((r) => r.measured);
    const ms = wall;
    const sampleAllMs = wall(m(sampleAll));
    const samplePdfMs = wall(m(samplePdf));
    const sampleEpubMs = wall(m(sampleEpub));
    const batchMs = wall(m(batch));
    const bookMs = wall(m(book));
    const bookPages = book[0]?.report?.documents[0]?.outputs.find((o) => o.format === 'pdf')?.pages;
    const longMs = wall(m(long));
    const oneParagraphMs = wall(m(oneParagraph));
    const paragraphsMs = wall(m(paragraphs));
    const noopMs = wall(m(noop));
    const peakRss = Math.max(...ctx.all.map((r) => r.measured.peakRss ?? 0));
    const coldRuns = [...sampleAll, ...samplePdf, ...batch, ...book, ...long, ...oneParagraph, ...paragraphs];
    const floorMs = wall(floor);
    const floorDetail = floor.at(-1)?.stdout.trim() ?? '';
    const maxLaunches = Math.max(0, ...coldRuns.map((r) => r.launches));
    const epubLaunches = Math.max(0, ...sampleEpub.map((r) => r.launches));
    const noopLaunches = Math.max(0, ...noop.map((r) => r.launches));
    const noopAllSkipped = noop.every((r) => r.report?.documents.every((d) => d.outputs.length === 3 && d.outputs.every((o) => o.skipped === true)) === true);
    const longPages = long[0]?.report?.documents[0]?.outputs.find((o) => o.format === 'pdf')?.pages;

    say(`Imprint bench — ${os.availableParallelism()} cores (${cpu}), Node ${process.version}, ${chromiumVersion}`);
    say(`load average at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    say(`inputs: sample ${(await readFile(inputs.files.sample)).length} bytes; batch ${BATCH_SIZE} articles; long ${(await readFile(inputs.files.long)).length} bytes (${LONG_FACTOR}× the sample)`);
    say();
    say('Imprint (`imprint publish --offline`, a new process per run; CPU is user + system time of Imprint and the');
    say('Chromium it started, which a busy machine inflates less than wall-clock time; Node is the Imprint process alone):');
    say(
      table([
        { label: 'sample, cold, html+pdf+epub', runs: m(sampleAll) },
        { label: 'sample, cold, running Chromium', runs: m(sampleRunning), extra: 'html+pdf+epub, --browser-endpoint' },
        { label: 'sample, cold, pdf', runs: m(samplePdf) },
        { label: 'sample, cold, epub', runs: m(sampleEpub) },
        { label: `batch of ${BATCH_SIZE}, cold, html+pdf+epub`, runs: m(batch), extra: `${seconds(batchMs / BATCH_SIZE)} per article` },
        { label: `book of ${BATCH_SIZE} chapters, cold, html+pdf+epub`, runs: m(book), extra: `${(bookMs / batchMs).toFixed(2)}× the batch of the same articles${bookPages ? `; ${bookPages} PDF pages` : ''}` },
        { label: `long (${LONG_FACTOR}×), cold, html+pdf+epub`, runs: m(long), extra: longPages ? `${longPages} PDF pages` : '' },
        { label: `${LINEAR_CHARS / 1000}k chars, 1 paragraph`, runs: m(oneParagraph), extra: `html+pdf+epub; ${(oneParagraphMs / paragraphsMs).toFixed(2)}× the same text in ${LINEAR_PARAGRAPHS} paragraphs` },
        { label: `${LINEAR_CHARS / 1000}k chars, ${LINEAR_PARAGRAPHS} paragraphs`, runs: m(paragraphs), extra: 'html+pdf+epub' },
        { label: 'rebuild, nothing changed', runs: m(noop), extra: `${noopLaunches} browser launches, ${noopAllSkipped ? 'every output skipped' : 'NOT every output skipped'}` },
      ]),
    );
    say(`  stages of the sample (median): ${stageMedians(sampleAll)}`);
    say(`  peak RSS of the Node process: ${megabytes(peakRss)}; browsers launched per cold run: at most ${maxLaunches} (epub only: ${epubLaunches})`);
    say();
    say('The floor: Chromium alone, through puppeteer-core with the same flags, launched, printing one line, closed:');
    say(table([{ label: 'chromium floor', runs: floor, extra: floorDetail }]));
    say(`  the sample in three formats takes ${(sampleAllMs / floorMs).toFixed(1)}× the floor`);
    say();

    say('Peers (same input, same Chromium, runs interleaved with Imprint):');
    if (mdToPdf) {
      say(`  ${mdToPdf.version}`);
      say(
        table([
          { label: 'md-to-pdf, sample, pdf', runs: peerPdf, extra: `Imprint pdf is ${(ms(peerPdf) / samplePdfMs).toFixed(1)}× faster` },
          { label: `md-to-pdf, batch of ${BATCH_SIZE}, pdf`, runs: peerBatch, extra: `Imprint (3 formats) ${(ms(peerBatch) / batchMs).toFixed(1)}× faster` },
          { label: `md-to-pdf, long (${LONG_FACTOR}×), pdf`, runs: peerLong, extra: `Imprint (3 formats) ${(ms(peerLong) / longMs).toFixed(1)}× faster` },
        ]),
      );
    } else {
      say('  md-to-pdf: not installed, skipped');
    }
    if (pandoc) {
      say(`  ${pandoc.version}`);
      say(table([{ label: 'pandoc, sample, epub', runs: peerEpub, extra: `Imprint epub takes ${(sampleEpubMs / ms(peerEpub)).toFixed(1)}× as long` }]));
    } else {
      say('  pandoc: not installed, skipped');
    }
    say();

    say('Targets (2-core machine):');
    say(`  ${verdict(sampleAllMs <= 800, sampleAllMs)} sample to all three formats, cold, ≤ 0.80 s: ${seconds(sampleAllMs)}`);
    if (mdToPdf) say(`  ${verdict(ms(peerPdf) / samplePdfMs >= 3, samplePdfMs)} ≥ 3× faster than md-to-pdf per PDF: ${(ms(peerPdf) / samplePdfMs).toFixed(1)}×`);
    else say('  – ≥ 3× faster than md-to-pdf per PDF: md-to-pdf not installed, skipped');
    say(`  ${verdict(batchMs / BATCH_SIZE <= 150, batchMs)} batch of ${BATCH_SIZE} ≤ 0.15 s per article: ${seconds(batchMs / BATCH_SIZE)}`);
    say(`  ${verdict(bookMs <= batchMs, bookMs, batchMs)} a book of ${BATCH_SIZE} chapters no slower than the ${BATCH_SIZE} articles one by one in one run: ${(bookMs / batchMs).toFixed(2)}× (${seconds(bookMs)} vs ${seconds(batchMs)})`);
    if (mdToPdf) say(`  ${verdict(longMs <= ms(peerLong), longMs)} long article, three formats, no slower than md-to-pdf's PDF: ${seconds(longMs)} vs ${seconds(ms(peerLong))}`);
    else say(`  – long article, three formats, no slower than md-to-pdf's PDF: ${seconds(longMs)}; md-to-pdf not installed, skipped`);
    say(`  ${verdict(oneParagraphMs <= 2 * paragraphsMs, oneParagraphMs)} one paragraph of ${LINEAR_CHARS / 1000}k characters ≤ 2× the same text in ${LINEAR_PARAGRAPHS} paragraphs: ${(oneParagraphMs / paragraphsMs).toFixed(2)}×`);
    say(`  ${verdict(noopMs <= 250 && noopLaunches === 0 && noopAllSkipped, noopMs)} no-op rebuild ≤ 0.25 s, no browser launched: ${seconds(noopMs)}, ${noopLaunches} launches`);
    say(`  ${verdict(peakRss <= 200 * 1024 * 1024)} Node peak RSS ≤ 200 MB: ${megabytes(peakRss)}`);
    say(`  ${verdict(maxLaunches <= 1)} one browser per run: at most ${maxLaunches}`);
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
