#!/usr/bin/env node
/** The `imprint` command. Exit codes: 0 published (warnings allowed), 1 a document failed, 2 usage or config error. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { UserConfig } from './config.js';
import { publish } from './publish.js';
import { documentLines, summaryLines } from './report.js';
import { UsageError } from './errors.js';

const pkg = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')) as { version: string };

function parseFormats(value: string): Array<'html' | 'pdf' | 'epub'> {
  const formats = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of formats) if (f !== 'html' && f !== 'pdf' && f !== 'epub') throw new InvalidArgumentError(`unknown format "${f}" (html, pdf, epub)`);
  return formats as Array<'html' | 'pdf' | 'epub'>;
}

function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

interface PublishFlags {
  format?: Array<'html' | 'pdf' | 'epub'>;
  out?: string;
  theme?: string;
  pageSize?: 'A4' | 'A5' | 'B5' | 'Letter';
  offline?: boolean;
  concurrency?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

function flagsToConfig(flags: PublishFlags): UserConfig {
  const config: UserConfig = {};
  if (flags.format) config.formats = flags.format;
  if (flags.out) config.out = flags.out;
  if (flags.theme) config.theme = flags.theme;
  if (flags.pageSize) config.page = { size: flags.pageSize };
  if (flags.offline) config.offline = true;
  if (flags.concurrency) config.concurrency = flags.concurrency;
  return config;
}

async function runPublish(files: string[], flags: PublishFlags): Promise<number> {
  const cwd = process.cwd();
  const log = (line: string): void => {
    if (!flags.quiet && !flags.json) process.stderr.write(`${line}\n`);
  };
  const report = await publish({
    cwd,
    files,
    config: flagsToConfig(flags),
    onStage: flags.verbose ? (name, stage) => log(`  ${name}: ${stage}`) : undefined,
    onDocument: (result) => {
      for (const line of documentLines(result)) if (!flags.json) process.stderr.write(`${line}\n`);
    },
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, (key, value: unknown) => (key === 'file' ? undefined : value), 2)}\n`);
  } else {
    for (const line of summaryLines(report, cwd)) log(line);
  }
  return report.ok ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('imprint')
    .description('Publish Markdown articles as HTML, print-grade PDF and EPUB 3.')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  let exit = 0;
  program
    .command('publish', { isDefault: true })
    .description('publish content/*.md (or the given files) to output/')
    .argument('[files...]', 'Markdown files (default: every .md in content/)')
    .addOption(new Option('-f, --format <list>', 'formats: html,pdf,epub').argParser(parseFormats))
    .option('-o, --out <dir>', 'output folder')
    .option('-t, --theme <name>', 'theme under templates/')
    .addOption(new Option('--page-size <size>', 'page size').choices(['A4', 'A5', 'B5', 'Letter']))
    .option('--offline', 'no network: images from the cache only')
    .addOption(new Option('-c, --concurrency <n>', 'documents at once').argParser(parsePositiveInt))
    .option('--json', 'print a machine-readable report on stdout')
    .option('-q, --quiet', 'print warnings and errors only')
    .option('-v, --verbose', 'print each stage')
    .action(async (files: string[], flags: PublishFlags) => {
      exit = await runPublish(files, flags);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      process.stderr.write(`imprint: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`imprint: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`imprint: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
