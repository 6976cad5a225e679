/**
 * What a run shows while and after it works:
 *   - on a terminal, a live display with one line per document and its stages (log-update);
 *   - in CI or when piped, plain lines, one per finished document (and per stage with --verbose);
 *   - at the end, warnings and errors grouped by file (`content/x.md:12:1 warning reason rule-id`;
 *     --verbose adds the repairs, --quiet keeps only the errors), then a table of every output
 *     with its size, page count, warnings, repairs and time.
 * Everything goes to stderr; stdout is kept for --json.
 * The live display (log-update) is loaded once a document has work beyond reading: a run whose
 * outputs are all up to date shows only the table, and starts faster for it.
 */
import type { createLogUpdate } from 'log-update';
import type { codeFrame as CodeFrame } from '../diagnostics/code-frame.js';
import type { DocumentResult, OutputFile } from '../model.js';
import type { PublishReport } from '../publish.js';
import { diagnostics, failureDiagnostic, formatBytes, formatDiagnostic, formatMs, repairCount, shownPath, warningCount, type Diagnostic } from '../diagnostics/report.js';
import type { Severity } from '../diagnostics/rules.js';

export type ProgressMode = 'live' | 'plain' | 'silent';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  rows?: number | undefined;
}

/** live on an interactive terminal, plain in CI or when piped, silent for --json and --quiet. */
export function progressMode(options: { json?: boolean | undefined; quiet?: boolean | undefined; stream: ProgressStream; env?: NodeJS.ProcessEnv }): ProgressMode {
  if (options.json || options.quiet) return 'silent';
  const env = options.env ?? process.env;
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  return options.stream.isTTY && !ci && env['TERM'] !== 'dumb' ? 'live' : 'plain';
}

/** Stages in the order a document goes through them. */
export const STAGES = ['read', 'parse', 'images', 'html', 'pdf', 'epub'] as const;

export interface Progress {
  /** A document entered a stage. */
  stage(name: string, stage: string): void;
  /** A document is done. */
  document(result: DocumentResult): void;
  /** Ends the live display (call before printing anything else). */
  stop(): void;
}

export interface ProgressOptions {
  mode: ProgressMode;
  verbose?: boolean | undefined;
  stream: ProgressStream;
  cwd: string;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Columns a string takes on a terminal (CJK and fullwidth characters take two). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 32 || (code >= 0x300 && code < 0x370) || code === 0x200b) continue;
    width += /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(char) ? 2 : 1;
  }
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** "7 warnings, 19 repairs": the warnings always, the repairs when there are any. */
function problemCounts(result: DocumentResult): string {
  const repairs = repairCount(result);
  return `${plural(warningCount(result), 'warning')}${repairs ? `, ${plural(repairs, 'repair')}` : ''}`;
}

function documentMs(result: DocumentResult): number {
  return result.timings.reduce((sum, t) => sum + t.ms, 0);
}

// ---------------------------------------------------------------------------------------------
// Live and plain progress

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface LiveDoc {
  name: string;
  stage: string;
  stages: string[];
  started: number;
  result?: DocumentResult;
}

