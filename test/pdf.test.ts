/**
 * The print PDF, checked as a publisher would check it, with poppler and qpdf: page size and
 * margins, embedded subset fonts, metadata, tags and /Lang, bookmarks, footnotes on the page of
 * their marks, figures on the page of their captions, byte-identical rebuilds.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import sharp from 'sharp';
import { VFile } from 'vfile';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { resolveConfig, type UserConfig } from '../src/config/schema.js';
import { articleConfig } from '../src/config/merge.js';
import type { Article, AssetSet, ImageRef } from '../src/model.js';
import { renderDocument } from '../src/html/document.js';
import { parseArticle } from '../src/parse/article.js';
import { printPdf } from '../src/stages/print-pdf.js';
import { readArticle } from '../src/stages/read.js';
import { loadTheme } from '../src/theme/theme.js';
import { sampleArticle } from './helpers/paths.js';
import { pdffonts, pdfinfo, tool } from './helpers/tools.js';

// ---- Building ------------------------------------------------------------------------------

/** A test image of a size no other test image has, so pdfimages can tell them apart. */
async function testImage(id: string, width: number, height: number, format: 'png' | 'jpeg'): Promise<AssetSet extends Map<string, infer V> ? V : never> {
  const base = sharp({ create: { width, height, channels: 3, background: { r: (width * 7) % 255, g: 110, b: (height * 3) % 255 } } });
  const bytes = format === 'png' ? await base.png().toBuffer() : await base.jpeg({ quality: 80 }).toBuffer();
  return { kind: 'image', id, mediaType: `image/${format}`, ext: format === 'png' ? 'png' : 'jpg', bytes: new Uint8Array(bytes), width, height };
}

/** Every fourth image is missing (a placeholder with a known size); the others are real. */
async function assetsFor(images: readonly ImageRef[]): Promise<AssetSet> {
  const assets: AssetSet = new Map();
  for (const [i, image] of images.entries()) {
    if (i % 4 === 3) assets.set(image.id, { kind: 'placeholder', id: image.id, reason: 'unreachable (test)', width: 800, height: 500 });
    else assets.set(image.id, await testImage(image.id, 600 + 17 * i, 380 + 11 * i, i % 2 === 0 ? 'jpeg' : 'png'));
  }
  return assets;
}

function parseMarkdown(markdown: string, name: string): Article {
  const file = new VFile({ path: `${name}.md`, value: markdown });
  return parseArticle(file, { name, path: `${name}.md` });
}

interface Built {
  file: string;
  bytes: Uint8Array;
  pages: number;
}

interface BuildOptions {
  config?: UserConfig;
  theme?: string;
}

let dir = '';
let browser: Browser;

async function build(article: Article, assets: AssetSet, name: string, options: BuildOptions = {}): Promise<Built> {
  // As the orchestrator does: the article's front-matter page settings merged into the configuration.
  const config = articleConfig(resolveConfig(options.config ?? {}), article.file.data.frontMatter, { file: article.file });
  const theme = loadTheme(options.theme ?? 'default');
  const html = renderDocument(article, assets, { target: 'print', theme, config });
  const printed = await printPdf(browser, { config, theme, article, html, assets });
  const file = path.join(dir, `${name}.pdf`);
  await writeFile(file, printed.bytes);
  return { file, ...printed };
}

// ---- The generated long article --------------------------------------------------------------

const CJK = [
  '中美两国元首在旧金山举行会晤，双方就事关中美关系的战略性、全局性、方向性问题以及事关世界和平与发展的重大问题坦诚深入地交换了意见。',
  '会晤前夕，两国发表关于加强合作应对气候危机的阳光之乡声明，宣布将重启双边气候工作组，并在甲烷、氮氧化物等领域开展具体合作。',
  '分析人士指出，恢复两军之间的高层沟通、防务政策协调会谈和海上军事安全磋商机制，有助于降低误判风险，使双边关系回到稳定发展的轨道。',
];
const LATIN = [
  'The two leaders held a candid and in-depth exchange of views on strategic and overarching issues critical to the direction of the relationship. ',
  'Officials on both sides described the meeting as constructive, while cautioning that the underlying disagreements over trade and technology remain unresolved. ',
];

