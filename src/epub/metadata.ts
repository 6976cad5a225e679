/**
 * The book's metadata as the package templates get it (`book` in templates/<theme>/epub/*.ejs,
 * rendered by epub-gen-memory): cleaned values, creators, the dates, the accessibility statement
 * and the navigation. Nothing is made up: a field the book does not have is left out.
 *
 * Not the library's job: epub-gen-memory's options know a title, authors, a publisher, a
 * description, a language and a date; the rest of what Imprint promises in the package (a stable
 * identifier, dcterms:modified from SOURCE_DATE_EPOCH, subtitle, source, rights, subjects,
 * accessibility, nested navigation, landmarks) it has no notion of, so Imprint hands it to the
 * templates as data.
 */
import type { ArticleMeta } from '../model.js';
import type { Landmark, NavPoint } from './nav.js';
import { xmlSafe } from './xhtml.js';

export interface Accessibility {
  /** schema:accessMode values (textual, visual). */
  accessModes: readonly string[];
  /** schema:accessModeSufficient values, each a comma-separated set. */
  sufficient: readonly string[];
  features: readonly string[];
  hazards: readonly string[];
  summary: string;
  summaryLang: string;
}

export interface Creator {
  /** XML id of the dc:creator element, refined by file-as and role. */
  id: string;
  name: string;
  /** MARC relator: aut (author) or edt (editor). */
  role: 'aut' | 'edt';
}

/** What the templates get as `book`, besides epub-gen-memory's own data. */
export interface TemplateBook {
  identifier: string;
  subtitle?: string;
  creators: Creator[];
  /** dc:date (W3CDTF). */
  date: string;
  /** dcterms:modified, CCYY-MM-DDThh:mm:ssZ. */
  modified: string;
  source?: string;
  rights?: string;
  subjects: string[];
  accessibility: Accessibility;
  /** The table of contents, nested like the headings. */
  toc: NavPoint[];
  /** Depth of `toc` (dtb:depth of the NCX). */
  tocDepth: number;
  landmarks: Landmark[];
  labels: { landmarks: string };
}

/** Text for the package: white space collapsed, characters XML does not allow dropped; undefined when empty. */
export function cleanText(value: string | undefined): string | undefined {
  const cleaned = value === undefined ? '' : xmlSafe(value).replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}

/** The creators of a book with one author (an article): its author, when it names one. */
export function creatorsOf(meta: ArticleMeta): Creator[] {
  const name = cleanText(meta.author);
  return name ? [{ id: 'author', name, role: 'aut' }] : [];
}
