/**
 * Parsing one article: Markdown (a vfile) → the repaired, semantic `Article` that all outputs
 * share, through one unified processor (remark → rehype) and Imprint's plugins. Diagnostics are
 * collected on the vfile.
 *
 * The Markdown is untrusted: before micromark runs, a cheap scan refuses nesting deeper than
 * limits.maxDepth (and the Markdown tree is checked again before anything recursive walks it);
 * raw HTML is dropped, or with html.allowRawHtml parsed and sanitized; links are limited to
 * http, https, mailto and relative URLs; the finished tree and notes are sanitized once more;
 * too many images or notes end the document. `parseArticle` runs in the calling thread; the
 * parse stage (stages/parse.ts) runs it in a worker thread that is stopped at the time budget.
 */
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { Processor } from 'unified';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { checkCounts, checkTreeDepth, effectiveLimits, scanNesting, timeProblem, type LimitProblem, type Limits } from './limits.js';
import type { Article, ArticleMeta } from '../model.js';
import rehypeArticleMeta from '../plugins/rehype-article-meta.js';
import rehypeAuditAccessibility from '../plugins/rehype-audit-accessibility.js';
import rehypeByline from '../plugins/rehype-byline.js';
import rehypeCjkLatinSpacing from '../plugins/rehype-cjk-latin-spacing.js';
import rehypeCjkLineBreaks from '../plugins/rehype-cjk-line-breaks.js';
import rehypeDateline from '../plugins/rehype-dateline.js';
import rehypeDetectLang from '../plugins/rehype-detect-lang.js';
import rehypeDocumentLinks from '../plugins/rehype-document-links.js';
import rehypeFigureCredits from '../plugins/rehype-figure-credits.js';
import rehypeFigures from '../plugins/rehype-figures.js';
import rehypeHeadings from '../plugins/rehype-headings.js';
import rehypeImageAlt from '../plugins/rehype-image-alt.js';
import rehypeRightsNotice from '../plugins/rehype-rights-notice.js';
import rehypeSanitizeArticle from '../plugins/rehype-sanitize-article.js';
import rehypeSanitizeInput from '../plugins/rehype-sanitize-input.js';
import rehypeSourceNotes from '../plugins/rehype-source-notes.js';
import rehypeUrlBreaks from '../plugins/rehype-url-breaks.js';
import rehypeUrlPolicy from '../plugins/rehype-url-policy.js';
import remarkDropRawHtml from '../plugins/remark-drop-raw-html.js';
import remarkFrontMatterMeta from '../plugins/remark-front-matter-meta.js';
import remarkRepairWrappedUrls from '../plugins/remark-repair-wrapped-urls.js';
import remarkSmartQuotes from '../plugins/remark-smart-quotes.js';
import remarkTitle from '../plugins/remark-title.js';
import { diagnose } from '../diagnostics/rules.js';

export interface ParseOptions {
  /** Base name of the article (content/<name>.md). */
  name: string;
  /** Path of the Markdown file. */
  path: string;
  /**
   * Paths of every document published together with this one, written like `path` (relative to
   * the project root); relative links to them stay links. Default: this document alone.
   */
  documents?: readonly string[] | undefined;
}

/** How much an article may ask of Imprint (from the configuration). */
export interface ParseSettings {
  /** config.limits (maxDepth, maxImages, maxNotes, timeBudgetMs); missing ones take the defaults. */
  limits?: Partial<Limits> | undefined;
  /** config.html.allowRawHtml: keep raw HTML, sanitized (default false: dropped with a warning). */
  allowRawHtml?: boolean | undefined;
}

export interface ProcessorOptions {
  /** Parse raw HTML into the tree (then sanitize it) instead of dropping it. */
  allowRawHtml?: boolean | undefined;
}

export type ArticleProcessor = Processor<MdastRoot, MdastRoot, HastRoot, undefined, undefined>;

/** The configured unified processor (remark → rehype, no stringifier). */
export function createProcessor(options: ProcessorOptions = {}): ArticleProcessor {
  const raw = options.allowRawHtml === true;
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkCjkFriendly)
    .use(remarkFrontMatterMeta)
    .use(remarkDropRawHtml, { keep: raw })
    .use(remarkRepairWrappedUrls)
    .use(remarkTitle)
    .use(remarkSmartQuotes)
    .use(remarkRehype, { allowDangerousHtml: raw })
    .use(raw ? [rehypeRaw] : [])
    // What the author wrote is made safe before Imprint's plugins read it …
    .use(rehypeUrlPolicy)
    .use(rehypeSanitizeInput)
    .use(rehypeDocumentLinks)
    .use(rehypeByline)
    .use(rehypeDateline)
    .use(rehypeCjkLatinSpacing)
    .use(rehypeCjkLineBreaks)
    .use(rehypeRightsNotice)
    .use(rehypeFigures)
    .use(rehypeFigureCredits)
    .use(rehypeDetectLang)
    .use(rehypeImageAlt)
    .use(rehypeSourceNotes)
    .use(rehypeUrlBreaks)
    .use(rehypeHeadings)
    .use(rehypeArticleMeta)
    // … and what leaves the stage is checked once more (tree and notes).
    .use(rehypeSanitizeArticle)
    // What the outputs get, read for what assistive technology cannot convey.
    .use(rehypeAuditAccessibility);
}

