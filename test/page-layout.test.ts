/**
 * The page layout of the PDF, measured on real pages: no holes (the longest blank run of every page
 * but the article's last is at most a tenth of the text block, read from the rendered page), page
 * floats that keep their order and never move backwards, figure groups on one page in the positions
 * their captions name, table and list keeps, headings kept with their lines, note numbers of any
 * width, and a document that runs out of time failing with Imprint's message and no outputs.
 * See docs/page-layout.md for the rules.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
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
import { DocumentError } from '../src/errors.js';
import type { Article, AssetSet, ImageAsset } from '../src/model.js';
import { renderDocument } from '../src/html/document.js';
import { parseArticle } from '../src/parse/article.js';
import { publish } from '../src/publish.js';
import { printPdf } from '../src/stages/print-pdf.js';
import { cutLongTextNodes, TEXT_CHUNK } from '../src/pdf/text-chunks.js';
import { loadTheme } from '../src/theme/theme.js';
import { inkRuns, pageInk } from './helpers/page-ink.js';
import { fixturesDir, sampleArticle } from './helpers/paths.js';
import { pageTexts, placedImages, squash, words, type Box, type Word } from './helpers/pdf-layout.js';

let dir = '';
let browser: Browser;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-layout-'));
  browser = await openBrowser();
});
after(async () => {
  await closeBrowser(browser);
  if (process.env['IMPRINT_KEEP_TEST_OUTPUT']) process.stderr.write(`PDFs kept in ${dir}\n`);
  else await rm(dir, { recursive: true, force: true });
});

// ---- Building ------------------------------------------------------------------------------

async function image(id: string, width: number, height: number): Promise<ImageAsset> {
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r: (width * 7) % 255, g: 110, b: (height * 3) % 255 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return { kind: 'image', id, mediaType: 'image/jpeg', ext: 'jpg', bytes: new Uint8Array(bytes), width, height };
}

/** Images as their URLs say (…?size=1200x800); a URL with "missing" in it is a placeholder of that size. */
async function assetsFromUrls(article: Article): Promise<AssetSet> {
  const assets: AssetSet = new Map();
  for (const ref of article.images) {
    const size = /size=(\d+)x(\d+)/.exec(ref.url);
    const width = Number(size?.[1] ?? 800);
    const height = Number(size?.[2] ?? 500);
    if (ref.url.includes('missing')) assets.set(ref.id, { kind: 'placeholder', id: ref.id, reason: 'unreachable (test)', width, height });
    else assets.set(ref.id, await image(ref.id, width, height));
  }
  return assets;
}

/** The sample's images as the PDF tests have them: real images of several sizes, every fourth missing. */
async function sampleAssets(article: Article): Promise<AssetSet> {
  const assets: AssetSet = new Map();
  for (const [i, ref] of article.images.entries()) {
    if (i % 4 === 3) assets.set(ref.id, { kind: 'placeholder', id: ref.id, reason: 'unreachable (test)', width: 800, height: 500 });
    else assets.set(ref.id, await image(ref.id, 600 + 17 * i, 380 + 11 * i));
  }
  return assets;
}

/** Every image missing with no size known (the sample published offline). */
function offlineAssets(article: Article): AssetSet {
  return new Map(article.images.map((ref) => [ref.id, { kind: 'placeholder', id: ref.id, reason: 'not in the cache (offline)' }]));
}

function parse(markdown: string, name: string): Article {
  return parseArticle(new VFile({ path: `${name}.md`, value: markdown }), { name, path: `${name}.md` });
}

interface Built {
  file: string;
  pages: number;
}

async function build(article: Article, assets: AssetSet, name: string, options: { config?: UserConfig; theme?: string } = {}): Promise<Built> {
  const config = articleConfig(resolveConfig(options.config ?? {}), article.file.data.frontMatter, { file: article.file });
  const theme = loadTheme(options.theme ?? 'default');
  const html = renderDocument(article, assets, { target: 'print', theme, config });
  const printed = await printPdf(browser, { config, theme, article, html, assets });
  const file = path.join(dir, `${name}.pdf`);
  await writeFile(file, printed.bytes);
  return { file, pages: printed.pages };
}

