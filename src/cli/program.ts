/**
 * The `imprint` command line as commander defines it: every command with its arguments, options
 * and help text (docs/cli.md is generated from it). main.ts runs it.
 *
 * Each command's module is loaded when the command runs (`config`'s reference is part of the
 * program: the flags' help is read from it), so --help and each command load only what they use.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadProjectConfig } from '../config/project.js';
import { configReferenceText } from '../config/reference.js';
import { shownPath } from '../diagnostics/report.js';
import type { CheckFlags } from './commands/check.js';
import type { InitFlags } from './commands/init.js';
import type { PreviewFlags } from './commands/preview.js';
import type { CommandIO, PublishFlags } from './commands/publish.js';
import { CONFIG_FLAGS, DEFAULT_PORT, FlagValueError, parsePort, PUBLISH_FLAGS, type FlagSpec } from './options.js';

export { CommanderError } from 'commander';

/** commander's form of a FlagValueError (`option '…' argument '…' is invalid. …`). */
function commanderParser(parse: (value: string) => unknown): (value: string) => unknown {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof FlagValueError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** Adds the flags (options.ts) to a command, in their order. */
export function addFlags(command: Command, flags: readonly FlagSpec[]): Command {
  for (const spec of flags) {
    const option = new Option(spec.flags, spec.description);
    if (spec.parse) option.argParser(commanderParser(spec.parse));
    if (spec.conflicts) option.conflicts(spec.conflicts);
    command.addOption(option);
  }
  return command;
}

const EXIT_HELP = `Exit codes: 0 published (warnings allowed), 1 a document failed, 2 usage or configuration error.
Configuration: imprint.config.{ts,js,json,yaml} in the current folder (list every setting with \`imprint config\`).
Precedence: defaults < config file < front matter (pageSize, page) < flags. Documentation: docs/cli.md`;

/** `Usage: imprint publish [options] [files...]` and where to find more. */
export function usageLine(command: Command): string {
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
    .version(io.version, '-V, --version', 'print the version')
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

  const publishCommand = addFlags(
    program
      .command('publish', { isDefault: true })
      .summary('publish articles to HTML, PDF and EPUB (the default command)')
      .description('Publish the given Markdown files or folders, or every article of the content folder (content/ by default).')
      .argument('[files...]', 'Markdown files or folders (default: every .md in the content folder)'),
    [...CONFIG_FLAGS, ...PUBLISH_FLAGS],
  ).action(async (files: string[], flags: PublishFlags) => {
      // Lazy: publishing's common code, progress display and code frames take about 40 ms to load.
      const { publishCommand } = await import('./commands/publish.js');
      exit = await publishCommand(files, flags, io);
    });

  addFlags(
    program
      .command('preview')
      .summary('serve the articles on localhost with live reload')
      .description(
        'Publish every article, serve the web pages and a paged print preview on 127.0.0.1, and republish\n' +
          'whatever changes in the content folder, the theme or the config; open pages reload by themselves.',
      ),
    CONFIG_FLAGS,
  )
    .addOption(new Option('-p, --port <n>', 'port to listen on (0 picks a free one)').default(DEFAULT_PORT).argParser(commanderParser(parsePort)))
    .action(async (flags: PreviewFlags) => {
      // Lazy: the preview server and file watcher take about 12 ms to load.
      const { previewCommand } = await import('./commands/preview.js');
      exit = await previewCommand(flags, io);
    });

  program
    .command('init')
    .summary('write a new article (or book) into the content folder')
    .description(
      'Write content/<name>.md: front matter (title, date, …) and a first paragraph to replace.\n' +
        'With --book: start a book, content/<name>/book.yaml and a first chapter (01-chapter.md).',
    )
    .argument('<name>', 'article or book name; the file or folder name is made from it (e.g. "My Article" → my-article.md)')
    .option('--book', 'start a book (a folder of chapters with a book.yaml) instead of an article')
    .option('--title <title>', 'title (default: the name)')
    .option('--author <name>', 'author')
    .option('--lang <tag>', 'language as a BCP 47 tag, e.g. zh-CN or en (default: detected when publishing)')
    .option('--force', 'overwrite an existing article (or book.yaml and first chapter)')
    .option('--config <file>', 'config file to use instead of imprint.config.* in the current folder')
    .option('--json', 'print the created file as JSON on stdout')
    .action(async (name: string, flags: InitFlags) => {
      // Lazy: init's YAML writer and slugger take about 35 ms to load.
      const { initCommand } = await import('./commands/init.js');
      exit = await initCommand(name, flags, io);
    });

  program
    .command('check')
    .summary('validate published PDFs, EPUBs and web pages')
    .description(
      'Check published outputs: PDFs for embedded fonts (no Type 3), title and language metadata, tags and the\n' +
        'structure rules of PDF/UA-1 (artifacts, figure text, notes, links, lists, tables, headings);\n' +
        'EPUBs with epubcheck when Java and epubcheck are installed, and with Ace by DAISY when @daisy/ace-core\n' +
        'and @daisy/ace-axe-runner-puppeteer are installed; web pages with axe-core (@axe-core/puppeteer) for\n' +
        'WCAG 2.2 AA at 1280 and 375 px, light and dark. A tool that is not installed is skipped, not failed.\n' +
        'Without files, every .pdf, .epub and .html of the output folder is checked; an .md file stands for its outputs.',
    )
    .argument('[files...]', '.pdf, .epub or .html files, folders, or .md files and books standing for their outputs (default: the output folder)')
    .option('-o, --out <dir>', 'output folder to look in')
    .option('--config <file>', 'config file to use instead of imprint.config.* in the current folder')
    .option('--json', 'print the results as JSON on stdout')
    .option('-q, --quiet', 'print only the outputs with problems')
    .action(async (files: string[], flags: CheckFlags) => {
      // Lazy: the PDF checks (pdf-lib) take about 390 ms to load.
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
  // Written when the help is shown, not at every start.
  program.addHelpText('after', () => {
    const publishOptions = publishCommand.helpInformation().split('\nOptions:\n')[1] ?? '';
    return `\nOptions of publish (the default command):\n${publishOptions.trimEnd()}\n\n${EXIT_HELP}\n`;
  });
  publishCommand.addHelpText('after', `\n${EXIT_HELP}\n`);

  return { program, active: () => active, exitCode: () => exit };
}
