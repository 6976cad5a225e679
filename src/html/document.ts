/**
 * Renders an Article into a full HTML document through the theme's page.html shell,
 * for the screen (the standalone web page) or for print (the PDF stage's input).
 */
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Config } from '../config/schema.js';
import type { Article, AssetSet, ImageAsset } from '../model.js';
import { assetUrl, fontStylesheetUrl } from '../browser/page-server.js';
import { langFontCss } from '../theme/lang-fonts.js';
import { fillTemplate, type Theme } from '../theme/theme.js';
import rehypeHyphenate from '../plugins/rehype-hyphenate.js';
import { applyAssets } from './images.js';
import { labelTaskCheckboxes } from './task-lists.js';
import { resolveDocumentLinks } from './links.js';
import { escapeHtml } from './text.js';

export { escapeHtml };
import { endnotesSection } from './notes.js';

export type RenderTarget = 'screen' | 'print';

export interface RenderOptions {
  target: RenderTarget;
  theme: Theme;
  config: Config;
  /** Image source for the screen target; defaults to a data: URI of the screen version. */
  imageSrc?: ((asset: ImageAsset) => string) | undefined;
  /** @font-face rules of the screen target's fonts (print documents link the page server's). */
  fontCss?: string | undefined;
}

/** The languages of elements (lang attributes) in the article's text and notes. */
export function elementLangs(article: Pick<Article, 'tree' | 'notes'>): Set<string> {
  const langs = new Set<string>();
  const visit = (nodes: readonly (Root | ElementContent | Root['children'][number])[]): void => {
    for (const node of nodes) {
      if (node.type !== 'element' && node.type !== 'root') continue;
      if (node.type === 'element') {
        const lang = node.properties['lang'];
        if (typeof lang === 'string' && lang.trim() !== '') langs.add(lang.trim());
      }
      visit(node.children);
    }
  };
  visit([article.tree]);
  for (const note of article.notes) visit(note.content);
  return langs;
}

/** The document's CSS: the theme's base and target style sheets, and faces for elements in other CJK languages. */
export function documentCss(theme: Theme, target: RenderTarget, lang: string, langs: Iterable<string>): string {
  const css = [theme.files['base.css'], target === 'print' ? theme.files['print.css'] : theme.files['screen.css']].join('\n');
  const extra = langFontCss(css, lang, langs);
  return extra ? `${css}\n/* Elements in another CJK language: the same stacks with that language's faces. */\n${extra}` : css;
}


/** A data: URI of the image as shown on screen (scaled and converted when needed). */
export function dataUri(asset: ImageAsset): string {
  const shown = asset.screen ?? asset;
  return `data:${shown.mediaType};base64,${Buffer.from(shown.bytes).toString('base64')}`;
}

function header(article: Article): Element {
  const { title, subtitle } = article.meta;
  const children: Element[] = [{ type: 'element', tagName: 'h1', properties: { className: ['title'] }, children: [{ type: 'text', value: title }] }];
  if (subtitle) children.push({ type: 'element', tagName: 'p', properties: { className: ['subtitle'] }, children: [{ type: 'text', value: subtitle }] });
  return { type: 'element', tagName: 'header', properties: { className: ['article-header'] }, children };
}

function metaTags(article: Article): string {
  const { author, description, keywords, publisher, date } = article.meta;
  const tags = ['<meta name="generator" content="Imprint">'];
  if (author) tags.push(`<meta name="author" content="${escapeHtml(author)}">`);
  if (description) tags.push(`<meta name="description" content="${escapeHtml(description)}">`);
  if (keywords.length > 0) tags.push(`<meta name="keywords" content="${escapeHtml(keywords.join(', '))}">`);
  if (publisher) tags.push(`<meta name="publisher" content="${escapeHtml(publisher)}">`);
  if (date) tags.push(`<meta name="date" content="${escapeHtml(date)}">`);
  return tags.join('\n');
}

/** The <article> element: header, body and end notes. */
export function articleElement(article: Article, assets: AssetSet, options: RenderOptions): Element {
  const print = options.target === 'print';
  const src = print ? (asset: ImageAsset) => assetUrl(asset.id) : (options.imageSrc ?? dataUri);
  const body: Root = applyAssets(article.tree, assets, { lang: article.meta.lang, src, screen: !print, images: article.images });
  if (!print) labelTaskCheckboxes(body);
  resolveDocumentLinks(body, print ? 'pdf' : 'html');
  const notes = endnotesSection(article.notes, article.meta.lang);
  // The printed page is justified: hyphenation points in its copy of the text (the web page and
  // the EPUB keep clean text for copying, searching and reading aloud; see docs/typography.md).
  if (print) {
    const hyphenate = rehypeHyphenate({ lang: article.meta.lang });
    hyphenate(body);
    if (notes) hyphenate(notes);
  }
  return {
    type: 'element',
    tagName: 'article',
    properties: { className: ['article'] },
    children: [
      header(article),
      { type: 'element', tagName: 'div', properties: { className: ['article-body'] }, children: body.children as Element['children'] },
      ...(notes ? [notes] : []),
    ],
  };
}

/** The body class of a document for a target. */
export const bodyClassOf = (target: RenderTarget): string[] => ['imprint', `target-${target}`];

export function renderDocument(article: Article, assets: AssetSet, options: RenderOptions, element?: Element): string {
  const { theme, target } = options;
  const langs = elementLangs(article);
  const css = documentCss(theme, target, article.meta.lang, langs);
  const articleEl = element ?? articleElement(article, assets, options);
  // The web page's main landmark holds the article, so that every part of the page is in a
  // landmark (the print page keeps the roles the PDF's tags are planned from: src/pdf/tag-plan.ts).
  const body = toHtml(target === 'print' ? articleEl : { type: 'element', tagName: 'main', properties: {}, children: [articleEl] });
  // Print documents are shown by the page server, which serves Imprint's fonts; the web page
  // carries its own (options.fontCss).
  const fonts =
    target === 'print'
      ? `<link rel="stylesheet" href="${fontStylesheetUrl(article.meta.lang, langs)}">\n`
      : options.fontCss
        ? `<style>\n${options.fontCss}\n</style>\n`
        : '';
  return fillTemplate(theme.files['page.html'], {
    lang: escapeHtml(article.meta.lang),
    title: escapeHtml(article.meta.title),
    head: `${metaTags(article)}\n${fonts}<style>\n${css}\n</style>`,
    bodyClass: bodyClassOf(target).join(' '),
    body,
  });
}
