/**
 * Stage, read a book: a folder of the content folder with a book.yaml → book.yaml checked
 * (src/config/book.ts) and every chapter read as an article is (stages/read.ts). After the
 * chapters are parsed, `assembleBook` makes the `Book` the renderers share.
 *
 * book.yaml's problems are errors on book.yaml at the line and column of the key or value (the
 * command line shows them with a code frame); the book then fails as a whole, as it does when a
 * chapter cannot be read or parsed: a book never goes out with a chapter missing.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { checkBookFile, type BookFile } from '../config/book.js';
import { readYamlWithPositions } from '../config/file.js';
import type { Issue, Locate } from '../config/validate.js';
import { ConfigError, DocumentError } from '../errors.js';
import type { Article, Book, BookMeta } from '../model.js';
import { readArticle } from './read.js';
import { diagnose, type ErrorRuleId, type RuleIds } from '../diagnostics/rules.js';

export const BOOK_FILE = 'book.yaml';
const MARKDOWN = /\.(md|markdown)$/i;

/** True when `dir` is a book: a folder with a book.yaml. */
export function isBookFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(path.join(dir, BOOK_FILE));
  } catch {
    return false;
  }
}

/** The book folder a path names: the folder itself or its book.yaml; undefined for anything else. */
export function bookFolderOf(file: string): string | undefined {
  if (path.basename(file) === BOOK_FILE) return isBookFolder(path.dirname(file)) ? path.dirname(file) : undefined;
  return isBookFolder(file) ? file : undefined;
}

export interface ChapterSource {
  /** Base name (content/book/<name>.md). */
  name: string;
  /** Absolute path. */
  path: string;
  /** Path as shown to the user. */
  displayPath: string;
  file: VFile;
}

export interface BookSource {
  /** The folder's name: output/<name>.* */
  name: string;
  /** The book's folder (absolute). */
  dir: string;
  /** book.yaml as written, checked. */
  data: BookFile;
  chapters: ChapterSource[];
}

export interface ReadBookOptions {
  /** Project root: paths are shown relative to it. */
  cwd: string;
  /** The content folder: chapters must lie inside it. */
  contentRoot: string;
  maxInputBytes: number;
}

const shown = (cwd: string, file: string): string => {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
};

/** book.yaml read as any input is (size, UTF-8, line ends), as a VFile whose path is shown to the user. */
export function readBookFile(dir: string, options: ReadBookOptions): Promise<VFile> {
  const file = path.join(dir, BOOK_FILE);
  return readArticle(file, { displayPath: shown(options.cwd, file), maxInputBytes: options.maxInputBytes });
}

/** Reports every problem on `file` (errors, in order) and fails with the first. */
function failWith(file: VFile, ruleId: RuleIds<'book-yaml' | 'book-chapters'>, problems: ReadonlyArray<{ message: string; place: { line: number; column: number } | undefined }>): never {
  let first: unknown;
  for (const problem of problems) {
    try {
      diagnose(file, ruleId, problem.message, problem.place);
    } catch (error) {
      first ??= error;
    }
  }
  throw first ?? new DocumentError('book.yaml is not usable', ruleId);
}