/** A Markdown article with `notes` footnotes in long CJK and Latin paragraphs, headings and two figures. */
function longArticle(notes: number): string {
  const lines = ['---', 'title: 长文脚注测试：六十条注释的排版', 'author: 测试作者', 'publisher: 测试出版社', 'date: 2024-03-01', 'lang: zh-CN', 'keywords: [脚注, 排版]', '---', ''];
  const defs: string[] = [];
  let note = 0;
  let paragraph = 0;
  const mark = (): string => {
    note++;
    const tag = `R${String(note).padStart(3, '0')}`;
    const body =
      note % 5 === 0
        ? `N${String(note).padStart(3, '0')} 原文链接：https://www.example.org/archive/2023/11/15/${'summit-coverage-'.repeat(6)}${note}/index.html?ref=imprint&utm_source=test`
        : note % 7 === 0
          ? `N${String(note).padStart(3, '0')} ${LATIN[note % 2]}${CJK[note % 3]}${LATIN[(note + 1) % 2]}`
          : `N${String(note).padStart(3, '0')} 参见${CJK[note % 3]?.slice(0, 24)}。`;
    defs.push(`[^n${note}]: ${body}`);
    return `${tag}[^n${note}]`;
  };
  for (let section = 1; note < notes; section++) {
    lines.push(`## 第${section}节 HEAD${section}`, '');
    for (let p = 0; p < 3 && note < notes; p++, paragraph++) {
      const latin = paragraph % 3 === 2;
      const parts: string[] = [];
      for (let s = 0; s < 6; s++) {
        parts.push(latin ? (LATIN[(s + paragraph) % 2] as string) : (CJK[(s + paragraph) % 3] as string));
        if ((s === 1 || s === 4) && note < notes) parts.push(mark());
        if (s === 4 && paragraph % 4 === 1 && note < notes) parts.push(mark());
      }
      lines.push(parts.join(latin ? ' ' : ''), '');
    }
    if (section === 2) lines.push('![](https://img.example.org/figure-one.jpg)', '_FIGCAP1 会晤现场的图片说明，图片应与说明在同一页。图自测试通讯社_', '');
    if (section === 4) lines.push('![](https://img.example.org/figure-missing.jpg)', '_FIGCAP2 一张无法获取的图片，占位框保留说明与来源。图自测试通讯社_', '');
  }
  lines.push('**本文系测试稿件，未经授权，不得转载。**', '', ...defs, '');
  return lines.join('\n');
}

// ---- Reading PDFs ----------------------------------------------------------------------------

interface PdfStructure {
  lang: string | undefined;
  marked: boolean;
  structTree: boolean;
  outlines: { title: string; page: number }[];
  /** Internal links: page (1-based) and destination name. */
  links: { page: number; dest: string }[];
  /** Named destinations → page (1-based). */
  dests: Map<string, number>;
}

type Json = Record<string, unknown>;

