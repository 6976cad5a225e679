/**
 * Faces for elements in another CJK language than the document's.
 *
 * A theme names "Imprint Serif CJK" and "Imprint Sans CJK" in its font stacks, and those are the
 * faces of the document's language. A Japanese quotation in a Chinese article
 * (<span lang="ja">) must be set in the Japanese face of the same kind: serif in the text, sans
 * in a sans caption. CSS cannot swap one family inside an inherited stack, so every theme rule
 * whose font-family names an Imprint CJK family is repeated for each such language, with the
 * language's own family in its place:
 *
 *   figcaption { font-family: "Imprint Sans", "Imprint Sans CJK", sans-serif }
 *   → figcaption:lang(ja), figcaption [lang]:lang(ja) { font-family: "Imprint Sans", "Imprint Sans JP", sans-serif }
 *
 * `S:lang(L)` covers elements that have their own rule; `S [lang]:lang(L)` the element that
 * carries the language inside S (its children inherit from it). The repeated rules keep their
 * selectors' order of specificity, so the cascade picks serif or sans as it does for the document.
 * Parsing is PostCSS's; only style rules at the top level or in @media/@supports are read.
 */
import postcss, { type AtRule, type ChildNode, type Container, type Rule } from 'postcss';
import { CJK_FAMILIES, cjkSetOf, documentCjkSet, setFamily, type CjkSet } from './fonts.js';

const CJK_FAMILY = /"Imprint (Serif|Sans) CJK"|'Imprint (Serif|Sans) CJK'/g;

/** Distinct language tags, as written (case kept from the first occurrence). */
function distinct(langs: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const lang of langs) {
    const tag = lang.trim();
    if (/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()];
}

/** True when a selector names a pseudo-element (generated boxes keep their element's font). */
const hasPseudoElement = (selector: string): boolean => /::|:(?:before|after|first-line|first-letter|marker)\b/i.test(selector);

/**
 * The extra rules for a document in `lang` whose elements carry `langs`, derived from `css`.
 * Empty when no element is in a CJK language with another face set.
 */
export function langFontCss(css: string, lang: string, langs: Iterable<string>): string {
  const own = documentCjkSet(lang);
  const tags = distinct(langs).filter((tag) => cjkSetOf(tag) !== undefined);
  // Nothing differs unless some element is in another set. When one is, elements back in the
  // document's set (inside it) need the document's faces again, so they get rules too.
  if (!tags.some((tag) => cjkSetOf(tag) !== own)) return '';
  let root: postcss.Root;
  try {
    root = postcss.parse(css);
  } catch {
    return '';
  }
  const out = postcss.root();
  copyRules(root, out, tags, own);
  return out.toString();
}

function copyRules(from: Container, into: Container, tags: readonly string[], own: CjkSet): void {
  from.each((node: ChildNode) => {
    if (node.type === 'atrule') {
      const at = node as AtRule;
      if (!/^(media|supports)$/i.test(at.name) || !at.nodes) return;
      const wrapper = postcss.atRule({ name: at.name, params: at.params });
      copyRules(at, wrapper, tags, own);
      if (wrapper.nodes && wrapper.nodes.length > 0) into.append(wrapper);
      return;
    }
    if (node.type !== 'rule') return;
    const rule = node as Rule;
    let family: string | undefined;
    rule.walkDecls(/^font-family$/i, (decl) => {
      if (decl.parent === rule) family = decl.value;
    });
    if (family === undefined || !(family.match(CJK_FAMILY) ?? []).length) return;
    const selectors = rule.selectors.filter((s) => !hasPseudoElement(s));
    if (selectors.length === 0) return;
    for (const tag of tags) {
      const set = cjkSetOf(tag) as CjkSet;
      const inTag = selectors.flatMap((s) => [`${s}:lang(${tag})`, `${s} [lang]:lang(${tag})`]);
      const value = (family as string).replace(CJK_FAMILY, (match) => {
        const kind = match.includes('Serif') ? 'serif' : 'sans';
        return `"${set === own ? CJK_FAMILIES[kind] : setFamily(kind, set)}"`;
      });
      into.append(postcss.rule({ selectors: inTag }).append(postcss.decl({ prop: 'font-family', value })));
    }
  });
}
