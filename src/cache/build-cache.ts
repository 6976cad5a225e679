/**
 * Incremental builds. Every output is keyed by a hash of everything that shapes it: the article,
 * its resolved images, the effective configuration, the theme, Imprint's version (package.json
 * version, the compiled code, the lockfile) and, for PDF and EPUB, the Chromium. The keys
 * live in a manifest, <project>/.cache/builds.json, written atomically at the end of a run.
 * The manifest also remembers the hash of each of Imprint's own files with the state of the file
 * on disk (size, modification and change times, inode), so a run reads and hashes only the files
 * that changed since (a rebuilt dist/), not all of Imprint's code every time.
 *
 * An output is up to date when its key is unchanged and the file on disk is still the one Imprint
 * wrote (same size and modification time). Two checks, both before any browser is launched:
 *
 *  - quick, right after reading the article: its text, the run's settings and the state of every
 *    image source the last build read (local files, download-cache entries) are unchanged, so the
 *    resolved images are too: every output is up to date without parsing anything. Not possible
 *    when an image was missing from the cache while the network is allowed (it may download now).
 *  - per output, after the images are resolved: the key computed from the resolved asset set.
 *
 * Both also check the article's relative links against the documents published in this run: a
 * link stays a link only to a document of the run (see Publication), so an output whose link
 * targets joined or left the run is rebuilt.
 *
 * A skipped output's diagnostics are replayed from the manifest with their severity, so a rebuild
 * with nothing changed reports the same warnings and repairs as the build that wrote the outputs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VFile } from 'vfile';
import { findChromium } from '../browser/chromium.js';
import type { Config, UserConfig } from '../config/schema.js';
import { cacheKey } from '../images/cache.js';
import { classifySource } from '../images/source.js';
import type { AssetSet, Format, ImageAsset, OutputFile, Position, RelativeLink } from '../model.js';
import { documentName, findDocument } from '../plugins/lib/documents.js';
import { COMPILED_DIR, PACKAGE_ROOT } from '../package.js';
import type { Theme } from '../theme/theme.js';

const MANIFEST_VERSION = 1;

/** Where the manifest lives in a project. */
export const manifestPath = (cwd: string): string => path.join(cwd, '.cache', 'builds.json');

/** A diagnostic as stored in the manifest (enough to replay it on the article's VFile). */
export interface StoredMessage {
  reason: string;
  place?: Position | { line: number; column: number };
  ruleId?: string;
  source?: string;
  /** true error, false warning, null info (as VFileMessage.fatal). */
  fatal: boolean | null;
  /** The file the message is about, when it is not the document's own (a book's chapter). */
  file?: string;
}

export interface StoredFile {
  /** Relative to the project root, with forward slashes. */
  path: string;
  bytes: number;
  mtimeMs: number;
}

export interface OutputEntry extends StoredFile {
  key: string;
  pages?: number;
  /** Files written beside the output (HTML assets folder). */
  files?: StoredFile[];
  /** Diagnostics the output's stage reported. */
  messages: StoredMessage[];
}

/** The state of one image source when it was last resolved. */
export interface SourceState {
  /** URL or path as written in the article. */
  ref: string;
  /** The file it is written in, when not the document's own (a book's chapter, book.yaml), relative to the project root. */
  from?: string;
  state: string;
}

export interface DocumentEntry {
  /** sha256 of the article's text (a book: of book.yaml's and every chapter's, with their paths). */
  text: string;
  /** Digest of the run's settings (version, config, theme, SOURCE_DATE_EPOCH). */
  settings: string;
  /** Digest of the resolved asset set (and cover). */
  assets: string;
  sources: SourceState[];
  /** Diagnostics of reading, parsing and resolving images. */
  messages: StoredMessage[];
  outputs: Partial<Record<Format, OutputEntry>>;
  /** The targets of the article's relative links, each with the document of the run it found (null: none). */
  links?: Record<string, string | null>;
}

