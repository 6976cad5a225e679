/**
 * Publishing a book (content/<folder>/ with a book.yaml) as one document: output/<folder>.html,
 * .pdf and .epub. The same stages as an article, with a book at their centre:
 *
 *   read book.yaml and the chapters → parse each chapter (the parse stage, in the parse worker)
 *   → resolve each chapter's images → HTML → PDF → EPUB (one chapter per article) → write
 *
 * The book is one document for incremental builds too: its inputs are book.yaml, every chapter
 * and their images. A chapter's diagnostics are reported with the chapter's own path and
 * position (the book's file carries them, each naming its chapter).
 *
 * A book has the time budget of an article per chapter (limits.timeBudgetMs × chapters).
 */
import path from 'node:path';
import type { SourceRef } from './cache/build-cache.js';
import { DocumentError, describeError } from './errors.js';
import { bookArticleMeta, bookPrintAssets, type BookChapterAssets } from './html/book-meta.js';
import { articleConfig } from './config/merge.js';
import type { Article, Book, DocumentResult, ImageAsset } from './model.js';
import type { StoredImage } from './epub/images.js';
import { findDocument } from './plugins/lib/documents.js';
import { assembleBook, readBookChapters, readBookFile, type BookSource } from './stages/read-book.js';
import { DocumentOutputs, epubStage, htmlStage, parseStage, pdfStage, timed, type RunContext } from './stages/run.js';
import { VFile } from 'vfile';

/** Chapters parsed at once (each in a parse worker). */
const PARSE_CONCURRENCY = 2;

/** The book's text for its build key: book.yaml's and every chapter's, with their paths. */
function bookText(file: VFile, source: BookSource): string {
  return [String(file.value), ...source.chapters.flatMap((chapter) => [chapter.displayPath, String(chapter.file.value)])].join('\0');
}

/** A time budget that can be raised once the book's size is known. */
function bookBudget(ms: number, controller: AbortController): { promise: Promise<never>; raise: (total: number) => void; clear: () => void; deadline: () => number } {
  const started = Date.now();
  let total = ms;
  let timer: NodeJS.Timeout | undefined;
  let fail: (error: DocumentError) => void = () => undefined;
  const promise = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort();
      fail(new DocumentError(`took longer than the time budget of ${total} ms (limits.timeBudgetMs for each of its chapters)`, 'time-budget'));
    }, Math.max(0, started + total - Date.now()));
  };
  arm();
  return {
    promise,
    raise(next) {
      total = next;
      arm();
    },
    clear: () => clearTimeout(timer),
    deadline: () => started + total,
  };
}

/** Publishes the book in `dir`; never throws (a failure is the result's error). */
export async function publishBook(dir: string, run: RunContext): Promise<DocumentResult> {
  const controller = new AbortController();
  const budget = bookBudget(run.config.limits.timeBudgetMs, controller);
  budget.promise.catch(() => undefined);
  const name = path.basename(dir);
  const yamlPath = path.join(dir, 'book.yaml');
  const displayPath = path.relative(run.cwd, yamlPath).split(path.sep).join('/') || yamlPath;
  const result: DocumentResult = { name, path: displayPath, ok: false, outputs: [], timings: [], file: new VFile({ path: displayPath }) };
  try {
    return await Promise.race([bookStages(dir, run, controller.signal, result, budget), budget.promise]);
  } catch (error) {
    return { ...result, ok: false, error: describeError(error), ...(error instanceof DocumentError ? { errorRuleId: error.ruleId } : {}) };
  } finally {
    budget.clear();
  }
}

