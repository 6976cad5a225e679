/**
 * The `imprint` command line: runs a command and owns the exit-code contract:
 *   0  everything published (warnings allowed)
 *   1  a document failed (or an output failed `check`)
 *   2  usage or configuration error: unknown flag, bad value, invalid config file, …
 * Bad input never prints a stack trace (IMPRINT_DEBUG=1 shows one for internal errors).
 *
 * Every command line is read by commander, with the commands defined in program.ts.
 */
import { VERSION } from '../package.js';
import { formatConfigError } from '../config/file.js';
import { ConfigError, UsageError } from '../errors.js';
import { JSON_REPORT_VERSION, type JsonFailure } from '../diagnostics/json-report.js';
import { CommanderError, createProgram, usageLine } from './program.js';
import type { CommandIO } from './commands/publish.js';

export { VERSION };

/** The --json report of a run that failed before publishing. */
function jsonFailure(kind: JsonFailure['error']['kind'], message: string, error?: ConfigError): JsonFailure {
  const failure: JsonFailure = { reportVersion: JSON_REPORT_VERSION, imprint: VERSION, ok: false, exitCode: kind === 'internal' ? 1 : 2, error: { kind, message } };
  if (error) {
    failure.error.file = error.file;
    const first = error.problems[0];
    if (first?.line !== undefined) failure.error.line = first.line;
    if (first?.column !== undefined) failure.error.column = first.column;
  }
  return failure;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], overrides: Partial<CommandIO> = {}): Promise<number> {
  const io: CommandIO = {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    version: VERSION,
    ...overrides,
  };
  const json = argv.includes('--json');
  const { program, active, exitCode } = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the problem and the usage line already.
      if (error.exitCode === 0) return 0;
      if (json) io.stdout.write(`${JSON.stringify(jsonFailure('usage', error.message.replace(/^error: /, '')))}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(formatConfigError(error));
      if (json) io.stdout.write(`${JSON.stringify(jsonFailure('config', error.message, error))}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`imprint: ${error.message}\n${usageLine(active())}\n`);
      if (json) io.stdout.write(`${JSON.stringify(jsonFailure('usage', error.message))}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
    io.stderr.write(`imprint: ${message}\n`);
    if (io.env['IMPRINT_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    if (json) io.stdout.write(`${JSON.stringify(jsonFailure('internal', message))}\n`);
    return 1;
  }
}