async function pdfStructure(file: string): Promise<PdfStructure> {
  const json = JSON.parse(await tool('qpdf', ['--json=2', '--json-key=qpdf', '--json-key=pages', '--json-key=outlines', file])) as Json;
  const objects = (json['qpdf'] as [unknown, Record<string, { value: unknown }>])[1];
  const value = (ref: unknown): unknown => (typeof ref === 'string' && / R$/.test(ref) ? objects[`obj:${ref}`]?.value : ref);
  const pages = json['pages'] as { object: string; pageposfrom1: number }[];
  const pageOf = new Map(pages.map((p) => [p.object, p.pageposfrom1]));
  const trailer = objects['trailer']?.value as Json;
  const catalog = value(trailer['/Root']) as Json;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v.replace(/^u:/, '') : undefined);
  const dests = new Map<string, number>();
  const destDict = (value(catalog['/Dests']) ?? {}) as Json;
  for (const [name, dest] of Object.entries(destDict)) {
    const target = value(dest);
    const array = (Array.isArray(target) ? target : (value((target as Json)['/D']) as unknown[])) ?? [];
    const page = pageOf.get(String(array[0]));
    if (page) dests.set(name.replace(/^\//, ''), page);
  }
  const links: { page: number; dest: string }[] = [];
  for (const page of pages) {
    const annots = (value((value(page.object) as Json)['/Annots']) ?? []) as unknown[];
    for (const ref of annots) {
      const annot = value(ref) as Json;
      const dest = annot['/Dest'];
      if (annot['/Subtype'] === '/Link' && typeof dest === 'string') links.push({ page: page.pageposfrom1, dest: dest.replace(/^\//, '').replace(/^u:/, '') });
    }
  }
  const outlines: { title: string; page: number }[] = [];
  const walk = (items: { title: string; destpageposfrom1: number; kids: unknown[] }[]): void => {
    for (const item of items) {
      outlines.push({ title: item.title, page: item.destpageposfrom1 });
      walk(item.kids as typeof items);
    }
  };
  walk(json['outlines'] as Parameters<typeof walk>[0]);
  const mark = value(catalog['/MarkInfo']) as Json | undefined;
  return { lang: str(catalog['/Lang']), marked: mark?.['/Marked'] === true, structTree: catalog['/StructTreeRoot'] !== undefined, outlines, links, dests };
}

/** Text of each page (pdftotext -f N -l N -layout), index 0 = page 1. */
async function pageTexts(file: string, pages: number): Promise<string[]> {
  const texts: string[] = [];
  for (let n = 1; n <= pages; n++) texts.push(await tool('pdftotext', ['-f', String(n), '-l', String(n), '-layout', '-enc', 'UTF-8', file, '-']));
  return texts;
}

interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
  pageWidth: number;
  pageHeight: number;
}

/** Every word with its box in points (pdftotext -bbox). */
async function words(file: string): Promise<Word[]> {
  const html = await tool('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const out: Word[] = [];
  let page = 0;
  let size = { w: 0, h: 0 };
  for (const line of html.split('\n')) {
    const p = /<page width="([\d.]+)" height="([\d.]+)">/.exec(line);
    if (p) {
      page++;
      size = { w: Number(p[1]), h: Number(p[2]) };
      continue;
    }
    const w = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/.exec(line);
    if (w) out.push({ page, xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), text: w[5] ?? '', pageWidth: size.w, pageHeight: size.h });
  }
  return out;
}

async function pageBoxes(file: string): Promise<{ media: number[]; trim: number[]; bleed: number[] }> {
  const info = await tool('pdfinfo', ['-box', file]);
  const box = (name: string): number[] => (new RegExp(`^${name}:\\s+(.+)$`, 'm').exec(info)?.[1] ?? '').trim().split(/\s+/).map(Number);
  return { media: box('MediaBox'), trim: box('TrimBox'), bleed: box('BleedBox') };
}

const MM = 72 / 25.4;
const near = (actual: number, expected: number, tolerance: number, label: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} should be within ${tolerance} of ${expected}`);

/**
 * Checks every paragraph that runs over a page: at least two of its lines on each page. Returns how
 * many there were. Lines are read from word boxes: body text and headings (≥ 12.5 pt boxes; notes,
 * marks, running heads and folios are smaller); a paragraph starts with an indented line.
 */
async function paragraphSplits(pdf: Built): Promise<number> {
  const all = await words(pdf.file);
  const left = 16 * MM;
  interface Line { y: number; x: number; heading: boolean }
  const bodyLines = (page: number): Line[] => {
    const lines: Line[] = [];
    for (const w of all.filter((w) => w.page === page && w.yMax - w.yMin >= 12.5).sort((a, b) => a.yMax - b.yMax || a.xMin - b.xMin)) {
      const last = lines.at(-1);
      if (last && Math.abs(last.y - w.yMax) < 1.5) last.x = Math.min(last.x, w.xMin);
      else lines.push({ y: w.yMax, x: w.xMin, heading: w.yMax - w.yMin > 16 });
    }
    return lines;
  };
  const indented = (line: Line): boolean => line.x > left + 10;
  let splits = 0;
  // The last page is the colophon.
  for (let n = 2; n < pdf.pages; n++) {
    const lines = bodyLines(n);
    const first = lines[0];
    if (!first || first.heading || indented(first)) continue;
    // The page opens with the rest of a paragraph: count its lines here and on the page before.
    const gaps = lines.slice(1).map((l, i) => l.y - (lines[i] as Line).y);
    const pitch = gaps.length > 0 ? Math.min(...gaps) : Infinity;
    let tail = 1;
    for (; tail < lines.length; tail++) {
      const line = lines[tail] as Line;
      if (indented(line) || line.heading || line.y - (lines[tail - 1] as Line).y > pitch * 1.15) break;
    }
    const before = bodyLines(n - 1);
    const start = before.findLastIndex((l) => indented(l) || l.heading);
    const head = before.length - start - (before[start]?.heading ? 1 : 0);
    assert.ok(tail >= 2, `page ${n} opens with ${tail} line(s) of a paragraph (widow)`);
    assert.ok(head >= 2, `page ${n - 1} ends with ${head} line(s) of a paragraph (orphan)`);
    splits++;
  }
  return splits;
}

/** Page text without the spaces pdftotext puts between CJK glyphs of different runs. */
const squash = (text: string): string => text.replace(/\s+/g, '');

// ---- Tests -----------------------------------------------------------------------------------

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-pdf-'));
  browser = await openBrowser();
});
after(async () => {
  await closeBrowser(browser);
  if (process.env['IMPRINT_KEEP_TEST_OUTPUT']) process.stderr.write(`PDFs kept in ${dir}\n`);
  else await rm(dir, { recursive: true, force: true });
});

describe('the sample article as a print PDF', () => {
  let article: Article;
  let assets: AssetSet;
  let pdf: Built;
  let texts: string[];

  before(async () => {
    const file = await readArticle(sampleArticle, { displayPath: 'content/biden-xi-summit.md', maxInputBytes: 2 * 1024 * 1024 });
    article = parseArticle(file, { name: 'biden-xi-summit', path: 'content/biden-xi-summit.md' });
    assets = await assetsFor(article.images);
    pdf = await build(article, assets, 'sample');
    texts = await pageTexts(pdf.file, pdf.pages);
  });

  it('is A5 by default, with the configured margins (not Chromium’s)', async () => {
    const info = await pdfinfo(pdf.file);
    const size = /([\d.]+) x ([\d.]+) pts/.exec(info['Page size'] ?? '');
    assert.ok(size, info['Page size']);
    near(Number(size[1]), 148 * MM, 1.5, 'width');
    near(Number(size[2]), 210 * MM, 1.5, 'height');
    assert.equal(Number(info['Pages']), pdf.pages);
    // Body text starts at the 16 mm left margin and stays inside the right one.
    const body = (await words(pdf.file)).filter((w) => w.page === 2 && w.yMin > 25 * MM && w.yMax < 190 * MM);
    assert.ok(body.length > 20);
    near(Math.min(...body.map((w) => w.xMin)), 16 * MM, 2.5, 'left margin');
    assert.ok(Math.max(...body.map((w) => w.xMax)) <= 148 * MM - 16 * MM + 1, 'text inside the right margin');
  });

  it('embeds every font as a subset, with no Type 3 fonts; serif body, sans headings', async () => {
    const fonts = await pdffonts(pdf.file);
    assert.ok(fonts.length > 0);
    for (const font of fonts) {
      assert.ok(font.embedded, `${font.name} embedded`);
      assert.ok(font.subset, `${font.name} subset`);
      assert.doesNotMatch(font.type, /Type 3/, `${font.name} is not Type 3`);
    }
    const names = fonts.map((f) => f.name).join(' ');
    assert.match(names, /NotoSerifSC/, 'CJK serif for the text');
    assert.match(names, /NotoSansSC/, 'CJK sans for headings and captions');
    assert.match(names, /NotoSerif-Regular/, 'Latin runs in the Latin serif');
  });

  it('carries the article metadata, set by Imprint', async () => {
    const info = await pdfinfo(pdf.file);
    assert.equal(info['Title'], article.meta.title);
    assert.equal(info['Author'], '熊超然');
    assert.equal(info['Subject'], article.meta.description);
    assert.equal(info['Keywords'], '中美关系, 元首会晤, APEC');
    assert.equal(info['Creator'], 'Imprint');
    assert.match(info['Producer'] ?? '', /^Imprint \(Skia\/PDF m\d+\)$/);
    assert.match(info['CreationDate'] ?? '', /^2023-11-15T00:00:00/);
    assert.match(info['ModDate'] ?? '', /^2023-11-15T00:00:00/);
    assert.equal(info['Tagged'], 'yes');
    assert.equal(info['Metadata Stream'], 'yes');
  });

  it('is tagged, with /Lang from the article and bookmarks from the headings', async () => {
    const structure = await pdfStructure(pdf.file);
    assert.equal(structure.lang, 'zh-CN');
    assert.ok(structure.marked, '/MarkInfo /Marked true');
    assert.ok(structure.structTree, '/StructTreeRoot');
    assert.deepEqual(structure.outlines, [{ title: article.meta.title, page: 1 }]);
  });

  it('has no running head on the first page, the title on the others, and page numbers at the foot', () => {
    const firstLine = (text: string): string => text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
    const lastLine = (text: string): string => text.split('\n').filter((l) => l.trim() !== '').at(-1)?.trim() ?? '';
    assert.equal(firstLine(texts[0] ?? ''), article.meta.title.slice(0, firstLine(texts[0] ?? '').length), 'page 1 opens with the title');
    assert.ok(!(texts[0] ?? '').slice((texts[0] ?? '').indexOf(article.meta.title.slice(0, 6)) + 6).includes(article.meta.title.slice(0, 12)), 'page 1: no running head');
    const articlePages = pdf.pages - 1; // the last page is the colophon
    for (let n = 2; n <= articlePages; n++) assert.equal(squash(firstLine(texts[n - 1] ?? '')), squash(article.meta.title), `running head on page ${n}`);
    for (let n = 1; n <= articlePages; n++) assert.equal(lastLine(texts[n - 1] ?? ''), String(n), `page number on page ${n}`);
  });

  it('prints each note at the foot of the page that holds its mark', async () => {
    const structure = await pdfStructure(pdf.file);
    assert.ok(article.notes.length >= 4);
    for (const note of article.notes) {
      const markPage = structure.links.find((l) => l.dest === note.id)?.page;
      assert.ok(markPage, `mark of ${note.id} is a link`);
      assert.equal(structure.dests.get(note.id), markPage, `${note.id} on the page of its mark`);
      assert.equal(structure.dests.get(`noteref-${note.number}`), markPage);
      // The page's text has the note: its number at the start of a line, then its words.
      const text = texts[markPage - 1] ?? '';
      const start = squash(toString({ type: 'root', children: note.content })).slice(0, 10);
      assert.match(text, new RegExp(`^\\s*${note.number}\\s`, 'm'), `note ${note.number} numbered at a line start on page ${markPage}`);
      assert.ok(squash(text).includes(start), `note ${note.number} text ("${start}") on page ${markPage}`);
    }
  });

  it('keeps every figure image on the page of its caption, and a placeholder for a missing image', async () => {
    const list = (await tool('pdfimages', ['-list', pdf.file])).split('\n').slice(2).filter((l) => l.trim());
    const placed = list.map((l) => l.trim().split(/\s+/)).map((cols) => ({ page: Number(cols[0]), width: Number(cols[3]), height: Number(cols[4]) }));
    const pageOfText = (text: string): number[] => texts.flatMap((t, n) => (squash(t).includes(squash(text)) ? [n + 1] : []));
    let checked = 0;
    for (const figure of selectAll('figure', article.tree)) {
      const caption = select('figcaption .caption', figure);
      if (!caption) continue;
      const lastImage = selectAll('img', figure).at(-1);
      const asset = assets.get(String(lastImage?.properties['dataImageId'] ?? ''));
      // Two figures of the sample share a caption and differ in their credits: the key is the caption's end and the credit.
      const credit = select('figcaption .credit', figure);
      const words = squash(toString(caption)).slice(-10) + squash(credit ? toString(credit) : '');
      const captionPages = pageOfText(words);
      assert.equal(captionPages.length, 1, `caption "${words}" printed once`);
      if (asset?.kind === 'image') {
        const image = placed.find((p) => p.width === asset.width && p.height === asset.height);
        assert.ok(image, `${asset.id} (${asset.width}×${asset.height}) embedded at full resolution`);
        assert.equal(image.page, captionPages[0], `figure "${words}": image and caption on one page`);
        checked++;
      } else {
        assert.match(texts[(captionPages[0] ?? 0) - 1] ?? '', /图片无法获取/, `missing image of "${words}" is a placeholder on its caption's page`);
      }
    }
    assert.ok(checked >= 2, `${checked} figures checked`);
  });

  it('never leaves a single line of a paragraph at the top or foot of a page', async () => {
    await paragraphSplits(pdf);
  });

  it('builds byte-identical PDFs from the same input, dated with the article’s date', async () => {
    const again = await build(article, assets, 'sample-again');
    assert.ok(Buffer.from(again.bytes).equals(Buffer.from(pdf.bytes)), 'same bytes');
    const info = await pdfinfo(pdf.file);
    assert.match(info['CreationDate'] ?? '', /^2023-11-15T00:00:00/, 'the front matter’s date');
    assert.match(info['ModDate'] ?? '', /^2023-11-15T00:00:00/);
  });

  it('contains all of the article text', () => {
    const all = squash(texts.join(''));
    for (const node of selectAll('p, figcaption .caption', article.tree)) {
      const text = squash(toString(node));
      if (text.length < 10) continue;
      assert.ok(all.includes(text.slice(0, 20)) && all.includes(text.slice(-20)), `"${text.slice(0, 20)}…" printed`);
    }
  });
});

