/**
 * Stage, render HTML: the standalone web page. Self-contained by default (images as data: URIs);
 * with html.selfContained = false the images go to an assets folder beside the page.
 */
import type { Config } from '../config/schema.js';
import type { Article, AssetSet, ImageAsset } from '../model.js';
import { renderDocument } from '../html/document.js';
import type { Theme } from '../theme/theme.js';

export interface RenderedHtml {
  html: string;
  /** Files to write beside the page (relative path → bytes) when not self-contained. */
  files: Map<string, Uint8Array>;
}

export function renderHtml(article: Article, assets: AssetSet, config: Config, theme: Theme): RenderedHtml {
  const files = new Map<string, Uint8Array>();
  let imageSrc: ((asset: ImageAsset) => string) | undefined;
  if (!config.html.selfContained) {
    imageSrc = (asset) => {
      const shown = asset.screen ?? asset;
      const relative = `${article.name}_assets/${asset.id}.${shown.ext}`;
      files.set(relative, shown.bytes);
      return relative;
    };
  }
  const html = renderDocument(article, assets, { target: 'screen', theme, config, imageSrc });
  return { html, files };
}

/** The HTML the PDF stage prints. */
export function renderPrintHtml(article: Article, assets: AssetSet, config: Config, theme: Theme): string {
  return renderDocument(article, assets, { target: 'print', theme, config });
}
