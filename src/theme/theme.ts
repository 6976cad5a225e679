/**
 * Themes live in templates/<name>/:
 *   page.html    HTML shell with {{lang}}, {{title}}, {{head}}, {{body}}, {{bodyClass}} slots
 *   base.css     shared by every output (typography, figures, captions, credits, byline, notice);
 *                e-reader safe: no flexbox or grid, no vw units
 *   screen.css   the standalone web page
 *   print.css    the PDF (page geometry comes from config and is added by the PDF stage)
 *   epub.css     the EPUB
 *   cover.html   cover template for PDF and EPUB ({{title}}, {{subtitle}}, {{author}}, {{publisher}}, {{date}})
 *   colophon.html  the PDF colophon (rights statement, source)
 *   book.css     a book's own parts in every output (title page, contents, chapter credits,
 *                the colophon's list of chapters)
 *   epub/        the EPUB package as epub-gen-memory renders it (EJS): content.opf.ejs,
 *                toc.xhtml.ejs, toc.ncx.ejs and chapter.xhtml.ejs (see src/stages/build-epub.ts)
 * A theme may leave files out; they are then taken from the default theme.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR } from '../package.js';

export { TEMPLATES_DIR };
const THEME_FILES = [
  'page.html', 'base.css', 'screen.css', 'print.css', 'epub.css', 'cover.html', 'colophon.html', 'book.css',
  'epub/content.opf.ejs', 'epub/toc.xhtml.ejs', 'epub/toc.ncx.ejs', 'epub/chapter.xhtml.ejs',
] as const;
export type ThemeFile = (typeof THEME_FILES)[number];

export interface Theme {
  name: string;
  dir: string;
  files: Record<ThemeFile, string>;
}

export class ThemeNotFoundError extends Error {}

export function themeNames(templatesDir = TEMPLATES_DIR): string[] {
  if (!existsSync(templatesDir)) return [];
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^[\w-]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export function loadTheme(name: string, templatesDir = TEMPLATES_DIR): Theme {
  if (!/^[\w-]+$/.test(name)) throw new ThemeNotFoundError(`invalid theme name "${name}"`);
  const dir = path.join(templatesDir, name);
  if (!existsSync(dir)) throw new ThemeNotFoundError(`theme "${name}" not found in ${templatesDir}`);
  const fallback = path.join(templatesDir, 'default');
  const files = {} as Record<ThemeFile, string>;
  for (const file of THEME_FILES) {
    const own = path.join(dir, file);
    const chosen = existsSync(own) ? own : path.join(fallback, file);
    files[file] = existsSync(chosen) ? readFileSync(chosen, 'utf8') : '';
  }
  return { name, dir, files };
}

/** Fills {{slot}} placeholders; values are inserted as given (escape them first where needed). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/{{\s*(\w+)\s*}}/g, (_, key: string) => values[key] ?? '');
}
