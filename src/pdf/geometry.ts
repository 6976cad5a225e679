/**
 * Print page geometry: the page settings of the configuration (the orchestrator has already merged
 * the article's front-matter `pageSize` / `page` into it, see config-merge.ts) turned into CSS
 * pixels and into the @page rules the PDF is printed with.
 * Chromium's default margins are never used: every PDF states its own size and margins.
 */
import { PAGE_SIZES, type Config } from '../config/schema.js';

export type PageSettings = Config['page'];

/** CSS pixels per unit (CSS: 96 px to the inch). */
const PX_PER: Record<string, number> = { px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 96 / 72 };

/** A CSS length in px ("18mm" → 68.03…). Throws on anything else. */
export function toPx(length: string): number {
  const match = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|px)$/.exec(length.trim());
  const unit = match?.[2];
  if (!match?.[1] || !unit) throw new Error(`not a CSS length: "${length}"`);
  return Number(match[1]) * (PX_PER[unit] ?? 1);
}

export interface Box {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** One printed page in CSS px. The sheet is the trim size plus the bleed on every side. */
export interface PageGeometry {
  /** Trim size (the finished page). */
  width: number;
  height: number;
  /** Margins measured from the trim edge. */
  margin: Box;
  /** Bleed on every side (0 without bleed). */
  bleed: number;
  /** Size of the sheet Chromium prints: trim + 2 × bleed. */
  sheetWidth: number;
  sheetHeight: number;
  /** The content box a page of text fills. */
  contentWidth: number;
  contentHeight: number;
}

export function pageGeometry(page: PageSettings): PageGeometry {
  const size = typeof page.size === 'string' ? PAGE_SIZES[page.size] : page.size;
  const width = toPx(size.width);
  const height = toPx(size.height);
  const margin = { top: toPx(page.margin.top), right: toPx(page.margin.right), bottom: toPx(page.margin.bottom), left: toPx(page.margin.left) };
  const bleed = page.bleed ? toPx(page.bleed) : 0;
  const contentWidth = width - margin.left - margin.right;
  const contentHeight = height - margin.top - margin.bottom;
  if (contentWidth < 96 || contentHeight < 96) {
    throw new Error(`page ${size.width} × ${size.height} with these margins leaves no room for text (less than 1in)`);
  }
  return { width, height, margin, bleed, sheetWidth: width + 2 * bleed, sheetHeight: height + 2 * bleed, contentWidth, contentHeight };
}

/** A CSS string literal, safe inside a <style> element (no "<" that could close it). */
export function cssString(text: string): string {
  const escaped = text
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/[\n\r\f]/g, ' ')
    .replace(/[<>&]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `);
  return `"${escaped}"`;
}

const px = (value: number): string => `${Number(value.toFixed(3))}px`;

export interface RunningStrings {
  /** Article title. */
  title: string;
  /** Publication (publisher), or the title when there is none. */
  publication: string;
  author: string;
}

/**
 * Rounding allowance: Chromium rounds the sheet to whole device units, so a page box may come out
 * a fraction of a pixel smaller than computed. Page divs are this much shorter than the content box.
 */
export const PAGE_SLACK_PX = 2;

/** Height of one page div (the content box minus the rounding allowance). */
export function pageBoxHeight(geometry: PageGeometry): number {
  return Math.floor(geometry.contentHeight) - PAGE_SLACK_PX;
}

/**
 * The structural print CSS the PDF stage adds after the theme's print.css: page size and margins,
 * the custom properties themes use in their margin boxes, and the page divs of the footnote layout.
 */
export function geometryCss(geometry: PageGeometry, running: RunningStrings): string {
  const { margin, bleed } = geometry;
  const pageHeight = pageBoxHeight(geometry);
  return `
@page {
  size: ${px(geometry.sheetWidth)} ${px(geometry.sheetHeight)};
  margin: ${px(margin.top + bleed)} ${px(margin.right + bleed)} ${px(margin.bottom + bleed)} ${px(margin.left + bleed)};
}
@page imprint-cover { margin: 0; counter-increment: page 0; }
:root {
  --imprint-running-title: ${cssString(running.title)};
  --imprint-running-publication: ${cssString(running.publication)};
  --imprint-running-author: ${cssString(running.author)};
  --imprint-content-width: ${px(geometry.contentWidth)};
  --imprint-content-height: ${px(pageHeight)};
  --imprint-sheet-width: ${px(geometry.sheetWidth)};
  --imprint-sheet-height: ${px(geometry.sheetHeight)};
  --imprint-bleed: ${px(bleed)};
}
html, body { margin: 0; padding: 0; }
.imprint-pages { display: block; width: ${px(geometry.contentWidth)}; }
.imprint-page {
  display: flow-root; position: relative; box-sizing: border-box; overflow: clip;
  width: ${px(geometry.contentWidth)}; height: ${px(pageHeight)};
  break-after: page; break-inside: avoid;
}
.imprint-page:last-child { break-after: auto; }
.imprint-page-first { page: imprint-first; }
.imprint-page-body { display: block; }
.imprint-footnotes { position: absolute; left: 0; right: 0; bottom: 0; }
.imprint-measure {
  position: absolute; left: 0; top: 0; display: block; box-sizing: content-box;
  width: ${px(geometry.contentWidth)}; column-count: 1; column-gap: ${px(geometry.contentWidth)}; column-fill: auto;
  orphans: 2; widows: 2;
}
.imprint-measure-notes { position: absolute; left: 0; top: 0; }
.imprint-page-top { margin-top: 0 !important; }
/* A heading that wraps keeps the space at its line break in the text Chromium draws, tags and
   turns into a bookmark (with normal white space that space is dropped: "…Onthe Long Life"). */
.article-header .title, .article-header .subtitle, .article-body h1, .article-body h2, .article-body h3,
.article-body h4, .article-body h5, .article-body h6 { white-space: break-spaces; }
.imprint-nobreak { white-space: nowrap; }
/* A separator a reader sees as a gap but the text layer needs as a character (a note's number and text). */
.imprint-separator { display: inline-block; width: 0; white-space: pre; }
.imprint-continued { margin-top: 0 !important; padding-top: 0 !important; border-top-width: 0 !important; text-indent: 0 !important; }
li.imprint-continued { list-style-type: none; }
.imprint-split-head { margin-bottom: 0 !important; padding-bottom: 0 !important; border-bottom-width: 0 !important; }
.imprint-cover { page: imprint-cover; position: relative; box-sizing: border-box; overflow: clip; width: ${px(geometry.sheetWidth)}; height: ${px(Math.floor(geometry.sheetHeight) - PAGE_SLACK_PX)}; break-after: page; }
.imprint-colophon { page: imprint-colophon; break-before: page; }
`;
}
