/**
 * Errors that end one document (DocumentError) or the run (UsageError, ConfigError: exit code 2).
 * Their message is shown as it is, with the file name and position, never with a stack trace.
 */
import { VFileMessage } from 'vfile-message';
import type { RuleId } from './diagnostics/rules.js';

export class DocumentError extends Error {
  override name = 'DocumentError';
  constructor(message: string, readonly ruleId: RuleId) {
    super(message);
  }
}

/** A usage or configuration error: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One problem in a config file, at a position when it is known. */
export interface ConfigProblem {
  message: string;
  line?: number;
  column?: number;
}

/** An unusable configuration: exit code 2, shown with the file, line and a code frame (config/file.ts). */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    /** Path of the config file as shown to the user. */
    readonly file: string,
    readonly problems: ConfigProblem[],
    /** Source text of the file, for code frames. */
    readonly source?: string,
  ) {
    super(`invalid configuration in ${file}${problems[0]?.line ? `:${problems[0].line}:${problems[0].column ?? 1}` : ''}: ${problems[0]?.message ?? 'unknown problem'}`);
  }
}

/** A one-line, user-facing reason for any error thrown while publishing a document. */
export function describeError(error: unknown): string {
  if (error instanceof VFileMessage) return error.reason;
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
