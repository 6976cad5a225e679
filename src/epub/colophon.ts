/**
 * The colophon closing the book (as Standard Ebooks does): title, author, publisher, date, the
 * original URL and the rights statement — only the facts the article has.
 *
 * Not the library's job: epub-gen-memory writes the chapters it is given and has no colophon.
 */
import type { Element, ElementContent, Properties } from 'hast';
import type { Article, ArticleMeta } from '../model.js';
import { safeHref } from './chapter.js';
import { formatDate } from '../html/text.js';
import type { EpubLabels } from './labels.js';

const el = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

export interface ColophonOptions {
  meta: ArticleMeta;
  lang: string;
  labels: EpubLabels;
  /** A book: who made it (its authors, "edited by" its editors), in place of the author. */
  creators?: readonly string[] | undefined;
  /** A book: its chapters, each listed with its own author, source and rights. */
  chapters?: readonly Article[] | undefined;
}

/** A chapter of the book with its own facts. */
function chapterEntry(chapter: Article, options: ColophonOptions): ElementContent[] {
  const { labels } = options;
  const c = chapter.meta;
  const facts: ElementContent[] = [];
  const fact = (label: string, value: ElementContent): void => {
    facts.push(el('dt', {}, [text(label)]), el('dd', {}, [value]));
  };
  const by = [c.author, c.publisher].filter((part): part is string => Boolean(part));
  if (by.length > 0) fact(labels.author, text(by.join(' · ')));
  if (c.date) fact(labels.date, text(formatDate(c.date, c.lang)));
  if (c.source) {
    const href = safeHref(c.source);
    fact(labels.source, href && !href.startsWith('#') ? el('a', { href }, [text(c.source)]) : text(c.source));
  }
  if (c.rights) fact(labels.rights, text(c.rights));
  const lang = c.lang === options.lang ? {} : { lang: c.lang };
  return [
    el('p', { className: ['colophon-chapter-title'], ...lang }, [text(c.title)]),
    ...(facts.length > 0 ? [el('dl', { className: ['colophon-facts'], ...lang }, facts)] : []),
  ];
}

/** The colophon section (hast). */
export function colophonSection(options: ColophonOptions): Element {
  const { meta, labels } = options;
  const facts: ElementContent[] = [];
  const fact = (label: string, value: ElementContent): void => {
    facts.push(el('dt', {}, [text(label)]), el('dd', {}, [value]));
  };
  if (options.creators && options.creators.length > 0) {
    const names: ElementContent[] = [];
    options.creators.forEach((line, i) => names.push(...(i > 0 ? [el('br', {})] : []), text(line)));
    facts.push(el('dt', {}, [text(labels.author)]), el('dd', {}, names));
  } else if (meta.author) fact(labels.author, text(meta.author));
  if (meta.publisher) fact(labels.publisher, text(meta.publisher));
  if (meta.date) fact(labels.date, text(formatDate(meta.date, options.lang)));
  if (meta.source) {
    const href = safeHref(meta.source);
    fact(labels.source, href && !href.startsWith('#') ? el('a', { href }, [text(meta.source)]) : text(meta.source));
  }
  if (meta.rights) fact(labels.rights, text(meta.rights));
  return el('section', { id: 'colophon', className: ['colophon'], 'epub:type': 'colophon', role: 'doc-colophon', ariaLabelledBy: ['colophon-title'] }, [
    el('h2', { id: 'colophon-title', className: ['colophon-title'] }, [text(labels.colophon)]),
    el('p', { className: ['colophon-book'] }, [text(meta.title), ...(meta.subtitle ? [el('br', {}), text(meta.subtitle)] : [])]),
    ...(facts.length > 0 ? [el('dl', { className: ['colophon-facts'] }, facts)] : []),
    ...(options.chapters && options.chapters.length > 0
      ? [el('section', { className: ['colophon-chapters'], ariaLabelledBy: ['colophon-chapters-title'] }, [
          el('h3', { id: 'colophon-chapters-title', className: ['colophon-chapters-title'] }, [text(labels.chapters)]),
          ...options.chapters.flatMap((chapter) => chapterEntry(chapter, options)),
        ])]
      : []),
    el('p', { className: ['colophon-made'] }, [text(labels.producedWith)]),
  ]);
}
