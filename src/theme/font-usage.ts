/**
 * Which characters a document sets in which of Imprint's faces, read from its tree and its CSS,
 * so that the web page (and the EPUB) can carry subsets of exactly those faces.
 *
 * Only the three properties that choose a face are computed: font-family, font-weight and
 * font-style, with a browser's defaults for headings, strong, em and code, the theme's rules
 * matched by hast-util-select in order of specificity, and inheritance. Each character goes to
 * the first Imprint family of its element's stack whose unicode-range holds it (as a browser
 * picks a face), at the nearest weight and style the family has. Families that are not Imprint's
 * (system fonts, generic families) are passed over: whatever they would cover, the page cannot
 * carry them. Rules for states (:hover, :target) count as if they applied, so a face that may be
 * needed is never missing. A hand-written cascade, because no library computes styles on a hast
 * tree without a browser; it needs to know three properties only.
 */
import type { Element, ElementContent, Root } from 'hast';
import { selectAll } from 'hast-util-select';
import postcss, { type AtRule, type ChildNode, type Container, type Rule } from 'postcss';
import { parseUnicodeRange, type Range } from './unicode-range.js';
import type { PlannedFace } from './fonts.js';

/** The face a character is set in: a planned face's family, weight and style. */
export interface UsedFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
}

export const faceKey = (face: UsedFace): string => `${face.family}|${face.weight}|${face.style}`;

/** Characters by face key, and the face of each key. */
export interface FontUsage {
  faces: Map<string, UsedFace>;
  chars: Map<string, Set<number>>;
  /** The same characters by the slice (font file) that holds them. */
  files: Map<string, { face: UsedFace; slice: PlannedFace; codes: Set<number> }>;
}

/** A browser's defaults for the three properties (HTML's user-agent style sheet, the part that matters here). */
const UA_CSS = `
h1, h2, h3, h4, h5, h6, strong, b, th, optgroup { font-weight: bold; }
em, i, cite, var, dfn, address { font-style: italic; }
code, kbd, samp, pre, tt { font-family: monospace; }
`;

type Property = 'font-family' | 'font-weight' | 'font-style';
const PROPERTIES = new Set<string>(['font-family', 'font-weight', 'font-style']);

interface Declaration {
  property: Property;
  value: string;
  important: boolean;
  specificity: number;
  order: number;
}

