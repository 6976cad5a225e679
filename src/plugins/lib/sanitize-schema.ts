/**
 * What HTML an article may contain (rehype-sanitize schemas).
 *
 * - `inputSchema`: what an author may write, checked right after Markdown (and, with
 *   html.allowRawHtml, raw HTML) became a tree, before Imprint's plugins read it. GitHub's
 *   schema, narrowed: no forms, no picture/source (their URLs would bypass the image stage), no
 *   classes of the author's own (they could pass for Imprint's), no ids in Imprint's namespace.
 *   Safe inline HTML stays: sup, sub, kbd, br, ruby/rt/rp, mark, small, abbr, …
 * - `articleSchema`: the input plus Imprint's own structure (figures, captions, credits, byline,
 *   rights notice, note references), checked once more at the end, on the tree and the notes.
 *
 * Active or embedding elements (script, style, iframe, object, embed, link, svg, …) are
 * dropped with their content; other unknown elements are unwrapped (their text is kept).
 * Event handlers and style attributes are never allowed.
 */
import { defaultSchema, type Options as Schema } from 'rehype-sanitize';

type Definitions = NonNullable<Schema['attributes']>[string];

/** Elements dropped with everything inside them. */
export const DANGEROUS_ELEMENTS: readonly string[] = [
  'script', 'style', 'link', 'meta', 'base', 'head', 'title', 'template', 'noscript', 'noembed', 'noframes',
  'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'portal', 'fencedframe',
  'svg', 'math', 'canvas', 'video', 'audio', 'source', 'track', 'picture',
  'form', 'button', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'output', 'dialog',
  'xmp', 'plaintext', 'listing', 'slot', 'marquee', 'bgsound', 'image', 'isindex', 'keygen', 'menuitem',
];

/** Dangerous elements without content (nothing else to drop with them). */
export const VOID_ELEMENTS: readonly string[] = ['link', 'meta', 'base', 'embed', 'param', 'source', 'track', 'image', 'isindex', 'keygen', 'bgsound', 'input', 'img', 'br', 'hr', 'wbr', 'area', 'col'];

const tagNames = [
  // GitHub's, without picture and source (their srcset would bypass the image stage).
  ...(defaultSchema.tagNames ?? []).filter((tag) => tag !== 'picture' && tag !== 'source'),
  'u', 'mark', 'small', 'abbr', 'cite', 'dfn', 'time', 'bdi', 'bdo', 'wbr', 'caption',
];

/** Global attributes: GitHub's, without form, image-map and focus ones. */
const GLOBAL: Definitions = [
  'abbr', 'align', 'alt', 'axis', 'border', 'cellPadding', 'cellSpacing', 'char', 'charOff', 'clear', 'colSpan',
  'color', 'cols', 'compact', 'dateTime', 'dir', 'frame', 'hSpace', 'headers', 'height', 'hrefLang', 'label', 'lang',
  'noShade', 'noWrap', 'open', 'rev', 'rowSpan', 'rows', 'rules', 'scope', 'shape', 'size', 'span', 'start',
  'summary', 'title', 'vAlign', 'value', 'width', 'reversed', 'translate',
  // Not the ids Imprint gives its notes, note references and images: an author's would clash.
  ['id', /^(?!(?:note|noteref|img)-\d)/],
];

const aria = ['ariaDescribedBy', 'ariaLabel', 'ariaLabelledBy'];

export const inputSchema: Schema = {
  ...defaultSchema,
  tagNames,
  strip: [...DANGEROUS_ELEMENTS],
  clobber: [],
  clobberPrefix: '',
  allowComments: false,
  allowDoctypes: false,
  attributes: {
    a: [...aria, 'dataFootnoteBackref', 'dataFootnoteRef', ['className', 'data-footnote-backref'], 'href'],
    blockquote: ['cite'],
    code: [['className', /^language-[\w+#.-]+$/]],
    del: ['cite'],
    ins: ['cite'],
    q: ['cite'],
    dl: [...aria],
    h2: [['className', 'sr-only']],
    // src as written: the image stage alone decides what an image URL may be (and renderers
    // replace it with the resolved asset); title becomes the caption.
    img: [...aria, 'src'],
    input: [['disabled', true], ['type', 'checkbox'], 'checked'],
    li: [['className', 'task-list-item']],
    ol: [...aria, ['className', 'contains-task-list']],
    ul: [...aria, ['className', 'contains-task-list']],
    section: ['dataFootnotes', ['className', 'footnotes']],
    summary: [...aria],
    table: [...aria],
    time: ['dateTime'],
    '*': GLOBAL,
  },
  protocols: {
    href: ['http', 'https', 'mailto'],
    cite: ['http', 'https'],
  },
  required: { input: { disabled: true, type: 'checkbox' } },
};

/** The input schema plus Imprint's structure. */
export const articleSchema: Schema = {
  ...inputSchema,
  tagNames: [...tagNames, 'figure', 'figcaption'],
  attributes: {
    ...inputSchema.attributes,
    a: [...(inputSchema.attributes?.['a'] ?? []), ['role', 'doc-noteref'], ['id', /^noteref-\d+(?:-\d+)?$/], 'dataDocument', 'dataFragment'],
    figure: [['className', 'figure', 'figure-group', 'figure-row', 'figure-column', 'figure-grid']],
    img: [...(inputSchema.attributes?.['img'] ?? []), ['dataImageId', /^img-\d+$/], 'dataLinkHref'],
    p: [['className', 'byline', 'rights']],
    span: [['className', 'caption', 'credit', 'author', 'publisher']],
    sup: [['className', 'noteref']],
  },
};