async function bookStages(dir: string, run: RunContext, signal: AbortSignal, result: DocumentResult, budget: ReturnType<typeof bookBudget>): Promise<DocumentResult> {
  const { name, timings, outputs } = result;
  let { config } = run;
  const outDir = path.resolve(run.cwd, config.out);
  const yamlPath = path.join(dir, 'book.yaml');
  /** Moves the chapters' new diagnostics to the book's file (each keeps its chapter's path). */
  const gather = (): void => {
    for (const chapter of result.parts ?? []) result.file.messages.push(...chapter.messages.splice(0));
  };
  const out = new DocumentOutputs(result, outDir, gather);
  try {
    // Read: book.yaml, then every chapter.
    run.onStage(name, 'read');
    const readOptions = { cwd: run.cwd, contentRoot: path.resolve(run.cwd, config.content), maxInputBytes: config.limits.maxInputBytes };
    const source = await timed(timings, 'read', async () => {
      result.file = await readBookFile(dir, readOptions);
      return readBookChapters(dir, result.file, readOptions);
    });
    const file = result.file;
    result.parts = source.chapters.map((chapter) => chapter.file);
    budget.raise(config.limits.timeBudgetMs * Math.max(1, source.chapters.length));
    const text = bookText(file, source);
    const targets = (run.flags?.formats ?? config.formats).map((format) => ({ format, path: out.targetOf(format) }));
    const upToDate = await run.builds.upToDate(yamlPath, file, targets, text);
    if (upToDate) {
      outputs.push(...upToDate);
      result.ok = true;
      return result;
    }
    // What will certainly be rebuilt starts now: the browser (PDF, or an EPUB whose cover is drawn) and the stages.
    const willBuild = await run.builds.stale(yamlPath, file, targets, text);
    if (willBuild.includes('pdf') || (willBuild.includes('epub') && !source.data.cover)) run.browsers.get().catch(() => undefined);
    if (willBuild.includes('pdf')) pdfStage().catch(() => undefined);
    if (willBuild.includes('epub')) epubStage().catch(() => undefined);

    // Parse: each chapter through the parse stage, in the parse worker.
    run.onStage(name, 'parse');
    const { parse } = await parseStage();
    const articles: Article[] = new Array<Article>(source.chapters.length);
    // The chapters are published together, with the run's other documents (see Publication in
    // src/model.ts): a link from one chapter to another stays a link inside the book.
    const chapterPaths = source.chapters.map((chapter) => chapter.displayPath);
    const documents = [...new Set([...chapterPaths, ...run.documents])];
    await timed(timings, 'parse', async () => {
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let index = next++; index < source.chapters.length; index = next++) {
          const chapter = source.chapters[index]!;
          articles[index] = await parse(chapter.file, { name: chapter.name, path: chapter.displayPath, documents }, { limits: config.limits, allowRawHtml: config.html.allowRawHtml, signal });
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(PARSE_CONCURRENCY, source.chapters.length) }, worker));
      } finally {
        gather();
      }
    });
    // book.yaml's settings: its page (as an article's front matter), and book.recto.
    const settings = source.data;
    config = articleConfig(config, { page: settings.page, pageSize: settings.pageSize }, { file, flags: run.flags });
    if (settings.book?.recto !== undefined) config = { ...config, book: { ...config.book, recto: settings.book.recto } };
    const book: Book = assembleBook(source, file, articles);

    // Images: each chapter's, relative to the chapter; the cover, relative to book.yaml.
    run.onStage(name, 'images');
    const resolver = await run.resolver();
    const { chapters, cover } = await timed(timings, 'images', async () => {
      const resolved: BookChapterAssets[] = [];
      for (const [index, article] of articles.entries()) {
        const chapter = source.chapters[index]!;
        resolved.push({ article, assets: await resolver.resolve(article.images, chapter.file, chapter.path) });
      }
      const coverAsset: ImageAsset | undefined = book.meta.cover ? await resolver.resolveOne(book.meta.cover, 'cover', file, yamlPath) : undefined;
      return { chapters: resolved, cover: coverAsset };
    });
    gather();
    const assets = bookPrintAssets(chapters);
    const refs: SourceRef[] = [
      ...articles.flatMap((article, index) => article.images.map((image) => ({ ref: image.url, from: source.chapters[index]!.path }))),
      ...(book.meta.cover ? [{ ref: book.meta.cover, from: yamlPath }] : []),
    ];
    // Links to other documents of the run, for the build cache to notice when they come or go; a
    // link between chapters is part of the book's text (bookText names every chapter).
    const links = articles.flatMap((article) => article.relativeLinks ?? []).filter((link) => findDocument(link.target, chapterPaths) === undefined);
    out.build = await run.builds.document(yamlPath, file, { refs, assets, cover, text, links });
    const [htmlStale, pdfStale, epubStale] = [await out.stale('html', config.formats), await out.stale('pdf', config.formats), await out.stale('epub', config.formats)];

    // The EPUB's cover when book.yaml names none: drawn in the browser while the PDF prints.
    let drawing: Promise<StoredImage> | undefined;
    const generatedCover = (): Promise<StoredImage> => {
      if (drawing) return drawing;
      const attempt = Promise.all([epubStage(), run.browsers.get()]).then(([{ generateCover }, browser]) =>
        generateCover(browser, run.theme, bookArticleMeta(book.meta)),
      );
      drawing = attempt;
      attempt.catch(() => {
        if (drawing === attempt) drawing = undefined;
      });
      return attempt;
    };
    if (epubStale && !cover) generatedCover().catch(() => undefined);

    const { renderBookHtml, renderBookPrintHtml } = await htmlStage();
    // The web page's font subsets take a while of Node's CPU: cut while Chromium prints the PDF
    // (the page reports nothing, so its output is emitted after the PDF's), as for an article.
    let rendering: ReturnType<typeof renderBookHtml> | undefined;
    if (htmlStale) {
      run.onStage(name, 'html');
      rendering = timed(timings, 'html', () => renderBookHtml(book, chapters, config, run.theme));
      rendering.catch(() => undefined);
      if (!pdfStale) await rendering;
    }
    if (pdfStale) {
      run.onStage(name, 'pdf');
      const first = result.file.messages.length;
      const { printBookPdf } = await pdfStage();
      const printed = await timed(timings, 'pdf', async () => {
        const html = renderBookPrintHtml(book, chapters, config, run.theme);
        return run.browsers.retryOnCrash(async () =>
          printBookPdf(await run.browsers.get(), { config, theme: run.theme, book, html, assets, deadline: budget.deadline() }),
        );
      });
      out.emit('pdf', first, printed.bytes, printed.pages);
    }
    if (rendering) {
      const rendered = await rendering;
      out.emit('html', result.file.messages.length, rendered.html, undefined, [...rendered.files].map(([relative, bytes]) => ({ target: path.join(outDir, relative), data: bytes })));
    }
    if (epubStale) {
      run.onStage(name, 'epub');
      const first = result.file.messages.length;
      const { buildBookEpub } = await epubStage();
      const epub = await timed(timings, 'epub', () =>
        run.browsers.retryOnCrash(() =>
          buildBookEpub({
            config,
            theme: run.theme,
            meta: bookArticleMeta(book.meta),
            book: book.meta,
            file,
            chapters,
            cover,
            generatedCover,
            sourceDateEpoch: run.sourceDateEpoch,
          }),
        ),
      );
      out.emit('epub', first, epub);
    }

    // Write: every output of the book together.
    await out.commit(signal);
    result.ok = true;
  } catch (error) {
    gather();
    result.error = describeError(error);
    if (error instanceof DocumentError) result.errorRuleId = error.ruleId;
  }
  return result;
}
