/**
 * Publishing: every article goes through the same list of stages, each a plain function
 * that hands a typed value to the next:
 *
 *   read → parse (unified) → resolve images → render HTML → print PDF → build EPUB → write
 *
 * One browser serves the whole run and is closed in a finally. A document that fails
 * does not stop the others.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { createBrowserProvider } from './browser/provider.js';
import { articleConfig } from './config/merge.js';
import { resolveConfig, type UserConfig } from './config/schema.js';
import { parseShard, selectShard } from './config/shard.js';
import { DocumentError, describeError } from './errors.js';
import type { Article, AssetSet, DocumentResult, Format, ImageAsset } from './model.js';
import type { StoredImage } from './epub/images.js';
import { openBuildCache } from './cache/build-cache.js';
import { readArticle } from './stages/read.js';
import { DocumentOutputs, epubStage, htmlStage, imagesStage, parseStage, pdfStage, timed, type RunContext } from './stages/run.js';
import { bookFolderOf } from './stages/read-book.js';
import type { ImageResolver } from './stages/resolve-images.js';
import { loadTheme } from './theme/theme.js';
import { VFile } from 'vfile';

export interface PublishOptions {
  /** Project root: content/, output/ and .cache/ are relative to it. */
  cwd?: string | undefined;
  /** Markdown files and book folders to publish; default: every *.md and book of the content folder. */
  files?: readonly string[] | undefined;
  /**
   * Every Markdown file published together with `files` (a preview session publishes what
   * changed, but its pages link to all); relative links between them stay links. Default: `files`.
   */
  collection?: readonly string[] | undefined;
  config?: UserConfig | undefined;
  /** Command-line flags: applied after each article's front matter (articleConfig in config/merge.ts). */
  flags?: UserConfig | undefined;
  /** Called when a document enters a stage (for progress displays). */
  onStage?: ((name: string, stage: string) => void) | undefined;
  /** Called when a document is done. */
  onDocument?: ((result: DocumentResult) => void) | undefined;
}

export interface PublishReport {
  ok: boolean;
  documents: DocumentResult[];
  ms: number;
  browserLaunched: boolean;
  /** With a shard: which share this run published, out of how many documents in all. */
  shard?: { index: number; count: number; documents: number };
}


/** A document's path as the run shows it: relative to the project root, with forward slashes. */
function shownPath(cwd: string, file: string): string {
  return (path.relative(cwd, file) || file).split(path.sep).join('/');
}

/** The Markdown files of the content folder, sorted. */
export async function findArticles(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => path.join(contentDir, e.name))
    .sort();
}

/**
 * The documents of the content folder, sorted: its Markdown files, and its books — folders with
 * a book.yaml (a book's chapters are published only as the book).
 */
export async function findDocuments(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { withFileTypes: true }).catch(() => []);
  const books = entries.filter((e) => e.isDirectory() && existsSync(path.join(contentDir, e.name, 'book.yaml'))).map((e) => path.join(contentDir, e.name));
  return [...(await findArticles(contentDir)), ...books].sort();
}

function sourceDateEpoch(): number | undefined {
  const raw = process.env['SOURCE_DATE_EPOCH'];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

// Loaded only for runs with a book (about 3–10 ms).
const bookPublishing = () => import('./publish-book.js');

/** Rejects when the document's time budget runs out; the work still running then cannot write anything. */
function timeBudget(ms: number, controller: AbortController): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DocumentError(`took longer than the time budget of ${ms} ms (limits.timeBudgetMs)`, 'time-budget'));
    }, ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

async function publishOne(filePath: string, run: RunContext): Promise<DocumentResult> {
  // A book (its folder, or its book.yaml) is published by publish-book.ts, with its own budget.
  const book = bookFolderOf(filePath);
  if (book) return (await bookPublishing()).publishBook(book, run);
  const controller = new AbortController();
  const budget = timeBudget(run.config.limits.timeBudgetMs, controller);
  const name = path.basename(filePath).replace(/\.(md|markdown)$/i, '');
  const displayPath = shownPath(run.cwd, filePath);
  // The result the stages fill in as they go, so a document stopped by its time budget still
  // reports the warnings, timings and outputs it had.
  const result: DocumentResult = { name, path: displayPath, ok: false, outputs: [], timings: [], file: new VFile({ path: displayPath }) };
  try {
    return await Promise.race([publishStages(filePath, run, controller.signal, result), budget.promise]);
  } catch (error) {
    return { ...result, ok: false, error: describeError(error), ...(error instanceof DocumentError ? { errorRuleId: error.ruleId } : {}) };
  } finally {
    budget.clear();
  }
}