// ---- Checks --------------------------------------------------------------------------------

/**
 * The rule for holes: on every page of the article but its last, no blank run inside the text block
 * is taller than a tenth of the text block. The last page of the PDF is the colophon.
 */
async function assertNoHoles(pdf: Built, label: string): Promise<number[]> {
  const pages = await pageInk(pdf.file);
  const articlePages = pages.slice(0, -1);
  assert.ok(articlePages.length >= 2, `${label}: ${articlePages.length} article pages`);
  const blanks = articlePages.map((p) => Math.round((1000 * p.longestBlank) / p.height) / 10);
  for (const page of articlePages.slice(0, -1)) {
    assert.ok(
      page.longestBlank <= 0.1 * page.height,
      `${label}, page ${page.page}: a blank run of ${page.longestBlank} pt from ${page.longestBlankAt} pt (${((100 * page.longestBlank) / page.height).toFixed(1)} % of the text block; all pages: ${blanks.join(' ')})`,
    );
  }
  return blanks;
}

const find = (all: readonly Word[], pattern: RegExp): Word[] => all.filter((w) => pattern.test(w.text));
const first = (all: readonly Word[], pattern: RegExp, label: string): Word => {
  const found = find(all, pattern)[0];
  assert.ok(found, `${label} printed`);
  return found;
};
/** a is before b in reading order (an earlier page, or higher on the same page). */
const before_ = (a: Box, b: Box): boolean => a.page < b.page || (a.page === b.page && a.yMin < b.yMin);
const overlap = (a: Box, b: Box): boolean => a.page === b.page && a.xMin < b.xMax - 0.3 && b.xMin < a.xMax - 0.3 && a.yMin < b.yMax - 0.3 && b.yMin < a.yMax - 0.3;

// ---- The sample ----------------------------------------------------------------------------

describe('the sample’s pages have no holes', () => {
  let article: Article;
  before(async () => {
    article = parseArticle(new VFile({ path: 'content/biden-xi-summit.md', value: await readFile(sampleArticle, 'utf8') }), {
      name: 'biden-xi-summit',
      path: 'content/biden-xi-summit.md',
    });
  });

  it('with its images (every fourth missing)', async () => {
    await assertNoHoles(await build(article, await sampleAssets(article), 'sample'), 'sample');
  });

  it('offline, every image a placeholder of unknown size', async () => {
    await assertNoHoles(await build(article, offlineAssets(article), 'sample-offline'), 'sample offline');
  });
});

// ---- The figure-heavy fixture ----------------------------------------------------------------

