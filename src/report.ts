/** Human-readable diagnostics and the end-of-run summary. */
import path from 'node:path';
import type { VFile } from 'vfile';
import { terminalSafe } from './code-frame.js';
import type { VFileMessage } from 'vfile-message';
import type { DocumentResult } from './model.js';
import type { PublishReport } from './publish.js';

export interface Diagnostic {
  file: string;
  line?: number;
  column?: number;
  severity: 'error' | 'warning' | 'info';
  reason: string;
  ruleId?: string;
  source?: string;
}

function severity(message: VFileMessage): Diagnostic['severity'] {
  if (message.fatal === true) return 'error';
  if (message.fatal === false) return 'warning';
  return 'info';
}

/** The file's messages as diagnostics, in source order. */
export function diagnostics(file: VFile): Diagnostic[] {
  const sorted = [...file.messages].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return sorted.map((m) => {
    const d: Diagnostic = { file: file.path, severity: severity(m), reason: m.reason };
    if (m.line != null) d.line = m.line;
    if (m.column != null) d.column = m.column;
    if (m.ruleId) d.ruleId = m.ruleId;
    if (m.source) d.source = m.source;
    return d;
  });
}

/** `content/article.md:12:1 warning reason rule-id` */
export function formatDiagnostic(d: Diagnostic): string {
  const place = d.line != null ? `:${d.line}:${d.column ?? 1}` : '';
  // Reasons quote article text: control characters must not reach the terminal.
  return terminalSafe(`${d.file}${place} ${d.severity} ${d.reason}${d.ruleId ? ` ${d.ruleId}` : ''}`);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

export function documentLines(result: DocumentResult): string[] {
  const lines = diagnostics(result.file).map(formatDiagnostic);
  if (result.error) lines.push(`${result.path} error ${result.error}`);
  return lines;
}

export function summaryLines(report: PublishReport, cwd: string): string[] {
  const lines: string[] = [];
  for (const doc of report.documents) {
    const warnings = doc.file.messages.filter((m) => m.fatal === false).length;
    const stages = doc.timings.map((t) => `${t.stage} ${t.ms} ms`).join(', ');
    lines.push(`${doc.ok ? '✔' : '✖'} ${doc.path}  ${warnings} warning${warnings === 1 ? '' : 's'}  (${stages})`);
    for (const out of doc.outputs) {
      const pages = out.pages === undefined ? '' : `  ${out.pages} page${out.pages === 1 ? '' : 's'}`;
      lines.push(`    ${path.relative(cwd, out.path).padEnd(36)} ${formatBytes(out.bytes).padStart(10)}${pages}${out.skipped ? '  (up to date)' : ''}`);
    }
    if (doc.error) lines.push(`    failed: ${doc.error}`);
  }
  const failed = report.documents.filter((d) => !d.ok).length;
  lines.push(
    `${report.documents.length} document${report.documents.length === 1 ? '' : 's'}, ${failed} failed, in ${(report.ms / 1000).toFixed(2)} s`,
  );
  return lines;
}
