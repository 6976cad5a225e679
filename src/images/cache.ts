/**
 * Download cache: <cacheDir>/<sha256(url)>.bin holds the bytes as downloaded,
 * <sha256(url)>.json what was learned about them. Writes are atomic
 * (temp file + rename), so an interrupted run never leaves half an image.
 * Only images that sniffed as valid are stored; an entry without .bin records
 * the size of an image that was too large, for a sized placeholder offline.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAtomic } from '../stages/write.js';

export interface CacheMeta {
  url: string;
  mediaType?: string;
  width?: number;
  height?: number;
  /** Size of the .bin file; absent when only the metadata is known. */
  bytes?: number;
  /** ISO date-time of the download. */
  fetchedAt: string;
}

export interface CacheEntry {
  meta?: CacheMeta;
  bytes?: Uint8Array;
}

export interface ImageCache {
  readonly dir: string;
  get(url: string): Promise<CacheEntry | undefined>;
  put(url: string, bytes: Uint8Array, meta: Omit<CacheMeta, 'url' | 'fetchedAt' | 'bytes'>): Promise<void>;
  putMeta(url: string, meta: Omit<CacheMeta, 'url' | 'fetchedAt' | 'bytes'>): Promise<void>;
}

export function cacheKey(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

function parseMeta(text: string, url: string): CacheMeta | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    if (record['url'] !== url || typeof record['fetchedAt'] !== 'string') return undefined;
    const meta: CacheMeta = { url, fetchedAt: record['fetchedAt'] };
    if (typeof record['mediaType'] === 'string') meta.mediaType = record['mediaType'];
    if (typeof record['width'] === 'number') meta.width = record['width'];
    if (typeof record['height'] === 'number') meta.height = record['height'];
    if (typeof record['bytes'] === 'number') meta.bytes = record['bytes'];
    return meta;
  } catch {
    return undefined;
  }
}

export function createImageCache(dir: string): ImageCache {
  let ready: Promise<unknown> | undefined;
  const ensureDir = (): Promise<unknown> => (ready ??= mkdir(dir, { recursive: true }));
  const base = (url: string): string => path.join(dir, cacheKey(url));

  return {
    dir,
    async get(url) {
      const file = base(url);
      const [json, bin] = await Promise.all([
        readFile(`${file}.json`, 'utf8').catch(() => undefined),
        readFile(`${file}.bin`).catch(() => undefined),
      ]);
      const meta = json === undefined ? undefined : parseMeta(json, url);
      // A .bin whose metadata names another URL (hash collision, tampering) is not trusted.
      if (json !== undefined && !meta) return undefined;
      if (!meta && !bin) return undefined;
      const entry: CacheEntry = {};
      if (meta) entry.meta = meta;
      if (bin && (meta?.bytes === undefined || meta.bytes === bin.length)) entry.bytes = new Uint8Array(bin);
      return entry;
    },
    async put(url, bytes, info) {
      await ensureDir();
      const file = base(url);
      await writeAtomic(`${file}.bin`, bytes);
      const meta: CacheMeta = { url, ...info, bytes: bytes.length, fetchedAt: new Date().toISOString() };
      await writeAtomic(`${file}.json`, `${JSON.stringify(meta, null, 2)}\n`);
    },
    async putMeta(url, info) {
      await ensureDir();
      const meta: CacheMeta = { url, ...info, fetchedAt: new Date().toISOString() };
      await writeAtomic(`${base(url)}.json`, `${JSON.stringify(meta, null, 2)}\n`);
    },
  };
}