describe('a figure-heavy article (test/fixtures/page-layout/figures.md)', () => {
  let article: Article;
  let pdf: Built;
  let all: Word[];
  let texts: string[];
  let images: Awaited<ReturnType<typeof placedImages>>;

  before(async () => {
    article = parse(await readFile(path.join(fixturesDir, 'page-layout', 'figures.md'), 'utf8'), 'figures');
    pdf = await build(article, await assetsFromUrls(article), 'figures');
    all = await words(pdf.file);
    texts = await pageTexts(pdf.file, pdf.pages);
    images = await placedImages(pdf.file);
  });

  it('has no holes, in both themes', async () => {
    await assertNoHoles(pdf, 'figures');
    await assertNoHoles(await build(article, await assetsFromUrls(article), 'figures-classic', { theme: 'classic' }), 'figures, classic theme');
  });

  it('keeps the figures in their order, each on or after the page of its place in the text, below the text before it', () => {
    const figures = selectAll('figure', article.tree).length;
    assert.equal(figures, 10);
    let previous: Word | undefined;
    for (let n = 1; n <= figures; n++) {
      const id = String(n).padStart(2, '0');
      const caption = first(all, new RegExp(`^FIG${id}`), `caption FIG${id}`);
      const anchor = first(all, new RegExp(`ANCHOR${id}`), `ANCHOR${id}`);
      assert.ok(before_(anchor, caption), `FIG${id} (page ${caption.page}) comes after the text before it (page ${anchor.page})`);
      if (previous) assert.ok(before_(previous, caption), `FIG${id} (page ${caption.page}) comes after the figure before it (page ${previous.page})`);
      previous = caption;
    }
    const rights = first(all, /^本文系测试稿件/, 'the rights notice');
    assert.ok(previous && before_(previous, rights), 'the last figure comes before the rights notice that ends the article');
  });

  it('tags a paragraph that a float at the top of a page interrupts as one paragraph', () => {
    const problems = article.file.messages.filter((m) => m.ruleId === 'pdf-tags').map(String);
    assert.deepEqual(problems, [], 'the accessibility structure is built as planned');
  });

  it('prints every image of a figure on its caption’s page, above the caption, with the caption’s credit', () => {
    for (const figure of selectAll('figure', article.tree)) {
      const caption = toString(select('figcaption .caption', figure) ?? figure).trim();
      const credit = toString(select('figcaption .credit', figure) ?? figure).trim();
      const token = /^FIG\d\d/.exec(caption)?.[0] ?? '';
      const word = first(all, new RegExp(`^${token}`), token);
      assert.ok(squash(texts[word.page - 1] ?? '').includes(squash(`${caption}${credit}`)), `${token}: caption and credit together on page ${word.page}`);
      for (const img of selectAll('img', figure)) {
        const size = /size=(\d+)x(\d+)/.exec(String(img.properties['src']));
        if (String(img.properties['src']).includes('missing')) continue;
        const placed = images.find((p) => p.width === Number(size?.[1]) && p.height === Number(size?.[2]));
        assert.ok(placed, `${token}: image ${size?.[0]} printed`);
        assert.equal(placed.page, word.page, `${token}: image ${size?.[0]} on the caption's page`);
        assert.ok(placed.yMax <= word.yMin + 1, `${token}: image ${size?.[0]} above its caption`);
      }
    }
  });

  it('sets each figure group on one page, in the positions its caption names', () => {
    const at = (w: number, h: number): Box => {
      const placed = images.find((p) => p.width === w && p.height === h);
      assert.ok(placed, `image ${w}×${h} printed`);
      return placed;
    };
    const sideBySide = (a: Box, b: Box, label: string): void => {
      assert.equal(a.page, b.page, `${label}: one page`);
      assert.ok(a.xMax <= b.xMin, `${label}: the first image left of the second (${a.xMax} ≤ ${b.xMin})`);
      assert.ok(Math.abs(a.yMax - b.yMax) < 2, `${label}: on one line (bottoms ${a.yMax}, ${b.yMax})`);
    };
    // 左：…；右：… — two portraits side by side.
    sideBySide(at(600, 800), at(620, 820), 'FIG05 (左/右)');
    // Two landscape images that stay readable side by side.
    sideBySide(at(1000, 667), at(1100, 700), 'FIG04 (a landscape pair)');
    // 上：…；下：… — one above the other, although both are landscape.
    const top = at(1200, 700);
    const bottom = at(1200, 720);
    assert.equal(top.page, bottom.page, 'FIG07 (上/下): one page');
    assert.ok(top.yMax <= bottom.yMin, 'FIG07 (上/下): the first image above the second');
    // Three images too tall to stack on a page: in rows, on one page, none scaled below a quarter of the width.
    const three = [at(900, 600), at(700, 1000)];
    assert.equal(three[0]?.page, three[1]?.page, 'FIG09: one page');
    for (const img of three) assert.ok(img.xMax - img.xMin >= 0.25 * (148 - 32) * (72 / 25.4), `FIG09: an image ${(img.xMax - img.xMin).toFixed(0)} pt wide`);
  });

  it('keeps a short table whole, and repeats a split table’s header with two rows or more on each page', () => {
    const short = texts.flatMap((t, i) => (/TA0\d/.test(t) ? [i + 1] : []));
    assert.equal(short.length, 1, `the four-row table on one page (pages ${short.join(', ')})`);
    assert.match(texts[(short[0] ?? 1) - 1] ?? '', /TA01[\s\S]*TA04/);
    const pages = texts.flatMap((t, i) => (/TB\d\d/.test(t) ? [i] : []));
    assert.ok(pages.length >= 2, 'the thirty-row table runs over pages');
    const seen: number[] = [];
    for (const i of pages) {
      const text = texts[i] ?? '';
      const rows = [...text.matchAll(/TB(\d\d)/g)].map((m) => Number(m[1]));
      assert.match(text, /领域\s+具体内容\s+牵头部门/, `page ${i + 1}: the header row`);
      assert.ok(rows.length >= 2, `page ${i + 1}: ${rows.length} row(s) of the table`);
      seen.push(...rows);
    }
    assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => i + 1), 'every row once, in order');
  });

  it('never leaves one item of a list alone on a page', () => {
    for (const prefix of ['LA', 'TK']) {
      const pages = texts.map((t) => (t.match(new RegExp(`\\b${prefix}\\d\\d\\b`, 'g')) ?? []).length).filter((n) => n > 0);
      assert.ok(pages.length >= 1);
      for (const count of pages) assert.ok(count >= 2, `a page holds ${count} item of the ${prefix} list (items per page: ${pages.join(', ')})`);
    }
  });

  it('shows a checkbox and no bullet before each task-list item', async () => {
    const left = 16 * (72 / 25.4);
    for (let n = 1; n <= 5; n++) {
      const item = first(all, new RegExp(`^TK0${n}`), `TK0${n}`);
      const line = all.filter((w) => w.page === item.page && Math.abs(w.yMin - item.yMin) < 2 && w.xMax <= item.xMin);
      assert.deepEqual(line.map((w) => w.text), [], `TK0${n}: no text before the item`);
      // Between the text block's left edge and the item's first word: one mark, a box about as wide as it is high.
      const marks = await inkRuns(pdf.file, item.page, { xMin: left - 1, yMin: item.yMin, xMax: item.xMin - 0.5, yMax: item.yMax });
      assert.equal(marks.length, 1, `TK0${n}: one mark before the item (ink at ${JSON.stringify(marks)})`);
      const box = marks[0] as { xMin: number; xMax: number };
      assert.ok(box.xMax - box.xMin >= 5 && box.xMax - box.xMin <= 14, `TK0${n}: the mark is a checkbox (${box.xMax - box.xMin} pt wide)`);
    }
  });

  it('keeps every heading with at least two lines after it', () => {
    for (let n = 1; n <= 5; n++) {
      const heading = first(all, new RegExp(`^HEAD${n}`), `HEAD${n}`);
      const lines = new Set(
        all
          .filter((w) => w.page === heading.page && w.yMin > heading.yMax && w.yMax - w.yMin >= 12.5)
          .map((w) => Math.round(w.yMax)),
      );
      assert.ok(lines.size >= 2, `HEAD${n} on page ${heading.page}: ${lines.size} line(s) after it on its page`);
    }
  });
});

