/**
 * Errors that end one document (not the run). Their message is shown as it is, with the file
 * name and position, never with a stack trace.
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

/** A one-line, user-facing reason for any error thrown while publishing a document. */
export function describeError(error: unknown): string {
  if (error instanceof VFileMessage) return error.reason;
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