/**
 * Outputs that will certainly be rebuilt start what they need while the article is parsed: the
 * browser for a PDF, and the stage modules. Failures are left for the stage itself to report.
 */
function prewarm(run: RunContext, stale: readonly Format[]): void {
  if (stale.includes('pdf')) {
    run.browsers.get().catch(() => undefined);
    pdfStage().catch(() => undefined);
  }
  if (stale.includes('epub')) epubStage().catch(() => undefined);
}

async function publishStages(filePath: string, run: RunContext, signal: AbortSignal, result: DocumentResult): Promise<DocumentResult> {
  const { name, path: displayPath, timings, outputs } = result;
  // The PDF page layout stops itself before the document's time budget runs out.
  const deadline = Date.now() + run.config.limits.timeBudgetMs;
  let { config } = run;
  const outDir = path.resolve(run.cwd, config.out);
  const out = new DocumentOutputs(result, outDir);
  try {
    run.onStage(name, 'read');
    const file = await timed(timings, 'read', () => readArticle(filePath, { displayPath, maxInputBytes: config.limits.maxInputBytes }));
    result.file = file;
    const targets = (run.flags?.formats ?? config.formats).map((format) => ({ format, path: out.targetOf(format) }));
    const upToDate = await run.builds.upToDate(filePath, file, targets);
    if (upToDate) {
      outputs.push(...upToDate);
      result.ok = true;
      return result;
    }
    const staleFormats = await run.builds.stale(filePath, file, targets);
    prewarm(run, staleFormats);
    run.onStage(name, 'parse');
    // Parsed in a worker thread, so the time budget can stop a pathological article.
    const { parse } = await parseStage();
    const article: Article = await timed(timings, 'parse', () =>
      parse(file, { name, path: displayPath, documents: run.documents }, { limits: config.limits, allowRawHtml: config.html.allowRawHtml, signal }),
    );
    // An EPUB draws its cover in the browser unless the front matter names one (the parse has told):
    // the browser starts while the images are resolved.
    if (staleFormats.includes('epub') && !article.meta.cover) run.browsers.get().catch(() => undefined);
    config = articleConfig(config, file.data.frontMatter, { file, flags: run.flags });
    run.onStage(name, 'images');
    const resolver = await run.resolver();
    const { assets, cover } = await timed(timings, 'images', async () => {
      const resolved: AssetSet = await resolver.resolve(article.images, file, filePath);
      const coverAsset: ImageAsset | undefined = article.meta.cover
        ? await resolver.resolveOne(article.meta.cover, 'cover', file, filePath)
        : undefined;
      return { assets: resolved, cover: coverAsset };
    });
    // Notes show the URL of an image the address policy refused as text, not as a link.
    (await imagesStage()).unlinkRefusedSources(article, assets);
    const refs = [...article.images.map((image) => image.url), ...(article.meta.cover ? [article.meta.cover] : [])];
    out.build = await run.builds.document(filePath, file, { refs, assets, cover, links: article.relativeLinks ?? [] });
    const { renderHtml, renderPrintHtml } = await htmlStage();
    const [htmlStale, pdfStale, epubStale] = [await out.stale('html', config.formats), await out.stale('pdf', config.formats), await out.stale('epub', config.formats)];
    // An EPUB without a front-matter cover gets one drawn in the browser: started now, it is drawn
    // on a screen page while the PDF prints on a print page.
    let drawing: Promise<StoredImage> | undefined;
    const generatedCover = (): Promise<StoredImage> => {
      if (drawing) return drawing;
      const attempt = Promise.all([epubStage(), run.browsers.get()]).then(([{ generateCover }, browser]) =>
        generateCover(browser, run.theme, article.meta),
      );
      drawing = attempt;
      // A failed drawing (the browser crashed) is tried again by the next call.
      attempt.catch(() => {
        if (drawing === attempt) drawing = undefined;
      });
      return attempt;
    };
    if (epubStale && !cover) generatedCover().catch(() => undefined);
    // The web page's font subsets take a while of Node's CPU; they are cut while Chromium prints the
    // PDF (the page reports nothing, so the messages of the run stay with the PDF and the EPUB).
    let rendering: ReturnType<typeof renderHtml> | undefined;
    if (htmlStale) {
      run.onStage(name, 'html');
      rendering = timed(timings, 'html', () => renderHtml(article, assets, config, run.theme));
      rendering.catch(() => undefined);
      if (!pdfStale) await rendering;
    }
    if (pdfStale) {
      run.onStage(name, 'pdf');
      const first = file.messages.length;
      const { printPdf } = await pdfStage();
      const printed = await timed(timings, 'pdf', async () => {
        const html = renderPrintHtml(article, assets, config, run.theme);
        return run.browsers.retryOnCrash(async () =>
          printPdf(await run.browsers.get(), { config, theme: run.theme, article, html, assets, deadline }),
        );
      });
      out.emit('pdf', first, printed.bytes, printed.pages);
    }
    if (rendering) {
      const rendered = await rendering;
      const files = [...rendered.files].map(([relative, bytes]) => ({ target: path.join(outDir, relative), data: bytes }));
      out.emit('html', file.messages.length, rendered.html, undefined, files);
    }
    if (epubStale) {
      run.onStage(name, 'epub');
      const first = file.messages.length;
      const { buildEpub } = await epubStage();
      const epub = await timed(timings, 'epub', () =>
        run.browsers.retryOnCrash(() =>
          buildEpub({ config, theme: run.theme, article, assets, cover, generatedCover, sourceDateEpoch: run.sourceDateEpoch }),
        ),
      );
      out.emit('epub', first, epub);
    }
    await out.commit(signal);
    result.ok = true;
  } catch (error) {
    result.error = describeError(error);
    if (error instanceof DocumentError) result.errorRuleId = error.ruleId;
  }
  return result;
}

