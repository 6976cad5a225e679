/**
 * The book's identity: an identifier that stays the same for the same article (a name-based
 * UUID, RFC 4122 version 5) and the dates written into the package and the zip.
 *
 * Not the library's job: epub-gen-memory makes up a random identifier and takes its dates from
 * the clock, so no two builds of the same book would be the same.
 */
import { createHash } from 'node:crypto';
import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { ArticleMeta } from '../model.js';

/** RFC 4122 namespace for URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A version 5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Namespace for identifiers derived from content (articles without a source URL). */
const CONTENT_NAMESPACE = uuidV5('https://imprint.invalid/epub/content', URL_NAMESPACE);

/**
 * urn:uuid: identifier: from the source URL when known (the same article clipped twice is the
 * same book), otherwise from the title and the text of its chapters.
 */
export function bookIdentifier(meta: ArticleMeta, texts: readonly Root[]): string {
  const source = meta.source?.trim();
  if (source) return `urn:uuid:${uuidV5(source, URL_NAMESPACE)}`;
  const content = [meta.title, ...texts.map((tree) => toString(tree))].join('\n');
  return `urn:uuid:${uuidV5(content, CONTENT_NAMESPACE)}`;
}

/** CCYY-MM-DDThh:mm:ssZ, as dcterms:modified requires. */
export function modifiedStamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A Date from an ISO 8601 date or date-time (a bare date is midnight UTC); undefined if invalid. */
export function parseArticleDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const text = value.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : /^\d{4}-\d{2}$/.test(text) ? `${text}-01T00:00:00Z` : /^\d{4}$/.test(text) ? `${text}-01-01T00:00:00Z` : text;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * dcterms:modified, the one place the build time appears: SOURCE_DATE_EPOCH when given
 * (reproducible builds), else `now`.
 */
export function modifiedDate(sourceDateEpoch: number | undefined, now: () => Date = () => new Date()): Date {
  if (sourceDateEpoch !== undefined && Number.isFinite(sourceDateEpoch)) return new Date(Math.trunc(sourceDateEpoch) * 1000);
  return new Date(Math.floor(now().getTime() / 1000) * 1000);
}

/**
 * dc:date: the book's date (ArticleMeta.date, the one date every output shows) as written when
 * it is a valid W3CDTF value, else normalised; undefined when it has none (no date is made up
 * from the build).
 */
export function publicationDate(date: string | undefined): string | undefined {
  const text = date?.trim();
  if (text && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(text)) return text;
  const parsed = parseArticleDate(text);
  return parsed ? modifiedStamp(parsed) : undefined;
}