/** book.yaml checked, and its chapters found and read. */
export async function readBookChapters(dir: string, file: VFile, options: ReadBookOptions): Promise<BookSource> {
  let parsed: { data: unknown; locate: Locate };
  try {
    parsed = await readYamlWithPositions(String(file.value), file.path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    failWith(file, 'book-yaml', error.problems.map((p) => ({ message: p.message, place: p.line ? { line: p.line, column: p.column ?? 1 } : undefined })));
  }
  const checked = checkBookFile(parsed.data, parsed.locate);
  if ('problems' in checked) failWith(file, 'book-yaml', checked.problems);
  const data = checked.book;
  const entryPlace = (index: number): { line: number; column: number } | undefined =>
    parsed.locate({ code: 'custom', path: ['chapters', index], message: '', input: undefined } as Issue);

  // The chapters: as listed, or the folder's Markdown files in name order.
  const listed = data.chapters !== undefined;
  let paths: string[];
  if (listed) {
    const problems: Array<{ message: string; place: { line: number; column: number } | undefined }> = [];
    const seen = new Map<string, number>();
    paths = (data.chapters ?? []).map((entry, index) => {
      const full = path.resolve(dir, entry);
      const inside = path.relative(options.contentRoot, full);
      const place = entryPlace(index);
      if (!MARKDOWN.test(entry)) problems.push({ message: `chapters[${index}]: "${entry}" is not a Markdown file (.md)`, place });
      else if (inside.startsWith('..') || path.isAbsolute(inside)) problems.push({ message: `chapters[${index}]: "${entry}" is outside the content folder`, place });
      else if (path.basename(full) === BOOK_FILE || !existsSync(full)) problems.push({ message: `chapters[${index}]: "${entry}" does not exist (paths are relative to ${shown(options.cwd, dir)}/)`, place });
      else if (seen.has(full)) problems.push({ message: `chapters[${index}]: "${entry}" is already chapter ${(seen.get(full) ?? 0) + 1}`, place });
      seen.set(full, index);
      return full;
    });
    if (problems.length > 0) failWith(file, 'book-chapters', problems);
  } else {
    const entries = await readdir(dir, { withFileTypes: true });
    paths = entries.filter((e) => e.isFile() && MARKDOWN.test(e.name)).map((e) => path.join(dir, e.name)).sort();
    if (paths.length === 0) {
      diagnose(file, 'book-chapters', `the book has no chapters: list them under \`chapters:\` or put Markdown files in ${shown(options.cwd, dir)}/`, { line: 1, column: 1 });
    }
  }

  const chapters: ChapterSource[] = [];
  for (const [index, full] of paths.entries()) {
    const displayPath = shown(options.cwd, full);
    try {
      chapters.push({ name: path.basename(full).replace(MARKDOWN, ''), path: full, displayPath, file: await readArticle(full, { displayPath, maxInputBytes: options.maxInputBytes }) });
    } catch (error) {
      if (!(error instanceof DocumentError)) throw error;
      diagnose(file, error.ruleId as ErrorRuleId, `chapter ${displayPath}: ${error.message}`, listed ? entryPlace(index) : undefined);
    }
  }
  return { name: path.basename(dir), dir, data, chapters };
}

/** The language most chapters are in (the first of those when several are as frequent). */
function commonLang(chapters: readonly Article[]): string {
  const counts = new Map<string, number>();
  for (const chapter of chapters) counts.set(chapter.meta.lang, (counts.get(chapter.meta.lang) ?? 0) + 1);
  let best = chapters[0]?.meta.lang ?? 'en';
  for (const [lang, count] of counts) if (count > (counts.get(best) ?? 0)) best = lang;
  return best;
}

/**
 * The book's metadata: book.yaml's, with what it leaves out taken from the chapters where they
 * agree (the language most of them are in; the author, when every chapter names the same one).
 */
export function bookMeta(source: BookSource, chapters: readonly Article[]): BookMeta {
  const data = source.data;
  const authors = data.author ?? [];
  const editors = data.editor ?? [];
  const chapterAuthors = [...new Set(chapters.map((c) => c.meta.author ?? ''))];
  const sole = authors.length === 0 && editors.length === 0 && chapterAuthors.length === 1 && chapterAuthors[0] ? [chapterAuthors[0]] : [];
  const meta: BookMeta = {
    title: data.title || source.name,
    authors: authors.length > 0 ? authors : sole,
    editors,
    lang: data.lang ?? commonLang(chapters),
    keywords: data.keywords ?? [],
  };
  if (data.subtitle) meta.subtitle = data.subtitle;
  if (data.publisher) meta.publisher = data.publisher;
  if (data.date) meta.date = data.date;
  if (data.cover) meta.cover = data.cover;
  if (data.description) meta.description = data.description;
  if (data.rights) meta.rights = data.rights;
  return meta;
}

/** The book the renderers share. */
export function assembleBook(source: BookSource, file: VFile, chapters: Article[]): Book {
  return { name: source.name, path: file.path, meta: bookMeta(source, chapters), chapters, file };
}