/** The hash of one of Imprint's own files and the state of the file on disk when it was hashed. */
export interface FileHash {
  /** size:mtimeMs:ctimeMs:inode */
  stamp: string;
  /** sha256 of the contents. */
  sha: string;
}

export interface Manifest {
  version: number;
  /** Keyed by the article's path relative to the project root. */
  documents: Record<string, DocumentEntry>;
  /** Imprint's code and lockfile by absolute path (see imprintVersion). */
  imprintFiles?: Record<string, FileHash>;
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted, so equal values always give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}


function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

function hashFiles(files: readonly string[], root: string): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** What identifies a file's contents on disk without reading it: any write changes the change time. */
function fileStamp(file: string): string {
  const info = statSync(file);
  return `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
}

/** The compiled code's files (*.js under `dir`, sorted); none when it does not exist. */
function codeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

interface ImprintVersion {
  digest: string;
  /** The hash of every file it covers (for the manifest). */
  hashes: Record<string, FileHash>;
}

let cachedVersion: ImprintVersion | undefined;

/**
 * Imprint's version (see imprintVersion). Only the files not in the same state on disk as when
 * `known` recorded them are read and hashed.
 */
function computeVersion(known: Readonly<Record<string, FileHash>>): ImprintVersion {
  const pkg = readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8');
  const version = (JSON.parse(pkg) as { version?: string }).version ?? '0.0.0';
  const hashes: Record<string, FileHash> = {};
  const shaOf = (file: string): string => {
    const stamp = fileStamp(file);
    const previous = Object.hasOwn(known, file) ? known[file] : undefined;
    const sha = previous?.stamp === stamp ? previous.sha : sha256(readFileSync(file));
    hashes[file] = { stamp, sha };
    return sha;
  };
  const compiled = COMPILED_DIR;
  const code = createHash('sha256');
  for (const file of codeFiles(compiled)) code.update(path.relative(compiled, file)).update('\0').update(shaOf(file)).update('\0');
  const lockFile = path.join(PACKAGE_ROOT, 'package-lock.json');
  const lock = existsSync(lockFile) ? shaOf(lockFile) : 'none';
  return { digest: `${version}+${sha256(`${code.digest('hex')}\0${lock}`).slice(0, 16)}`, hashes };
}

/** Imprint's version, computed once per process; `known`: file hashes remembered by a manifest. */
function versionOnce(known: Readonly<Record<string, FileHash>> = {}): ImprintVersion {
  cachedVersion ??= computeVersion(known);
  return cachedVersion;
}

/**
 * Imprint's version for build keys: package.json's version, a hash of the compiled code (dist/src)
 * and of the lockfile (the libraries and fonts in use). Computed once per process.
 */
export function imprintVersion(): string {
  return versionOnce().digest;
}

/** True when both record the same files with the same hashes. */
function sameHashes(a: Readonly<Record<string, FileHash>>, b: Readonly<Record<string, FileHash>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key]?.stamp === b[key]?.stamp && a[key]?.sha === b[key]?.sha);
}

/** Hash of every file of the theme and of the default theme it falls back to. */
export function themeDigest(theme: Theme): string {
  const fallback = path.join(path.dirname(theme.dir), 'default');
  const dirs = theme.dir === fallback ? [theme.dir] : [theme.dir, fallback];
  return sha256(dirs.map((dir) => hashFiles(filesUnder(dir), dir)).join('\0'));
}

/**
 * Settings that do not shape any output: where outputs go, how fast, which browser process, which
 * share of the documents (shard), and how images are downloaded (what a download yields is in the asset digest; an image missing
 * from the cache while downloads are allowed always takes the full check).
 */
const UNSHAPING_KEYS = ['formats', 'concurrency', 'browserEndpoint', 'out', 'offline', 'shard'] as const;
const UNSHAPING_IMAGE_KEYS = ['fetch', 'allowHosts', 'timeoutMs', 'connectTimeoutMs', 'budgetMs', 'maxRedirects', 'concurrency'] as const;

function shapingPart(config: Config | UserConfig): Record<string, unknown> {
  const shaping: Record<string, unknown> = { ...config };
  for (const key of UNSHAPING_KEYS) delete shaping[key];
  if (config.images) {
    const images: Record<string, unknown> = { ...config.images };
    for (const key of UNSHAPING_IMAGE_KEYS) delete images[key];
    shaping['images'] = images;
  }
  return shaping;
}

/** The configuration as it shapes outputs (the flags are applied again after front matter). */
export function configDigest(config: Config, flags?: UserConfig): string {
  return sha256(stableJson({ config: shapingPart(config), flags: flags ? shapingPart(flags) : null }));
}

/**
 * The Chromium that renders PDFs and generated covers: the local executable's path, size and date,
 * so an upgrade rebuilds them. A browserEndpoint (preview's warm browser, a remote Chrome) is
 * taken to run the same version: its version is only known after connecting, which a skipped
 * output must not do.
 */
export async function browserIdentity(): Promise<string> {
  const found = findChromium();
  if (!found) return 'none';
  try {
    const info = statSync(found.path);
    return `${found.path}:${info.size}:${Math.round(info.mtimeMs)}`;
  } catch {
    return found.path;
  }
}

/** Digest of the images one article's outputs use (ids with the bytes' hash, or placeholder reasons). */
export function assetDigest(assets: AssetSet, cover: ImageAsset | undefined): string {
  const parts: unknown[] = [];
  for (const [id, image] of [...assets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    parts.push(
      image.kind === 'image'
        ? [id, 'image', image.mediaType, image.width, image.height, sha256(image.bytes)]
        : [id, 'placeholder', image.reason, image.width ?? null, image.height ?? null],
    );
  }
  parts.push(cover ? ['cover', cover.mediaType, cover.width, cover.height, sha256(cover.bytes)] : ['cover', null]);
  return sha256(JSON.stringify(parts));
}

export function outputKey(format: Format, entry: Pick<DocumentEntry, 'text' | 'settings' | 'assets' | 'links'>, browser: string): string {
  return sha256(JSON.stringify([format, entry.text, entry.settings, entry.assets, format === 'html' ? null : browser, stableJson(entry.links ?? {})]));
}

function toStored(message: VFile['messages'][number], own: string | undefined): StoredMessage {
  const stored: StoredMessage = { reason: message.reason, fatal: message.fatal ?? null };
  if (message.place) stored.place = message.place;
  if (message.ruleId) stored.ruleId = message.ruleId;
  if (message.source) stored.source = message.source;
  if (message.file && message.file !== own) stored.file = message.file;
  return stored;
}

/** The messages as stored; `own`: the document's path (messages about other files keep theirs). */
export function storeMessages(messages: VFile['messages'], own?: string): StoredMessage[] {
  return messages.map((message) => toStored(message, own));
}

/** Adds stored diagnostics to `file` again. */
export function replayMessages(file: VFile, messages: readonly StoredMessage[]): void {
  for (const stored of messages) {
    const options: { place?: StoredMessage['place']; ruleId?: string; source?: string } = {};
    if (stored.place) options.place = stored.place;
    if (stored.ruleId) options.ruleId = stored.ruleId;
    if (stored.source) options.source = stored.source;
    const message = file.message(stored.reason, options);
    message.fatal = stored.fatal;
    if (stored.file) message.file = stored.file;
  }
}

const posix = (p: string): string => p.split(path.sep).join('/');

async function storedFile(cwd: string, absolute: string): Promise<StoredFile> {
  const info = await stat(absolute);
  return { path: posix(path.relative(cwd, absolute)), bytes: info.size, mtimeMs: info.mtimeMs };
}

async function unchangedOnDisk(cwd: string, file: StoredFile): Promise<boolean> {
  const info = await stat(path.resolve(cwd, file.path)).catch(() => undefined);
  return info !== undefined && info.isFile() && info.size === file.bytes && info.mtimeMs === file.mtimeMs;
}

function isManifest(value: unknown): value is Manifest {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return record['version'] === MANIFEST_VERSION && !!record['documents'] && typeof record['documents'] === 'object';
}

/** Reads the manifest; an absent, unreadable or outdated one is empty (everything rebuilds). */
export async function readManifest(cwd: string): Promise<Manifest> {
  try {
    const parsed: unknown = JSON.parse(await readFile(manifestPath(cwd), 'utf8'));
    if (isManifest(parsed)) return parsed;
  } catch {
    // Absent or damaged: start afresh.
  }
  return { version: MANIFEST_VERSION, documents: {} };
}

async function writeManifest(cwd: string, manifest: Manifest): Promise<void> {
  const target = manifestPath(cwd);
  await mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(manifest)}\n`);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export interface BuildCacheOptions {
  /** Project root: the manifest and paths in it are relative to it. */
  cwd: string;
  config: Config;
  theme: Theme;
  /** Command-line flags applied after each article's front matter, if any. */
  flags?: UserConfig | undefined;
  sourceDateEpoch?: number | undefined;
  /** e.g. <project>/.cache/images: the download cache the image resolver reads. */
  imageCacheDir: string;
  /** true when no image may be downloaded (offline or images.fetch false). */
  networkOff: boolean;
  /** Resolves the content root of local images exactly like the image resolver. */
  contentRoot: string;
  /** The documents published in this run (paths relative to cwd, as Publication.documents). */
  documents?: readonly string[] | undefined;
}