export function createProgress(options: ProgressOptions): Progress {
  const { mode, stream } = options;
  if (mode === 'silent') return { stage: () => undefined, document: () => undefined, stop: () => undefined };

  if (mode === 'plain') {
    return {
      stage(name, stage) {
        if (options.verbose) stream.write(`  ${name}: ${stage}\n`);
      },
      document(result) {
        const detail = result.ok ? `${formatMs(documentMs(result))}, ${problemCounts(result)}` : `failed: ${result.error ?? 'unknown error'}`;
        stream.write(`${result.ok ? '✔' : '✖'} ${result.path} (${detail})\n`);
      },
      stop: () => undefined,
    };
  }

  const docs = new Map<string, LiveDoc>();
  // Some terminals (and ptys without a size) report 0 rows or columns: assume a usual size then.
  const sized = {
    isTTY: true,
    write: (text: string) => stream.write(text),
    get rows() {
      return stream.rows || 24;
    },
    get columns() {
      return stream.columns || 80;
    },
  };
  let log: ReturnType<typeof createLogUpdate> | undefined;
  let loading = false;
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  let stopped = false;
  const start = (): void => {
    if (loading) return;
    loading = true;
    // Lazy: log-update takes about 50 ms to load; only a live display with work to show uses it.
    import('log-update')
      .then(({ createLogUpdate }) => {
        if (stopped) return;
        log = createLogUpdate(sized as unknown as NodeJS.WriteStream, { showCursor: false });
        timer = setInterval(() => {
          frame++;
          render();
        }, 100);
        timer.unref();
        render();
      })
      // Without the live display the run goes on; the table at the end still shows everything.
      .catch(() => undefined);
  };
  const render = (): void => {
    if (stopped || !log) return;
    const now = performance.now();
    const all = [...docs.values()];
    const active = all.filter((d) => !d.result);
    const finished = all.filter((d) => d.result);
    const room = Math.max(3, (stream.rows || 24) - 4);
    const shownFinished = finished.slice(Math.max(0, finished.length - Math.max(0, room - active.length)));
    const nameWidth = Math.min(40, Math.max(8, ...all.map((d) => displayWidth(d.name))));
    const lines: string[] = [];
    if (finished.length > shownFinished.length) lines.push(`  … ${finished.length - shownFinished.length} more done`);
    for (const doc of [...shownFinished, ...active.slice(0, room)]) {
      if (doc.result) {
        const [warnings, repairs] = [warningCount(doc.result), repairCount(doc.result)];
        const counts = [warnings ? plural(warnings, 'warning') : '', repairs ? plural(repairs, 'repair') : ''].filter(Boolean);
        const detail = doc.result.ok ? [`done in ${formatMs(documentMs(doc.result))}`, ...counts].join(', ') : `failed: ${doc.result.error ?? 'unknown error'}`;
        lines.push(`${doc.result.ok ? '✔' : '✖'} ${padEnd(doc.name, nameWidth)}  ${detail}`);
      } else {
        const pipeline = doc.stages.map((s) => (s === doc.stage ? `[${s}]` : `${s} ✓`)).join(' ');
        lines.push(`${SPINNER[frame % SPINNER.length] ?? '*'} ${padEnd(doc.name, nameWidth)}  ${pipeline}  ${formatMs(now - doc.started)}`);
      }
    }
    if (active.length > room) lines.push(`  … ${active.length - room} more in progress`);
    log(lines.join('\n'));
  };
  return {
    stage(name, stage) {
      let doc = docs.get(name);
      if (!doc) {
        doc = { name, stage, stages: [], started: performance.now() };
        docs.set(name, doc);
      }
      doc.stage = stage;
      if (!doc.stages.includes(stage)) doc.stages.push(stage);
      if (stage !== 'read') start();
      render();
    },
    document(result) {
      const doc = docs.get(result.name) ?? { name: result.name, stage: 'done', stages: [], started: performance.now() };
      doc.result = result;
      docs.set(result.name, doc);
      render();
    },
    stop() {
      if (stopped) return;
      clearInterval(timer);
      log?.clear();
      log?.done();
      stopped = true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// End of run

/** Which diagnostics the end of a run lists: errors only (--quiet), errors and warnings, or all (--verbose). */
export interface ListingOptions {
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  /**
   * Draws the lines around an error's position (diagnostics/code-frame.ts). Passed in rather than
   * imported: its width measure, string-width, takes about 20 ms to load, which a run that shows
   * no error with a position (every up-to-date rebuild) does not pay. Without it, no frames.
   */
  codeFrame?: typeof CodeFrame | undefined;
}

/** True when diagnosticLines would draw a code frame (an error with a line, in a file with text). */
export function wantsCodeFrames(documents: readonly DocumentResult[]): boolean {
  return documents.some((doc) => doc.file.messages.some((m) => m.fatal === true && m.line != null));
}

function listed(options: ListingOptions): ReadonlySet<Severity> {
  if (options.quiet) return new Set(['error']);
  return new Set(options.verbose ? ['error', 'warning', 'info'] : ['error', 'warning']);
}

/** Diagnostics of every document, grouped by file and sorted by position; failures included. */
export function groupedDiagnostics(documents: readonly DocumentResult[], options: ListingOptions = {}): Map<string, Diagnostic[]> {
  const shown = listed(options);
  const groups = new Map<string, Diagnostic[]>();
  for (const doc of documents) {
    const list = diagnostics(doc.file).filter((d) => shown.has(d.severity));
    const failure = failureDiagnostic(doc);
    if (failure) list.push(failure);
    list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    // A book's messages about its chapters are listed under each chapter's file.
    for (const d of list) groups.set(d.file, [...(groups.get(d.file) ?? []), d]);
  }
  return groups;
}

/**
 * Errors and warnings (and with --verbose the repairs) grouped by file: a heading per file, then
 * `file:line:col warning reason rule-id`.
 */
export function diagnosticLines(documents: readonly DocumentResult[], options: ListingOptions = {}): string[] {
  const lines: string[] = [];
  const files = new Map(documents.flatMap((doc) => [[doc.path, doc.file] as const, ...(doc.parts ?? []).map((part) => [part.path, part] as const)]));
  for (const [file, list] of groupedDiagnostics(documents, options)) {
    const count = (severity: Severity, word: string): string => {
      const n = list.filter((d) => d.severity === severity).length;
      return n ? plural(n, word) : '';
    };
    const counts = [count('error', 'error'), count('warning', 'warning'), count('info', 'repair')].filter(Boolean).join(', ');
    lines.push(`${file}: ${counts}`);
    for (const d of list) {
      lines.push(`  ${formatDiagnostic(d)}`);
      // An error with a position shows the lines around it.
      const source = files.get(file);
      const frame = d.severity === 'error' && d.line != null && source ? options.codeFrame?.(source, d.line, d.column) : undefined;
      if (frame) lines.push(...frame.split('\n').map((l) => `    ${l}`));
    }
    lines.push('');
  }
  return lines;
}

function outputMs(result: DocumentResult, output: OutputFile): number | undefined {
  return result.timings.find((t) => t.stage === output.format)?.ms;
}

/** The table of outputs: one row per document (warnings, repairs, total time, stage times) and per output. */
export function summaryTable(report: PublishReport, cwd: string): string[] {
  type Row = { first: string; size: string; pages: string; warnings: string; repairs: string; time: string; note?: string };
  const rows: Row[] = [];
  for (const doc of report.documents) {
    const stages = doc.timings.map((t) => `${t.stage} ${t.ms} ms`).join(', ');
    rows.push({
      first: `${doc.ok ? '✔' : '✖'} ${doc.path}`,
      size: '',
      pages: '',
      warnings: String(warningCount(doc)),
      repairs: String(repairCount(doc)),
      time: formatMs(documentMs(doc)),
      note: doc.ok ? stages : `failed: ${doc.error ?? 'unknown error'}`,
    });
    for (const out of doc.outputs) {
      const ms = outputMs(doc, out);
      rows.push({
        first: `    ${shownPath(out.path, cwd)}`,
        size: formatBytes(out.bytes),
        pages: out.pages === undefined ? '' : String(out.pages),
        warnings: '',
        repairs: '',
        time: out.skipped ? 'up to date' : ms === undefined ? '' : formatMs(ms),
      });
    }
  }
  const header: Row = { first: '  Output', size: 'Size', pages: 'Pages', warnings: 'Warnings', repairs: 'Repairs', time: 'Time' };
  const all = [header, ...rows];
  const width = (key: keyof Row): number => Math.max(...all.map((r) => displayWidth(r[key] ?? '')));
  const [w0, w1, w2, w3, w4, w5] = [width('first'), width('size'), width('pages'), width('warnings'), width('repairs'), width('time')];
  const lines = all.map((r) =>
    `${padEnd(r.first, w0)}  ${padStart(r.size, w1)}  ${padStart(r.pages, w2)}  ${padStart(r.warnings, w3)}  ${padStart(r.repairs, w4)}  ${padStart(r.time, w5)}${r.note ? `  (${r.note})` : ''}`.trimEnd(),
  );
  const failed = report.documents.filter((d) => !d.ok).length;
  const warnings = report.documents.reduce((sum, d) => sum + warningCount(d), 0);
  const repairs = report.documents.reduce((sum, d) => sum + repairCount(d), 0);
  const outputs = report.documents.reduce((sum, d) => sum + d.outputs.length, 0);
  const share = report.shard ? ` (shard ${report.shard.index}/${report.shard.count} of ${plural(report.shard.documents, 'document')})` : '';
  lines.push(
    `${plural(report.documents.length, 'document')}${share}, ${failed} failed, ${plural(outputs, 'output')}, ${plural(warnings, 'warning')}, ${plural(repairs, 'repair')}, in ${formatMs(report.ms)}`,
  );
  return lines;
}
