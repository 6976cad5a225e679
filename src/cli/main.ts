/**
 * The `imprint` command line: runs a command and owns the exit-code contract:
 *   0  everything published (warnings allowed)
 *   1  a document failed (or an output failed `check`)
 *   2  usage or configuration error: unknown flag, bad value, invalid config file, …
 * Bad input never prints a stack trace (IMPRINT_DEBUG=1 shows one for internal errors).
 *
 * The commands are defined with commander in commands/program.ts. The usual publish command
 * lines (`imprint`, `imprint publish --offline`, `imprint a.md -f pdf`) are read without it
 * (commands/quick-args.ts, same flags, same results), so an up-to-date run does not pay for
 * loading commander; anything else, --help included, goes through commander.
 */
import { VERSION } from '../package.js';
import { formatConfigError } from '../config/file.js';
import { ConfigError, UsageError } from '../errors.js';
import type { JsonFailure } from '../diagnostics/json-report.js';
import type { ProgramHandle } from './program.js';
import type { CommandIO } from './commands/publish.js';
import { quickPublishArgs } from './quick-args.js';

export { VERSION };

/** The --json report of a run that failed before publishing (loads the report code only then). */
async function jsonFailure(kind: JsonFailure['error']['kind'], message: string, error?: ConfigError): Promise<JsonFailure> {
  const { JSON_REPORT_VERSION } = await import('../diagnostics/json-report.js');
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
  const quick = quickPublishArgs(argv);
  let handle: ProgramHandle | undefined;
  const program = async (): Promise<ProgramHandle> => (handle ??= (await import('./program.js')).createProgram(io));
  try {
    if (quick) {
      const { publishCommand } = await import('./commands/publish.js');
      return await publishCommand(quick.files, quick.flags, io);
    }
    const { program: commands, exitCode } = await program();
    await commands.parseAsync([...argv], { from: 'user' });
    return exitCode();
  } catch (error) {
    // Only a command line that went through commander can end in a CommanderError.
    const commander = handle ? await import('./program.js') : undefined;
    if (commander && error instanceof commander.CommanderError) {
      // Commander has printed the problem and the usage line already.
      if (error.exitCode === 0) return 0;
      if (json) io.stdout.write(`${JSON.stringify(await jsonFailure('usage', error.message.replace(/^error: /, '')))}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(formatConfigError(error));
      if (json) io.stdout.write(`${JSON.stringify(await jsonFailure('config', error.message, error))}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      const { usageLine } = await import('./program.js');
      const { program: commands, active } = await program();
      const command = quick ? commands.commands.find((c) => c.name() === 'publish') : active();
      io.stderr.write(`imprint: ${error.message}\n${usageLine(command ?? commands)}\n`);
      if (json) io.stdout.write(`${JSON.stringify(await jsonFailure('usage', error.message))}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
    io.stderr.write(`imprint: ${message}\n`);
    if (io.env['IMPRINT_DEBUG'] && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    if (json) io.stdout.write(`${JSON.stringify(await jsonFailure('internal', message))}\n`);
    return 1;
  }
}
