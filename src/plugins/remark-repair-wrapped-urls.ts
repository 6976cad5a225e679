/**
 * Joins link and image destinations that a web clipper broke across lines
 * (`![](https://host/a-⏎b/1000)`), then re-parses the paragraph with the same
 * parser so it yields a real image or link. Positions are mapped back to the
 * original Markdown; each repair is reported with its position.
 */
import type { Definition, FootnoteDefinition, Nodes, Paragraph, Parents, Root, RootContent } from 'mdast';
import type { Processor } from 'unified';
import { visit, SKIP } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { SourceLocation } from './lib/location.js';
import { diagnose } from '../diagnostics/rules.js';

export interface RepairWrappedUrlsOptions {
  /** Longest destination (characters) considered for joining. */
  maxUrlLength?: number;
}

interface Slice {
  /** Text with container prefixes removed from continuation lines. */
  text: string;
  /** Source offset of each character of `text` (plus one past the end). */
  offsets: number[];
}

interface Join {
  /** Offset in the slice text of the removed line break. */
  at: number;
  /** Source offset of the line break. */
  source: number;
}

export default function remarkRepairWrappedUrls(this: Processor, options: RepairWrappedUrlsOptions = {}) {
  const maxUrlLength = options.maxUrlLength ?? 4096;
  const processor = this;
  return (tree: Root, file: VFile): void => {
    const source = String(file.value);
    if (!source.includes('](')) return;
    const location = new SourceLocation(source);
    const suffix = definitionsSuffix(tree);

    const quoted = new Set<Paragraph>();
    visit(tree, 'blockquote', (quote) => {
      visit(quote, 'paragraph', (paragraph) => {
        quoted.add(paragraph);
      });
    });

    visit(tree, 'paragraph', (node: Paragraph, index, parent: Parents | undefined) => {
      if (index === undefined || parent === undefined) return;
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const raw = source.slice(start, end);
      if (!raw.includes('](') || !raw.includes('\n')) return;

      const slice = stripContinuationPrefixes(raw, start, quoted.has(node));
      const { text, joins, offsets } = joinBrokenDestinations(slice, maxUrlLength);
      if (joins.length === 0) return;

      const fragment = processor.parse(text + suffix) as Root;
      const replacement = fragment.children.slice(0, countContentChildren(fragment, text.length));
      const mapPoint = (offset: number) => location.point(offsets[Math.min(offset, offsets.length - 1)] ?? end);
      for (const child of replacement) {
        visit(child, (inner: Nodes) => {
          const pos = inner.position;
          if (pos?.start.offset === undefined || pos.end.offset === undefined) return;
          inner.position = { start: mapPoint(pos.start.offset), end: mapPoint(pos.end.offset) };
        });
      }
      // Only accept the re-parse when every join now lies inside a link or image.
      const repaired = joins.filter((join) => coveredByDestination(replacement, join.source));
      if (repaired.length !== joins.length) return;

      for (const join of joins) {
        const point = location.point(join.source);
        diagnose(file, 'wrapped-url', 'Joined a link or image URL that was broken across lines', { start: point, end: location.point(join.source + 1) });
      }
      parent.children.splice(index, 1, ...(replacement as typeof parent.children));
      return [SKIP, index + replacement.length];
    });
  };
}

/** Link reference and footnote definitions, so a re-parsed slice resolves `[x][y]` and `[^1]`. */
function definitionsSuffix(tree: Root): string {
  const lines: string[] = [];
  visit(tree, (node: Nodes) => {
    if (node.type === 'definition') lines.push(`[${labelOf(node)}]: #`);
    if (node.type === 'footnoteDefinition') lines.push(`[^${labelOf(node)}]: x`);
  });
  return lines.length ? '\n\n' + lines.join('\n\n') : '';
}

function labelOf(node: Definition | FootnoteDefinition): string {
  return (node.label ?? node.identifier).replace(/[[\]\\]/g, '\\$&');
}

function countContentChildren(fragment: Root, length: number): number {
  let count = 0;
  for (const child of fragment.children) {
    if ((child.position?.start.offset ?? 0) >= length) break;
    count++;
  }
  return count;
}

function stripContinuationPrefixes(raw: string, start: number, quoted: boolean): Slice {
  const prefix = quoted ? /^[ \t]*(?:>[ \t]?)*[ \t]*/ : /^[ \t]*/;
  let text = '';
  const offsets: number[] = [];
  let lineStart = 0;
  const lines = raw.split('\n');
  lines.forEach((line, i) => {
    const skip = i === 0 ? 0 : (prefix.exec(line)?.[0].length ?? 0);
    for (let c = skip; c < line.length; c++) {
      text += line[c];
      offsets.push(start + lineStart + c);
    }
    if (i < lines.length - 1) {
      text += '\n';
      offsets.push(start + lineStart + line.length);
    }
    lineStart += line.length + 1;
  });
  offsets.push(start + raw.length);
  return { text, offsets };
}

/**
 * Finds `](destination` where the destination runs on after a line break
 * without any space and closes with `)` (or a title), and removes the break.
 */
export function joinBrokenDestinations(slice: Slice, maxUrlLength: number): Slice & { joins: Join[] } {
  let { text, offsets } = slice;
  const joins: Join[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('](', from);
    if (open === -1) break;
    from = open + 2;
    const breakAt = brokenDestination(text, open + 2, maxUrlLength);
    if (breakAt === undefined) continue;
    joins.push({ at: breakAt, source: offsets[breakAt] ?? 0 });
    text = text.slice(0, breakAt) + text.slice(breakAt + 1);
    offsets = [...offsets.slice(0, breakAt), ...offsets.slice(breakAt + 1)];
    from = open; // the same destination may be broken more than once
  }
  return { text, offsets, joins };
}

/** Index of the line break inside the destination starting at `start`, if it is broken and closes. */
function brokenDestination(text: string, start: number, maxUrlLength: number): number | undefined {
  let depth = 0;
  let breakAt: number | undefined;
  for (let i = start; i < text.length && i - start < maxUrlLength; i++) {
    const char = text[i];
    if (char === '\n') {
      const before = text[i - 1];
      const after = text[i + 1];
      if (i === start || before === undefined || after === undefined) return undefined;
      if (/\s/.test(before) || /\s/.test(after)) return undefined;
      // Report the first break; the caller joins it and scans again for the next.
      breakAt ??= i;
      continue;
    }
    if (char === '\\') {
      i++;
      continue;
    }
    if (char === '(') depth++;
    else if (char === ')') {
      if (depth === 0) return breakAt;
      depth--;
    } else if (char === ' ' || char === '\t') {
      // A title may follow the destination: `url "title")`.
      return breakAt !== undefined && /^[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\))[ \t]*\)/.test(text.slice(i)) ? breakAt : undefined;
    } else if (char === '<' && i === start) {
      return undefined;
    }
  }
  return undefined;
}

function coveredByDestination(nodes: RootContent[], sourceOffset: number): boolean {
  let covered = false;
  for (const node of nodes) {
    visit(node, (inner: Nodes) => {
      if (inner.type !== 'image' && inner.type !== 'link') return;
      const start = inner.position?.start.offset;
      const end = inner.position?.end.offset;
      if (start !== undefined && end !== undefined && start <= sourceOffset && sourceOffset < end) covered = true;
    });
  }
  return covered;
}
