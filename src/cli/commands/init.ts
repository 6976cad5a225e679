/**
 * `imprint init <name>`: writes a new article with front matter into the content folder.
 * The file name is a slug of <name> (Chinese and other scripts are kept); the title is <name>
 * unless --title is given. An existing file is never overwritten without --force.
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

export async function initCommand(name: string, flags: InitFlags, io: CommandIO): Promise<number> {
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