describe('a long article with 60 footnotes', () => {
  let article: Article;
  let assets: AssetSet;
  let pdf: Built;
  let texts: string[];

  before(async () => {
    article = parseMarkdown(longArticle(60), 'long');
    assets = new Map();
    const [one, missing] = article.images;
    assert.ok(one && missing);
    assets.set(one.id, await testImage(one.id, 1200, 800, 'jpeg'));
    assets.set(missing.id, { kind: 'placeholder', id: missing.id, reason: 'unreachable (test)', width: 900, height: 600 });
    pdf = await build(article, assets, 'long');
    texts = await pageTexts(pdf.file, pdf.pages);
  });

  it('has 60 footnotes and several pages', () => {
    assert.equal(article.notes.filter((n) => n.kind === 'footnote').length, 60);
    assert.ok(pdf.pages >= 8, `${pdf.pages} pages`);
  });

  it('prints every note on the page of its mark (pdftotext page by page)', () => {
    const seen = new Set<string>();
    texts.forEach((text, i) => {
      const marks = new Set(text.match(/R\d{3}/g) ?? []);
      const notes = new Set((text.match(/N\d{3}/g) ?? []).map((n) => `R${n.slice(1)}`));
      assert.deepEqual([...notes].sort(), [...marks].sort(), `page ${i + 1}: notes match marks`);
      for (const m of marks) seen.add(m);
    });
    assert.equal(seen.size, 60, 'all 60 marks printed');
  });

  it('puts each note below a short rule at the foot of the page, numbered like its mark', async () => {
    const structure = await pdfStructure(pdf.file);
    const all = await words(pdf.file);
    for (const note of article.notes) {
      const page = structure.dests.get(note.id);
      assert.equal(page, structure.links.find((l) => l.dest === note.id)?.page, `${note.id} on the page of its mark`);
      assert.equal(structure.dests.get(`noteref-${note.number}`), page);
    }
    // Each N### token is below every R### token of its page.
    for (let n = 1; n <= pdf.pages; n++) {
      const onPage = all.filter((w) => w.page === n);
      const marks = onPage.filter((w) => /R\d{3}/.test(w.text));
      const notes = onPage.filter((w) => /^N\d{3}/.test(w.text));
      if (marks.length === 0) continue;
      assert.ok(Math.min(...notes.map((w) => w.yMin)) > Math.max(...marks.map((w) => w.yMax)), `page ${n}: notes below the text`);
    }
  });

  it('leaves at least two lines of a split paragraph on each page (widows and orphans)', async () => {
    assert.ok((await paragraphSplits(pdf)) >= 3, 'several paragraphs split across pages');
  });

  it('wraps long URLs in notes inside the margins', async () => {
    const all = await words(pdf.file);
    const right = 148 * MM - 16 * MM + 1;
    for (const w of all) assert.ok(w.xMax <= right, `"${w.text.slice(0, 30)}" on page ${w.page} ends at ${w.xMax} > ${right}`);
    assert.ok(texts.some((t) => t.includes('https://www.example.org/archive')), 'URLs printed');
  });

  it('never ends a page with a heading', () => {
    for (const [i, text] of texts.entries()) {
      const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      lines.forEach((line, k) => {
        if (!/HEAD\d+/.test(line)) return;
        const following = lines[k + 1] ?? '';
        assert.ok(following !== '' && !/^N\d{3}/.test(following.replace(/^\d+\s+/, '')) && !/^\d+$/.test(following), `page ${i + 1}: heading "${line}" followed by text`);
      });
    }
  });

  it('keeps the figure image on its caption’s page; the missing image keeps caption and note', async () => {
    const list = (await tool('pdfimages', ['-list', pdf.file])).split('\n').slice(2).filter((l) => l.trim());
    const image = list.map((l) => l.trim().split(/\s+/)).find((c) => c[3] === '1200' && c[4] === '800');
    assert.ok(image, 'the figure image is embedded at full resolution');
    const captionPage = texts.findIndex((t) => t.includes('FIGCAP1')) + 1;
    assert.equal(Number(image[0]), captionPage);
    const missingPage = texts.findIndex((t) => t.includes('FIGCAP2')) + 1;
    assert.ok(missingPage > 0);
    assert.match(texts[missingPage - 1] ?? '', /图片无法获取/);
    assert.match(texts[missingPage - 1] ?? '', /图自测试通讯社/);
  });

  it('lists the headings as bookmarks', async () => {
    const structure = await pdfStructure(pdf.file);
    const titles = structure.outlines.map((o) => o.title);
    assert.equal(titles[0], article.meta.title);
    for (const heading of article.headings) assert.ok(titles.includes(heading.text), `bookmark "${heading.text}"`);
    for (const outline of structure.outlines.slice(1)) {
      assert.ok(squash(texts[outline.page - 1] ?? '').includes(squash(outline.title)), `bookmark "${outline.title}" points at its page`);
    }
  });
});

