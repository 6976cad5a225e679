/**
 * What the two runners of the stages, publishing an article (src/publish.ts) and a book
 * (src/publish-book.ts), share: the run's context, the stages after reading (each loaded when a
 * document first needs it, so that a run whose outputs are all up to date loads none), the timing
 * of a stage, and a document's outputs until they are written.
 */
import path from 'node:path';
import type { BrowserProvider } from '../browser/provider.js';
import type { BuildCache, DocumentBuild } from '../cache/build-cache.js';
import type { Config, UserConfig } from '../config/schema.js';
import { DocumentError } from '../errors.js';
import { FORMATS, type DocumentResult, type Format, type OutputFile, type StageTiming } from '../model.js';
import type { ImageResolver } from './resolve-images.js';
import { writeAllAtomic, type PendingWrite } from './write.js';
import type { Theme } from '../theme/theme.js';

/** What every document of a run shares. */
export interface RunContext {
  cwd: string;
  config: Config;
  flags: UserConfig | undefined;
  theme: Theme;
  /** Created on first use: a run whose outputs are all up to date never loads the image code. */
  resolver: () => Promise<ImageResolver>;
  browsers: BrowserProvider;
  builds: BuildCache;
  sourceDateEpoch: number | undefined;
  /** The documents published together, as paths relative to the project root (see Publication). */
  documents: readonly string[];
  onStage: (name: string, stage: string) => void;
}

// Lazy, each saves a run that does not need it its load time (measured after the rest of the
// command line is loaded):
export const parseStage = () => import('./parse.js'); // about 2 ms (node:worker_threads)
export const imagesStage = () => import('./resolve-images.js'); // about 40 ms
export const htmlStage = () => import('./render-html.js'); // about 25 ms
export const pdfStage = () => import('./print-pdf.js'); // about 8 ms (puppeteer-core is loaded by the browser layer)
export const epubStage = () => import('./build-epub.js'); // about 300 ms (epub-gen-memory)

/** Runs one stage of a document and records how long it took. */
export async function timed<T>(timings: StageTiming[], stage: string, fn: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    timings.push({ stage, ms: Math.round(performance.now() - start) });
  }
}

/**
 * A document's outputs, written together once every format is made (a failed PDF leaves no HTML
 * behind): `stale` tells whether a format is to be made (an up-to-date output is listed as
 * skipped), `emit` keeps an output with the diagnostics its stage added, `commit` writes them all
 * and records them in the build cache.
 */
export class DocumentOutputs {
  /** Incremental builds (build-cache.ts): knows which outputs are up to date; set once the inputs are known. */
  build: DocumentBuild | undefined;
  readonly #result: DocumentResult;
  readonly #outDir: string;
  readonly #beforeEmit: () => void;
  readonly #made: { format: Format; first: number; end: number; output: OutputFile; files: PendingWrite[] }[] = [];

  /** `beforeEmit` runs before an output is kept (a book gathers its chapters' diagnostics there). */
  constructor(result: DocumentResult, outDir: string, beforeEmit: () => void = () => undefined) {
    this.#result = result;
    this.#outDir = outDir;
    this.#beforeEmit = beforeEmit;
  }

  targetOf(format: Format): string {
    return path.join(this.#outDir, `${this.#result.name}.${format}`);
  }

  /** True when `format` is among `wanted` and not up to date (an up-to-date output is listed as skipped). */
  async stale(format: Format, wanted: readonly Format[]): Promise<boolean> {
    if (!wanted.includes(format)) return false;
    const skipped = await this.build?.skip(format, this.targetOf(format));
    if (skipped) this.#result.outputs.push(skipped);
    return skipped === undefined;
  }

  /** Keeps an output (and its extra files) with the diagnostics its stage added (from message `first` on). */
  emit(format: Format, first: number, data: Uint8Array | string, pages?: number, extra: PendingWrite[] = []): void {
    this.#beforeEmit();
    const target = this.targetOf(format);
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
    const output: OutputFile = pages === undefined ? { format, path: target, bytes } : { format, path: target, bytes, pages };
    this.#made.push({ format, first, end: this.#result.file.messages.length, output, files: [...extra, { target, data }] });
  }

  /** Writes every kept output (all or none) and records them; the outputs are listed in format order. */
  async commit(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new DocumentError('cancelled', 'cancelled');
    await writeAllAtomic(this.#made.flatMap((m) => m.files));
    const { outputs } = this.#result;
    for (const { format, first, end, output, files } of this.#made) {
      outputs.push(output);
      await this.build?.record(format, output, first, files.slice(0, -1).map((f) => f.target), end);
    }
    outputs.sort((a, b) => FORMATS.indexOf(a.format) - FORMATS.indexOf(b.format));
  }
}