// ---- Keeps ------------------------------------------------------------------------------------

/**
 * One article of a sweep: a paragraph of `lines` lines, then a list, a heading followed directly by
 * a list, a long table and a short one, each a page or so after the one before. From one article
 * of the sweep to the next everything moves down a line, so over the sweep each of them meets the
 * foot of a page at every height.
 */
function sweepArticle(lines: number): string {
  const text = '中美两国元首在旧金山举行会晤，双方就事关中美关系的战略性、全局性问题坦诚深入地交换了意见。会晤前夕，两国发表关于加强合作应对气候危机的声明。';
  const paragraph = (n: number): string => text.repeat(Math.ceil((n * 32) / text.length)).slice(0, Math.max(12, n * 32 - 6)) + '。';
  const list = (id: string): string[] => [1, 2, 3, 4].map((i) => `- ${id}-${i} 分析人士指出，恢复两军之间的高层沟通。`);
  const table = (id: string, rows: number): string[] => ['| 编号 | 内容 |', '|---|---|', ...Array.from({ length: rows }, (_, r) => `| ${id}-${String(r + 1).padStart(2, '0')} | 与会的企业代表表示，稳定的经贸关系至关重要。 |`)];
  return [
    '---', 'title: 分页规则', 'lang: zh-CN', '---', '',
    paragraph(lines), '', ...list('LA'), '',
    paragraph(20), '', '## HEADX 一个标题', '', ...list('LB'), '',
    paragraph(16), '', ...table('TL', 20), '',
    paragraph(12), '', ...table('TS', 4), '',
    paragraph(14), '',
  ].join('\n');
}

