/** Human-readable diagnostics and the end-of-run summary. */
import path from 'node:path';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { DocumentResult } from '../model.js';
import type { Severity } from './rules.js';

export interface Diagnostic {
  file: string;
  line?: number;
  column?: number;
  severity: Severity;
  reason: string;
  ruleId?: string;
  source?: string;
}

/** A message's severity as vfile records it: fail (fatal true), message (false), info (unset). */
function severity(message: VFileMessage): Severity {
  if (message.fatal === true) return 'error';
  if (message.fatal === false) return 'warning';
  return 'info';
}

/** How many messages of `severity` the document's file carries. */
function countOf(result: DocumentResult, wanted: Severity): number {
  return result.file.messages.filter((m) => severity(m) === wanted).length;
}

/** Warnings: what the user should act on. */
export function warningCount(result: DocumentResult): number {
  return countOf(result, 'warning');
}

/** Repairs: info messages, the routine repairs Imprint made. */
export function repairCount(result: DocumentResult): number {
  return countOf(result, 'info');
}

/**
 * The file's messages as diagnostics, in source order. A message about another file (a book's
 * chapter, whose messages the book's file carries) names that file.
 */
export function diagnostics(file: VFile): Diagnostic[] {
  const sorted = [...file.messages].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return sorted.map((m) => {
    const d: Diagnostic = { file: m.file || file.path, severity: severity(m), reason: m.reason };
    if (m.line != null) d.line = m.line;
    if (m.column != null) d.column = m.column;
    if (m.ruleId) d.ruleId = m.ruleId;
    if (m.source) d.source = m.source;
    return d;
  });
}

/**
 * A failed document's failure as a diagnostic, when it is not already one of the file's messages
 * (an unreadable file or the time budget, unlike broken front matter).
 */
export function failureDiagnostic(result: DocumentResult): Diagnostic | undefined {
  if (!result.error || result.file.messages.some((m) => m.fatal === true && m.reason === result.error)) return undefined;
  const d: Diagnostic = { file: result.path, severity: 'error', reason: result.error };
  if (result.errorRuleId) d.ruleId = result.errorRuleId;
  return d;
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

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A path as shown to the user: relative to the project when inside it. */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

/**
 * Text from an article (a diagnostic's reason, a file name) made safe to print on a terminal:
 * C0 and C1 control characters — ESC sequences could clear, recolour or retitle the terminal —
 * are shown as \uXXXX; tabs and line breaks stay.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