/** Specificity as one number (a·10⁶ + b·10³ + c), enough for any selector a theme writes. */
export function specificity(selector: string): number {
  // Drop what does not count: :where(…), strings, and the negation/matches wrappers' own names.
  let rest = selector.replace(/:where\([^)]*\)/g, '').replace(/"[^"]*"|'[^']*'/g, '');
  rest = rest.replace(/:(?:not|is|has)\(/g, ' (');
  const ids = (rest.match(/#[\w-]+/g) ?? []).length;
  const classes = (rest.match(/\.[\w-]+|\[[^\]]*\]|:(?!:)[\w-]+/g) ?? []).length;
  const types = (rest.replace(/\[[^\]]*\]/g, '').replace(/:[\w-]+/g, '').replace(/[.#][\w-]+/g, '').match(/(?:^|[\s>+~(])([a-z][\w-]*)/gi) ?? []).length;
  return ids * 1_000_000 + classes * 1_000 + types;
}

/** Dynamic states a static document never shows; a rule for them is kept as if it applied. */
const DYNAMIC = /:(?:hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|target-within|checked)\b/g;

function mediaApplies(params: string, media: 'screen' | 'print'): boolean {
  const other = media === 'screen' ? 'print' : 'screen';
  // A query for the other medium alone does not apply; width and preference queries may.
  return !(new RegExp(`^\\s*(only\\s+)?${other}\\b`, 'i').test(params) && !new RegExp(`\\b${media}\\b`, 'i').test(params));
}

function collectRules(container: Container, media: 'screen' | 'print', into: Rule[]): void {
  container.each((node: ChildNode) => {
    if (node.type === 'rule') into.push(node as Rule);
    else if (node.type === 'atrule') {
      const at = node as AtRule;
      if (/^(media|supports)$/i.test(at.name) && (at.name.toLowerCase() !== 'media' || mediaApplies(at.params, media))) collectRules(at, media, into);
    }
  });
}

/** Declarations of the three properties by element. */
function cascade(root: Root, css: string, media: 'screen' | 'print'): Map<Element, Declaration[]> {
  const byElement = new Map<Element, Declaration[]>();
  const rules: Rule[] = [];
  for (const sheet of [UA_CSS, css]) {
    try {
      collectRules(postcss.parse(sheet), media, rules);
    } catch {
      // A style sheet PostCSS cannot read sets no faces; the theme's own checks report it.
    }
  }
  let order = 0;
  for (const rule of rules) {
    const declarations: Array<Omit<Declaration, 'specificity' | 'order'>> = [];
    for (const node of rule.nodes ?? []) {
      if (node.type === 'decl' && PROPERTIES.has(node.prop.toLowerCase())) {
        declarations.push({ property: node.prop.toLowerCase() as Property, value: node.value.trim(), important: node.important });
      }
    }
    if (declarations.length === 0) continue;
    for (const selector of rule.selectors) {
      if (/::|:(?:before|after|first-line|first-letter|marker|placeholder)\b/i.test(selector)) continue;
      const matchable = selector.replace(DYNAMIC, '').trim() || '*';
      let matched: Element[];
      try {
        matched = selectAll(matchable, root);
      } catch {
        continue;
      }
      if (matched.length === 0) continue;
      const spec = specificity(selector);
      order++;
      for (const element of matched) {
        let list = byElement.get(element);
        if (!list) byElement.set(element, (list = []));
        for (const declaration of declarations) list.push({ ...declaration, specificity: spec, order });
      }
    }
  }
  return byElement;
}

/** The winning value of a property among an element's declarations. */
function winner(list: readonly Declaration[] | undefined, property: Property): string | undefined {
  let best: Declaration | undefined;
  for (const d of list ?? []) {
    if (d.property !== property) continue;
    if (
      !best ||
      Number(d.important) > Number(best.important) ||
      (d.important === best.important && (d.specificity > best.specificity || (d.specificity === best.specificity && d.order >= best.order)))
    ) {
      best = d;
    }
  }
  return best?.value;
}

/** The family names of a font-family value, unquoted. */
export function familyList(value: string): string[] {
  const names: string[] = [];
  for (const m of value.matchAll(/\s*(?:"([^"]*)"|'([^']*)'|([^,]+))\s*(?:,|$)/g)) {
    const name = (m[1] ?? m[2] ?? m[3] ?? '').trim().replace(/\s+/g, ' ');
    if (name) names.push(name);
  }
  return names;
}

function resolveWeight(value: string | undefined, inherited: number): number {
  if (value === undefined || value === 'inherit') return inherited;
  if (value === 'normal' || value === 'initial') return 400;
  if (value === 'bold') return 700;
  if (value === 'bolder') return inherited < 350 ? 400 : inherited < 550 ? 700 : 900;
  if (value === 'lighter') return inherited < 550 ? 100 : inherited < 750 ? 400 : 700;
  const n = Number(value);
  return Number.isFinite(n) ? n : inherited;
}

function resolveStyle(value: string | undefined, inherited: 'normal' | 'italic'): 'normal' | 'italic' {
  if (value === undefined || value === 'inherit') return inherited;
  return /^(italic|oblique)/.test(value) ? 'italic' : 'normal';
}

interface FamilyFaces {
  /** The family's slices (every weight and style). */
  faces: Array<{ face: PlannedFace; ranges: Range[] }>;
}

/** The slices of one family at one weight and style, searchable by code point. */
interface Slices {
  /** Sorted, non-overlapping [lo, hi, slice] intervals. */
  starts: number[];
  intervals: Array<[number, number, PlannedFace]>;
}

function slicesOf(faces: ReadonlyArray<{ face: PlannedFace; ranges: Range[] }>): Slices {
  const intervals: Array<[number, number, PlannedFace]> = [];
  for (const { face, ranges } of faces) for (const [lo, hi] of ranges) intervals.push([lo, hi, face]);
  intervals.sort((a, b) => a[0] - b[0]);
  return { starts: intervals.map((i) => i[0]), intervals };
}

/** The slice holding `code` (the first listed when ranges overlap), by binary search. */
function sliceFor(slices: Slices, code: number): PlannedFace | undefined {
  let low = 0;
  let high = slices.starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((slices.starts[middle] as number) <= code) low = middle + 1;
    else high = middle;
  }
  for (let i = low - 1; i >= 0; i--) {
    const [lo, hi, face] = slices.intervals[i] as [number, number, PlannedFace];
    if (code >= lo && code <= hi) return face;
    // Ranges are short; an interval that starts far before `code` cannot reach it unless it is long.
    if (code - lo > 0x10000) break;
  }
  return undefined;
}

/** The weight a browser picks among `available` for `wanted` (CSS Fonts 4, font matching). */
export function nearestWeight(wanted: number, available: readonly number[]): number | undefined {
  const sorted = [...new Set(available)].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  if (sorted.includes(wanted)) return wanted;
  const below = sorted.filter((w) => w < wanted).reverse();
  const above = sorted.filter((w) => w > wanted);
  if (wanted >= 400 && wanted <= 500) {
    const upTo500 = above.filter((w) => w <= 500);
    return upTo500[0] ?? below[0] ?? above[0];
  }
  return wanted > 500 ? (above[0] ?? below[0]) : (below[0] ?? above[0]);
}

/**
 * The characters of `root` by the face they are set in. `root` is the document as the browser
 * sees it (html > body > …); `faces` are the faces the document declares.
 */
export function fontUsage(root: Root, css: string, faces: readonly PlannedFace[], media: 'screen' | 'print' = 'screen'): FontUsage {
  const families = new Map<string, FamilyFaces>();
  for (const face of faces) {
    let family = families.get(face.family);
    if (!family) families.set(face.family, (family = { faces: [] }));
    family.faces.push({ face, ranges: parseUnicodeRange(face.unicodeRange) });
  }
  const declarations = cascade(root, css, media);
  const usage: FontUsage = { faces: new Map(), chars: new Map(), files: new Map() };
  const choice = new Map<string, Slices>();

  /** The slices of `family` a browser uses for weight/style. */
  const slicesFor = (family: FamilyFaces, name: string, weight: number, style: 'normal' | 'italic'): Slices => {
    const key = `${name}|${weight}|${style}`;
    let slices = choice.get(key);
    if (slices) return slices;
    const styled = family.faces.filter((f) => f.face.style === style);
    const pool = styled.length > 0 ? styled : family.faces.filter((f) => f.face.style === 'normal');
    const w = nearestWeight(weight, pool.map((f) => f.face.weight));
    slices = slicesOf(pool.filter((f) => f.face.weight === w));
    choice.set(key, slices);
    return slices;
  };

  const addText = (value: string, stack: readonly string[], weight: number, style: 'normal' | 'italic'): void => {
    for (const char of value) {
      const code = char.codePointAt(0) as number;
      if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
      for (const name of stack) {
        const family = families.get(name);
        if (!family) continue;
        const slice = sliceFor(slicesFor(family, name, weight, style), code);
        if (!slice) continue;
        const used: UsedFace = { family: name, weight: slice.weight, style: slice.style };
        const key = faceKey(used);
        if (!usage.faces.has(key)) {
          usage.faces.set(key, used);
          usage.chars.set(key, new Set());
        }
        usage.chars.get(key)?.add(code);
        let inFile = usage.files.get(slice.file);
        if (!inFile) usage.files.set(slice.file, (inFile = { face: used, slice, codes: new Set() }));
        inFile.codes.add(code);
        break;
      }
    }
  };

  const visit = (node: Root | ElementContent, stack: string[], weight: number, style: 'normal' | 'italic', listKind: string | undefined): void => {
    if (node.type === 'text') {
      addText(node.value, stack, weight, style);
      return;
    }
    if (node.type !== 'element' && node.type !== 'root') return;
    let childStack = stack;
    let childWeight = weight;
    let childStyle = style;
    if (node.type === 'element') {
      if (['head', 'script', 'style', 'template', 'title'].includes(node.tagName)) return;
      const own = declarations.get(node);
      const family = winner(own, 'font-family');
      if (family !== undefined && family !== 'inherit') childStack = familyList(family);
      childWeight = resolveWeight(winner(own, 'font-weight'), weight);
      childStyle = resolveStyle(winner(own, 'font-style'), style);
      // List markers are set in the item's face.
      if (node.tagName === 'li') addText(listKind === 'ol' ? '0123456789.' : '•◦▪', childStack, childWeight, childStyle);
    }
    const kind = node.type === 'element' && (node.tagName === 'ol' || node.tagName === 'ul') ? node.tagName : listKind;
    for (const child of node.children) visit(child as ElementContent, childStack, childWeight, childStyle, kind);
  };
  visit(root, [], 400, 'normal', undefined);
  return usage;
}
