/**
 * Limits for untrusted input (config `limits`), checked by the parse stage:
 *
 * - before parsing, a cheap linear scan of the source for nesting markers (blockquote `>`,
 *   list markers and indentation, and HTML tags when raw HTML is on), so that 5,000 levels of
 *   nesting are refused before micromark, mdast-util-to-hast or rehype-raw recurse into them;
 * - after micromark, the nesting of the Markdown tree itself (emphasis and links nest too),
 *   walked without recursion, before anything recursive runs on it;
 * - after the plugins, the number of images and notes.
 *
 * Each check returns a problem (reason, rule id, place) or undefined; the parse stage turns a
 * problem into a fatal message on the file (the document fails, the run goes on). The input
 * size (maxInputBytes) is checked by the read stage, before the file is even decoded.
 */
import type { Nodes as MdastNodes } from 'mdast';
import type { Point } from 'unist';
import { configSchema, type Config } from '../config/schema.js';
import type { RuleIds } from '../diagnostics/rules.js';

export type Limits = Config['limits'];

/** The limits in effect: the given ones, the schema's defaults for the rest; a ZodError for an invalid one. */
export function effectiveLimits(limits: Partial<Limits> | undefined): Limits {
  return configSchema.shape.limits.parse(limits ?? {});
}

export interface LimitProblem {
  reason: string;
  ruleId: RuleIds<'limit-depth' | 'limit-images' | 'limit-notes' | 'limit-time'>;
  place?: Point;
}

const depthProblem = (what: string, limit: number, place: Point | undefined): LimitProblem => ({
  reason: `The article nests ${what} more than ${limit} levels deep (limits.maxDepth)`,
  ruleId: 'limit-depth',
  ...(place ? { place } : {}),
});

/** `- `, `* `, `+ `, `1. `, `1) ` (followed by a space, a tab or the end of the line). */
const LIST_MARKER = /(?:[-+*]|\d{1,9}[.)])(?=[ \t\n]|$)/y;
const FENCE = /(`{3,}|~{3,})/y;

/**
 * Nesting of Markdown containers, line by line, without parsing: the blockquote markers and
 * list markers that open a line, plus the list items still open from earlier lines (by
 * indentation). Code fences are skipped. It may count a little more than micromark would
 * (a thematic break `- - -` counts as three lists on its line), never much less.
 */
export function scanMarkdownNesting(source: string, maxDepth: number): LimitProblem | undefined {
  /** Content columns of the list items open at the current blockquote depth. */
  let items: number[] = [];
  let quotes = 0;
  let fence: { char: string; length: number } | undefined;
  let lineStart = 0;
  for (let lineNumber = 1; lineStart <= source.length; lineNumber++) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = source.length;
    let k = lineStart;
    let col = 0;
    const skipSpaces = (): void => {
      while (k < lineEnd) {
        const c = source.charCodeAt(k);
        if (c === 32) col++;
        else if (c === 9) col += 4 - (col % 4);
        else break;
        k++;
      }
    };
    skipSpaces();
    const indent = col;
    if (k < lineEnd) {
      let lineQuotes = 0;
      const opened: number[] = [];
      let over: number | undefined;
      for (;;) {
        if (source.charCodeAt(k) === 62 /* > */) {
          lineQuotes++;
          k++;
          col++;
        } else {
          LIST_MARKER.lastIndex = k;
          const marker = k < lineEnd ? LIST_MARKER.exec(source) : null;
          if (!marker) break;
          k += marker[0].length;
          col += marker[0].length;
          opened.push(col + 1);
        }
        if (lineQuotes + opened.length > maxDepth) {
          over = k;
          break;
        }
        skipSpaces();
      }
      if (fence) {
        FENCE.lastIndex = k;
        const close = FENCE.exec(source);
        if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.length && source.slice(k + close[1].length, lineEnd).trim() === '') fence = undefined;
      } else {
        if (lineQuotes !== quotes) {
          items = [];
          quotes = lineQuotes;
        } else {
          while (items.length > 0 && (items[items.length - 1] ?? 0) > indent) items.pop();
        }
        items.push(...opened);
        const depth = quotes + items.length;
        if (depth > maxDepth) {
          const column = (over ?? k) - lineStart + 1;
          return depthProblem('blockquotes and lists', maxDepth, { line: lineNumber, column });
        }
        FENCE.lastIndex = k;
        const open = FENCE.exec(source);
        if (open?.[1]) fence = { char: open[1][0] ?? '`', length: open[1].length };
      }
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/** Elements that never contain others. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'image', 'keygen']);
/** Elements whose end tag may be left out: a browser closes them at the next sibling, they do not pile up. */
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'rb', 'rt', 'rtc', 'rp', 'colgroup', 'html', 'head', 'body']);
/** Elements whose content is text, not tags. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
const TAG = /<!--[\s\S]*?(?:-->|$)|<(\/?)([A-Za-z][A-Za-z0-9-]*)(?:[\s/][^<>]*)?>/g;

/** Nesting of HTML elements in the source (raw HTML), counted from start and end tags. */
export function scanHtmlNesting(source: string, maxDepth: number): LimitProblem | undefined {
  const open: string[] = [];
  TAG.lastIndex = 0;
  for (let match = TAG.exec(source); match; match = TAG.exec(source)) {
    const name = match[2]?.toLowerCase();
    if (name === undefined) continue;
    if (match[1] === '/') {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
      continue;
    }
    if (RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}`, 'gi');
      close.lastIndex = TAG.lastIndex;
      TAG.lastIndex = close.exec(source)?.index ?? source.length;
      continue;
    }
    if (VOID.has(name) || OPTIONAL_END.has(name) || match[0].endsWith('/>')) continue;
    open.push(name);
    if (open.length > maxDepth) {
      return depthProblem('HTML elements', maxDepth, pointAt(source, match.index));
    }
  }
  return undefined;
}

/**
 * Emphasis nests as deep as its delimiter runs are long (`****a****` is two levels), and
 * micromark needs time quadratic in the length of a run to match it with another: two runs of
 * the same marker longer than twice the depth limit are refused before parsing.
 */
export function scanDelimiterRuns(source: string, maxDepth: number): LimitProblem | undefined {
  const length = 2 * maxDepth + 1;
  const first = new Map<string, number>();
  const runs = new RegExp(`\\*{${length},}|_{${length},}|~{${length},}`, 'g');
  for (const match of source.matchAll(runs)) {
    const char = match[0][0] ?? '*';
    const earlier = first.get(char);
    if (earlier === undefined) first.set(char, match.index);
    else return depthProblem(`emphasis (runs of more than ${length - 1} \`${char}\`)`, maxDepth, pointAt(source, earlier));
  }
  return undefined;
}

