/**
 * Where a URL written out in the text may break across lines, as a style manual has it: after
 * `//` (never between the two slashes), a single `/`, `.`, `-`, `?`, `&` and `=` — and nowhere
 * else, so never inside "https". Each point is a <wbr> element: a line may end there, no hyphen is
 * added, and nothing is copied, searched or read aloud (a zero-width space would be). Applied to
 * the text of the article and of its notes ("原图：https://…"), in every output; the style sheets
 * keep `overflow-wrap: anywhere` only for a segment longer than a whole line.
 */
import type { Element, ElementContent, Root, RootContent, Text } from 'hast';
import type { VFile } from 'vfile';

const SKIP = new Set(['code', 'pre', 'kbd', 'samp', 'script', 'style', 'svg', 'math', 'textarea']);
/** A URL or a www. address written out in text; it ends before spaces and CJK or closing punctuation. */
const URL = /(?:https?|ftp):\/\/[^\s<>"“”‘’「」『』、，。；：！？（）【】《》]+|www\.[^\s<>"“”‘’「」『』、，。；：！？（）【】《》]+/giu;
/** Punctuation that ends a sentence rather than the URL. */
const TRAILING = /[.,;:!?)\]}'’”]+$/;
/** Characters a URL may break after. */
const AFTER = new Set(['/', '.', '-', '?', '&', '=']);

/** The break offsets in a URL (indexes after which a line may end). */
export function urlBreakPoints(url: string): number[] {
  const points: number[] = [];
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0].length ?? 0;
  for (let i = 0; i < url.length - 1; i++) {
    const char = url[i] as string;
    if (!AFTER.has(char)) continue;
    // Inside the scheme's "://" only after the second slash; never inside the scheme itself.
    if (i < scheme - 1) continue;
    // A run of the same breaking character ("//", "--") breaks after its last one.
    if (url[i + 1] === char) continue;
    if (AFTER.has(url[i + 1] as string)) continue;
    points.push(i + 1);
  }
  return points;
}

const wbr = (): Element => ({ type: 'element', tagName: 'wbr', properties: {}, children: [] });

/** The text as text nodes and <wbr> elements; undefined when it holds no URL. */
export function breakUrls(value: string): ElementContent[] | undefined {
  const out: ElementContent[] = [];
  let last = 0;
  let found = false;
  for (const match of value.matchAll(URL)) {
    const url = match[0].replace(TRAILING, '');
    if (!/[/.]/.test(url.slice(url.indexOf('//') + 2))) continue;
    const start = match.index;
    const points = urlBreakPoints(url);
    if (points.length === 0) continue;
    found = true;
    if (start > last) out.push({ type: 'text', value: value.slice(last, start) });
    let from = 0;
    for (const point of points) {
      out.push({ type: 'text', value: url.slice(from, point) }, wbr());
      from = point;
    }
    out.push({ type: 'text', value: url.slice(from) });
    last = start + url.length;
  }
  if (!found) return undefined;
  if (last < value.length) out.push({ type: 'text', value: value.slice(last) });
  return out;
}

function visit(parent: { children: Array<RootContent | ElementContent> }): number {
  let count = 0;
  for (let i = 0; i < parent.children.length; i++) {
    const node = parent.children[i] as RootContent | ElementContent;
    if (node.type === 'text') {
      const parts = breakUrls((node as Text).value);
      if (!parts) continue;
      parent.children.splice(i, 1, ...parts);
      i += parts.length - 1;
      count++;
    } else if (node.type === 'element') {
      if (SKIP.has(node.tagName) || node.tagName === 'wbr') continue;
      count += visit(node);
    }
  }
  return count;
}

export default function rehypeUrlBreaks() {
  return (tree: Root, file: VFile): void => {
    visit(tree);
    for (const note of file.data.notes ?? []) visit({ children: note.content });
  };
}