/** An image source written in another file than the document's own (a book's chapter, book.yaml). */
export interface SourceRef {
  ref: string;
  /** The file it is written in (absolute, or relative to the project root). */
  from: string;
}

/** What the pipeline resolved for one article, to key its outputs. */
export interface ResolvedInputs {
  /** Image URLs or paths as written (article images, then the front-matter cover). */
  refs: ReadonlyArray<string | SourceRef>;
  assets: AssetSet;
  cover: ImageAsset | undefined;
  /** The document's text when it is more than `file` (a book: see DocumentEntry.text). */
  text?: string | undefined;
  /** The article's relative links, resolved (Article.relativeLinks; a book's: all its chapters'). */
  links?: readonly RelativeLink[] | undefined;
}

/** An output a run is asked for: its format and absolute path. */
export interface OutputTarget {
  format: Format;
  path: string;
}

/** The incremental state of one document during a run. */
export interface DocumentBuild {
  /** The existing output at `target` (marked skipped, its diagnostics replayed) when it is up to date. */
  skip(format: Format, target: string): Promise<OutputFile | undefined>;
  /** Records an output just written, with the diagnostics its stage added (file.messages from `firstMessage` up to `endMessage`). */
  record(format: Format, output: OutputFile, firstMessage: number, files?: readonly string[], endMessage?: number): Promise<void>;
}

