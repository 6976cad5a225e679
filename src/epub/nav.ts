/**
 * Navigation: the EPUB 3 navigation document (a table of contents nested like the headings,
 * and landmarks) and the EPUB 2 NCX with the same outline for older reading systems.
 */
import type { Element, ElementContent, Properties } from 'hast';
import type { Heading } from '../model.js';
import type { IdMap } from './ids.js';
import { escapeAttribute, escapeText, xhtmlDocument, type XhtmlDocument } from './xhtml.js';

export interface NavPoint {
  label: string;
  href: string;
  children: NavPoint[];
}

export interface OutlineOptions {
  title: string;
  /** Href of the chapter document. */
  chapterHref: string;
  headings: readonly Heading[];
  ids: IdMap;
  notes?: { label: string; id: string } | undefined;
  /** The cover page, listed first (every spine item is then reachable from the table of contents). */
  cover?: { label: string; href: string } | undefined;
}

/**
 * The outline: the cover, the article title with its headings nested by depth below it (a
 * skipped level nests under the nearest shallower heading), then the notes.
 */
export function outline(options: OutlineOptions): NavPoint[] {
  const root: NavPoint = { label: options.title, href: options.chapterHref, children: [] };
  const stack: Array<{ depth: number; point: NavPoint }> = [{ depth: 0, point: root }];
  for (const heading of options.headings) {
    const id = options.ids.map.get(heading.id);
    const label = heading.text.trim();
    if (!id || !label) continue;
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= heading.depth) stack.pop();
    const point: NavPoint = { label, href: `${options.chapterHref}#${id}`, children: [] };
    stack[stack.length - 1]!.point.children.push(point);
    stack.push({ depth: heading.depth, point });
  }
  const points: NavPoint[] = options.cover ? [{ label: options.cover.label, href: options.cover.href, children: [] }, root] : [root];
  if (options.notes) points.push({ label: options.notes.label, href: `${options.chapterHref}#${options.notes.id}`, children: [] });
  return points;
}

export interface Landmark {
  type: 'cover' | 'bodymatter' | 'toc' | 'colophon' | 'copyright-page' | 'endnotes' | 'footnotes';
  label: string;
  href: string;
}

const el = (tagName: string, properties: Properties, children: ElementContent[] = []): Element => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });

function list(points: readonly NavPoint[]): Element {
  return el(
    'ol',
    {},
    points.map((point) => el('li', {}, [el('a', { href: point.href }, [text(point.label)]), ...(point.children.length > 0 ? [list(point.children)] : [])])),
  );
}

export interface NavDocumentOptions {
  lang: string;
  title: string;
  tocLabel: string;
  landmarksLabel: string;
  points: readonly NavPoint[];
  landmarks: readonly Landmark[];
  stylesheets: readonly string[];
}

export function navDocument(options: NavDocumentOptions): XhtmlDocument {
  const toc = el('nav', { id: 'toc', 'epub:type': 'toc', role: 'doc-toc', ariaLabelledBy: ['toc-title'] }, [
    el('h2', { id: 'toc-title' }, [text(options.tocLabel)]),
    list(options.points),
  ]);
  const landmarks = el('nav', { id: 'landmarks', 'epub:type': 'landmarks', ariaLabelledBy: ['landmarks-title'], hidden: true }, [
    el('h2', { id: 'landmarks-title' }, [text(options.landmarksLabel)]),
    el(
      'ol',
      {},
      options.landmarks.map((landmark) => el('li', {}, [el('a', { 'epub:type': landmark.type, href: landmark.href }, [text(landmark.label)])])),
    ),
  ]);
  return xhtmlDocument({
    lang: options.lang,
    title: options.title,
    stylesheets: options.stylesheets,
    bodyProperties: { className: ['nav'] },
    body: [toc, landmarks],
  });
}

export interface NcxOptions {
  identifier: string;
  title: string;
  lang: string;
  points: readonly NavPoint[];
}

function depthOf(points: readonly NavPoint[]): number {
  return points.reduce((max, point) => Math.max(max, 1 + depthOf(point.children)), 0);
}

/** EPUB 2 NCX with the same outline (older Kobo and Adobe-based readers read this one). */
export function ncxDocument(options: NcxOptions): string {
  let order = 0;
  const navPoints = (points: readonly NavPoint[], indent: string): string =>
    points
      .map((point) => {
        order++;
        return [
          `${indent}<navPoint id="navpoint-${order}" playOrder="${order}">`,
          `${indent}  <navLabel><text>${escapeText(point.label)}</text></navLabel>`,
          `${indent}  <content src="${escapeAttribute(point.href)}"/>`,
          ...(point.children.length > 0 ? [navPoints(point.children, `${indent}  `)] : []),
          `${indent}</navPoint>`,
        ].join('\n');
      })
      .join('\n');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${escapeAttribute(options.lang)}">`,
    '<head>',
    `  <meta name="dtb:uid" content="${escapeAttribute(options.identifier)}"/>`,
    `  <meta name="dtb:depth" content="${depthOf(options.points)}"/>`,
    '  <meta name="dtb:totalPageCount" content="0"/>',
    '  <meta name="dtb:maxPageNumber" content="0"/>',
    '</head>',
    `<docTitle><text>${escapeText(options.title)}</text></docTitle>`,
    '<navMap>',
    navPoints(options.points, '  '),
    '</navMap>',
    '</ncx>',
    '',
  ].join('\n');
}