describe('long text nodes in the print page', () => {
  it('are cut into short ones that set the same lines, between ideographs or after spaces', async () => {
    const page = await browser.newPage();
    try {
      const chinese = '中美两国元首在旧金山举行会晤，双方就事关中美关系的战略性、全局性问题坦诚深入地交换了意见。'.repeat(120);
      const latin = 'The footnote keeps its place at the foot of the page where its mark stands. '.repeat(60);
      await page.setContent(`<body style="width:420px;text-align:justify"><p id="zh">${chinese}</p><p id="en">${latin}</p></body>`);
      const measure = () =>
        page.evaluate(() =>
          ['zh', 'en'].map((id) => {
            const p = document.getElementById(id) as HTMLElement;
            const lengths = Array.from(p.childNodes).map((node) => (node.textContent ?? '').length);
            return { text: p.textContent, height: p.getBoundingClientRect().height, nodes: lengths.length, longest: Math.max(...lengths) };
          }),
        );
      const before = await measure();
      const cuts = await page.evaluate(cutLongTextNodes, { chunk: TEXT_CHUNK });
      const after = await measure();
      assert.ok(cuts > 0, 'long nodes were cut');
      for (const [i, b] of before.entries()) {
        const a = after[i];
        assert.ok(b.longest > 2 * TEXT_CHUNK, 'the paragraph was one long node');
        assert.equal(a?.text, b.text, 'the text is unchanged');
        assert.equal(a?.height, b.height, 'it sets the same number of lines');
        assert.ok((a?.longest ?? Infinity) <= 2 * TEXT_CHUNK, `no node longer than ${2 * TEXT_CHUNK} characters (longest ${a?.longest})`);
      }
    } finally {
      await page.close();
    }
  });
});

/**
 * A heading followed directly by two figures and a second heading, the first heading moved down a
 * few lines at a time until it meets the foot of page 1 at every height.
 */
function headingBeforeFigures(lines: number): string {
  const text = '中美两国元首在旧金山举行会晤，双方就事关中美关系的战略性、全局性问题坦诚深入地交换了意见。';
  const paragraph = (n: number): string => text.repeat(Math.ceil((n * 32) / text.length)).slice(0, Math.max(12, n * 32 - 6)) + '。';
  return [
    '---', 'title: 标题与插图', 'lang: zh-CN', '---', '',
    paragraph(lines), '', '## HEADP 图片', '',
    '![](https://img.example.com/a.jpg?size=1200x800)', '', '*CAPA 第一张图。*', '',
    '![](https://img.example.com/b.jpg?size=1200x800)', '', '*CAPB 第二张图。*', '',
    '## HEADQ 后记', '', paragraph(8), '',
  ].join('\n');
}

