/**
 * Generates the reference parts of the docs from the code itself: in docs/cli.md every command
 * and option from the commander program and every config field from the zod schema, in
 * docs/rules.md every rule with its severity from the rule registry. The prose around them is
 * written by hand; the generated parts sit between markers:
 *
 *   <!-- BEGIN GENERATED: commands -->  …  <!-- END GENERATED: commands -->
 *   <!-- BEGIN GENERATED: config -->    …  <!-- END GENERATED: config -->
 *   <!-- BEGIN GENERATED: rules -->     …  <!-- END GENERATED: rules -->
 *
 * Run `npm run docs` to rewrite them, `--check` to fail when they are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../package.js';
import { createProgram } from './program.js';
import { configReferenceMarkdown } from '../config/reference.js';
import { RULES, type Rule, type RuleId, type Severity } from '../diagnostics/rules.js';

export const DOCS_DIR = path.join(PACKAGE_ROOT, 'docs');

/** Markdown text that shows as written (no raw HTML, no table breaks). */
function cell(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();
}

function commandSection(command: Command): string {
  const name = command.name() === 'publish' ? 'imprint [publish]' : `imprint ${command.name()}`;
  const lines = [`### \`${name}\``, '', '```', `imprint ${command.name()} ${command.usage()}`, '```', '', cell(command.description()), ''];
  const args = command.registeredArguments;
  if (args.length > 0) {
    lines.push('| Argument | Description |', '| --- | --- |');
    for (const arg of args) {
      const term = `${arg.required ? '<' : '['}${arg.name()}${arg.variadic ? '...' : ''}${arg.required ? '>' : ']'}`;
      lines.push(`| \`${term}\` | ${cell(arg.description)} |`);
    }
    lines.push('');
  }
  const options = command.options.filter((o) => !o.hidden);
  if (options.length > 0) {
    lines.push('| Option | Description | Default |', '| --- | --- | --- |');
    for (const option of options) {
      const def = option.defaultValue === undefined ? '—' : `\`${String(option.defaultValue)}\``;
      lines.push(`| \`${option.flags}\` | ${cell(option.description)} | ${def} |`);
    }
    lines.push(`| \`-h, --help\` | show help | — |`, '');
  }
  return lines.join('\n');
}

/** Every command with its arguments and options, as Markdown. */
export function commandsReferenceMarkdown(): string {
  const sink = { write: () => true };
  const { program } = createProgram({ cwd: process.cwd(), env: {}, stdout: sink, stderr: sink, version: '' });
  const global = '| Option | Description |\n| --- | --- |\n| `-V, --version` | print the version |\n| `-h, --help` | show help (also `imprint help <command>`) |';
  return [`Global options:\n\n${global}\n`, ...program.commands.filter((c) => c.name() !== 'help').map(commandSection)].join('\n').trimEnd();
}

const SEVERITY_HEADINGS: Record<Severity, string> = {
  error: 'Errors: the document fails',
  warning: 'Warnings: something to act on',
  info: 'Repairs (info): what Imprint fixed by itself',
};

/** Every rule of the registry with its one line: a table per severity, then the rules of `imprint check`. */
export function rulesReferenceMarkdown(): string {
  const rules = Object.entries(RULES) as Array<[RuleId, Rule]>;
  const row = ([id, rule]: [RuleId, Rule], severity = false): string => `| \`${id}\` | ${severity ? `${rule.severity} | ` : ''}${cell(rule.doc)} |`;
  const tables = (['error', 'warning', 'info'] as const).map((severity) => {
    const rows = rules.filter(([, rule]) => !rule.check && rule.severity === severity).map((entry) => row(entry));
    return [`### ${SEVERITY_HEADINGS[severity]}`, '', '| Rule | What it reports |', '| --- | --- |', ...rows].join('\n');
  });
  const check = rules.filter(([, rule]) => rule.check).map((entry) => row(entry, true));
  tables.push(['### `imprint check`: the outputs', '', 'An error here means the output does not pass (exit code 1).', '', '| Rule | Severity | What it reports |', '| --- | --- | --- |', ...check].join('\n'));
  return tables.join('\n\n');
}

/** The generated sections of each file under docs/. */
export const GENERATED_DOCS: Readonly<Record<string, Readonly<Record<string, () => string>>>> = {
  'cli.md': { commands: commandsReferenceMarkdown, config: configReferenceMarkdown },
  'rules.md': { rules: rulesReferenceMarkdown },
};

/** The text of docs/<doc> (cli.md by default) with every generated section brought up to date. */
export function updateDocs(text: string, doc = 'cli.md'): string {
  const sections = GENERATED_DOCS[doc];
  if (!sections) throw new Error(`docs/${doc} has no generated sections`);
  let out = text;
  for (const [name, render] of Object.entries(sections)) {
    const begin = `<!-- BEGIN GENERATED: ${name} -->`;
    const end = `<!-- END GENERATED: ${name} -->`;
    const start = out.indexOf(begin);
    const stop = out.indexOf(end);
    if (start === -1 || stop < start) throw new Error(`docs/${doc} has no ${begin} … ${end} section`);
    out = `${out.slice(0, start + begin.length)}\n<!-- Generated by \`npm run docs\`; edit the code, not this table. -->\n\n${render()}\n\n${out.slice(stop)}`;
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  for (const doc of Object.keys(GENERATED_DOCS)) {
    const file = path.join(DOCS_DIR, doc);
    const current = readFileSync(file, 'utf8');
    const next = updateDocs(current, doc);
    if (process.argv.includes('--check')) {
      if (next !== current) {
        process.stderr.write(`docs/${doc} is out of date: run \`npm run docs\`\n`);
        process.exitCode = 1;
      }
    } else if (next !== current) {
      writeFileSync(file, next);
      process.stderr.write(`docs/${doc} updated\n`);
    }
  }
}
