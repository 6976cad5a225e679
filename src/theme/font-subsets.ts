/**
 * Subsets of Imprint's faces holding exactly the characters a document sets in them (FontUsage),
 * made with subset-font (HarfBuzz's hb-subset, compiled to WebAssembly) and packed as WOFF
 * (woff.ts). A face shipped as unicode-range slices gives one subset per slice it uses; each is
 * declared with the unicode-range of the characters it holds. Layout features are kept (HarfBuzz
 * closes over the glyphs they reach: ligatures, vertical and proportional forms), so the text
 * shapes as it does with the full face.
 *
 * The subsets are cut in a worker thread (subset-worker.ts), so that the main thread stays free to
 * drive Chromium while they are made. The worker is started on the first subset and ended after a
 * moment without work.
 */
import { Worker } from 'node:worker_threads';
import type { SubsetReply, SubsetRequest } from './subset-worker.js';
import type { FontUsage, UsedFace } from './font-usage.js';
import { fontFaceRule, readFontFile } from './fonts.js';
import { unicodeRangeOf } from './unicode-range.js';

export interface FontSubset {
  face: UsedFace;
  /** The shipped slice it was cut from. */
  file: string;
  /** The characters it holds, as a unicode-range value. */
  unicodeRange: string;
  /** WOFF bytes. */
  bytes: Uint8Array;
}

/** Subsets already made in this process (a batch shares its faces' common characters rarely, a preview often). */
const made = new Map<string, Promise<Uint8Array>>();
const MAX_KEPT = 400;

const WORKER_URL = new URL('./subset-worker.js', import.meta.url);
/** The worker is ended after this long without work, giving back its heap and HarfBuzz's memory. */
const IDLE_MS = 1500;
let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }>();

/** Every waiting subset fails with `error`, and the next one starts a new worker. */
function fail(failed: Worker, error: Error): void {
  if (worker !== failed) return;
  worker = undefined;
  for (const { reject } of waiting.values()) reject(error);
  waiting.clear();
}

function subsetWorker(): Worker {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  if (worker) return worker;
  const started = new Worker(WORKER_URL);
  started.on('message', (reply: SubsetReply) => {
    const entry = waiting.get(reply.id);
    if (!entry) return;
    waiting.delete(reply.id);
    if ('bytes' in reply) entry.resolve(reply.bytes);
    else entry.reject(new Error(`font subset: ${reply.error}`));
    if (waiting.size === 0) {
      // Idle: it keeps no process alive, and ends after a while.
      started.unref();
      idleTimer = setTimeout(() => {
        if (worker === started && waiting.size === 0) {
          worker = undefined;
          void started.terminate();
        }
      }, IDLE_MS);
      idleTimer.unref();
    }
  });
  started.on('error', (error) => fail(started, error));
  started.on('exit', (code) => fail(started, new Error(`the font subset worker stopped (exit code ${code})`)));
  worker = started;
  return started;
}

/** One subset of the WOFF slice `woff`, cut in the worker. */
function cut(woff: Uint8Array, text: string): Promise<Uint8Array> {
  const thread = subsetWorker();
  thread.ref();
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    thread.postMessage({ id, woff, text } satisfies SubsetRequest);
  });
}

function subsetOf(file: string, codes: readonly number[]): Promise<Uint8Array> {
  const text = String.fromCodePoint(...codes);
  const key = `${file}\u0000${text}`;
  let pending = made.get(key);
  if (!pending) {
    // The WOFF copy of the slice, unpacked in the worker (zlib): HarfBuzz reads and writes plain sfnt.
    const bytes = readFontFile(file, 'woff');
    if (!bytes) return Promise.reject(new Error(`font file ${file} is not shipped`));
    pending = cut(bytes, text);
    pending.catch(() => made.delete(key));
    if (made.size >= MAX_KEPT) made.delete(made.keys().next().value as string);
    made.set(key, pending);
  }
  return pending;
}

/** The subsets for `usage` (cut from the slices of the document's planned faces), in a stable order. */
export async function fontSubsets(usage: FontUsage): Promise<FontSubset[]> {
  const files = [...usage.files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Promise.all(
    files.map(([file, { face, codes }]) => {
      const sorted = [...codes].sort((a, b) => a - b);
      return subsetOf(file, sorted).then((bytes) => ({ face, file, unicodeRange: unicodeRangeOf(sorted), bytes }));
    }),
  );
}

/** @font-face rules for subsets, each at urlFor(subset). */
export function subsetCss(subsets: readonly FontSubset[], urlFor: (subset: FontSubset) => string): string {
  return subsets.map((s) => fontFaceRule({ ...s.face, unicodeRange: s.unicodeRange }, urlFor(s), 'swap', 'woff')).join('\n');
}
