/**
 * The `imprint` command line (commander). Commands live in src/commands/; this file wires
 * them up and owns the exit-code contract:
 *   0  everything published (warnings allowed)
 *   1  a document failed (or an output failed `check`)
 *   2  usage or configuration error: unknown flag, bad value, invalid config file, …
 * Bad input never prints a stack trace (IMPRINT_DEBUG=1 shows one for internal errors).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, formatConfigError } from './config-file.js';
import { UsageError } from './errors.js';
import { configReferenceText } from './commands/config-reference.js';
import { addConfigOptions, loadProjectConfig } from './commands/options.js';
import type { CommandIO, PublishFlags } from './commands/publish.js';
import { DEFAULT_PORT, parsePort, type PreviewFlags } from './commands/preview.js';
import type { InitFlags } from './commands/init.js';
import type { CheckFlags } from './commands/check.js';
import { JSON_REPORT_VERSION, type JsonFailure } from './commands/json-report.js';
import { shownPath } from './progress.js';

const packageJson = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
export const VERSION = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;

const EXIT_HELP = `Exit codes: 0 published (warnings allowed), 1 a document failed, 2 usage or configuration error.
Configuration: imprint.config.{ts,js,json,yaml} in the current folder (list every setting with \`imprint config\`).
Precedence: defaults < config file < front matter (pageSize, page) < flags. Documentation: docs/cli.md`;

/** `Usage: imprint publish [options] [files...]` and where to find more. */
function usageLine(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return `Usage: ${names.join(' ')} ${command.usage()}\nRun \`${names.join(' ')} --help\` for the options.`;
}

export interface ProgramHandle {
  program: Command;
  /** The command whose action ran last (for usage lines after a UsageError). */
  active(): Command;
  exitCode(): number;
}

/** Builds the command line; actions write to `io`. */
export function createProgram(io: CommandIO): ProgramHandle {
  let exit = 0;
  const program = new Command('imprint')
    .description('Publish Markdown articles as HTML, print-grade PDF and EPUB 3.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    });
  let active: Command = program;
  program.hook('preAction', (_, actionCommand) => {
    active = actionCommand;
  });

  const publishCommand = addConfigOptions(
    program
      .command('publish', { isDefault: true })
      .summary('publish articles to HTML, PDF and EPUB (the default command)')
      .description('Publish the given Markdown files or folders, or every article of the content folder (content/ by default).')
      .argument('[files...]', 'Markdown files or folders (default: every .md in the content folder)'),
  )
    .option('--json', 'print a machine-readable report on stdout (outputs, sizes, pages, warnings with positions, timings)')
    .addOption(new Option('-q, --quiet', 'print only warnings and errors').conflicts('verbose'))
    .option('-v, --verbose', 'print every stage of every document')
    .option('--preview', 'also draw every PDF page as a PNG in <out>/preview/ (needs poppler-utils)')
    .action(async (files: string[], flags: PublishFlags) => {
      const { publishCommand: run } = await import('./commands/publish.js');
      exit = await run(files, flags, io);
    });

  addConfigOptions(
    program
      .command('preview')
      .summary('serve the articles on localhost with live reload')
      .description(
        'Publish every article, serve the web pages and a paged print preview on 127.0.0.1, and republish\n' +
          'whatever changes in the content folder, the theme or the config; open pages reload by themselves.',
      ),
  )
    .addOption(new Option('-p, --port <n>', 'port to listen on (0 picks a free one)').default(DEFAULT_PORT).argParser(parsePort))
    .action(async (flags: PreviewFlags) => {
      const { previewCommand } = await import('./commands/preview.js');
      exit = await previewCommand(flags, io);
    });

  program
    .command('init')
    .summary('write a new article with front matter into the content folder')
    .description('Write content/<name>.md: front matter (title, date, …) and a first paragraph to replace.')
    .argument('<name>', 'article name; the file name is made from it (e.g. "My Article" → my-article.md)')
    .option('--title <title>', 'title (default: the name)')
    .option('--author <name>', 'author')
    .option('--lang <tag>', 'language as a BCP 47 tag, e.g. zh-CN or en (default: detected when publishing)')
    .option('--force', 'overwrite an existing article')
    .option('--config <file>', 'config file to use instead of imprint.config.* in the current folder')
    .option('--json', 'print the created file as JSON on stdout')
    .action(async (name: string, flags: InitFlags) => {
      const { initCommand } = await import('./commands/init.js');
      exit = await initCommand(name, flags, io);
    });

  program
    .command('check')
    .summary('validate published PDFs and EPUBs')
    .description(
      'Check published outputs: PDFs for embedded fonts (no Type 3), title and language metadata and tags;\n' +
        'EPUBs with epubcheck when Java and epubcheck are installed (otherwise they are skipped, not failed).\n' +
        'Without files, every .pdf and .epub of the output folder is checked; an .md file stands for its outputs.',
    )
    .argument('[files...]', '.pdf or .epub files, folders, or .md files standing for their outputs (default: the output folder)')
    .option('-o, --out <dir>', 'output folder to look in')
    .option('--config <file>', 'config file to use instead of imprint.config.* in the current folder')
    .option('--json', 'print the results as JSON on stdout')
    .option('-q, --quiet', 'print only the outputs with problems')
    .action(async (files: string[], flags: CheckFlags) => {
      const { checkCommand } = await import('./commands/check.js');
      exit = await checkCommand(files, flags, io);
    });

  program
    .command('config')
    .summary('list every configuration setting, or show the configuration in effect')
    .description('Without options: every setting of imprint.config.*, with its type, default and meaning.')
    .option('--resolved', 'print the configuration in effect here (defaults + config file) as JSON')
    .option('--config <file>', 'config file to use instead of imprint.config.* in the current folder')
    .action(async (flags: { resolved?: boolean; config?: string }) => {
      if (!flags.resolved) {
        io.stdout.write(`Settings of imprint.config.{ts,js,json,yaml}:\n\n${configReferenceText()}\n`);
        return;
      }
      const project = await loadProjectConfig(io.cwd, flags.config === undefined ? {} : { config: flags.config });
      const file = project.configPath ? shownPath(project.configPath, io.cwd) : null;
      io.stdout.write(`${JSON.stringify({ file, config: project.config }, null, 2)}\n`);
    });

  for (const command of [program, ...program.commands]) command.showHelpAfterError(usageLine(command));
  const publishOptions = publishCommand.helpInformation().split('\nOptions:\n')[1] ?? '';
  program.addHelpText('after', `\nOptions of publish (the default command):\n${publishOptions.trimEnd()}\n\n${EXIT_HELP}\n`);
  publishCommand.addHelpText('after', `\n${EXIT_HELP}\n`);

  return { program, active: () => active, exitCode: () => exit };
}

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
  const handle = createProgram(io);
  try {
    await handle.program.parseAsync([...argv], { from: 'user' });
    return handle.exitCode();
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
      io.stderr.write(`imprint: ${error.message}\n${usageLine(handle.active())}\n`);
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
