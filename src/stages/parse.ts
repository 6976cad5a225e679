/**
 * Parse stage: the article's Markdown → the repaired `Article` that all outputs share.
 *
 * The parsing itself (unified: remark → rehype, Imprint's plugins, the input limits) is
 * parse/article.ts; here it runs in a worker thread (parse/isolated.ts), so that the document's
 * time budget can stop an article built to be slow without stopping the run.
 */
import type { VFile } from 'vfile';
import type { Article } from '../model.js';
import type { ParseOptions } from '../parse/article.js';
import { parseArticleIsolated, type IsolatedParseSettings } from '../parse/isolated.js';

export type { ParseOptions, IsolatedParseSettings as ParseStageSettings };

/** Parses `file` in a worker; its diagnostics land on `file`, a fatal one rejects. */
export function parse(file: VFile, options: ParseOptions, settings: IsolatedParseSettings): Promise<Article> {
  return parseArticleIsolated(file, options, settings);
}
