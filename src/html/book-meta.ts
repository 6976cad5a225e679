/**
 * A book's facts that every stage names the same way: who made it (its authors, "edited by" its
 * editors), its metadata where an article's is expected, and the ids and keys that keep its
 * chapters apart in one document. Kept apart from the renderers (src/html/book.ts), so that a run
 * whose book is up to date loads none of them.
 */
import type { Article, ArticleMeta, AssetSet, BookMeta } from '../model.js';
import { stringsFor, type Strings } from './strings.js';

/** One chapter and the images resolved for it. */
export interface BookChapterAssets {
  article: Article;
  assets: AssetSet;
}

/** The id of chapter `index` (0-based): its title's id; its other ids start with it and a hyphen. */
export const chapterId = (index: number): string => `c${index + 1}`;
/** The prefix of chapter `index`'s ids. */
export const chapterPrefix = (index: number): string => `${chapterId(index)}-`;

/** The names, as the language lists them ("A、B", "A, B"). */
export function nameList(names: readonly string[], strings: Strings): string {
  return names.join(strings.nameSeparator);
}

/** Who made the book, as its title page says it: its authors, then "edited by" its editors. */
export function bookCreators(meta: BookMeta): string[] {
  const strings = stringsFor(meta.lang);
  const lines: string[] = [];
  if (meta.authors.length > 0) lines.push(nameList(meta.authors, strings));
  if (meta.editors.length > 0) lines.push(strings.editedBy.replace('{names}', nameList(meta.editors, strings)));
  return lines;
}

/** The name the book's metadata gives as its author (PDF /Author, the cover): authors, else editors. */
export function bookAuthor(meta: BookMeta): string | undefined {
  const names = meta.authors.length > 0 ? meta.authors : meta.editors;
  return names.length > 0 ? nameList(names, stringsFor(meta.lang)) : undefined;
}

/** The book's metadata where an article's is expected (the cover, the PDF's and the EPUB's metadata). */
export function bookArticleMeta(meta: BookMeta): ArticleMeta {
  const out: ArticleMeta = { title: meta.title, lang: meta.lang, keywords: meta.keywords };
  const author = bookAuthor(meta);
  if (author) out.author = author;
  for (const key of ['subtitle', 'publisher', 'date', 'cover', 'description', 'rights'] as const) {
    const value = meta[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Every image of the book's print document by the key its chapter's prefix makes unique. */
export function bookPrintAssets(chapters: readonly BookChapterAssets[]): AssetSet {
  const all: AssetSet = new Map();
  chapters.forEach(({ assets }, index) => {
    for (const [id, image] of assets) all.set(`${chapterPrefix(index)}${id}`, image);
  });
  return all;
}