describe('notes longer than a page', () => {
  it('continue at the foot of the next pages, without losing a word', async () => {
    const note = '这是一条非常长的注释，它比一页还长。'.repeat(400);
    const article = parseMarkdown(`---\ntitle: 长注\nlang: zh-CN\n---\n\n正文第一段[^1]。\n\n正文第二段[^2]。\n\n[^1]: ${note}\n[^2]: 第二条注释 SECONDNOTE。\n`, 'long-note');
    const pdf = await build(article, new Map(), 'long-note');
    const texts = await pageTexts(pdf.file, pdf.pages);
    const all = squash(texts.join(''));
    // '它' occurs once in each sentence of the note and nowhere else (a sentence may run over a page).
    assert.equal(all.split('它').length - 1, 400, 'every sentence of the long note is printed');
    assert.ok(pdf.pages >= 4, `${pdf.pages} pages`);
    assert.deepEqual(
      article.file.messages.filter((m) => m.ruleId === 'pdf-page-overflow').map(String),
      [],
      'no page is clipped',
    );
    const first = texts.findIndex((t) => t.includes('正文第一段'));
    assert.ok(squash(texts[first] ?? '').includes('这是一条非常长的注释'), 'the note starts on the page of its mark');
    assert.ok(texts.some((t) => t.includes('SECONDNOTE')), 'the next note follows');
  });
});

