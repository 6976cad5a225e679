/**
 * Element ids in EPUB content documents must be XML names (no leading digit, no spaces or
 * punctuation other than . - _), and fragment links must point at an id that exists, or
 * epubcheck fails the book. Heading slugs such as "2023年回顾" are made valid here, and every
 * `href="#…"` follows its target's new id (links to nowhere lose their href).
 *
 * Not the library's job: epub-gen-memory keeps a chapter's ids and links as they are.
 */
import type { Root } from 'hast';
import { visitElements } from './walk.js';

const NAME_START = /[\p{L}_]/u;
const NAME_CHAR = /[\p{L}\p{M}\p{N}._-]/u;

/** A valid XML name (NCName) close to `id`. */
export function xmlName(id: string): string {
  let name = Array.from(id.normalize('NFC'))
    .map((c) => (NAME_CHAR.test(c) ? c : '-'))
    .join('')
    .replace(/-{2,}/g, '-');
  if (!name || !NAME_START.test(Array.from(name)[0] ?? '')) name = `id-${name}`;
  return name;
}

/** An id not yet in `used`, based on `base`; records it. */
export function uniqueId(base: string, used: Set<string>): string {
  let id = xmlName(base);
  for (let n = 2; used.has(id); n++) id = `${xmlName(base)}-${n}`;
  used.add(id);
  return id;
}

export interface IdMap {
  /** Old id → new id (the first element with an old id keeps the mapping). */
  map: Map<string, string>;
  used: Set<string>;
}

/** Makes every id in `tree` a unique XML name; returns the renames. */
export function normalizeIds(tree: Root, used: Set<string> = new Set()): IdMap {
  const map = new Map<string, string>();
  visitElements(tree, (node) => {
    const id = node.properties['id'];
    if (id === undefined || id === null || id === '') return;
    const old = String(id);
    const fresh = uniqueId(old, used);
    node.properties['id'] = fresh;
    if (!map.has(old)) map.set(old, fresh);
  });
  return { map, used };
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Points `href="#old"` at the renamed ids; a fragment link to no element loses its href. */
export function relinkFragments(tree: Root, ids: IdMap): void {
  visitElements(tree, (node) => {
    const href = node.properties['href'];
    if (typeof href !== 'string' || !href.startsWith('#')) return;
    const target = decodeFragment(href.slice(1));
    const fresh = ids.map.get(target) ?? (ids.used.has(target) ? target : undefined);
    if (fresh) node.properties['href'] = `#${fresh}`;
    else delete node.properties['href'];
  });
}