describe('a figure right after a heading, over a sweep in which the heading meets the foot of a page at every height', () => {
  const sweep: { lines: number; all: Word[] }[] = [];
  before(async () => {
    for (let lines = 12; lines <= 30; lines += 2) {
      const article = parse(headingBeforeFigures(lines), `heading-figures-${lines}`);
      const pdf = await build(article, await assetsFromUrls(article), `heading-figures-${lines}`);
      sweep.push({ lines, all: await words(pdf.file) });
    }
  });

  it('never sets the figure above the heading that introduces it, nor the second figure above the first', () => {
    for (const { lines, all } of sweep) {
      const heading = first(all, /^HEADP$/, 'the heading');
      const a = first(all, /^CAPA$/, 'the first caption');
      const b = first(all, /^CAPB$/, 'the second caption');
      assert.ok(before_(heading, a), `${lines} lines: the heading (page ${heading.page}, y ${heading.yMin}) comes before the first figure's caption (page ${a.page}, y ${a.yMin})`);
      assert.ok(before_(a, b), `${lines} lines: the figures keep their order`);
    }
  });
});

describe('keeps, over a sweep of articles in which lists, headings and tables meet the foot of a page at every height', () => {
  const sweep: { lines: number; pdf: Built; all: Word[]; texts: string[] }[] = [];
  before(async () => {
    for (let lines = 14; lines <= 29; lines++) {
      const pdf = await build(parse(sweepArticle(lines), `sweep-${lines}`), new Map(), `sweep-${lines}`);
      sweep.push({ lines, pdf, all: await words(pdf.file), texts: await pageTexts(pdf.file, pdf.pages) });
    }
  });
  /** For each page that holds rows or items `id-…`, how many. */
  const perPage = (texts: readonly string[], id: string): number[] =>
    texts.map((t) => (t.match(new RegExp(`\\b${id}-\\d+\\b`, 'g')) ?? []).length).filter((n) => n > 0);

  it('never leaves one item of a list alone on a page', () => {
    let split = 0;
    for (const { lines, texts } of sweep) {
      for (const id of ['LA', 'LB']) {
        const counts = perPage(texts, id);
        assert.equal(counts.reduce((a, b) => a + b, 0), 4, `${lines} lines: list ${id} printed once`);
        if (counts.length > 1) split++;
        for (const count of counts) assert.ok(count >= 2, `${lines} lines: a page holds ${count} item of list ${id} (items per page: ${counts.join(', ')})`);
      }
    }
    assert.ok(split >= 2, `lists run over a page ${split} times in the sweep`);
  });

  it('keeps a heading with two lines or more after it, even when a list follows it', () => {
    for (const { lines, all } of sweep) {
      const heading = first(all, /^HEADX$/, 'the heading');
      const after = new Set(all.filter((w) => w.page === heading.page && w.yMin > heading.yMax && w.yMax - w.yMin >= 12.5).map((w) => Math.round(w.yMax)));
      assert.ok(after.size >= 2, `${lines} lines: the heading on page ${heading.page} has ${after.size} line(s) after it on its page`);
    }
  });

  it('splits a long table with its header on each page and two rows or more on each side, and never splits a short one', () => {
    let split = 0;
    for (const { lines, texts } of sweep) {
      const long = perPage(texts, 'TL');
      if (long.length > 1) split++;
      for (const count of long) assert.ok(count >= 2, `${lines} lines: a page holds ${count} row(s) of the long table (${long.join(', ')})`);
      for (const text of texts) if (/\bTL-\d\d\b/.test(text)) assert.match(text, /编号\s+内容/, `${lines} lines: the header on each page of the long table`);
      assert.deepEqual(perPage(texts, 'TS'), [4], `${lines} lines: the short table whole on one page`);
    }
    assert.ok(split >= 2, `the long table runs over a page ${split} times in the sweep`);
  });

  it('leaves no holes', async () => {
    for (const { lines, pdf } of sweep) await assertNoHoles(pdf, `${lines} lines`);
  });
});

// ---- Notes -----------------------------------------------------------------------------------

