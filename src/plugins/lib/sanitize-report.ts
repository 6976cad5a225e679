/**
 * What a rehype-sanitize schema would take out of a tree, found before it is taken out, so that
 * each removal can be reported (Imprint never repairs silently).
 */
import type { Element, Properties, Root, RootContent } from 'hast';
import rehypeSanitize, { type Options as Schema } from 'rehype-sanitize';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { VOID_ELEMENTS } from './sanitize-schema.js';
import { checkLink, printable, shownUrl } from './url-policy.js';
import { diagnose, type RuleId } from '../../diagnostics/rules.js';

export type RemovalKind =
  /** An element dropped with its content (script, iframe, …). */
  | 'element'
  /** An element replaced by its content (font, center, …). */
  | 'unwrapped'
  /** An on* attribute. */
  | 'handler'
  /** A style attribute. */
  | 'style'
  /** A URL attribute with a refused URL, or a URL attribute that is not allowed at all. */
  | 'url'
  /** Any other attribute (or attribute value) the schema does not allow. */
  | 'attribute';

export interface Removal {
  kind: RemovalKind;
  tagName: string;
  /** The attribute, as written in HTML (class, onclick, data-x). */
  attribute?: string;
  /** The attribute's value (for URLs). */
  value?: string;
  node: Element;
}

const URL_PROPERTIES = new Set([
  'href', 'src', 'cite', 'action', 'formAction', 'poster', 'background', 'data', 'codeBase', 'longDesc', 'srcSet',
  'ping', 'manifest', 'icon', 'dynsrc', 'lowsrc', 'xLinkHref', 'archive', 'classId', 'profile', 'useMap', 'itemType',
]);

/** The HTML attribute name of a hast property name. */
export function attributeName(property: string): string {
  const special: Record<string, string> = { className: 'class', htmlFor: 'for', acceptCharset: 'accept-charset', httpEquiv: 'http-equiv', xLinkHref: 'xlink:href' };
  const known = special[property];
  if (known) return known;
  if (/^(data|aria)[A-Z]/.test(property)) return property.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return property.toLowerCase();
}

function valueCount(value: unknown): number {
  return Array.isArray(value) ? value.length : value === undefined || value === null ? 0 : 1;
}

/** The element's properties as the schema leaves them, or undefined when the element itself goes. */
function sanitizedProperties(node: Element, schema: Schema, ancestors: readonly string[]): Properties | undefined {
  const lone: Element = { type: 'element', tagName: node.tagName, properties: node.properties, children: [] };
  // Elements that need an ancestor (td needs table) are checked inside the nearest one they have.
  const required = schema.ancestors?.[node.tagName];
  const wrapper = required?.find((tag) => ancestors.includes(tag));
  const root: Root = { type: 'root', children: [wrapper ? { type: 'element', tagName: wrapper, properties: {}, children: [lone] } : lone] };
  const clean = rehypeSanitize(schema)(root);
  const first = clean.children[0];
  const element = wrapper && first?.type === 'element' ? first.children[0] : first;
  return element?.type === 'element' && element.tagName === node.tagName ? element.properties : undefined;
}

function elementAllowed(node: Element, schema: Schema, ancestors: readonly string[]): boolean {
  if (schema.tagNames && !schema.tagNames.includes(node.tagName)) return false;
  const required = schema.ancestors?.[node.tagName];
  return !required || required.some((tag) => ancestors.includes(tag));
}