export interface BuildCache {
  /**
   * The quick check, before parsing: every one of `targets`, marked skipped (diagnostics replayed
   * on `file`), when all are certainly up to date; otherwise undefined.
   */
  upToDate(articlePath: string, file: VFile, targets: readonly OutputTarget[], text?: string): Promise<OutputFile[] | undefined>;
  /**
   * The formats of `targets` that will certainly be rebuilt (never built, article or settings
   * changed, output missing or changed on disk), so their browser can be started early.
   */
  stale(articlePath: string, file: VFile, targets: readonly OutputTarget[], text?: string): Promise<Format[]>;
  /** Starts the per-output check once the article's images are resolved. */
  document(articlePath: string, file: VFile, inputs: ResolvedInputs): Promise<DocumentBuild>;
  /** Writes the manifest (atomically, merged with the one on disk) when anything changed. */
  save(): Promise<void>;
}

/** Opens the project's manifest for one run. */
export async function openBuildCache(options: BuildCacheOptions): Promise<BuildCache> {
  const { cwd } = options;
  const manifest = await readManifest(cwd);
  const known = manifest.imprintFiles ?? {};
  const version = versionOnce(known);
  // A rebuilt or touched Imprint is rehashed once, then remembered even if no output changes.
  let hashesChanged = !sameHashes(version.hashes, known);
  const settings = sha256(
    stableJson({
      version: version.digest,
      config: configDigest(options.config, options.flags),
      theme: themeDigest(options.theme),
      sourceDateEpoch: options.sourceDateEpoch ?? null,
    }),
  );
  let browser: Promise<string> | undefined;
  const browserId = (): Promise<string> => (browser ??= browserIdentity());
  const changed = new Map<string, DocumentEntry>();
  const docKey = (articlePath: string): string => posix(path.relative(cwd, path.resolve(cwd, articlePath)));
  /** The digest of the document's text: the article's, or what a book hands in (`text`). */
  const textDigest = (file: VFile, text?: string): string => sha256(text ?? String(file.value));

  /** The state of one image source now; undefined when it may change without anything on disk changing. */
  async function sourceState(ref: string, articlePath: string): Promise<string | undefined> {
    let source;
    try {
      source = classifySource(ref, articlePath);
    } catch {
      return 'refused';
    }
    if (source.kind === 'data') return 'data';
    if (source.kind === 'local') {
      const real = await realpath(source.path).catch((error: NodeJS.ErrnoException) => `error:${error.code ?? 'unknown'}`);
      if (real.startsWith('error:')) return `local:${real}`;
      const realRoot = await realpath(options.contentRoot).catch(() => options.contentRoot);
      const bytes = await readFile(real).catch(() => undefined);
      return `local:${real}:${realRoot}:${bytes ? sha256(bytes) : 'unreadable'}`;
    }
    const base = path.join(options.imageCacheDir, cacheKey(source.url.href));
    const [bin, json] = await Promise.all([readFile(`${base}.bin`).catch(() => undefined), readFile(`${base}.json`).catch(() => undefined)]);
    // Cached bytes are used without the network; without them, the network may change the outcome.
    if (!bin && !options.networkOff) return undefined;
    return `cache:${bin ? sha256(bin) : 'none'}:${json ? sha256(json) : 'none'}`;
  }

  async function sourcesUnchanged(entry: DocumentEntry, articlePath: string): Promise<boolean> {
    const states = await Promise.all(entry.sources.map((s) => sourceState(s.ref, s.from === undefined ? articlePath : path.resolve(cwd, s.from))));
    return states.every((state, i) => state !== undefined && state === entry.sources[i]?.state);
  }

  const documents = options.documents ?? [];
  /** True when every link target recorded in `entry` finds the same document of this run as when it was built. */
  const linksCurrent = (entry: DocumentEntry): boolean =>
    Object.entries(entry.links ?? {}).every(([target, name]) => {
      const found = findDocument(target, documents);
      return (found === undefined ? null : documentName(found)) === name;
    });

  async function outputUpToDate(entry: DocumentEntry, format: Format, target: string): Promise<OutputEntry | undefined> {
    const output = entry.outputs[format];
    if (!output || output.path !== posix(path.relative(cwd, target))) return undefined;
    if (output.key !== outputKey(format, entry, await browserId())) return undefined;
    if (!(await unchangedOnDisk(cwd, output))) return undefined;
    for (const extra of output.files ?? []) if (!(await unchangedOnDisk(cwd, extra))) return undefined;
    return output;
  }

  const skippedFile = (format: Format, output: OutputEntry): OutputFile => {
    const file: OutputFile = { format, path: path.resolve(cwd, output.path), bytes: output.bytes, skipped: true };
    if (output.pages !== undefined) file.pages = output.pages;
    return file;
  };

  return {
    async upToDate(articlePath, file, targets, text) {
      const entry = manifest.documents[docKey(articlePath)];
      if (!entry || entry.settings !== settings || entry.text !== textDigest(file, text) || !linksCurrent(entry)) return undefined;
      const outputs: OutputFile[] = [];
      const messages: StoredMessage[] = [...entry.messages];
      for (const target of targets) {
        const output = await outputUpToDate(entry, target.format, target.path);
        if (!output) return undefined;
        outputs.push(skippedFile(target.format, output));
        messages.push(...output.messages);
      }
      if (!(await sourcesUnchanged(entry, articlePath))) return undefined;
      replayMessages(file, messages);
      return outputs;
    },

    async stale(articlePath, file, targets, text) {
      const entry = manifest.documents[docKey(articlePath)];
      if (!entry || entry.settings !== settings || entry.text !== textDigest(file, text) || !linksCurrent(entry)) return targets.map((t) => t.format);
      const stale: Format[] = [];
      for (const target of targets) {
        const output = entry.outputs[target.format];
        const current = output && output.path === posix(path.relative(cwd, target.path)) && (await unchangedOnDisk(cwd, output));
        if (!current) stale.push(target.format);
      }
      return stale;
    },

    async document(articlePath, file, inputs) {
      const key = docKey(articlePath);
      const previous = manifest.documents[key];
      // Each source once, with the file it is written in (relative to the project) when not the document.
      const unique = new Map<string, { ref: string; from?: string }>();
      for (const item of inputs.refs) {
        const source = typeof item === 'string' ? { ref: item } : { ref: item.ref, from: posix(path.relative(cwd, path.resolve(cwd, item.from))) };
        unique.set(`${source.from ?? ''}\0${source.ref}`, source);
      }
      const refs = [...unique.values()];
      const states = await Promise.all(refs.map((s) => sourceState(s.ref, s.from === undefined ? articlePath : path.resolve(cwd, s.from))));
      const entry: DocumentEntry = {
        text: textDigest(file, inputs.text),
        settings,
        assets: assetDigest(inputs.assets, inputs.cover),
        sources: refs.map((s, i) => ({ ...s, state: states[i] ?? 'volatile' })),
        messages: storeMessages(file.messages, file.path),
        outputs: { ...previous?.outputs },
      };
      if (inputs.links && inputs.links.length > 0) entry.links = Object.fromEntries(inputs.links.map((link) => [link.target, link.document ?? null]));
      manifest.documents[key] = entry;
      changed.set(key, entry);
      return {
        async skip(format, target) {
          const output = await outputUpToDate(entry, format, target);
          if (!output) return undefined;
          replayMessages(file, output.messages);
          return skippedFile(format, output);
        },
        async record(format, output, firstMessage, files = [], endMessage = file.messages.length) {
          const written = await storedFile(cwd, output.path);
          const recorded: OutputEntry = {
            ...written,
            key: outputKey(format, entry, await browserId()),
            messages: storeMessages(file.messages.slice(firstMessage, endMessage), file.path),
          };
          if (output.pages !== undefined) recorded.pages = output.pages;
          if (files.length > 0) recorded.files = await Promise.all(files.map((f) => storedFile(cwd, f)));
          entry.outputs[format] = recorded;
        },
      };
    },

    async save() {
      // New file hashes alone are worth keeping only beside outputs they can help check.
      if (changed.size === 0 && !(hashesChanged && Object.keys(manifest.documents).length > 0)) return;
      // Another run may have written the manifest meanwhile: keep its entries, overlay ours.
      const current = await readManifest(cwd);
      for (const [key, entry] of changed) current.documents[key] = entry;
      current.imprintFiles = version.hashes;
      await writeManifest(cwd, current);
      changed.clear();
      hashesChanged = false;
    },
  };
}
