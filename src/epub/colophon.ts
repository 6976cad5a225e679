/**
 * The colophon closing the book (as Standard Ebooks does): title, author, publisher, date, the
 * original URL and the rights statement — only the facts the article has.
 *
 * Not the library's job: epub-gen-memory writes the chapters it is given and has no colophon.
 */
import type { Element, ElementContent, Properties } from 'hast';
import type { ArticleMeta } from '../model.js';
import { safeHref } from './chapter.js';
import { formatDate } from '../html/text.js';
import type { EpubLabels } from './labels.js';

const el = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

export interface ColophonOptions {
  meta: ArticleMeta;
  lang: string;
  labels: EpubLabels;
}

/** The colophon section (hast). */
export function colophonSection(options: ColophonOptions): Element {
  const { meta, labels } = options;
  const facts: ElementContent[] = [];
  const fact = (label: string, value: ElementContent): void => {
    facts.push(el('dt', {}, [text(label)]), el('dd', {}, [value]));
  };
  if (meta.author) fact(labels.author, text(meta.author));
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
    el('p', { className: ['colophon-made'] }, [text(labels.producedWith)]),
  ]);
}
