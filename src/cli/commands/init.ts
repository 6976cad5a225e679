/**
 * `imprint init <name>`: writes a new article with front matter into the content folder.
 * The file name is a slug of <name> (Chinese and other scripts are kept); the title is <name>
 * unless --title is given. An existing file is never overwritten without --force.
 *
 * `imprint init --book <name>`: starts a book instead: content/<slug>/book.yaml and a first
 * chapter, content/<slug>/01-chapter.md.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { slug } from 'github-slugger';
import YAML from 'yaml';
import { UsageError } from '../../errors.js';
import { shownPath } from '../../diagnostics/report.js';
import { loadProjectConfig } from '../../config/project.js';
import type { CommandIO } from './publish.js';

export interface InitFlags {
  title?: string;
  author?: string;
  lang?: string;
  force?: boolean;
  config?: string;
  json?: boolean;
  /** Start a book (a folder with a book.yaml and a first chapter) rather than an article. */
  book?: boolean;
}

const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/** `My First Article.md` → `my-first-article`; `中美关系` → `中美关系`. */
export function articleSlug(name: string): string {
  return slug(name.trim().replace(/\.(md|markdown)$/i, '')).replace(/^-+|-+$/g, '');
}

function today(env: NodeJS.ProcessEnv): string {
  const epoch = Number(env['SOURCE_DATE_EPOCH']);
  const date = env['SOURCE_DATE_EPOCH'] && Number.isInteger(epoch) && epoch >= 0 ? new Date(epoch * 1000) : new Date();
  return date.toISOString().slice(0, 10);
}

/** The Markdown text of a new article. */
export function articleTemplate(meta: { title: string; date: string; author?: string | undefined; lang?: string | undefined }): string {
  const front: Record<string, string> = { title: meta.title };
  if (meta.author) front['author'] = meta.author;
  front['date'] = meta.date;
  if (meta.lang) front['lang'] = meta.lang;
  const yaml = YAML.stringify(front, { lineWidth: 0 }).trimEnd();
  const hint = [
    '# Optional: subtitle, publisher, source (original URL), rights, description,',
    '# keywords: [a, b], cover: images/cover.jpg, and per-article settings such as pageSize: A4',
  ].join('\n');
  return `---\n${yaml}\n${hint}\n---\n\nWrite the article here. Images go in with \`![caption](images/photo.jpg)\`.\n`;
}

/** The book.yaml of a new book: its metadata, and in comments what else it may say. */
export function bookTemplate(meta: { title: string; date: string; author?: string | undefined; lang?: string | undefined }): string {
  const front: Record<string, string> = { title: meta.title };
  if (meta.author) front['author'] = meta.author;
  front['date'] = meta.date;
  if (meta.lang) front['lang'] = meta.lang;
  const yaml = YAML.stringify(front, { lineWidth: 0 }).trimEnd();
  return [
    '# A book: this folder\'s chapters published as one volume (output/<folder>.html, .pdf, .epub).',
    yaml,
    '# Optional: subtitle, editor (instead of or beside author), publisher, description, rights,',
    '# keywords: [a, b], cover: cover.jpg (relative to this folder), and page settings (page, pageSize).',
    '#',
    '# The chapters: this folder\'s Markdown files in name order, or listed here in reading order:',
    '# chapters:',
    '#   - 01-chapter.md',
    '#   - 02-another.md',
    '#',
    '# Every chapter starts on a right-hand page of the PDF:',
    '# book:',
    '#   recto: true',
    '',
  ].join('\n');
}

export async function initCommand(name: string, flags: InitFlags, io: CommandIO): Promise<number> {
  if (flags.book) return initBook(name, flags, io);
  const base = articleSlug(name);
  if (!base) throw new UsageError(`"${name}" does not make a file name; use letters or digits`);
  if (flags.lang !== undefined && !LANG.test(flags.lang)) throw new UsageError(`--lang must be a BCP 47 tag such as zh-CN or en, not "${flags.lang}"`);
  const project = await loadProjectConfig(io.cwd, flags.config === undefined ? {} : { config: flags.config });
  const dir = path.resolve(io.cwd, project.config.content);
  const file = path.join(dir, `${base}.md`);
  const shown = shownPath(file, io.cwd);
  if (!flags.force && (await stat(file).catch(() => undefined))) {
    throw new UsageError(`${shown} already exists (use --force to overwrite it)`);
  }
  const title = flags.title ?? name.trim().replace(/\.(md|markdown)$/i, '');
  await mkdir(dir, { recursive: true });
  await writeFile(file, articleTemplate({ title, date: today(io.env), author: flags.author, lang: flags.lang }));
  if (flags.json) io.stdout.write(`${JSON.stringify({ ok: true, created: shown, name: base })}\n`);
  else io.stderr.write(`Created ${shown}\nPublish it with: imprint publish ${shown}\n`);
  return 0;
}

async function initBook(name: string, flags: InitFlags, io: CommandIO): Promise<number> {
  const base = articleSlug(name);
  if (!base) throw new UsageError(`"${name}" does not make a folder name; use letters or digits`);
  if (flags.lang !== undefined && !LANG.test(flags.lang)) throw new UsageError(`--lang must be a BCP 47 tag such as zh-CN or en, not "${flags.lang}"`);
  const project = await loadProjectConfig(io.cwd, flags.config === undefined ? {} : { config: flags.config });
  const dir = path.resolve(io.cwd, project.config.content, base);
  const yamlFile = path.join(dir, 'book.yaml');
  const chapterFile = path.join(dir, '01-chapter.md');
  const shown = shownPath(dir, io.cwd);
  for (const file of [yamlFile, chapterFile]) {
    if (!flags.force && (await stat(file).catch(() => undefined))) throw new UsageError(`${shownPath(file, io.cwd)} already exists (use --force to overwrite it)`);
  }
  const title = flags.title ?? name.trim();
  const date = today(io.env);
  await mkdir(dir, { recursive: true });
  await writeFile(yamlFile, bookTemplate({ title, date, author: flags.author, lang: flags.lang }));
  await writeFile(chapterFile, articleTemplate({ title: 'Chapter one', date, author: flags.author, lang: flags.lang }));
  if (flags.json) io.stdout.write(`${JSON.stringify({ ok: true, created: [shownPath(yamlFile, io.cwd), shownPath(chapterFile, io.cwd)], name: base })}\n`);
  else io.stderr.write(`Created ${shownPath(yamlFile, io.cwd)} and ${shownPath(chapterFile, io.cwd)}\nAdd chapters to ${shown}/ and publish the book with: imprint publish ${shown}\n`);
  return 0;
}
