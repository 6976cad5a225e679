/**
 * `imprint [publish] [files…]`: publishes the given Markdown files (or every article of the
 * content folder) with progress on stderr and, with --json, a report on stdout.
 * Exit codes: 0 published (warnings allowed), 1 a document failed, 2 usage or config error.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { loadProjectConfig, type ConfigFlags } from '../../config/project.js';
import { jsonReport } from '../../diagnostics/json-report.js';
import { shownPath } from '../../diagnostics/report.js';
import { UsageError } from '../../errors.js';
import { shardFromEnvironment, ShardEnvironmentError } from '../../config/shard.js';
import { findDocuments, publish, type PublishOptions } from '../../publish.js';
import { bookFolderOf } from '../../stages/read-book.js';
import { writePagePreviews } from '../page-previews.js';
import { createProgress, diagnosticLines, progressMode, summaryTable, wantsCodeFrames, type ProgressStream } from '../progress.js';

export interface PublishFlags extends ConfigFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  preview?: boolean;
}

/** Where a command writes, and what it knows about its surroundings. */
export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
  version: string;
}

const MARKDOWN = /\.(md|markdown)$/i;

/**
 * Expands folders to their articles and books (a folder with a book.yaml, or the book.yaml itself,
 * is one book) and checks every file; UsageError for anything unusable.
 */
export async function resolveArticleFiles(args: readonly string[], cwd: string, contentDir: string): Promise<string[]> {
  if (args.length === 0) {
    const files = await findDocuments(path.resolve(cwd, contentDir));
    if (files.length === 0) {
      throw new UsageError(`no Markdown files or books in ${shownPath(path.resolve(cwd, contentDir), cwd)}/ (create one with \`imprint init <name>\` or \`imprint init --book <name>\`)`);
    }
    return files;
  }
  const files: string[] = [];
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    const info = await stat(full).catch(() => undefined);
    const book = info ? bookFolderOf(full) : undefined;
    if (book) {
      files.push(book);
    } else if (info?.isDirectory()) {
      const found = await findDocuments(full);
      if (found.length === 0) throw new UsageError(`no Markdown files or books in ${arg}`);
      files.push(...found);
    } else if (!MARKDOWN.test(arg)) {
      throw new UsageError(info ? `${arg} is not a Markdown file (.md)` : `unknown command or file "${arg}"`);
    } else if (!info) {
      throw new UsageError(`${arg}: file not found`);
    } else {
      files.push(full);
    }
  }
  return [...new Set(files)];
}

export async function publishCommand(args: readonly string[], flags: PublishFlags, io: CommandIO): Promise<number> {
  // The shard: --shard, else the environment's (IMPRINT_SHARD, a Kubernetes Indexed Job's index),
  // else the config file's.
  let shard: string | undefined;
  try {
    shard = flags.shard ?? shardFromEnvironment(io.env);
  } catch (error) {
    if (error instanceof ShardEnvironmentError) throw new UsageError(error.message);
    throw error;
  }
  const project = await loadProjectConfig(io.cwd, shard === undefined ? flags : { ...flags, shard });
  const files = await resolveArticleFiles(args, io.cwd, project.config.content);
  const mode = progressMode({ json: flags.json, quiet: flags.quiet, stream: io.stderr, env: io.env });
  const progress = createProgress({ mode, verbose: flags.verbose, stream: io.stderr, cwd: io.cwd });
  // publish() applies the flags again after each article's front matter (config/merge.ts).
  const options: PublishOptions = {
    cwd: io.cwd,
    files,
    config: project.user,
    flags: project.flagConfig,
    onStage: (name, stage) => progress.stage(name, stage),
    onDocument: (result) => progress.document(result),
  };
  let report;
  try {
    report = await publish(options);
  } finally {
    progress.stop();
  }
  if (flags.preview) {
    const previews = await writePagePreviews(report.documents, path.resolve(io.cwd, project.config.out));
    if (previews.problem) io.stderr.write(`imprint: ${previews.problem}\n`);
    else if (!flags.json && !flags.quiet) io.stderr.write(`page previews: ${previews.written.length} PNG files in ${shownPath(path.resolve(io.cwd, project.config.out, 'preview'), io.cwd)}/\n`);
  }
  if (flags.json) {
    const json = jsonReport(report, { cwd: io.cwd, version: io.version, configPath: project.configPath });
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    // Errors and warnings (--verbose: and repairs; --quiet: errors only) grouped by file, each group
    // ending with a blank line, then the table.
    const codeFrame = wantsCodeFrames(report.documents) ? (await import('../../diagnostics/code-frame.js')).codeFrame : undefined;
    const lines = diagnosticLines(report.documents, { quiet: flags.quiet, verbose: flags.verbose, codeFrame });
    if (!flags.quiet) {
      if (lines.length === 0 && mode === 'plain') lines.push('');
      lines.push(...summaryTable(report, io.cwd));
    }
    if (lines.length > 0) io.stderr.write(`${lines.join('\n').replace(/\n+$/, '')}\n`);
  }
  return report.ok ? 0 : 1;
}
