/**
 * hast → XHTML (XML serialization of HTML), as EPUB content documents need it:
 * every attribute quoted and valued (`hidden="hidden"`), void elements closed (`<br/>`),
 * text stored as real UTF-8 characters (only & < > " escaped, never &#x…; entities),
 * characters XML 1.0 forbids dropped, comments and raw HTML never written.
 *
 * Not the library's job: epub-gen-memory takes each chapter's content as a string, and Imprint's
 * chapters are hast trees; the library keeps that XHTML as written (its `xhtmlContent` option,
 * see patches/) and wraps it in the theme's chapter.xhtml.ejs.
 */
import type { Element, ElementContent, Nodes, Properties } from 'hast';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** SVG attributes that keep their camelCase spelling (everything else in SVG is kebab-case). */
const SVG_CAMEL = new Set([
  'attributeName', 'attributeType', 'baseFrequency', 'calcMode', 'clipPathUnits', 'diffuseConstant', 'edgeMode',
  'filterUnits', 'glyphRef', 'gradientTransform', 'gradientUnits', 'kernelMatrix', 'kernelUnitLength', 'keyPoints',
  'keySplines', 'keyTimes', 'lengthAdjust', 'limitingConeAngle', 'markerHeight', 'markerUnits', 'markerWidth',
  'maskContentUnits', 'maskUnits', 'numOctaves', 'pathLength', 'patternContentUnits', 'patternTransform',
  'patternUnits', 'pointsAtX', 'pointsAtY', 'pointsAtZ', 'preserveAlpha', 'preserveAspectRatio', 'primitiveUnits',
  'refX', 'refY', 'repeatCount', 'repeatDur', 'requiredExtensions', 'requiredFeatures', 'specularConstant',
  'specularExponent', 'spreadMethod', 'startOffset', 'stdDeviation', 'stitchTiles', 'surfaceScale', 'systemLanguage',
  'tableValues', 'targetX', 'targetY', 'textLength', 'viewBox', 'viewTarget', 'xChannelSelector', 'yChannelSelector',
  'zoomAndPan',
]);

const SPECIAL: Record<string, string> = {
  className: 'class',
  htmlFor: 'for',
  httpEquiv: 'http-equiv',
  acceptCharset: 'accept-charset',
  xmlLang: 'xml:lang',
  xmlSpace: 'xml:space',
  xmlBase: 'xml:base',
  xmlnsXLink: 'xmlns:xlink',
  xLinkHref: 'xlink:href',
  xLinkTitle: 'xlink:title',
  xLinkRole: 'xlink:role',
  xLinkArcRole: 'xlink:arcrole',
  xLinkActuate: 'xlink:actuate',
  xLinkShow: 'xlink:show',
  xLinkType: 'xlink:type',
};

/** Properties whose list values are comma-separated (hast keeps them as arrays). */
const COMMA_SEPARATED = new Set(['accept', 'coords', 'sizes', 'srcSet']);

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The attribute name of a hast property (className → class, dataImageId → data-image-id, …). */
export function attributeName(property: string, svg = false): string {
  const special = SPECIAL[property];
  if (special) return special;
  if (property.includes(':') || property.includes('-')) return property;
  if (/^data[A-Z0-9]/.test(property)) return `data-${kebab(property.slice(4)).replace(/^-/, '')}`;
  if (/^aria[A-Z]/.test(property)) return `aria-${property.slice(4).toLowerCase()}`;
  if (svg) return SVG_CAMEL.has(property) ? property : kebab(property);
  return property.toLowerCase();
}

/** Characters XML 1.0 does not allow (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Cheap pre-check: text without any of these (nearly all text) needs no clean-up. */
const MAYBE_NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Drops characters XML 1.0 does not allow (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
export function xmlSafe(text: string): string {
  return MAYBE_NOT_XML.test(text) ? text.replace(NOT_XML, '') : text;
}

const TEXT_SPECIAL = /[&<>]/;

/** Text content: & and < escaped (XML requires it), > only where it would close "]]>". */
export function escapeText(text: string): string {
  const safe = xmlSafe(text);
  if (!TEXT_SPECIAL.test(safe)) return safe;
  return safe.replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;')).replace(/]]>/g, ']]&gt;');
}