describe('lists, tables, code and quotes across pages', () => {
  let texts: string[] = [];
  before(async () => {
    const lines = ['---', 'title: Structures across pages', 'lang: en', '---', '', `Opening words.[^a] ${'Filler text for the opening page. '.repeat(40)}`, ''];
    for (let i = 1; i <= 40; i++) lines.push(`${i}. Item LI${String(i).padStart(2, '0')} with enough words to make the item a little longer than one line in the column.`);
    lines.push('', '| Col A | Col B | Col C |', '|---|---|---|');
    for (let i = 1; i <= 60; i++) lines.push(`| TR${String(i).padStart(2, '0')} a | cell ${i} b with more words | cell c ${i} |`);
    lines.push('', '```');
    for (let i = 1; i <= 80; i++) lines.push(`CODE${String(i).padStart(2, '0')} const value = compute(${i}); // a comment long enough to wrap, maybe`);
    lines.push('```', '', `> ${'Quoted text inside a blockquote that runs for a while. '.repeat(40)}QEND`, '', '[^a]: Note A.', '');
    const pdf = await build(parseMarkdown(lines.join('\n'), 'structures'), new Map(), 'structures');
    texts = await pageTexts(pdf.file, pdf.pages);
  });

  it('prints every list item, table row and code line once', () => {
    const all = texts.join('\n');
    for (const [prefix, count] of [['LI', 40], ['TR', 60], ['CODE', 80]] as const) {
      for (let i = 1; i <= count; i++) {
        const token = `${prefix}${String(i).padStart(2, '0')}`;
        assert.equal(all.split(new RegExp(`\\b${token}\\b`)).length - 1, 1, `${token} printed once`);
      }
    }
    assert.match(all, /QEND/);
  });

  it('keeps numbering a list where it continues on the next page', () => {
    const numbered = [...texts.join('\n').matchAll(/^\s*(\d+)\.\s+Item LI(\d+)/gm)];
    assert.equal(numbered.length, 40);
    for (const m of numbered) assert.equal(Number(m[1]), Number(m[2]), `item LI${m[2]} numbered ${m[1]}`);
    assert.ok(texts.filter((t) => /Item LI/.test(t)).length >= 2, 'the list runs over a page');
  });

  it('repeats the table header on every page the table runs over', () => {
    const tablePages = texts.filter((t) => /\bTR\d\d\b/.test(t));
    assert.ok(tablePages.length >= 2, 'the table runs over a page');
    for (const t of tablePages) assert.match(t, /Col A\s+Col B\s+Col C/);
  });
});

