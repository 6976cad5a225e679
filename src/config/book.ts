/**
 * book.yaml: what a book folder says about itself. Checked with a schema (zod) like the
 * configuration, and read with positions (src/config/file.ts, readYamlWithPositions), so every
 * problem points at the line and column of the offending key or value.
 *
 *   title, subtitle, author, editor, publisher, date, lang, cover, description, rights, keywords
 *   chapters    Markdown files relative to the folder, in reading order (default: the folder's
 *               *.md in name order)
 *   page, pageSize, book   settings for this book, as an article's front matter may set its page
 *               (book.recto: chapters start on right-hand pages)
 */
import * as z from 'zod/mini';
import { describeIssue, suggestKey, valueAt, type Issue, type Locate } from './validate.js';
import { normaliseDate } from '../plugins/remark-front-matter-meta.js';

const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/** Text: a string, or a number written without quotes (a title such as 1984). */
const text = z.pipe(z.union([z.string(), z.number()]), z.transform((value) => String(value).trim()));
/** One name or a list of names. */
const names = z.pipe(z.union([text, z.array(text)]), z.transform((value) => (Array.isArray(value) ? value : [value]).filter((name) => name !== '')));
/** A keyword list: a list, or one string separated by commas. */
const keywords = z.pipe(
  z.union([z.string(), z.array(text)]),
  z.transform((value) => (Array.isArray(value) ? value : value.split(/[,，、;；]/)).map((k) => k.trim()).filter(Boolean)),
);
const date = z.pipe(
  z.union([z.string(), z.date()]),
  z.transform((value, context) => {
    const normal = normaliseDate(value);
    if (normal === undefined) context.issues.push({ code: 'custom', message: 'not an ISO 8601 date such as 2024-03-01', input: value });
    return normal ?? '';
  }),
);

export const bookSchema = z.strictObject({
  title: z.optional(text),
  subtitle: z.optional(text),
  author: z.optional(names),
  editor: z.optional(names),
  publisher: z.optional(text),
  date: z.optional(date),
  lang: z.optional(z.string().check(z.regex(LANG, 'a BCP 47 tag such as zh-CN or en'))),
  cover: z.optional(z.string()),
  description: z.optional(text),
  rights: z.optional(text),
  keywords: z.optional(keywords),
  chapters: z.optional(z.array(z.string().check(z.minLength(1, 'a chapter is the path of a Markdown file'))).check(z.minLength(1, 'a book has at least one chapter'))),
  // Settings, as an article's front matter may set them; checked against the configuration's schema when merged.
  pageSize: z.optional(z.unknown()),
  page: z.optional(z.unknown()),
  book: z.optional(z.strictObject({ recto: z.optional(z.boolean()) })),
});

/** book.yaml as written, checked. */
export type BookFile = z.output<typeof bookSchema>;

/** The keys book.yaml may have, in the order the documentation lists them. */
export const BOOK_KEYS = Object.keys(bookSchema.shape);

/** One problem of a book.yaml, where it is. */
export interface BookProblem {
  message: string;
  place: { line: number; column: number } | undefined;
}

function describe(issue: Issue, data: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 ? BOOK_KEYS : issue.path[0] === 'book' ? ['recto'] : [];
    return issue.keys
      .map((key) => {
        const suggestion = suggestKey(key, known);
        return `unknown key "${key}"${issue.path.length > 0 ? ` in ${issue.path.join('.')}` : ''}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; book.yaml knows ${known.join(', ')}`;
      })
      .join('; ');
  }
  if (issue.code === 'custom') return `${issue.path.join('.')}: ${JSON.stringify(valueAt(data, issue.path))} is ${issue.message}`;
  return describeIssue(issue, data);
}

/** book.yaml's data checked: the book, or its problems in file order. */
export function checkBookFile(data: unknown, locate: Locate): { book: BookFile } | { problems: BookProblem[] } {
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [{ message: 'book.yaml must be a mapping of keys to values (title:, chapters:, …)', place: { line: 1, column: 1 } }] };
  }
  const result = bookSchema.safeParse(data);
  if (result.success) return { book: result.data };
  const problems = result.error.issues.map((issue): BookProblem => ({ message: describe(issue, data), place: locate(issue) }));
  problems.sort((a, b) => (a.place?.line ?? Infinity) - (b.place?.line ?? Infinity) || (a.place?.column ?? 0) - (b.place?.column ?? 0));
  return { problems };
}
