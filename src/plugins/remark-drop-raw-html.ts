/**
 * Removes raw HTML from the Markdown (Imprint renders Markdown only, unless html.allowRawHtml
 * is on: then the HTML is kept, parsed by rehype-raw and sanitized by rehype-sanitize-input) and
 * reports each removal; HTML comments go silently.
 *
 * Markdown splits `a <script>alert(1)</script> b` into a tag, text and a tag: dropping the tags
 * alone would print the script as text. The content of an element that is never shown (script,
 * style, iframe, object, svg, template, …) is removed with it, up to its end tag in the same
 * paragraph (without one, only the tag goes: no text of the author is lost).
 */
import type { Html, Parents, Root, RootContent } from 'mdast';
import type { VFile } from 'vfile';
import { DANGEROUS_ELEMENTS, VOID_ELEMENTS } from './lib/sanitize-schema.js';
import { printable } from './lib/url-policy.js';
import { diagnose } from '../diagnostics/rules.js';

export interface DropRawHtmlOptions {
  /** Keep raw HTML in the tree (a later sanitizer must handle it). */
  keep?: boolean;
}

/** Elements whose content goes with them. */
const HIDDEN = new Set(DANGEROUS_ELEMENTS.filter((name) => !VOID_ELEMENTS.includes(name)));
const COMMENT = /^\s*<!--[\s\S]*-->\s*$/;

/** The hidden element this HTML opens and leaves open, if any. */
function opensHidden(value: string): string | undefined {
  let open: string | undefined;
  for (const match of value.matchAll(/<(\/?)([A-Za-z][A-Za-z0-9-]*)/g)) {
    const name = match[2]?.toLowerCase() ?? '';
    if (open === undefined && match[1] === '' && HIDDEN.has(name)) open = name;
    else if (open !== undefined && match[1] === '/' && name === open) open = undefined;
  }
  return open;
}

const closes = (node: RootContent, name: string): boolean =>
  node.type === 'html' && new RegExp(`</${name}[\\s>]`, 'i').test(`${node.value}>`);

export default function remarkDropRawHtml(options: DropRawHtmlOptions = {}) {
  return (tree: Root, file: VFile): void => {
    if (options.keep) return;
    const report = (node: Html, withContent: boolean): void => {
      if (COMMENT.test(node.value)) return;
      const shown = printable(node.value.trim().replace(/\s+/g, ' '));
      const cut = shown.length > 40 ? `${shown.slice(0, 39)}…` : shown;
      diagnose(file, 'raw-html', `Removed raw HTML \`${cut}\`${withContent ? ' with its content' : ''} (html.allowRawHtml is off)`, node.position);
    };
    const visit = (parent: Parents): void => {
      const out: RootContent[] = [];
      const children = parent.children as RootContent[];
      /** Per element name: from this index on, the parent has no end tag for it (each search runs once). */
      const noEndFrom = new Map<string, number>();
      for (let i = 0; i < children.length; i++) {
        const child = children[i] as RootContent;
        if (child.type !== 'html') {
          if ('children' in child) {
            const before = child.children.length;
            visit(child);
            // A paragraph that was nothing but HTML goes with it.
            if (child.type === 'paragraph' && child.children.length < before && child.children.every((c) => c.type === 'text' && c.value.trim() === '')) continue;
          }
          out.push(child);
          continue;
        }
        const hidden = opensHidden(child.value);
        if (hidden === undefined) {
          report(child, false);
          continue;
        }
        // Skip everything up to and including the end tag; without one, only the tag goes
        // (the text after it stays, as text).
        let end = i + 1;
        const none = noEndFrom.get(hidden);
        if (none !== undefined && none <= end) end = children.length;
        while (end < children.length && !closes(children[end] as RootContent, hidden)) end++;
        if (end >= children.length) noEndFrom.set(hidden, Math.min(none ?? i + 1, i + 1));
        report(child, end < children.length);
        if (end < children.length) i = end;
      }
      if (out.length !== children.length) parent.children = out as typeof parent.children;
    };
    visit(tree);
  };
}