const ATTRIBUTE_SPECIAL = /[&<>"\n\r\t]/;

export function escapeAttribute(text: string): string {
  const safe = xmlSafe(text);
  if (!ATTRIBUTE_SPECIAL.test(safe)) return safe;
  return safe.replace(/[&<>"\n\r\t]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return ' ';
    }
  });
}

const MARKUP = /[&<>"]/;

/**
 * A value as the package templates write it with EJS's escaping tag (epub-gen-memory's
 * `ejsOptions.escape`): & < > " escaped by name, characters XML does not allow dropped, the rest
 * as UTF-8 characters (EJS's own escaping writes &#34; and &#39;). Safe in text and in attributes
 * quoted with ".
 */
export function escapeXml(value: unknown): string {
  const safe = xmlSafe(value === undefined || value === null ? '' : String(value));
  if (!MARKUP.test(safe)) return safe;
  return safe.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** What a content document uses, for the manifest's `properties`. */
export interface XhtmlFeatures {
  svg: boolean;
  mathml: boolean;
}

/**
 * The XML attribute name written for a hast property, or undefined when none may be written
 * (not an XML name, or an event handler). Memoized (documents repeat a handful of properties),
 * up to a bound, since property names can come from an article's raw HTML.
 */
const MEMOIZED_NAMES = 512;
const writtenNames = [new Map<string, string | undefined>(), new Map<string, string | undefined>()] as const;
function writtenName(property: string, svg: boolean): string | undefined {
  const cache = writtenNames[svg ? 1 : 0];
  if (cache.has(property)) return cache.get(property);
  const name = attributeName(property, svg);
  const written = /^[A-Za-z_][\w.:-]*$/.test(name) && !/^on/i.test(name) ? name : undefined;
  if (cache.size < MEMOIZED_NAMES) cache.set(property, written);
  return written;
}

function attributes(properties: Properties, svg: boolean, skipNamespaces = false): string {
  let out = '';
  for (const property in properties) {
    if (skipNamespaces && (property === 'xmlns' || property === 'xmlnsXLink')) continue;
    const value = properties[property];
    if (value === undefined || value === null || value === false) continue;
    const name = writtenName(property, svg);
    if (name === undefined) continue;
    let text: string;
    if (value === true) text = name;
    else if (Array.isArray(value)) text = value.join(COMMA_SEPARATED.has(property) ? ', ' : ' ');
    else text = String(value);
    out += ` ${name}="${escapeAttribute(text)}"`;
  }
  return out;
}

function serializeElement(node: Element, features: XhtmlFeatures, inSvg: boolean): string {
  const name = node.tagName;
  const svg = inSvg || name === 'svg';
  let extra = '';
  if (name === 'svg' && !inSvg) {
    features.svg = true;
    extra = ` xmlns="${SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink"`;
  }
  if (name === 'math') {
    features.mathml = true;
    extra = ` xmlns="${MATHML_NS}"`;
  }
  const open = `<${name}${extra}${attributes(node.properties, svg, name === 'svg' || name === 'math')}`;
  const children = name === 'template' ? [] : node.children;
  if (!svg && VOID.has(name)) return `${open}/>`;
  if (svg && children.length === 0) return `${open}/>`;
  let out = `${open}>`;
  for (const child of children) out += serializeNode(child, features, svg);
  return `${out}</${name}>`;
}

function serializeNode(node: Nodes, features: XhtmlFeatures, inSvg: boolean): string {
  switch (node.type) {
    case 'root': {
      let out = '';
      for (const child of node.children) out += serializeNode(child, features, inSvg);
      return out;
    }
    case 'element':
      return serializeElement(node, features, inSvg);
    case 'text':
      return escapeText(node.value);
    default:
      // comments, doctypes and raw HTML are never written
      return '';
  }
}

/** Serializes hast nodes as XHTML; `features` collects what the document uses. */
export function toXhtml(nodes: Nodes | readonly ElementContent[], features: XhtmlFeatures = { svg: false, mathml: false }): string {
  const list: readonly Nodes[] = Array.isArray(nodes) ? nodes : [nodes as Nodes];
  let out = '';
  for (const node of list) out += serializeNode(node, features, false);
  return out;
}
