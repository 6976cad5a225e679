/**
 * Navigation: the outline of the book — each chapter's title with its headings nested by depth,
 * its notes, and the landmarks — that the theme's toc.xhtml.ejs and toc.ncx.ejs render (through
 * epub-gen-memory) as the EPUB 3 navigation document and the EPUB 2 NCX.
 *
 * Not the library's job: epub-gen-memory's table of contents lists its chapters, one level deep;
 * the nested outline comes from the article's headings, which only Imprint knows.
 */
import type { Heading } from '../model.js';
import type { IdMap } from './ids.js';
import { xmlSafe } from './xhtml.js';

export interface NavPoint {
  label: string;
  href: string;
  children: NavPoint[];
}

export interface ChapterOutlineOptions {
  title: string;
  /** Href of the chapter document. */
  chapterHref: string;
  headings: readonly Heading[];
  ids: IdMap;
  notes?: { label: string; id: string } | undefined;
  /** The notes as the chapter's last entry (in a book of several chapters) rather than after it. */
  notesInside?: boolean;
}

const label = (text: string): string => xmlSafe(text).replace(/\s+/g, ' ').trim();

/**
 * One chapter's outline: its title with its headings nested by depth below it (a skipped level
 * nests under the nearest shallower heading), then its notes.
 */
export function chapterOutline(options: ChapterOutlineOptions): NavPoint[] {
  const root: NavPoint = { label: label(options.title), href: options.chapterHref, children: [] };
  const stack: Array<{ depth: number; point: NavPoint }> = [{ depth: 0, point: root }];
  for (const heading of options.headings) {
    const id = options.ids.map.get(heading.id);
    const text = label(heading.text);
    if (!id || !text) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= heading.depth) stack.pop();
    const point: NavPoint = { label: text, href: `${options.chapterHref}#${id}`, children: [] };
    stack[stack.length - 1]!.point.children.push(point);
    stack.push({ depth: heading.depth, point });
  }
  if (!options.notes) return [root];
  const notes: NavPoint = { label: label(options.notes.label), href: `${options.chapterHref}#${options.notes.id}`, children: [] };
  if (options.notesInside) {
    root.children.push(notes);
    return [root];
  }
  return [root, notes];
}

/** How deep the outline goes (dtb:depth of the NCX). */
export function outlineDepth(points: readonly NavPoint[]): number {
  return points.reduce((max, point) => Math.max(max, 1 + outlineDepth(point.children)), 0);
}

/** Every label of the outline (the text the navigation document shows). */
export function outlineLabels(points: readonly NavPoint[]): string[] {
  return points.flatMap((point) => [point.label, ...outlineLabels(point.children)]);
}

export interface Landmark {
  type: 'cover' | 'bodymatter' | 'toc' | 'colophon' | 'copyright-page' | 'endnotes' | 'footnotes';
  label: string;
  href: string;
}
