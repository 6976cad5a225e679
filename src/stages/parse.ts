/**
 * Parse stage: Markdown (a vfile) → the repaired, semantic `Article` that all
 * outputs share. Synchronous; diagnostics are collected on the vfile.
 */
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeStringify from 'rehype-stringify';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { Processor } from 'unified';
import type { VFile } from 'vfile';
import type { Article, ArticleMeta } from '../model.js';
import rehypeArticleMeta from '../plugins/rehype-article-meta.js';
import rehypeByline from '../plugins/rehype-byline.js';
import rehypeCjkLineBreaks from '../plugins/rehype-cjk-line-breaks.js';
import rehypeDetectLang from '../plugins/rehype-detect-lang.js';
import rehypeFigureCredits from '../plugins/rehype-figure-credits.js';
import rehypeFigures from '../plugins/rehype-figures.js';
import rehypeHeadings from '../plugins/rehype-headings.js';
import rehypeRightsNotice from '../plugins/rehype-rights-notice.js';
import rehypeSourceNotes from '../plugins/rehype-source-notes.js';
import remarkDropRawHtml from '../plugins/remark-drop-raw-html.js';
import remarkFrontMatterMeta from '../plugins/remark-front-matter-meta.js';
import remarkRepairWrappedUrls from '../plugins/remark-repair-wrapped-urls.js';
import remarkTitle from '../plugins/remark-title.js';

export interface ParseOptions {
  /** Base name of the article (content/<name>.md). */
  name: string;
  /** Path of the Markdown file. */
  path: string;
}

export type ArticleProcessor = Processor<MdastRoot, MdastRoot, HastRoot, undefined, undefined>;

/** The configured unified processor (remark → rehype, no stringifier). */
export function createProcessor(): ArticleProcessor {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkGfm)
    .use(remarkCjkFriendly)
    .use(remarkFrontMatterMeta)
    .use(remarkDropRawHtml)
    .use(remarkRepairWrappedUrls)
    .use(remarkTitle)
    .use(remarkRehype, { allowDangerousHtml: false })
    .use(rehypeByline)
    .use(rehypeCjkLineBreaks)
    .use(rehypeRightsNotice)
    .use(rehypeFigures)
    .use(rehypeFigureCredits)
    .use(rehypeDetectLang)
    .use(rehypeSourceNotes)
    .use(rehypeHeadings)
    .use(rehypeArticleMeta);
}

let shared: ArticleProcessor | undefined;

/**
 * Parses and repairs one article. Throws a fatal VFileMessage (with line and
 * column) when the front matter is broken or has a wrong type.
 */
export function parseArticle(file: VFile, options: ParseOptions): Article {
  shared ??= createProcessor().freeze();
  const tree = shared.runSync(shared.parse(file), file);
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
    notes: file.data.notes ?? [],
    images: file.data.images ?? [],
    headings: file.data.headings ?? [],
    file,
  };
}

/** HTML of a tree (for fixtures and debugging). */
export function treeToHtml(tree: HastRoot): string {
  return unified().use(rehypeStringify).stringify(tree);
}
