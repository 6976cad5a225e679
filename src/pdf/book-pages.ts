/**
 * The pages printed around the article: the optional cover (theme's cover.html) and the
 * colophon with the rights statement and the source (theme's colophon.html, default theme's
 * when the theme has none). Both templates are HTML fragments; values are escaped here.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArticleMeta, Book } from '../model.js';
import { bookCreators } from '../html/book-meta.js';
import { stringsFor } from '../html/strings.js';
import { fillTemplate, type Theme } from '../theme/theme.js';
import { escapeHtml, formatDate } from '../html/text.js';
import { isPublicWebUrl } from '../plugins/lib/url-policy.js';



interface Labels {
  publisher: string;
  date: string;
  author: string;
  producedWith: string;
}

function labelsFor(lang: string): Labels {
  const tag = lang.toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return { publisher: '出版', date: '日期', author: '作者', producedWith: '以 Imprint 排版' };
  if (tag.startsWith('zh')) return { publisher: '出版', date: '日期', author: '作者', producedWith: '由 Imprint 排版' };
  if (tag.startsWith('ja')) return { publisher: '発行', date: '日付', author: '著者', producedWith: 'Imprint で組版' };
  if (tag.startsWith('ko')) return { publisher: '발행', date: '날짜', author: '저자', producedWith: 'Imprint로 조판' };
  return { publisher: 'Publisher', date: 'Date', author: 'Author', producedWith: 'Typeset with Imprint' };
}

/** A theme file by name: the theme's own, else the default theme's, else undefined. */
export function themeFile(theme: Theme, file: string): string | undefined {
  for (const dir of [theme.dir, path.join(path.dirname(theme.dir), 'default')]) {
    const candidate = path.join(dir, file);
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  return undefined;
}

/** The cover page: the theme's cover.html filled with the article's metadata, in a full-page box. */
export function coverHtml(meta: ArticleMeta, theme: Theme): string {
  const template = theme.files['cover.html'] || themeFile(theme, 'cover.html') || DEFAULT_COVER;
  const filled = fillTemplate(template, {
    lang: escapeHtml(meta.lang),
    title: escapeHtml(meta.title),
    subtitle: escapeHtml(meta.subtitle ?? ''),
    author: escapeHtml(meta.author ?? ''),
    publisher: escapeHtml(meta.publisher ?? ''),
    date: escapeHtml(formatDate(meta.date, meta.lang)),
  });
  return `<div class="imprint-cover">${filled}</div>`;
}

/** The colophon: the theme's colophon.html with title, author and a list of facts (publisher, date, source, rights). */
export function colophonHtml(meta: ArticleMeta, theme: Theme): string {
  const template = themeFile(theme, 'colophon.html') ?? DEFAULT_COLOPHON;
  const strings = stringsFor(meta.lang);
  const labels = labelsFor(meta.lang);
  const facts: string[] = [];
  const fact = (cls: string, label: string, value: string): void => {
    // The label and the value are apart in the text too: a real space in a box of no width (the
    // theme lays them out side by side).
    facts.push(`<div class="colophon-fact colophon-${cls}"><dt>${escapeHtml(label)}<span class="imprint-separator"> </span></dt><dd>${value}</dd></div>`);
  };
  if (meta.author) fact('author', labels.author, escapeHtml(meta.author));
  if (meta.publisher) fact('publisher', labels.publisher, escapeHtml(meta.publisher));
  if (meta.date) fact('date', labels.date, escapeHtml(formatDate(meta.date, meta.lang)));
  if (meta.source) {
    const safe = isPublicWebUrl(meta.source);
    const text = escapeHtml(meta.source);
    fact('source', strings.source, safe ? `<a href="${text}">${text}</a>` : text);
  }
  if (meta.rights) fact('rights', strings.rights, escapeHtml(meta.rights));
  let filled = fillTemplate(template, {
    lang: escapeHtml(meta.lang),
    title: escapeHtml(meta.title),
    subtitle: escapeHtml(meta.subtitle ?? ''),
    author: escapeHtml(meta.author ?? ''),
    facts: facts.join('\n'),
    producedWith: escapeHtml(labels.producedWith),
  });
  // An article without any of these facts gets no list: the theme's list would be an empty box between its rules.
  if (facts.length === 0) filled = filled.replace(/<dl\b[^>]*\bclass="[^"]*\bcolophon-facts\b[^"]*"[^>]*>\s*<\/dl>\s*/g, '');
  return `<div class="imprint-colophon">${filled}</div>`;
}

/**
 * A book's colophon: the theme's colophon.html with the book's facts (its makers, publisher, date,
 * rights) and, in its {{chapters}} slot (after the facts when the template has none), each
 * chapter's title with its own author, source and rights.
 */
export function bookColophonHtml(book: Book, theme: Theme): string {
  const template = themeFile(theme, 'colophon.html') ?? DEFAULT_COLOPHON;
  const { meta } = book;
  const strings = stringsFor(meta.lang);
  const labels = labelsFor(meta.lang);
  // As in an article's colophon: label and value apart in the text too (a space in a box of no width).
  const fact = (cls: string, label: string, value: string): string =>
    `<div class="colophon-fact colophon-${cls}"><dt>${escapeHtml(label)}<span class="imprint-separator"> </span></dt><dd>${value}</dd></div>`;
  const source = (url: string): string => (isPublicWebUrl(url) ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(url));
  const facts: string[] = [];
  const creators = bookCreators(meta);
  if (creators.length > 0) facts.push(fact('author', labels.author, creators.map(escapeHtml).join('<br>')));
  if (meta.publisher) facts.push(fact('publisher', labels.publisher, escapeHtml(meta.publisher)));
  if (meta.date) facts.push(fact('date', labels.date, escapeHtml(formatDate(meta.date, meta.lang))));
  if (meta.rights) facts.push(fact('rights', strings.rights, escapeHtml(meta.rights)));
  const chapters = book.chapters.map((chapter) => {
    const c = chapter.meta;
    const lines: string[] = [];
    const by = [c.author, c.publisher].filter((part): part is string => Boolean(part));
    if (by.length > 0) lines.push(fact('author', labels.author, escapeHtml(by.join(' · '))));
    if (c.date) lines.push(fact('date', labels.date, escapeHtml(formatDate(c.date, c.lang))));
    if (c.source) lines.push(fact('source', strings.source, source(c.source)));
    if (c.rights) lines.push(fact('rights', strings.rights, escapeHtml(c.rights)));
    const lang = c.lang === meta.lang ? '' : ` lang="${escapeHtml(c.lang)}"`;
    return `<div class="colophon-chapter"${lang}><p class="colophon-chapter-title">${escapeHtml(c.title)}</p>${lines.length > 0 ? `<dl class="colophon-facts">${lines.join('')}</dl>` : ''}</div>`;
  });
  const list = `<div class="colophon-chapters"><p class="colophon-chapters-title">${escapeHtml(strings.chapters)}</p>${chapters.join('\n')}</div>`;
  const values = {
    lang: escapeHtml(meta.lang),
    title: escapeHtml(meta.title),
    subtitle: escapeHtml(meta.subtitle ?? ''),
    author: escapeHtml(creators.join(' ')),
    facts: facts.join('\n'),
    chapters: list,
    producedWith: escapeHtml(labels.producedWith),
  };
  const slot = /{{\s*chapters\s*}}/.test(template);
  return `<div class="imprint-colophon imprint-book-colophon">${fillTemplate(template, values)}${slot ? '' : list}</div>`;
}

const DEFAULT_COVER = `<section class="cover"><p class="cover-title">{{title}}</p><p class="cover-subtitle">{{subtitle}}</p><p class="cover-author">{{author}}</p><p class="cover-publisher">{{publisher}}</p><p class="cover-date">{{date}}</p></section>`;
const DEFAULT_COLOPHON = `<section class="colophon"><p class="colophon-title">{{title}}</p><dl class="colophon-facts">{{facts}}</dl><p class="colophon-made">{{producedWith}}</p></section>`;
