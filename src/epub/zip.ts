/**
 * Deterministic EPUB container (OCF zip): `mimetype` first, stored, without extra field; then the
 * entries in the order given, each with the same timestamp. Already-compressed media (images,
 * fonts) are stored, text is deflated at level 9. Same entries + same date → same bytes.
 *
 * fflate (pure JS) rather than node:zlib: its output does not change with the zlib build Node
 * bundles, so the same book zips to the same bytes on every machine. Level 6 was measured no
 * faster with fflate on the sample and on an article 50 times its length (and up to 0.5 % larger).
 */
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  /** Path inside the container, e.g. OEBPS/content.opf. */
  path: string;
  bytes: Uint8Array;
}

const MIMETYPE = 'application/epub+zip';
const STORED = /\.(jpe?g|png|gif|webp|avif|woff2?|otf|ttf|mp3|mp4|m4a)$/i;

/**
 * Zip timestamps are local date-time fields (MS-DOS format) and fflate fills them from the local
 * time zone: give it a Date whose local fields equal the UTC fields of `date`, so the bytes do not
 * depend on the machine's time zone. MS-DOS dates run from 1980 to 2099.
 */
function dosDate(date: Date): Date {
  const year = Math.min(2099, Math.max(1980, date.getUTCFullYear()));
  if (year !== date.getUTCFullYear()) return new Date(year, 0, 1, 0, 0, 0);
  return new Date(year, date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}

export function zipEpub(entries: readonly ZipEntry[], date: Date): Uint8Array {
  const mtime = dosDate(date);
  const files: Zippable = {};
  files['mimetype'] = [new TextEncoder().encode(MIMETYPE), { level: 0, mtime }];
  for (const entry of entries) {
    if (entry.path === 'mimetype') continue;
    if (entry.path in files) throw new Error(`duplicate zip entry ${entry.path}`);
    files[entry.path] = [entry.bytes, { level: STORED.test(entry.path) ? 0 : 9, mtime }];
  }
  return zipSync(files);
}