const processors = new Map<boolean, ArticleProcessor>();

function processorFor(allowRawHtml: boolean): ArticleProcessor {
  let processor = processors.get(allowRawHtml);
  if (!processor) {
    processor = createProcessor({ allowRawHtml }).freeze();
    processors.set(allowRawHtml, processor);
  }
  return processor;
}

function failWith(file: VFile, problem: LimitProblem): never {
  return diagnose(file, problem.ruleId, problem.reason, problem.place);
}

/**
 * Parses and repairs one article. Throws a fatal VFileMessage (with line and column where there
 * is one) when the front matter is broken or has a wrong type, or when the article is past a
 * limit (nesting, images, notes, time). Keeps `parseArticle(file, { name, path })` working:
 * without settings, the default limits apply and raw HTML is dropped.
 */
export function parseArticle(file: VFile, options: ParseOptions, settings: ParseSettings = {}): Article {
  const started = performance.now();
  const limits = effectiveLimits(settings.limits);
  const allowRawHtml = settings.allowRawHtml === true;
  const source = String(file.value ?? '');

  const nesting = scanNesting(source, limits.maxDepth, { html: allowRawHtml });
  if (nesting) failWith(file, nesting);

  file.data.publication = { path: options.path, documents: options.documents ?? [options.path] };
  const processor = processorFor(allowRawHtml);
  let tree: HastRoot;
  try {
    const mdast = processor.parse(file);
    const deep = checkTreeDepth(mdast, limits.maxDepth);
    if (deep) failWith(file, deep);
    if (performance.now() - started > limits.timeBudgetMs) failWith(file, timeProblem(limits.timeBudgetMs));
    const empty = emptyAt(mdast, source);
    // Broken front matter is reported first: it is what the editor has to fix.
    tree = processor.runSync(mdast, file);
    if (empty) {
      diagnose(file, 'article-empty', `Nothing to publish: the article ${empty.frontMatter ? 'has only front matter, no text' : 'is empty'}`, empty.place);
    }
  } catch (error) {
    // A safety net: the checks above should have refused anything this deep.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      failWith(file, { reason: `The article is nested too deeply to be read (limits.maxDepth is ${limits.maxDepth})`, ruleId: 'limit-depth' });
    }
    throw error;
  }
  if (performance.now() - started > limits.timeBudgetMs) failWith(file, timeProblem(limits.timeBudgetMs));

  const images = file.data.images ?? [];
  const notes = file.data.notes ?? [];
  const counts = checkCounts({ images, notes }, limits);
  if (counts) failWith(file, counts);

  const data = file.data.meta ?? {};
  const meta: ArticleMeta = {
    ...data,
    title: data.title ?? options.name,
    lang: data.lang ?? 'en',
    keywords: data.keywords ?? [],
  };
  file.data.meta = meta;
  return {
    name: options.name,
    path: options.path,
    meta,
    tree,
    notes,
    images,
    headings: file.data.headings ?? [],
    accessibility: file.data.accessibility ?? { undescribedImages: 0, contentProblems: 0 },
    relativeLinks: file.data.relativeLinks ?? [],
    file,
  };
}

/**
 * Where an article with nothing to publish would start — after its front matter, or at 1:1 —
 * when it has no content but front matter and HTML comments; undefined when it has some.
 */
function emptyAt(mdast: MdastRoot, source: string): { place: Point; frontMatter: boolean } | undefined {
  const content = mdast.children.filter((node) => node.type !== 'yaml' && !(node.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(node.value)));
  if (content.length > 0) return undefined;
  const yaml = mdast.children.find((node) => node.type === 'yaml');
  const end = yaml?.position?.end;
  if (!end) return { place: { line: 1, column: 1 }, frontMatter: false };
  const lines = source.split('\n').length;
  return { place: end.line < lines ? { line: end.line + 1, column: 1 } : { line: end.line, column: end.column }, frontMatter: true };
}

/** HTML of a tree (for fixtures and debugging). */
export function treeToHtml(tree: HastRoot): string {
  return unified().use(rehypeStringify).stringify(tree);
}