describe('note numbers 1 to 150', () => {
  let pdf: Built;
  let all: Word[];
  before(async () => {
    const lines = ['---', 'title: 一百五十条注释', 'lang: zh-CN', '---', ''];
    const notes: string[] = [];
    for (let n = 1; n <= 150; n++) {
      lines.push(`第${n}段正文，这一段带有一个注释标记[^n${n}]。${'补充说明文字。'.repeat((n % 5) * 3)}`, '');
      notes.push(`[^n${n}]: N${String(n).padStart(3, '0')} 第${n}条注释。${'注释内容较长，需要两行才能显示完整。'.repeat(n % 3)}`);
    }
    pdf = await build(parse([...lines, ...notes, ''].join('\n'), 'notes-150'), new Map(), 'notes-150');
    all = await words(pdf.file);
  });

  it('prints each number whole, on the line of its note’s first words, overprinting nothing', () => {
    for (let n = 1; n <= 150; n++) {
      const text = first(all, new RegExp(`^N${String(n).padStart(3, '0')}$`), `note ${n}`);
      const number = all.find((w) => w.page === text.page && w.text === String(n) && Math.abs(w.yMax - text.yMax) < 2 && w.xMax <= text.xMin + 0.5);
      assert.ok(number, `note ${n}: its number "${n}" as one word on the line of its text (page ${text.page})`);
      for (const other of all) if (other !== number) assert.ok(!overlap(number, other), `note ${n}: its number overprints "${other.text}" on page ${number.page}`);
    }
  });

  it('has no holes on its note pages', async () => {
    await assertNoHoles(pdf, 'notes 1–150');
  });
});

describe('pages of short paragraphs that each carry a note', () => {
  it('are filled with text and notes (no hole above the note rule)', async () => {
    const lines = ['---', 'title: 注释页', 'lang: zh-CN', '---', ''];
    const notes: string[] = [];
    for (let n = 1; n <= 60; n++) {
      lines.push(`短段落第${n}段，用来测试脚注页面的填充情况，这一段带有一个注释标记[^n${n}]。${'补充文字。'.repeat((n % 4) * 6)}`, '');
      notes.push(`[^n${n}]: 第${n}条注释，${'注释内容比较长，需要占用两到三行的位置才能显示完整，'.repeat(1 + (n % 3))}`);
    }
    await assertNoHoles(await build(parse([...lines, ...notes, ''].join('\n'), 'note-pages'), new Map(), 'note-pages'), 'note pages');
  });
});

// ---- Failure ---------------------------------------------------------------------------------

describe('a page layout that runs out of time', () => {
  it('fails the document with Imprint’s message: which page, which text, which setting', async () => {
    const article = parse(`---\ntitle: 超时\nlang: zh-CN\n---\n\n${'这是一段很长的正文。'.repeat(2000)}\n`, 'late');
    const config = resolveConfig({});
    const theme = loadTheme('default');
    const html = renderDocument(article, new Map(), { target: 'print', theme, config });
    const error = await printPdf(browser, { config, theme, article, html, assets: new Map(), deadline: Date.now() - 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof DocumentError, `a DocumentError (got ${String(error)})`);
    assert.match(error.message, /time budget/);
    assert.match(error.message, /page 1 of the article \(the text “超时/);
    assert.match(error.message, /limits\.timeBudgetMs/);
    assert.doesNotMatch(error.message, /protocolTimeout|Runtime\.callFunctionOn|Puppeteer/);
  });

  it('leaves none of the document’s outputs behind when one format fails', async () => {
    const project = path.join(dir, 'project');
    await mkdir(path.join(project, 'content'), { recursive: true });
    await writeFile(path.join(project, 'content', 'a.md'), '# A\n\nSome text.\n');
    // No browser listens there: the HTML is made, the PDF fails.
    const report = await publish({ cwd: project, config: { out: 'out', offline: true, browserEndpoint: 'ws://127.0.0.1:9/devtools/browser/none' } });
    assert.equal(report.ok, false);
    assert.equal(report.documents[0]?.ok, false);
    assert.deepEqual(report.documents[0]?.outputs, []);
    assert.deepEqual(await readdir(path.join(project, 'out')).catch(() => []), [], 'nothing written to out/');
  });
});