describe('page geometry from configuration and front matter', () => {
  const small = (front: string): Article =>
    parseMarkdown(`---\ntitle: Geometry\nlang: en\n${front}---\n\nSome text for the page.[^1]\n\n## A heading\n\nMore text.\n\n[^1]: A note.\n`, 'geometry');

  it('sets the running head in the embedded web fonts, even for characters the text does not use', async () => {
    const article = parseMarkdown(
      `---\ntitle: 麒麟骐骥驰骋\npublisher: 鸾凤出版\nlang: zh-CN\n---\n\n${'这是正文，用来填满页面。'.repeat(120)}\n\n${'第二段文字继续填满页面。'.repeat(120)}\n`,
      'rare-title',
    );
    for (const theme of ['default', 'classic']) {
      const pdf = await build(article, new Map(), `rare-title-${theme}`, { theme });
      const texts = await pageTexts(pdf.file, pdf.pages);
      assert.ok(pdf.pages >= 3);
      assert.ok(squash(texts[1] ?? '').includes('鸾凤出版') || squash(texts[1] ?? '').includes('麒麟骐骥驰骋'), `${theme}: running head on page 2`);
      assert.ok(squash(texts[2] ?? '').includes('麒麟骐骥驰骋'), `${theme}: running head on page 3`);
      for (const font of await pdffonts(pdf.file)) assert.match(font.name, /\+Noto(Serif|Sans)/, `${theme}: ${font.name} is one of Imprint's fonts`);
    }
  });

  it('prints A4, Letter, B5 and custom sizes from the configuration', async () => {
    const cases: [UserConfig['page'], number, number][] = [
      [{ size: 'A4' }, 210 * MM, 297 * MM],
      [{ size: 'Letter' }, 8.5 * 72, 11 * 72],
      [{ size: 'B5' }, 176 * MM, 250 * MM],
      [{ size: { width: '120mm', height: '180mm' }, margin: { top: '12mm', right: '10mm', bottom: '12mm', left: '10mm' } }, 120 * MM, 180 * MM],
    ];
    for (const [page, width, height] of cases) {
      const pdf = await build(small(''), new Map(), `size-${width.toFixed(0)}`, { config: { page } });
      const { media } = await pageBoxes(pdf.file);
      near(media[2] ?? 0, width, 1.5, `${JSON.stringify(page)} width`);
      near(media[3] ?? 0, height, 1.5, `${JSON.stringify(page)} height`);
    }
  });

  it('takes the page size from front matter', async () => {
    const pdf = await build(small('pageSize: A4\n'), new Map(), 'front-a4');
    const { media } = await pageBoxes(pdf.file);
    near(media[2] ?? 0, 210 * MM, 1.5, 'width');
    near(media[3] ?? 0, 297 * MM, 1.5, 'height');
  });

  it('prints the configured size when the front matter asks for one it does not know, and says so', async () => {
    const article = small('pageSize: Tabloid\n');
    const pdf = await build(article, new Map(), 'front-bad');
    const { media } = await pageBoxes(pdf.file);
    near(media[2] ?? 0, 148 * MM, 1.5, 'A5 width');
    assert.equal(article.file.messages.filter((m) => m.ruleId === 'front-matter-config').length, 1);
  });

  it('prints any title in the running head, quotes and markup included', async () => {
    const title = 'A "quoted" </style> title & more';
    // German, whose quotes Imprint leaves as typed (an English title would get curly quotes), so the
    // straight quotes reach the running head's CSS string.
    const article = parseMarkdown(`---\ntitle: '${title}'\nlang: de\n---\n\n${'Some words to fill the page. '.repeat(300)}\n`, 'odd-title');
    const pdf = await build(article, new Map(), 'odd-title');
    const texts = await pageTexts(pdf.file, pdf.pages);
    assert.ok(pdf.pages >= 2);
    assert.equal(texts[1]?.split('\n')[0]?.trim(), title);
  });

  it('leaves the dates out when neither the article nor SOURCE_DATE_EPOCH gives one (never the clock)', async () => {
    const first = await build(small(''), new Map(), 'undated-1');
    const second = await build(small(''), new Map(), 'undated-2');
    assert.ok(Buffer.from(first.bytes).equals(Buffer.from(second.bytes)), 'same bytes');
    const info = await pdfinfo(first.file);
    assert.equal(info['CreationDate'], undefined);
    assert.equal(info['ModDate'], undefined);
  });

  it('adds bleed around the trim box', async () => {
    const pdf = await build(small(''), new Map(), 'bleed', { config: { page: { size: 'A5', bleed: '3mm' } } });
    const { media, trim, bleed } = await pageBoxes(pdf.file);
    near(media[2] ?? 0, 154 * MM, 1.5, 'sheet width');
    near(media[3] ?? 0, 216 * MM, 1.5, 'sheet height');
    near((trim[2] ?? 0) - (trim[0] ?? 0), 148 * MM, 0.01, 'trim width');
    near((trim[3] ?? 0) - (trim[1] ?? 0), 210 * MM, 0.01, 'trim height');
    near(trim[0] ?? 0, 3 * MM, 0.5, 'trim inset');
    near((bleed[2] ?? 0) - (bleed[0] ?? 0), 154 * MM, 1, 'bleed box width');
    near(bleed[0] ?? 0, 0, 0.5, 'bleed box at the sheet edge');
  });
});