export async function publish(options: PublishOptions = {}): Promise<PublishReport> {
  const start = performance.now();
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const config = resolveConfig(options.config);
  const theme = loadTheme(config.theme);
  const all = options.files?.length ? options.files.map((f) => path.resolve(cwd, f)) : await findDocuments(path.resolve(cwd, config.content));
  // The documents published together (links between them) are all of them, whatever the shard, so
  // a shard's outputs are those of the run without shards.
  const documents = (options.collection?.length ? [...new Set([...options.collection, ...all].map((f) => path.resolve(cwd, f)))] : all).map((file) => shownPath(cwd, file));
  // A shard publishes its share of the documents only (config/shard.ts).
  const shard = config.shard === undefined ? undefined : parseShard(config.shard);
  const files = shard ? selectShard(all, cwd, shard) : all;
  // A DevTools call never times out before the document's own time budget does.
  const browsers = createBrowserProvider({ endpoint: config.browserEndpoint, protocolTimeoutMs: config.limits.timeBudgetMs + 60_000 });
  let resolver: Promise<ImageResolver> | undefined;
  const imageResolver = (): Promise<ImageResolver> =>
    (resolver ??= imagesStage().then(({ createImageResolver }) =>
      createImageResolver({
        images: config.images,
        offline: config.offline || !config.images.fetch,
        cacheDir: path.join(cwd, '.cache', 'images'),
        contentRoot: path.resolve(cwd, config.content),
      }),
    ));
  const run: RunContext = {
    cwd,
    config,
    builds: await openBuildCache({
      cwd,
      config,
      theme,
      flags: options.flags,
      sourceDateEpoch: sourceDateEpoch(),
      imageCacheDir: path.join(cwd, '.cache', 'images'),
      networkOff: config.offline || !config.images.fetch,
      contentRoot: path.resolve(cwd, config.content),
      documents,
    }),
    flags: options.flags,
    theme,
    resolver: imageResolver,
    browsers,
    sourceDateEpoch: sourceDateEpoch(),
    documents,
    onStage: options.onStage ?? (() => undefined),
  };
  const limit = pLimit(config.concurrency ?? Math.max(1, os.availableParallelism()));
  try {
    const documents = await Promise.all(
      files.map((file) =>
        limit(async () => {
          const result = await publishOne(file, run);
          options.onDocument?.(result);
          return result;
        }),
      ),
    );
    // Without a manifest the next run simply rebuilds: a failed write must not fail this one.
    await run.builds.save().catch(() => undefined);
    const report: PublishReport = { ok: documents.every((d) => d.ok), documents, ms: Math.round(performance.now() - start), browserLaunched: browsers.started };
    if (shard) report.shard = { ...shard, documents: all.length };
    return report;
  } finally {
    await browsers.close();
  }
}
