/**
 * Stage, render HTML: the standalone web page. Self-contained by default (images and font subsets
 * as data: URIs); with html.selfContained = false the images and fonts go to an assets folder
 * beside the page.
 *
 * The page carries subsets of Imprint's faces holding the characters it sets in each (see
 * theme/font-usage.ts and theme/font-subsets.ts), so it looks like the PDF on any machine.
 */
import { createHash } from 'node:crypto';
import type { Element, Root } from 'hast';
import type { Config } from '../config/schema.js';
import type { Article, AssetSet, Book, ImageAsset } from '../model.js';
import { articleElement, bodyClassOf, documentCss, elementLangs, renderDocument, type RenderOptions } from '../html/document.js';
import { bookBody, bookBodyClass, bookCss, bookLangs, renderBookDocument, type BookChapterAssets, type BookRenderOptions } from '../html/book.js';
import { fontSubsets, subsetCss } from '../theme/font-subsets.js';
import { fontUsage } from '../theme/font-usage.js';
import { fontPlan, plannedFaces } from '../theme/fonts.js';
import type { Theme } from '../theme/theme.js';

export interface RenderedHtml {
  html: string;
  /** Files to write beside the page (relative path → bytes) when not self-contained. */
  files: Map<string, Uint8Array>;
}

/** The document as a browser sees it, for the font usage: html[lang] > body.imprint.target-screen > article. */
function documentTree(lang: string, content: readonly Element[], bodyClass: string[] = bodyClassOf('screen')): Root {
  const body: Element = { type: 'element', tagName: 'body', properties: { className: bodyClass }, children: [...content] };
  return { type: 'root', children: [{ type: 'element', tagName: 'html', properties: { lang }, children: [body] }] };
}

/** The @font-face rules of the subsets of Imprint's faces a web page sets its text in (data: URIs, or files in `assets`). */
async function pageFontCss(tree: Root, css: string, lang: string, langs: Iterable<string>, files: Map<string, Uint8Array>, assets: string | undefined): Promise<string> {
  const usage = fontUsage(tree, css, plannedFaces(fontPlan(lang, langs)), 'screen');
  const subsets = await fontSubsets(usage);
  return subsetCss(subsets, (subset) => {
    if (assets === undefined) return `data:font/woff;base64,${Buffer.from(subset.bytes).toString('base64')}`;
    const hash = createHash('sha256').update(subset.bytes).digest('hex').slice(0, 12);
    const relative = `${assets}/fonts/${subset.file.replace(/\.woff2$/, '')}-${hash}.woff`;
    files.set(relative, subset.bytes);
    return relative;
  });
}

export async function renderHtml(article: Article, assets: AssetSet, config: Config, theme: Theme): Promise<RenderedHtml> {
  const files = new Map<string, Uint8Array>();
  const selfContained = config.html.selfContained;
  let imageSrc: ((asset: ImageAsset) => string) | undefined;
  if (!selfContained) {
    imageSrc = (asset) => {
      const shown = asset.screen ?? asset;
      const relative = `${article.name}_assets/${asset.id}.${shown.ext}`;
      files.set(relative, shown.bytes);
      return relative;
    };
  }
  const options: RenderOptions = { target: 'screen', theme, config, imageSrc };
  const element = articleElement(article, assets, options);
  const { lang } = article.meta;
  const langs = elementLangs(article);
  const fontCss = await pageFontCss(documentTree(lang, [element]), documentCss(theme, 'screen', lang, langs), lang, langs, files, selfContained ? undefined : `${article.name}_assets`);
  const html = renderDocument(article, assets, { ...options, fontCss }, element);
  return { html, files };
}

/** The HTML the PDF stage prints. */
export function renderPrintHtml(article: Article, assets: AssetSet, config: Config, theme: Theme): string {
  return renderDocument(article, assets, { target: 'print', theme, config });
}

/** The web page of a book: one page, its contents linked to the chapters, each chapter an <article>, with its fonts. */
export async function renderBookHtml(book: Book, chapters: readonly BookChapterAssets[], config: Config, theme: Theme): Promise<RenderedHtml> {
  const files = new Map<string, Uint8Array>();
  let imageSrc: ((asset: ImageAsset, key: string) => string) | undefined;
  if (!config.html.selfContained) {
    imageSrc = (asset, key) => {
      const shown = asset.screen ?? asset;
      const relative = `${book.name}_assets/${key}.${shown.ext}`;
      files.set(relative, shown.bytes);
      return relative;
    };
  }
  const options: BookRenderOptions = { target: 'screen', theme, config, imageSrc };
  const body = bookBody(book, chapters, options);
  const { lang } = book.meta;
  const tree = documentTree(lang, body, bookBodyClass('screen'));
  const fontCss = await pageFontCss(tree, bookCss(book, theme, 'screen'), lang, bookLangs(book), files, config.html.selfContained ? undefined : `${book.name}_assets`);
  const html = renderBookDocument(book, chapters, { ...options, fontCss }, body);
  return { html, files };
}

/** The HTML the PDF stage prints a book from. */
export function renderBookPrintHtml(book: Book, chapters: readonly BookChapterAssets[], config: Config, theme: Theme): string {
  return renderBookDocument(book, chapters, { target: 'print', theme, config });
}