/** Everything `schema` would remove from `tree`, in document order. */
export function findRemovals(tree: Root | Element, schema: Schema): Removal[] {
  const removals: Removal[] = [];
  const ancestors: string[] = [];
  const visit = (children: readonly RootContent[]): void => {
    for (const node of children) {
      if (node.type !== 'element') continue;
      if (!elementAllowed(node, schema, ancestors)) {
        const dropped = !schema.strip || schema.strip.includes(node.tagName);
        removals.push({ kind: dropped ? 'element' : 'unwrapped', tagName: node.tagName, node });
        if (dropped) continue;
      } else if (Object.keys(node.properties).length > 0) {
        const kept = sanitizedProperties(node, schema, ancestors) ?? {};
        for (const [key, value] of Object.entries(node.properties)) {
          if (value === undefined || value === null) continue;
          if (valueCount(kept[key]) === valueCount(value) && kept[key] !== undefined) continue;
          const attribute = attributeName(key);
          const kind: RemovalKind = /^on/i.test(key) ? 'handler' : key === 'style' ? 'style' : URL_PROPERTIES.has(key) ? 'url' : 'attribute';
          const removal: Removal = { kind, tagName: node.tagName, attribute, node };
          if (kind === 'url') removal.value = Array.isArray(value) ? value.join(' ') : String(value);
          removals.push(removal);
        }
      }
      ancestors.push(node.tagName);
      visit(node.children);
      ancestors.pop();
    }
  };
  visit(tree.children);
  return removals;
}

/** Occurrences of one kind of removal reported one by one; the rest are counted in the last. */
const PER_KIND = 10;

/**
 * Reports removals as warnings at their positions: each occurrence of a dangerous element or
 * attribute (the first ten of each kind; the tenth counts the rest), each unwrapped tag likewise,
 * and all other dropped attributes together in one warning. `placeOf` gives a position to
 * nodes without one.
 */
export function reportRemovals(removals: readonly Removal[], file: VFile, placeOf: (removal: Removal) => Position | undefined = (r) => r.node.position): void {
  const groups = new Map<string, Removal[]>();
  for (const removal of removals) {
    const key = removal.kind === 'attribute' ? 'attribute' : `${removal.kind} ${removal.tagName} ${removal.attribute ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(removal);
    else groups.set(key, [removal]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    if (first.kind === 'attribute') {
      const counts = new Map<string, number>();
      for (const removal of group) counts.set(removal.attribute ?? '', (counts.get(removal.attribute ?? '') ?? 0) + 1);
      const list = [...counts].map(([name, count]) => `${printable(name)}${count > 1 ? ` (${count})` : ''}`).join(', ');
      diagnose(file, 'html-attribute', `Removed attributes an article may not carry: ${list}`, placeOf(first));
      continue;
    }
    group.slice(0, PER_KIND).forEach((removal, i) => {
      const rest = i === PER_KIND - 1 && group.length > PER_KIND ? ` (and ${group.length - PER_KIND} more like it)` : '';
      const { reason, ruleId } = describe(removal);
      diagnose(file, ruleId, `${reason}${rest}`, placeOf(removal));
    });
  }
}

function describe(removal: Removal): { reason: string; ruleId: RuleId } {
  const tag = `<${printable(removal.tagName)}>`;
  const attribute = printable(removal.attribute ?? '');
  switch (removal.kind) {
    case 'element':
      return { reason: `Removed ${tag}${VOID_ELEMENTS.includes(removal.tagName) ? '' : ' with its content'} (unsafe HTML)`, ruleId: 'unsafe-html' };
    case 'unwrapped':
      return { reason: `Removed the ${tag} tag, keeping its content (not allowed in an article)`, ruleId: 'html-unwrapped' };
    case 'handler':
      return { reason: `Removed the event handler ${attribute} from ${tag} (unsafe HTML)`, ruleId: 'unsafe-html' };
    case 'style':
      return { reason: `Removed the style attribute from ${tag} (unsafe HTML)`, ruleId: 'unsafe-html' };
    default: {
      const unsafe = checkLink(removal.value ?? '').unsafe;
      return { reason: `Removed ${attribute}="${shownUrl(removal.value ?? '')}" from ${tag}${unsafe ? ' (unsafe URL)' : ''}`, ruleId: unsafe ? 'unsafe-html' : 'html-attribute' };
    }
  }
}
