/**
 * What the two runners of the stages, publishing an article (src/publish.ts) and a book
 * (src/publish-book.ts), share: the run's context, the stages after reading (each loaded when a
 * document first needs it, so that a run whose outputs are all up to date loads none), and the
 * timing of a stage.
 */
import type { BrowserProvider } from '../browser/provider.js';
import type { BuildCache } from '../cache/build-cache.js';
import type { Config, UserConfig } from '../config/schema.js';
import type { StageTiming } from '../model.js';
import type { ImageResolver } from './resolve-images.js';
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