describe('cover, colophon and themes', () => {
  let article: Article;
  before(async () => {
    const file = await readArticle(sampleArticle, { displayPath: 'content/biden-xi-summit.md', maxInputBytes: 2 * 1024 * 1024 });
    article = parseArticle(file, { name: 'biden-xi-summit', path: 'content/biden-xi-summit.md' });
  });

  it('prints a cover with title, author, publisher and date, and a colophon with rights and source', async () => {
    const pdf = await build(article, new Map(), 'cover', { config: { page: { cover: true } } });
    const texts = await pageTexts(pdf.file, pdf.pages);
    const cover = squash(texts[0] ?? '');
    assert.ok(cover.includes(squash(article.meta.title)), 'title on the cover');
    assert.ok(cover.includes('熊超然') && cover.includes('观察者网') && cover.includes('2023年11月15日'), cover);
    assert.doesNotMatch(texts[0] ?? '', /^\s*\d+\s*$/m, 'no page number on the cover');
    const folio = (text: string): string => text.split('\n').filter((l) => l.trim() !== '').at(-1)?.trim() ?? '';
    assert.equal(folio(texts[1] ?? ''), '1', 'the article starts on page 1: the cover is not counted');
    assert.equal(folio(texts[2] ?? ''), '2');
    const colophon = squash(texts.at(-1) ?? '');
    assert.ok(colophon.includes(squash(article.meta.rights ?? '本文系观察者网独家稿件')), 'rights statement in the colophon');
    if (article.meta.source) assert.ok(colophon.includes(squash(article.meta.source)), 'source in the colophon');
    const structure = await pdfStructure(pdf.file);
    assert.deepEqual(structure.outlines.map((o) => o.page), [2], 'the article starts after the cover');
  });

  it('leaves the colophon out when page.colophon is false', async () => {
    const plain = await build(article, new Map(), 'no-colophon', { config: { page: { colophon: false } } });
    const texts = await pageTexts(plain.file, plain.pages);
    assert.doesNotMatch(texts.at(-1) ?? '', /Imprint/);
  });

  it('swaps themes: the classic theme prints a visibly different book', async () => {
    const classic = await build(article, new Map(), 'classic', { theme: 'classic' });
    const standard = await build(article, new Map(), 'standard');
    const fonts = (await pdffonts(classic.file)).map((f) => f.name).join(' ');
    assert.doesNotMatch(fonts, /NotoSansSC/, 'classic sets headings and captions in the serif');
    assert.match((await pdffonts(standard.file)).map((f) => f.name).join(' '), /NotoSansSC/);
    const classicTexts = await pageTexts(classic.file, classic.pages);
    // Classic running head: the publication on left-hand pages, the title on right-hand ones, page numbers at the top.
    assert.ok(squash(classicTexts[1] ?? '').startsWith(`2${squash(article.meta.publisher ?? '')}`), classicTexts[1]?.slice(0, 200));
    assert.ok(squash(classicTexts[2] ?? '').startsWith(squash(article.meta.title)), classicTexts[2]?.slice(0, 200));
  });
});