/** All scans: Markdown containers, emphasis runs, and HTML elements when raw HTML is kept. */
export function scanNesting(source: string, maxDepth: number, options: { html?: boolean } = {}): LimitProblem | undefined {
  return scanMarkdownNesting(source, maxDepth) ?? scanDelimiterRuns(source, maxDepth) ?? (options.html ? scanHtmlNesting(source, maxDepth) : undefined);
}

/** Markdown nodes that do not add a level of their own (they always sit in one that does). */
const FLAT = new Set(['root', 'listItem', 'paragraph', 'heading', 'tableRow', 'tableCell']);

/**
 * Nesting of the Markdown tree (blockquotes, lists, emphasis, links, …), walked with an explicit
 * stack: the tree may be far deeper than the call stack allows.
 */
export function checkTreeDepth(tree: MdastNodes, maxDepth: number): LimitProblem | undefined {
  const stack: Array<{ node: MdastNodes; depth: number }> = [{ node: tree, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node } = item;
    const depth = item.depth + (FLAT.has(node.type) ? 0 : 1);
    if (depth > maxDepth) {
      const start = node.position?.start;
      return depthProblem('blocks, emphasis and links', maxDepth, start ? { line: start.line, column: start.column } : undefined);
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as MdastNodes, depth });
  }
  return undefined;
}

export interface CountedArticle {
  images: ReadonlyArray<{ position?: { start: Point } | undefined }>;
  notes: readonly unknown[];
}

/** Too many images or notes. */
export function checkCounts(article: CountedArticle, limits: Pick<Limits, 'maxImages' | 'maxNotes'>): LimitProblem | undefined {
  if (article.images.length > limits.maxImages) {
    const start = article.images[limits.maxImages]?.position?.start;
    return {
      reason: `The article has ${article.images.length} images, over the limit of ${limits.maxImages} (limits.maxImages)`,
      ruleId: 'limit-images',
      ...(start ? { place: { line: start.line, column: start.column } } : {}),
    };
  }
  if (article.notes.length > limits.maxNotes) {
    return {
      reason: `The article has ${article.notes.length} notes (footnotes and sources), over the limit of ${limits.maxNotes} (limits.maxNotes)`,
      ruleId: 'limit-notes',
    };
  }
  return undefined;
}

/** The time budget for parsing ran out. */
export function timeProblem(budgetMs: number): LimitProblem {
  return {
    reason: `Parsing took longer than the time budget of ${Math.round(budgetMs / 100) / 10} s (limits.timeBudgetMs)`,
    ruleId: 'limit-time',
  };
}

function pointAt(source: string, offset: number): Point {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
