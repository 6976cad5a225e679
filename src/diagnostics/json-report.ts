/**
 * The machine-readable report of `imprint --json`, printed on stdout for CI pipelines.
 * Paths are relative to the project folder when inside it (with / separators), absolute otherwise.
 */
import type { DocumentResult, Format } from '../model.js';
import type { PublishReport } from '../publish.js';
import { diagnostics, failureDiagnostic, repairCount, shownPath, warningCount, type Diagnostic } from './report.js';

export const JSON_REPORT_VERSION = 1;

export interface JsonOutput {
  format: Format;
  path: string;
  bytes: number;
  pages?: number;
  /** Time of the stage that made this output. */
  ms?: number;
  skipped?: boolean;
}

export interface JsonDocument {
  name: string;
  /** The Markdown file. */
  source: string;
  ok: boolean;
  error?: string;
  outputs: JsonOutput[];
  /** Every message in source order, each with its severity: error, warning or info (a repair). */
  messages: Diagnostic[];
  warnings: Diagnostic[];
  errors: Diagnostic[];
  timings: Array<{ stage: string; ms: number }>;
  ms: number;
}

export interface JsonReport {
  reportVersion: number;
  imprint: string;
  ok: boolean;
  exitCode: number;
  /** The config file used, if any. */
  config: string | null;
  documents: JsonDocument[];
  /** Whether a browser was launched (or connected to): false when nothing needed printing. */
  browserLaunched: boolean;
  /** With --shard (or IMPRINT_SHARD): this run's share k of n, out of how many documents in all. */
  shard?: { index: number; count: number; documents: number };
  totals: { documents: number; failed: number; outputs: number; bytes: number; warnings: number; repairs: number; ms: number };
}

/** A failure before any document ran (usage or config error), for --json. */
export interface JsonFailure {
  reportVersion: number;
  imprint: string;
  ok: false;
  exitCode: number;
  error: { kind: 'usage' | 'config' | 'internal'; message: string; file?: string; line?: number; column?: number };
}

function jsonDocument(doc: DocumentResult, cwd: string): JsonDocument {
  const messages = diagnostics(doc.file);
  const failure = failureDiagnostic(doc);
  if (failure) messages.push(failure);
  const out: JsonDocument = {
    name: doc.name,
    source: doc.path,
    ok: doc.ok,
    outputs: doc.outputs.map((o) => {
      const entry: JsonOutput = { format: o.format, path: shownPath(o.path, cwd), bytes: o.bytes };
      if (o.pages !== undefined) entry.pages = o.pages;
      const ms = doc.timings.find((t) => t.stage === o.format)?.ms;
      if (ms !== undefined) entry.ms = ms;
      if (o.skipped) entry.skipped = true;
      return entry;
    }),
    messages,
    warnings: messages.filter((d) => d.severity === 'warning'),
    errors: messages.filter((d) => d.severity === 'error'),
    timings: doc.timings.map((t) => ({ stage: t.stage, ms: t.ms })),
    ms: doc.timings.reduce((sum, t) => sum + t.ms, 0),
  };
  if (doc.error) out.error = doc.error;
  return out;
}

export function jsonReport(report: PublishReport, options: { cwd: string; version: string; configPath: string | undefined }): JsonReport {
  const documents = report.documents.map((d) => jsonDocument(d, options.cwd));
  const json: JsonReport = {
    reportVersion: JSON_REPORT_VERSION,
    imprint: options.version,
    ok: report.ok,
    exitCode: report.ok ? 0 : 1,
    config: options.configPath ? shownPath(options.configPath, options.cwd) : null,
    documents,
    browserLaunched: report.browserLaunched,
    totals: {
      documents: documents.length,
      failed: documents.filter((d) => !d.ok).length,
      outputs: documents.reduce((sum, d) => sum + d.outputs.length, 0),
      bytes: documents.reduce((sum, d) => sum + d.outputs.reduce((s, o) => s + o.bytes, 0), 0),
      warnings: report.documents.reduce((sum, d) => sum + warningCount(d), 0),
      repairs: report.documents.reduce((sum, d) => sum + repairCount(d), 0),
      ms: report.ms,
    },
  };
  if (report.shard) json.shard = report.shard;
  return json;
}
