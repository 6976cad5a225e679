/**
 * The book's metadata as the package templates get it (`book` in templates/<theme>/epub/*.ejs,
 * rendered by epub-gen-memory): cleaned values, creators with their sort keys (file-as), the dates,
 * the accessibility statement, the navigation and the guide. Nothing is made up: a field the book
 * does not have is left out.
 *
 * Not the library's job: epub-gen-memory's options know a title, authors, a publisher, a
 * description, a language and a date; the rest of what Imprint promises in the package (a stable
 * identifier, dcterms:modified from SOURCE_DATE_EPOCH, subtitle, source, rights, subjects,
 * file-as, accessibility, nested navigation, landmarks, guide) it has no notion of, so Imprint
 * hands it to the templates as data.
 */
import type { ArticleMeta, BookMeta } from '../model.js';
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
  /** dcterms:conformsTo, only when the book meets it (src/epub/accessibility.ts). */
  conformsTo?: string;
  /** a11y:certifiedBy: who evaluated the book for that claim. */
  certifiedBy?: string;
}

export interface Creator {
  /** XML id of the dc:creator element, refined by file-as and role. */
  id: string;
  name: string;
  /** How the name sorts ("Lovelace, Ada"): what reading systems such as Calibre file the book under. */
  fileAs: string;
  /** MARC relator: aut (author) or edt (editor). */
  role: 'aut' | 'edt';
}

/** An EPUB 2 guide reference (Calibre and other older reading systems find the cover through it). */
export interface GuideReference {
  type: 'cover' | 'toc' | 'text';
  title: string;
  href: string;
}

/** What the templates get as `book`, besides epub-gen-memory's own data. */
export interface TemplateBook {
  identifier: string;
  subtitle?: string;
  creators: Creator[];
  /** The navigation document is the book's contents page, read after the cover (a book of several articles). */
  contentsInSpine: boolean;
  /** dc:date (W3CDTF): the book's date; left out when it has none. */
  date?: string;
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
  guide: GuideReference[];
  labels: { landmarks: string };
}

/** Text for the package: white space collapsed, characters XML does not allow dropped; undefined when empty. */
export function cleanText(value: string | undefined): string | undefined {
  const cleaned = value === undefined ? '' : xmlSafe(value).replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}

/** Names written family name first, whose sort key is the name as written. */
const FAMILY_NAME_FIRST = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SUFFIX = /^(jr|sr|[ivx]+)\.?$/i;

/**
 * The sort key of a personal name: "Ada Lovelace" → "Lovelace, Ada" (a suffix such as "Jr." stays
 * last: "Martin Luther King Jr." → "King, Martin Luther, Jr."); CJK names, which are written family
 * name first, single words and names that already have a comma sort as written.
 */
export function fileAs(name: string): string {
  const words = name.trim().split(/\s+/);
  if (FAMILY_NAME_FIRST.test(name) || name.includes(',') || words.length < 2) return name.trim();
  const suffix = words.length > 2 && SUFFIX.test(words.at(-1) ?? '') ? words.pop() : undefined;
  const family = words.pop() ?? '';
  return `${family}, ${words.join(' ')}${suffix ? `, ${suffix}` : ''}`;
}

/** The creators of a book: its authors, then its editors (MARC relators aut and edt). */
export function bookCreatorsOf(meta: BookMeta): Creator[] {
  const creators: Creator[] = [];
  const add = (names: readonly string[], role: Creator['role'], base: string): void => {
    let n = 0;
    for (const raw of names) {
      const name = cleanText(raw);
      if (!name) continue;
      n++;
      creators.push({ id: n === 1 ? base : `${base}-${n}`, name, fileAs: fileAs(name), role });
    }
  };
  add(meta.authors, 'aut', 'author');
  add(meta.editors, 'edt', 'editor');
  return creators;
}

/** The creators of a book with one author (an article): its author, when it names one. */
export function creatorsOf(meta: ArticleMeta): Creator[] {
  const name = cleanText(meta.author);
  return name ? [{ id: 'author', name, fileAs: fileAs(name), role: 'aut' }] : [];
}
