/**
 * EPUB stage: real books built from the sample article (real parse stage), an English article and
 * an article with 60 notes, checked the way a publisher would: W3C epubcheck, the unzipped package
 * (OPF, nav, NCX, XHTML), the zip layout, the images' bytes, rebuilds, and the chapter rendered in
 * Chromium from the unzipped files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import type { Element, ElementContent, Root } from 'hast';
import { h } from 'hastscript';
import type { Browser } from 'puppeteer-core';
import sharp from 'sharp';
import { VFile } from 'vfile';
import { closeBrowser, openBrowser, withBrowser } from '../src/browser/provider.js';
import { resolveConfig, type Config } from '../src/config/schema.js';
import { fontPlan, plannedFaces } from '../src/theme/fonts.js';
import { parseUnicodeRange } from '../src/epub/embed-fonts.js';
import { xmlName } from '../src/epub/ids.js';
import { uuidV5 } from '../src/epub/identity.js';
import { fileAs } from '../src/epub/metadata.js';
import { escapeText, toXhtml } from '../src/epub/xhtml.js';
import type { Article, ArticleMeta, AssetSet, BookMeta, Heading, ImageAsset, Note, ResolvedImage } from '../src/model.js';
import { buildBookEpub, buildEpub, generateCover, type BuildBookEpubOptions, type BuildEpubOptions } from '../src/stages/build-epub.js';
import { parseArticle } from '../src/parse/article.js';
import { loadTheme, type Theme } from '../src/theme/theme.js';
import { repoRoot, sampleArticle } from './helpers/paths.js';

// ---------------------------------------------------------------------------------------------
// Tools

interface CheckMessage {
  ID: string;
  severity: 'FATAL' | 'ERROR' | 'WARNING' | 'INFO' | 'USAGE';
  message: string;
  locations: Array<{ path: string; line: number; column: number; context: string | null }>;
}

/** W3C epubcheck with usage messages, read from its JSON report. */
async function epubcheck(file: string): Promise<CheckMessage[]> {
  const report = `${file}.epubcheck.json`;
  const output = await new Promise<string>((resolve) => {
    const child = spawn('java', ['-jar', '/usr/share/java/epubcheck.jar', file, '--usage', '--json', report], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('close', () => resolve(text));
  });
  const parsed = JSON.parse(await readFile(report, 'utf8').catch(() => `{"messages":[{"ID":"NO-REPORT","severity":"FATAL","message":${JSON.stringify(output)},"locations":[]}]}`)) as { messages: CheckMessage[] };
  return parsed.messages;
}

/**
 * Usage hints epubcheck prints for every book of this kind, and why they stay:
 *   CSS-024/CSS-025  theme selectors not used by this particular article (one style sheet for all)
 *   HTM-010          the NCX and xlink namespaces (the NCX is kept for EPUB 2 readers, xlink:href for ADE)
 *   CSS-009          box-sizing in the shared base.css (image placeholders)
 *   CSS-028          @font-face, only when epub.embedFonts is on
 *   HTM-006          &amp; and &lt; in text that contains & or < (XML requires escaping them)
 */
const EXPECTED_USAGE = new Set(['CSS-024', 'CSS-025', 'HTM-010', 'CSS-009', 'CSS-028', 'HTM-006']);

function describeMessages(messages: readonly CheckMessage[]): string {
  return messages.map((m) => `${m.severity}(${m.ID}) ${m.locations[0]?.path ?? ''}:${m.locations[0]?.line ?? ''} ${m.message}`).join('\n');
}

/** Asserts epubcheck found nothing but the expected usage hints (`messages`: a run started earlier, or one now). */
async function assertEpubcheckClean(file: string, allowFontFace: boolean, messages?: Promise<CheckMessage[]>): Promise<void> {
  messages ??= epubcheck(file);
  await assertMessagesClean(await messages, allowFontFace);
}

async function assertMessagesClean(messages: readonly CheckMessage[], allowFontFace: boolean): Promise<void> {
  const problems = messages.filter((m) => m.severity === 'FATAL' || m.severity === 'ERROR' || m.severity === 'WARNING');
  assert.deepEqual(problems, [], describeMessages(problems));
  const usage = messages.filter((m) => m.severity === 'USAGE' && !(EXPECTED_USAGE.has(m.ID) && (allowFontFace || m.ID !== 'CSS-028')));
  assert.deepEqual(usage, [], describeMessages(usage));
}

type Book = Map<string, Uint8Array>;
const unzip = (bytes: Uint8Array): Book => new Map(Object.entries(unzipSync(bytes)));
const decoder = new TextDecoder('utf-8', { fatal: true });
function text(book: Book, name: string): string {
  const bytes = book.get(name);
  assert.ok(bytes, `${name} is in the book`);
  return decoder.decode(bytes);
}
const unescapeXml = (value: string): string =>
  value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** All values of <dc:name …>…</dc:name> in the OPF. */
function dc(opf: string, name: string): string[] {
  return [...opf.matchAll(new RegExp(`<dc:${name}(?: [^>]*)?>([^<]*)</dc:${name}>`, 'g'))].map((m) => unescapeXml(m[1] ?? ''));
}
function metaProperty(opf: string, property: string): string[] {
  return [...opf.matchAll(new RegExp(`<meta property="${property}"[^>]*>([^<]*)</meta>`, 'g'))].map((m) => unescapeXml(m[1] ?? ''));
}
interface Item {
  id: string;
  href: string;
  mediaType: string;
  properties: string[];
}
function manifest(opf: string): Item[] {
  return [...opf.matchAll(/<item ([^>]*)\/>/g)].map((m) => {
    const attr = (name: string): string => new RegExp(`${name}="([^"]*)"`).exec(m[1] ?? '')?.[1] ?? '';
    return { id: attr('id'), href: attr('href'), mediaType: attr('media-type'), properties: attr('properties').split(' ').filter(Boolean) };
  });
}
const spine = (opf: string): string[] => [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1] ?? '');

/** The media type a file's first bytes say it is. */
function sniff(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 12)).toString('hex');
  if (hex.startsWith('ffd8ff')) return 'image/jpeg';
  if (hex.startsWith('89504e470d0a1a0a')) return 'image/png';
  if (hex.startsWith('474946383')) return 'image/gif';
  if (hex.startsWith('52494646') && hex.slice(16, 24) === '57454250') return 'image/webp';
  if (hex.startsWith('774f4632')) return 'font/woff2';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Inputs

async function jpeg(width: number, height: number, color: { r: number; g: number; b: number }): Promise<Uint8Array> {
  return new Uint8Array(await sharp({ create: { width, height, channels: 3, background: color } }).jpeg({ quality: 80 }).toBuffer());
}
function asset(id: string, bytes: Uint8Array, mediaType: string, ext: string, width: number, height: number, screen?: ImageAsset['screen']): ImageAsset {
  return { kind: 'image', id, mediaType, ext, bytes, width, height, ...(screen ? { screen } : {}) };
}

/** Real image bytes of several types for the sample's seven images; two stay unreachable. */
async function sampleAssets(): Promise<AssetSet> {
  const png = new Uint8Array(await sharp({ create: { width: 600, height: 400, channels: 4, background: { r: 200, g: 40, b: 40, alpha: 0.6 } } }).png().toBuffer());
  const webp = new Uint8Array(await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 30, g: 120, b: 60 } } }).webp().toBuffer());
  const gif = new Uint8Array(await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 90, b: 200 } } }).gif().toBuffer());
  const bigPng = new Uint8Array(await sharp({ create: { width: 2400, height: 1600, channels: 3, background: { r: 240, g: 200, b: 80 } } }).png().toBuffer());
  const screenJpeg = await jpeg(1600, 1067, { r: 240, g: 200, b: 80 });
  return new Map<string, ResolvedImage>([
    ['img-1', asset('img-1', await jpeg(1200, 800, { r: 40, g: 90, b: 140 }), 'image/jpeg', 'jpg', 1200, 800)],
    ['img-2', asset('img-2', png, 'image/png', 'png', 600, 400)],
    ['img-3', { kind: 'placeholder', id: 'img-3', reason: 'unreachable (ENOTFOUND)' }],
    ['img-4', asset('img-4', webp, 'image/webp', 'webp', 640, 360)],
    ['img-5', asset('img-5', gif, 'image/gif', 'gif', 320, 240)],
    ['img-6', asset('img-6', bigPng, 'image/png', 'png', 2400, 1600, { bytes: screenJpeg, mediaType: 'image/jpeg', ext: 'jpg', width: 1600, height: 1067 })],
    ['img-7', { kind: 'placeholder', id: 'img-7', reason: 'HTTP 404' }],
  ]);
}

async function loadSample(): Promise<Article> {
  const file = new VFile({ path: 'content/biden-xi-summit.md', value: await readFile(sampleArticle, 'utf8') });
  return parseArticle(file, { name: 'biden-xi-summit', path: sampleArticle });
}

const noteref = (n: number, second = false): Element =>
  h('sup', { className: ['noteref'] }, [h('a', { id: second ? `noteref-${n}-2` : `noteref-${n}`, href: `#note-${n}`, role: 'doc-noteref' }, String(n))]);

function article(meta: Partial<ArticleMeta> & { title: string; lang: string }, children: ElementContent[], extra: { notes?: Note[]; headings?: Heading[]; images?: Article['images'] } = {}): Article {
  const tree: Root = { type: 'root', children };
  return {
    name: 'test',
    path: path.join(repoRoot, 'content', 'does-not-exist.md'),
    meta: { keywords: [], ...meta },
    tree,
    notes: extra.notes ?? [],
    images: extra.images ?? [],
    headings: extra.headings ?? [],
    file: new VFile({ path: 'content/test.md', value: '' }),
  };
}

const ENGLISH_SOURCE = 'https://example.org/articles/harbour?utm=1';

function englishArticle(): Article {
  const children: ElementContent[] = [
    h('p', { className: ['byline'] }, ['By ', h('span', { className: ['author'] }, 'Ada Lovelace')]),
    h('p', ['Tides & currents <rise> twice a day', noteref(1), '. See ', h('a', { href: '#2020-results' }, 'the results'), ', ', h('a', { href: 'other.md' }, 'a local file'), ', ', h('a', { href: 'javascript:alert(1)' }, 'a script'), ' and ', h('a', { href: 'https://example.org/a b' }, 'a web page'), '.']),
    h('h2', { id: '2020-results' }, 'Results of 2020'),
    h('figure', { className: ['figure'] }, [
      h('img', { dataImageId: 'img-1', src: 'https://cdn.example.org/harbour', alt: 'The harbour at low tide' }),
      h('figcaption', [h('span', { className: ['caption'] }, 'Low tide.'), h('span', { className: ['credit'] }, 'Photo: A. Lovelace'), noteref(2)]),
    ]),
    h('h3', { id: 'method' }, 'Method'),
    h('h4', { id: 'details' }, 'Details'),
    h('p', ['An inline image ', h('img', { dataImageId: 'img-2', src: 'file:///etc/passwd', alt: '' }), ' that could not be had, and the first note again', noteref(1, true), '.']),
    h('table', [h('tbody', [h('tr', [h('th', { align: 'left' }, 'Tide'), h('td', { align: 'right' }, '4.2 m')])])]),
    h('ul', [h('li', [h('input', { type: 'checkbox', checked: true, disabled: true }), ' measured']), h('li', [h('input', { type: 'checkbox', disabled: true }), ' published'])]),
    h('h2', { id: 'discussion' }, 'Discussion'),
    h('p', [h('em', 'Emphasis'), ' and ', h('strong', 'strength'), ' with a control character \u0007 dropped.']),
    h('h2', { id: 'notes' }, 'Notes'),
    h('p', 'A section of the article that happens to be called “Notes”.'),
    h('p', { className: ['rights'] }, '© 2024 Example Press. Licensed under CC BY 4.0.'),
  ];
  const notes: Note[] = [
    { id: 'note-1', number: 1, kind: 'footnote', refIds: ['noteref-1', 'noteref-1-2'], content: [h('p', 'Twice daily in most places.')] },
    { id: 'note-2', number: 2, kind: 'source', refIds: ['noteref-2'], content: [h('p', ['Original image: ', h('a', { href: 'https://cdn.example.org/harbour' }, 'https://cdn.example.org/harbour')])] },
  ];
  const headings: Heading[] = [
    { depth: 2, id: '2020-results', text: 'Results of 2020' },
    { depth: 3, id: 'method', text: 'Method' },
    { depth: 4, id: 'details', text: 'Details' },
    { depth: 2, id: 'discussion', text: 'Discussion' },
    { depth: 2, id: 'notes', text: 'Notes' },
  ];
  return article(
    {
      title: 'The Quiet Harbour: Tides & Currents',
      subtitle: 'Field notes',
      author: 'Ada Lovelace',
      publisher: 'Example Press',
      date: '2024-03-05T10:30:00+01:00',
      lang: 'en-GB',
      source: ENGLISH_SOURCE,
      rights: '© 2024 Example Press. Licensed under CC BY 4.0.',
      description: 'A year of tides in a small harbour.',
      keywords: ['tides', 'harbours'],
    },
    children,
    {
      notes,
      headings,
      images: [
        { id: 'img-1', url: 'https://cdn.example.org/harbour', alt: 'The harbour at low tide' },
        { id: 'img-2', url: 'file:///etc/passwd', alt: '' },
      ],
    },
  );
}

/** 60 notes: 40 GFM footnotes (some of two paragraphs), 20 sources, in traditional Chinese. */
function manyNotesArticle(): Article {
  const notes: Note[] = [];
  const paragraphs: ElementContent[] = [];
  for (let n = 1; n <= 60; n++) {
    paragraphs.push(h('p', [`第${n}段正文，說明潮汐與港口的關係`, noteref(n), '。']));
    const content: ElementContent[] = n <= 40
      ? [h('p', `註釋${n}：潮汐資料來自港務局。`), ...(n % 10 === 0 ? [h('p', '第二段補充說明。')] : [])]
      : [h('p', ['來源：', h('a', { href: `https://example.org/source/${n}` }, `https://example.org/source/${n}`)])];
    notes.push({ id: `note-${n}`, number: n, kind: n <= 40 ? 'footnote' : 'source', refIds: [`noteref-${n}`], content });
  }
  return article({ title: '港口潮汐紀錄', author: '陳大文', publisher: '範例出版社', date: '2022-06-01', lang: 'zh-TW', keywords: ['潮汐'] }, paragraphs, { notes });
}

// ---------------------------------------------------------------------------------------------

const theme: Theme = loadTheme('default');
const config = (embedFonts = false): Config => resolveConfig({ epub: { embedFonts } });
const SDE = 1_700_000_000; // 2023-11-14T22:13:20Z
let tmp: string;
let browser: Browser;
let browserCalls = 0;
/** The generated cover, drawn in the shared browser; counted, so a test can tell none was drawn. */
const coverFor = (meta: ArticleMeta) => (): ReturnType<typeof generateCover> => {
  browserCalls++;
  return generateCover(browser, theme, meta);
};

interface Built {
  bytes: Uint8Array;
  file: string;
  book: Book;
  /** epubcheck, started as soon as the book is written (it runs while other books are built). */
  checked: Promise<CheckMessage[]>;
}

let count = 0;
async function build(options: Partial<BuildEpubOptions> & Pick<BuildEpubOptions, 'article'>, check = false): Promise<Built> {
  const bytes = await buildEpub({ config: config(), theme, assets: new Map(), generatedCover: coverFor(options.article.meta), ...options });
  const file = path.join(tmp, `${options.article.name}-${++count}.epub`);
  await writeFile(file, bytes);
  return { bytes, file, book: unzip(bytes), checked: check ? epubcheck(file) : Promise.resolve([]) };
}

interface RenderFacts {
  contentType: string;
  parseError: number;
  images: number[];
  notesShown: number;
  overflow: number;
  bodyFont: string;
  indent: string;
  hyphens: string;
  textAlign: string;
  lineBreak: string;
}

/**
 * Unzips the book and opens its chapter in Chromium from the files (parsed as XHTML, like an
 * e-reader does), 600×900 px; saves full-page screenshots of the chapter and the cover page
 * (kept with IMPRINT_KEEP_TEST_OUTPUT=1) and returns what the page shows.
 */
async function renderChapter(book: Book, name: string): Promise<RenderFacts> {
  const dir = path.join(tmp, `${name}-unzipped`);
  for (const [entry, bytes] of book) {
    await mkdir(path.dirname(path.join(dir, entry)), { recursive: true });
    await writeFile(path.join(dir, entry), bytes);
  }
  const page = await browser.newPage();
  try {
    await page.setViewport({ width: 600, height: 900, deviceScaleFactor: 1 });
    await page.goto(`file://${dir}/OEBPS/cover.xhtml`, { waitUntil: 'load' });
    await page.screenshot({ path: path.join(tmp, `${name}-cover-page.png`) });
    await page.goto(`file://${dir}/OEBPS/article.xhtml`, { waitUntil: 'load' });
    const facts = await page.evaluate(() => ({
      contentType: document.contentType,
      parseError: document.getElementsByTagName('parsererror').length,
      images: Array.from(document.images).map((img) => img.naturalWidth),
      notesShown: Array.from(document.querySelectorAll('aside')).filter((a) => a.getBoundingClientRect().height > 0).length,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      bodyFont: getComputedStyle(document.body).fontFamily,
      indent: getComputedStyle(document.querySelector<HTMLElement>('.article-body > p:not(.byline)') ?? document.body).textIndent,
      hyphens: getComputedStyle(document.body).hyphens,
      textAlign: getComputedStyle(document.body).textAlign,
      lineBreak: getComputedStyle(document.body).lineBreak,
    }));
    await page.screenshot({ path: path.join(tmp, `${name}-chapter.png`), fullPage: true });
    return facts;
  } finally {
    await page.close();
  }
}

// The four books under test are built first; each one's epubcheck starts as soon as it is written.
let sample: Article;
let sampleImages: AssetSet;
let sampleBook: Built;
let englishCover: ImageAsset;
let englishBook: Built;
let englishBrowserCalls: number;
let notesBook: Built;
let fontsBook: Built;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'imprint-epub-'));
  browser = await openBrowser();
  sample = await loadSample();
  sampleImages = await sampleAssets();
  sampleBook = await build({ article: sample, assets: sampleImages, sourceDateEpoch: SDE }, true);
  englishCover = asset('cover', await jpeg(1400, 2100, { r: 20, g: 60, b: 90 }), 'image/jpeg', 'jpg', 1400, 2100);
  const img1 = await jpeg(900, 600, { r: 100, g: 150, b: 200 });
  const callsBefore = browserCalls;
  englishBook = await build(
    {
      article: englishArticle(),
      assets: new Map<string, ResolvedImage>([
        ['img-1', asset('img-1', img1, 'image/jpeg', 'jpg', 900, 600)],
        ['img-2', { kind: 'placeholder', id: 'img-2', reason: 'not a web address' }],
      ]),
      cover: englishCover,
    },
    true,
  );
  englishBrowserCalls = browserCalls - callsBefore;
  notesBook = await build({ article: manyNotesArticle(), sourceDateEpoch: SDE }, true);
  fontsBook = await build({ article: await loadSample(), config: config(true), sourceDateEpoch: SDE }, true);
});
after(async () => {
  await closeBrowser(browser);
  if (process.env['IMPRINT_KEEP_TEST_OUTPUT']) console.log(`EPUB test output kept in ${tmp}`);
  else await rm(tmp, { recursive: true, force: true });
});

describe('the sample article (real parse stage, generated cover)', () => {
  let built: Built;
  let assets: AssetSet;
  before(() => {
    built = sampleBook;
    assets = sampleImages;
  });

  it('passes epubcheck with 0 errors, 0 warnings and only the expected usage hints', async () => {
    await assertEpubcheckClean(built.file, false, built.checked);
  });

  it('carries the article metadata in the package, language zh-CN', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    assert.match(opf, /<package [^>]*xml:lang="zh-CN"/);
    assert.deepEqual(dc(opf, 'language'), ['zh-CN']);
    assert.deepEqual(dc(opf, 'title'), ['拜登谈中美会晤目标：希望中美关系重回正轨，危机时刻也能保持联系']);
    assert.deepEqual(dc(opf, 'creator'), ['熊超然']);
    assert.deepEqual(dc(opf, 'publisher'), ['观察者网']);
    assert.deepEqual(dc(opf, 'date'), ['2023-11-15']);
    assert.deepEqual(dc(opf, 'rights'), ['本文系观察者网独家稿件，未经授权，不得转载。']);
    assert.doesNotMatch(opf, /All rights reserved|Copyright ©|anonymous/);
    assert.deepEqual(dc(opf, 'subject'), ['中美关系', '元首会晤', 'APEC']);
    assert.ok(dc(opf, 'description')[0]?.startsWith('全球瞩目的中美元首会晤'), 'description from the article');
    assert.deepEqual(dc(opf, 'source'), [], 'the sample has no source URL: none is made up');
    assert.deepEqual(metaProperty(opf, 'dcterms:modified'), ['2023-11-14T22:13:20Z'], 'SOURCE_DATE_EPOCH');
    assert.match(dc(opf, 'identifier')[0] ?? '', /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('has accessibility metadata', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    assert.deepEqual(metaProperty(opf, 'schema:accessMode'), ['textual', 'visual']);
    // Three of its images stand alone without alt text or caption: the text alone does not suffice.
    assert.deepEqual(metaProperty(opf, 'schema:accessModeSufficient'), ['textual,visual']);
    for (const feature of ['structuralNavigation', 'tableOfContents', 'readingOrder']) {
      assert.ok(metaProperty(opf, 'schema:accessibilityFeature').includes(feature), feature);
    }
    // …and so not every image has a text alternative: the feature is not claimed.
    assert.ok(!metaProperty(opf, 'schema:accessibilityFeature').includes('alternativeText'), 'alternativeText');
    assert.deepEqual(metaProperty(opf, 'schema:accessibilityHazard'), ['unknown'], 'the sample has a GIF, which could flash');
    assert.ok((metaProperty(opf, 'schema:accessibilitySummary')[0] ?? '').length > 20);
  });

  it('starts with a generated cover page showing a 1600×2400 PNG marked cover-image', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    const items = manifest(opf);
    assert.deepEqual(spine(opf).map((id) => items.find((item) => item.id === id)?.href), ['cover.xhtml', 'article.xhtml', 'colophon.xhtml']);
    const coverImage = items.filter((item) => item.properties.includes('cover-image'));
    assert.equal(coverImage.length, 1);
    assert.equal(coverImage[0]?.mediaType, 'image/png');
    const png = built.book.get(`OEBPS/${coverImage[0]?.href}`);
    assert.ok(png);
    assert.equal(sniff(png), 'image/png');
    assert.equal(Buffer.from(png).readUInt32BE(16), 1600);
    assert.equal(Buffer.from(png).readUInt32BE(20), 2400);
    assert.match(text(built.book, 'OEBPS/cover.xhtml'), new RegExp(`xlink:href="${coverImage[0]?.href}"`));
    assert.match(opf, /<meta name="cover" content="cover-image"\/>/);
  });

  it('announces the cover both ways reading systems look for it: the cover-image property and the guide', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    const coverImage = manifest(opf).find((item) => item.properties.includes('cover-image'));
    assert.ok(coverImage && built.book.has(`OEBPS/${coverImage.href}`));
    const guide = /<guide>(.*?)<\/guide>/s.exec(opf)?.[1] ?? '';
    assert.match(guide, /<reference type="cover" title="封面" href="cover.xhtml"\/>/);
    assert.match(guide, /<reference type="text" title="正文" href="article.xhtml"\/>/);
    assert.match(text(built.book, 'OEBPS/cover.xhtml'), new RegExp(`xlink:href="${coverImage.href}"`), 'the guide\'s cover page shows the cover image');
  });

  it('gives the author a sort key (file-as): a Chinese name sorts as written', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    assert.match(opf, /<dc:creator id="author">熊超然<\/dc:creator>/);
    assert.deepEqual(metaProperty(opf, 'file-as'), ['熊超然']);
    assert.match(opf, /<meta property="file-as" refines="#author">熊超然<\/meta>/);
  });

  it('stores every image with the media type of its bytes, the screen version when there is one, and placeholders for missing ones', async () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    const images = manifest(opf).filter((item) => item.mediaType.startsWith('image/') && !item.properties.includes('cover-image'));
    assert.deepEqual(images.map((item) => item.id), ['img-1', 'img-2', 'img-4', 'img-5', 'img-6']);
    for (const item of images) {
      const bytes = built.book.get(`OEBPS/${item.href}`);
      assert.ok(bytes && bytes.byteLength > 0, `${item.href} is not empty`);
      assert.equal(sniff(bytes), item.mediaType, `${item.href} bytes match its media type`);
    }
    assert.deepEqual(built.book.get('OEBPS/images/img-1.jpeg'), (assets.get('img-1') as ImageAsset).bytes, 'JPEG stored as resolved');
    assert.deepEqual(built.book.get('OEBPS/images/img-6.jpeg'), (assets.get('img-6') as ImageAsset).screen?.bytes, 'the screen version, not the 2400 px original');
    assert.equal(images.find((item) => item.id === 'img-4')?.mediaType, 'image/jpeg', 'WebP (not a core type for epubcheck 4) converted');
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    assert.equal((chapter.match(/class="image-placeholder"/g) ?? []).length, 2, 'img-3 and img-7 are placeholders');
    assert.doesNotMatch(chapter, /inews\.gtimg\.com[^"]*"[^>]*\/>/, 'no <img> points at the original URL');
    for (const [, src] of chapter.matchAll(/<img [^>]*src="([^"]*)"/g)) assert.match(src ?? '', /^images\/img-\d\.(jpeg|png|gif)$/);
    for (const [tag] of chapter.matchAll(/<img [^>]*>/g)) assert.match(tag, / alt="[^"]+"/, 'alt text on every image');
    assert.ok(![...built.book.values()].some((bytes) => bytes.byteLength === 0), 'no empty file');
    assert.doesNotMatch(opf, /media-type=""/);
  });

  it('has a single title heading (no duplicate) and styles figures, captions and credits', () => {
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    assert.equal((chapter.match(/<h1[ >]/g) ?? []).length, 1);
    assert.match(chapter, /<h1 [^>]*>拜登谈中美会晤目标：希望中美关系重回正轨，危机时刻也能保持联系<\/h1>/);
    // Caption and credit are apart in the text: an ideographic space between them.
    assert.match(chapter, /<figcaption><span class="caption">当地时间11月14日，美国总统拜登飞抵旧金山，将出席APEC峰会。<\/span>\u3000<span class="credit">图自IC Photo<\/span>/);
    const css = text(built.book, 'OEBPS/style.css');
    assert.match(css, /figure\.figure figcaption\s*{/);
    assert.match(css, /figcaption \.credit\s*{/);
    assert.ok(css.indexOf('/* base.css */') < css.indexOf('/* epub.css */'), 'base.css before epub.css');
  });

  it('marks every note reference as noteref and every note as an aside footnote with a back-link', () => {
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    const refs = [...chapter.matchAll(/<a ([^>]*role="doc-noteref"[^>]*)>/g)].map((m) => m[1] ?? '');
    assert.equal(refs.length, sample.notes.length);
    for (const ref of refs) {
      assert.match(ref, /epub:type="noteref"/);
      const target = /href="#([^"]+)"/.exec(ref)?.[1];
      assert.match(chapter, new RegExp(`<aside id="${target}" [^>]*epub:type="footnote"`));
      const id = /id="([^"]+)"/.exec(ref)?.[1];
      assert.match(chapter, new RegExp(`<aside id="${target}"[^>]*>.*?href="#${id}" role="doc-backlink"`, 's'));
    }
  });

  it('stores text as UTF-8 characters, never as &#x…; entities', () => {
    for (const [name, bytes] of built.book) {
      if (!/\.(xhtml|opf|ncx|css)$/.test(name)) continue;
      const content = decoder.decode(bytes);
      assert.doesNotMatch(content, /&#x?[0-9a-f]+;/i, name);
    }
    assert.match(text(built.book, 'OEBPS/article.xhtml'), /全球瞩目的中美元首会晤即将在美国旧金山举行/);
  });

  it('is a well-formed zip: mimetype first, stored, no extra field; every entry with the build date', () => {
    const bytes = Buffer.from(built.bytes);
    assert.equal(bytes.readUInt32LE(0), 0x04034b50);
    assert.equal(bytes.readUInt16LE(8), 0, 'stored');
    assert.equal(bytes.readUInt16LE(26), 8);
    assert.equal(bytes.readUInt16LE(28), 0, 'no extra field');
    assert.equal(bytes.subarray(30, 38).toString(), 'mimetype');
    assert.equal(bytes.subarray(38, 58).toString(), 'application/epub+zip');
    // MS-DOS date of every central directory entry: 2023-11-14 22:13:20 (the SOURCE_DATE_EPOCH, UTC).
    const expectedDate = ((2023 - 1980) << 9) | (11 << 5) | 14;
    const expectedTime = (22 << 11) | (13 << 5) | (20 >> 1);
    let offset = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    offset = bytes.readUInt32LE(offset + 16);
    let entries = 0;
    while (bytes.readUInt32LE(offset) === 0x02014b50) {
      assert.equal(bytes.readUInt16LE(offset + 12), expectedTime);
      assert.equal(bytes.readUInt16LE(offset + 14), expectedDate);
      offset += 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
      entries++;
    }
    assert.equal(entries, built.book.size);
  });

  it('rebuilds byte for byte, across browser launches, with the same identifier', async () => {
    const again = await withBrowser({}, (other) => buildEpub({ config: config(), theme, article: sample, assets, generatedCover: () => generateCover(other, theme, sample.meta), sourceDateEpoch: SDE }));
    assert.ok(Buffer.from(again).equals(Buffer.from(built.bytes)), 'byte-identical EPUB');
  });

  it('without SOURCE_DATE_EPOCH, dcterms:modified is the build time and dc:date still the article’s', async () => {
    const started = Math.floor(Date.now() / 1000) * 1000;
    const { book } = await build({ article: sample, assets });
    const opf = text(book, 'OEBPS/content.opf');
    const modified = Date.parse(metaProperty(opf, 'dcterms:modified')[0] ?? '');
    assert.ok(modified >= started && modified <= Date.now(), `built now (${metaProperty(opf, 'dcterms:modified')[0]})`);
    assert.deepEqual(dc(opf, 'date'), ['2023-11-15']);
  });

  it('renders in Chromium from the unzipped files: XHTML parsed, images loaded, notes listed, nothing wider than the page', async () => {
    const facts = await renderChapter(built.book, 'sample');
    assert.equal(facts.contentType, 'application/xhtml+xml');
    assert.equal(facts.parseError, 0);
    assert.equal(facts.images.length, 5);
    assert.ok(facts.images.every((w) => w > 0), 'every image loads');
    assert.equal(facts.notesShown, sample.notes.length);
    assert.ok(facts.overflow <= 0, `no horizontal overflow (${facts.overflow}px)`);
    assert.match(facts.bodyFont, /Imprint Serif CJK.*Songti SC.*serif/);
    assert.equal(facts.indent, '32px', 'CJK paragraphs indented by two characters');
    assert.equal(facts.hyphens, 'none', 'no hyphenation in CJK text');
    assert.equal(facts.lineBreak, 'strict', 'strict CJK line breaking');
  });
});

describe('an English article (front-matter cover, nested headings, links, tables)', () => {
  let built: Built;
  let cover: ImageAsset;
  before(() => {
    built = englishBook;
    cover = englishCover;
  });

  it('passes epubcheck with 0 errors, 0 warnings and only the expected usage hints', async () => {
    await assertEpubcheckClean(built.file, false, built.checked);
  });

  it('carries source, rights, subtitle and the dates of the article', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    assert.match(opf, /<package [^>]*xml:lang="en-GB"/);
    assert.deepEqual(dc(opf, 'language'), ['en-GB']);
    assert.deepEqual(dc(opf, 'title'), ['The Quiet Harbour: Tides & Currents', 'Field notes']);
    assert.match(opf, /<meta property="title-type" refines="#subtitle">subtitle<\/meta>/);
    assert.deepEqual(dc(opf, 'source'), [ENGLISH_SOURCE]);
    assert.deepEqual(dc(opf, 'rights'), ['© 2024 Example Press. Licensed under CC BY 4.0.']);
    assert.deepEqual(dc(opf, 'creator'), ['Ada Lovelace']);
    assert.match(opf, /<meta property="role" refines="#author" scheme="marc:relators">aut<\/meta>/);
    assert.deepEqual(dc(opf, 'date'), ['2024-03-05T09:30:00Z']);
    assert.notDeepEqual(metaProperty(opf, 'dcterms:modified'), ['2024-03-05T09:30:00Z'], 'dcterms:modified is the build’s, not the article’s date');
    // uuid.uuid5(uuid.NAMESPACE_URL, 'https://example.org/articles/harbour?utm=1') in Python
    assert.deepEqual(dc(opf, 'identifier'), ['urn:uuid:075693f0-8969-5f1d-a606-76fc2887596c']);
    assert.deepEqual(metaProperty(opf, 'schema:accessibilityHazard'), ['none']);
  });

  it('files the author under the family name (file-as)', () => {
    assert.match(text(built.book, 'OEBPS/content.opf'), /<meta property="file-as" refines="#author">Lovelace, Ada<\/meta>/);
  });

  it('uses the front-matter cover as it is, without starting a browser', () => {
    assert.equal(englishBrowserCalls, 0, 'no cover drawn in the browser');
    const opf = text(built.book, 'OEBPS/content.opf');
    const item = manifest(opf).find((i) => i.properties.includes('cover-image'));
    assert.equal(item?.mediaType, 'image/jpeg');
    assert.deepEqual(built.book.get(`OEBPS/${item?.href}`), cover.bytes);
  });

  it('nests the table of contents like the headings, with landmarks, in the nav and the NCX', () => {
    const nav = text(built.book, 'OEBPS/toc.xhtml');
    assert.match(nav, /<nav id="toc" epub:type="toc"/);
    assert.ok(
      nav.includes(
        '<li><a href="article.xhtml">The Quiet Harbour: Tides &amp; Currents</a><ol>' +
          '<li><a href="article.xhtml#id-2020-results">Results of 2020</a><ol><li><a href="article.xhtml#method">Method</a><ol><li><a href="article.xhtml#details">Details</a></li></ol></li></ol></li>' +
          '<li><a href="article.xhtml#discussion">Discussion</a></li>' +
          '<li><a href="article.xhtml#notes">Notes</a></li></ol></li>' +
          '<li><a href="article.xhtml#notes-2">Notes</a></li>',
      ),
      nav,
    );
    assert.match(nav, /<nav id="landmarks" epub:type="landmarks"[^>]*>.*<a epub:type="cover" href="cover.xhtml">.*<a epub:type="bodymatter" href="article.xhtml">/s);
    const ncx = text(built.book, 'OEBPS/toc.ncx');
    assert.match(ncx, /<meta name="dtb:uid" content="urn:uuid:075693f0-8969-5f1d-a606-76fc2887596c"\/>/);
    assert.match(ncx, /<meta name="dtb:depth" content="4"\/>/);
    assert.match(ncx, /<text>Method<\/text><\/navLabel>\s*<content src="article.xhtml#method"\/>\s*<navPoint [^>]*>\s*<navLabel><text>Details<\/text>/);
  });

  it('keeps the article\'s own "Notes" heading and its links; the notes section gets another id', () => {
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    assert.match(chapter, /<h2 id="notes">Notes<\/h2>/);
    assert.match(chapter, /<section id="notes-2" class="notes" epub:type="footnotes"/);
    assert.match(chapter, /<h2 id="id-2020-results">Results of 2020<\/h2>/, 'ids are XML names');
    assert.match(chapter, /<a href="#id-2020-results">the results<\/a>/, 'link follows the renamed id');
  });

  it('drops links to local files and scripts, keeps web links (escaped), and makes XHTML of tables and checkboxes', () => {
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    assert.match(chapter, /<a>a local file<\/a>/);
    assert.match(chapter, /<a>a script<\/a>/);
    assert.match(chapter, /<a href="https:\/\/example.org\/a%20b">a web page<\/a>/);
    assert.match(chapter, /Tides &amp; currents &lt;rise> twice a day/);
    assert.match(chapter, /<th class="align-left">Tide<\/th><td class="align-right">4.2 m<\/td>/);
    assert.match(chapter, /<span class="task-checkbox">☑<\/span> measured/);
    assert.doesNotMatch(chapter, /<input|\u0007|file:\/\//);
    assert.match(chapter, /<p>An inline image <span class="image-placeholder" role="img"/, 'a placeholder inside a paragraph is a span');
    assert.match(chapter, /<p class="subtitle" epub:type="subtitle" role="doc-subtitle">Field notes<\/p>/);
  });

  it('links a note referenced twice back to both references', () => {
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    const aside = /<aside id="note-1"[^>]*>(.*?)<\/aside>/s.exec(chapter)?.[1] ?? '';
    assert.match(aside, /href="#noteref-1" role="doc-backlink"/);
    assert.match(aside, /href="#noteref-1-2" role="doc-backlink"/);
    assert.match(chapter, /<a id="noteref-1-2" href="#note-1" role="doc-noteref" epub:type="noteref">1<\/a>/);
  });

  it('renders in Chromium: Latin text hyphenated and justified, notes listed, nothing wider than the page', async () => {
    const facts = await renderChapter(built.book, 'english');
    assert.equal(facts.parseError, 0);
    assert.deepEqual(facts.images, [900]);
    assert.equal(facts.notesShown, 2);
    assert.ok(facts.overflow <= 0, `no horizontal overflow (${facts.overflow}px)`);
    assert.match(facts.bodyFont, /^"Imprint Serif", "Imprint Serif CJK", "Noto Serif"/);
    assert.equal(facts.hyphens, 'auto');
    assert.equal(facts.textAlign, 'justify');
  });

  it('ends with a colophon giving the original URL and the rights statement', () => {
    const colophon = text(built.book, 'OEBPS/colophon.xhtml');
    assert.match(colophon, /<section id="colophon" class="colophon" epub:type="colophon"/);
    assert.match(colophon, /<dt>Source<\/dt><dd><a href="https:\/\/example.org\/articles\/harbour\?utm=1">https:\/\/example.org\/articles\/harbour\?utm=1<\/a><\/dd>/);
    assert.match(colophon, /<dt>Rights<\/dt><dd>© 2024 Example Press. Licensed under CC BY 4.0.<\/dd>/);
    assert.match(text(built.book, 'OEBPS/toc.xhtml'), /<a epub:type="colophon" href="colophon.xhtml">Colophon<\/a>/);
  });

  it('writes quotes in metadata and navigation as characters, and drops characters XML does not allow', async () => {
    const quoted = englishArticle();
    quoted.meta.title = 'The Harbour\'s "Quiet" Season\u0007';
    quoted.meta.keywords = ['tides & "currents"'];
    quoted.headings[3] = { depth: 2, id: 'discussion', text: 'It\'s <all> in the "moon"' };
    const { book, file } = await build({ article: quoted, cover, sourceDateEpoch: SDE });
    for (const name of ['OEBPS/content.opf', 'OEBPS/toc.xhtml', 'OEBPS/toc.ncx', 'OEBPS/article.xhtml']) {
      assert.doesNotMatch(text(book, name), /&#x?[0-9a-f]+;|\u0007/i, name);
    }
    const opf = text(book, 'OEBPS/content.opf');
    assert.deepEqual(dc(opf, 'title')[0], 'The Harbour\'s "Quiet" Season');
    assert.deepEqual(dc(opf, 'subject'), ['tides & "currents"']);
    assert.ok(text(book, 'OEBPS/toc.xhtml').includes('<a href="article.xhtml#discussion">It\'s &lt;all&gt; in the &quot;moon&quot;</a>'));
    await assertEpubcheckClean(file, false);
  });

  it('gets the same identifier from the same source URL, a different one from another', async () => {
    const other = englishArticle();
    other.meta.source = 'https://example.org/articles/another';
    const [a, b] = await Promise.all([build({ article: englishArticle(), cover }), build({ article: other, cover })]);
    const id = (book: Book): string[] => dc(text(book, 'OEBPS/content.opf'), 'identifier');
    assert.deepEqual(id(a.book), id(built.book));
    assert.notDeepEqual(id(b.book), id(built.book));
  });
});

describe('an article with 60 notes (traditional Chinese)', () => {
  let built: Built;
  before(() => {
    built = notesBook;
  });

  it('passes epubcheck with 0 errors, 0 warnings and only the expected usage hints', async () => {
    await assertEpubcheckClean(built.file, false, built.checked);
  });

  it('has 60 pop-up footnotes, each reference and back-link pointing at an element that exists', () => {
    const chapter = text(built.book, 'OEBPS/article.xhtml');
    const asides = [...chapter.matchAll(/<aside id="(note-\d+)" class="note note-(?:footnote|source)" epub:type="footnote" role="doc-footnote">/g)].map((m) => m[1]);
    assert.equal(asides.length, 60);
    const ids = new Set([...chapter.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    for (const [, href] of chapter.matchAll(/href="#([^"]+)"/g)) assert.ok(ids.has(href), `#${href} exists`);
    assert.equal((chapter.match(/epub:type="noteref"/g) ?? []).length, 60);
    assert.equal((chapter.match(/role="doc-backlink"/g) ?? []).length, 60);
    assert.match(chapter, /<aside id="note-10"[^>]*><p><b class="note-number">10\.<\/b> 註釋10：潮汐資料來自港務局。<\/p><p>第二段補充說明。 <a class="backlink"/);
  });

  it('uses the traditional-Chinese labels and stack', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    assert.deepEqual(dc(opf, 'language'), ['zh-TW']);
    assert.match(text(built.book, 'OEBPS/article.xhtml'), /<body class="article-page cjk zh-hant" epub:type="bodymatter">/);
    assert.match(text(built.book, 'OEBPS/article.xhtml'), /<h2 id="notes-title" class="notes-title">註釋<\/h2>/);
    assert.match(text(built.book, 'OEBPS/toc.xhtml'), /<h2 id="toc-title">目錄<\/h2>/);
    assert.deepEqual(dc(opf, 'identifier').length, 1, 'an identifier derived from the content');
  });
});

describe('epub.embedFonts', () => {
  let built: Built;
  before(() => {
    built = fontsBook;
  });

  it('passes epubcheck with 0 errors and 0 warnings', async () => {
    await assertEpubcheckClean(built.file, true, built.checked);
  });

  it('embeds only the woff2 slices whose unicode-range covers characters of the text, declared as font/woff2', () => {
    const opf = text(built.book, 'OEBPS/content.opf');
    const fonts = manifest(opf).filter((item) => item.href.startsWith('fonts/'));
    assert.ok(fonts.length > 0);
    assert.ok(fonts.every((item) => item.mediaType === 'font/woff2'));
    const css = text(built.book, 'OEBPS/style.css');
    const words = ['OEBPS/article.xhtml', 'OEBPS/toc.xhtml', 'OEBPS/colophon.xhtml'].map((name) => text(built.book, name).replace(/<[^>]+>/g, '')).join('');
    const chars = new Set([...words].map((c) => c.codePointAt(0) ?? 0));
    const rules = [...css.matchAll(/@font-face\{[^}]*url\(fonts\/([^)]+)\)[^}]*unicode-range:([^}]+)\}/g)];
    assert.equal(rules.length, fonts.length, 'one @font-face rule per embedded file');
    for (const [, file, range] of rules) {
      assert.ok(fonts.some((item) => item.href === `fonts/${file}`), `${file} in the manifest`);
      assert.equal(sniff(built.book.get(`OEBPS/fonts/${file}`) ?? new Uint8Array()), 'font/woff2');
      const ranges = parseUnicodeRange(range ?? '');
      assert.ok([...chars].some((c) => ranges.some(([lo, hi]) => c >= lo && c <= hi)), `${file} covers a character of the text`);
    }
    // Every Han character of the text is covered by an embedded regular CJK slice.
    const cjkRanges = rules.filter(([rule]) => /Imprint Serif CJK/.test(rule) && /font-weight:400/.test(rule)).flatMap(([, , range]) => parseUnicodeRange(range ?? ''));
    const han = [...chars].filter((c) => c >= 0x4e00 && c <= 0x9fff);
    assert.ok(han.length > 300);
    for (const c of han) assert.ok(cjkRanges.some(([lo, hi]) => c >= lo && c <= hi), `U+${c.toString(16)} covered`);
    const available = plannedFaces(fontPlan('zh-CN')).filter((face) => face.family === 'Imprint Serif' || face.family === 'Imprint Serif CJK').length;
    assert.ok(fonts.length < available / 3, `a subset (${fonts.length} of ${available} files)`);
  });
});

describe('a book of three chapters (the path a single article takes, with several articles)', () => {
  // The sample (simplified Chinese, real parse), the English article and the 60 notes (traditional
  // Chinese): each with its own language, author, images and notes.
  let book: Built;
  let english: AssetSet;
  const bookMeta: ArticleMeta = { title: '三篇文章', subtitle: '合集', author: '编者', publisher: '范例出版社', date: '2024-05-01', lang: 'zh-CN', keywords: ['合集'] };
  const options = async (): Promise<BuildBookEpubOptions> => ({
    config: config(),
    theme,
    meta: bookMeta,
    file: new VFile({ path: 'content/book/book.yaml', value: '' }),
    chapters: [
      { article: sample, assets: sampleImages },
      { article: englishArticle(), assets: english },
      { article: manyNotesArticle(), assets: new Map() },
    ],
    generatedCover: coverFor(bookMeta),
    sourceDateEpoch: SDE,
  });
  before(async () => {
    english = new Map<string, ResolvedImage>([['img-1', asset('img-1', await jpeg(300, 200, { r: 200, g: 10, b: 10 }), 'image/jpeg', 'jpg', 300, 200)]]);
    const bytes = await buildBookEpub(await options());
    const file = path.join(tmp, 'book-of-three.epub');
    await writeFile(file, bytes);
    book = { bytes, file, book: unzip(bytes), checked: epubcheck(file) };
  });

  it('passes epubcheck with 0 errors, 0 warnings and only the expected usage hints', async () => {
    await assertEpubcheckClean(book.file, false, book.checked);
  });

  it('reads cover, the three chapters in order, then the colophon, each chapter in its own language', () => {
    const opf = text(book.book, 'OEBPS/content.opf');
    const items = manifest(opf);
    assert.deepEqual(spine(opf).map((id) => items.find((item) => item.id === id)?.href), ['cover.xhtml', 'article-1.xhtml', 'article-2.xhtml', 'article-3.xhtml', 'colophon.xhtml']);
    assert.deepEqual(dc(opf, 'title'), ['三篇文章', '合集']);
    assert.deepEqual(dc(opf, 'language'), ['zh-CN']);
    const langs = [1, 2, 3].map((n) => /<html [^>]*xml:lang="([^"]+)"/.exec(text(book.book, `OEBPS/article-${n}.xhtml`))?.[1]);
    assert.deepEqual(langs, ['zh-CN', 'en-GB', 'zh-TW']);
    assert.match(text(book.book, 'OEBPS/article-2.xhtml'), /<body class="article-page latin" epub:type="bodymatter">/);
    assert.match(text(book.book, 'OEBPS/article-3.xhtml'), /<h2 id="notes-title" class="notes-title">註釋<\/h2>/, 'the chapter\'s own labels');
  });

  it('keeps each chapter\'s author, source and rights with it', () => {
    const head = (n: number): string => /<head>(.*?)<\/head>/s.exec(text(book.book, `OEBPS/article-${n}.xhtml`))?.[1] ?? '';
    assert.match(head(1), /<meta name="author" content="熊超然"\/>/);
    assert.match(head(1), /<meta name="dcterms.rights" content="本文系观察者网独家稿件，未经授权，不得转载。"\/>/);
    assert.match(head(2), /<meta name="author" content="Ada Lovelace"\/>/);
    assert.match(head(2), /<meta name="dcterms.source" content="https:\/\/example.org\/articles\/harbour\?utm=1"\/>/);
    assert.match(head(3), /<meta name="author" content="陳大文"\/>/);
    assert.doesNotMatch(head(3), /dcterms.source|dcterms.rights/, 'nothing made up');
  });

  it('keeps the images of chapters that number them alike apart, with their own bytes', () => {
    const opf = text(book.book, 'OEBPS/content.opf');
    const images = manifest(opf).filter((item) => item.mediaType.startsWith('image/') && !item.properties.includes('cover-image'));
    assert.deepEqual(images.map((item) => item.id), ['article-1-img-1', 'article-1-img-2', 'article-1-img-4', 'article-1-img-5', 'article-1-img-6', 'article-2-img-1']);
    assert.deepEqual(book.book.get('OEBPS/images/article-1-img-1.jpeg'), (sampleImages.get('img-1') as ImageAsset).bytes);
    assert.deepEqual(book.book.get('OEBPS/images/article-2-img-1.jpeg'), (english.get('img-1') as ImageAsset).bytes);
    assert.match(text(book.book, 'OEBPS/article-2.xhtml'), /<img src="images\/article-2-img-1.jpeg" alt="The harbour at low tide"/);
  });

  it('nests each chapter\'s headings and notes under its title in the nav and the NCX; every link has its target', () => {
    const nav = text(book.book, 'OEBPS/toc.xhtml');
    const toc = /<nav id="toc"[^>]*>.*?<\/nav>/s.exec(nav)?.[0] ?? '';
    const top = [...toc.matchAll(/<li><a href="([^"#]+)">/g)].map((m) => m[1]);
    assert.deepEqual(top, ['cover.xhtml', 'article-1.xhtml', 'article-2.xhtml', 'article-3.xhtml', 'colophon.xhtml']);
    assert.ok(toc.includes('<li><a href="article-2.xhtml#discussion">Discussion</a></li><li><a href="article-2.xhtml#notes">Notes</a></li><li><a href="article-2.xhtml#notes-2">Notes</a></li></ol></li>'), toc);
    assert.ok(toc.includes('<li><a href="article-3.xhtml">港口潮汐紀錄</a><ol><li><a href="article-3.xhtml#notes">註釋</a></li></ol></li>'), toc);
    assert.match(nav, /<a epub:type="bodymatter" href="article-1.xhtml">/);
    const ncx = text(book.book, 'OEBPS/toc.ncx');
    const orders = [...ncx.matchAll(/playOrder="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(orders, orders.map((_, i) => i + 1));
    assert.match(ncx, /<meta name="dtb:depth" content="4"\/>/, 'a chapter, then the English headings three deep');
    for (const n of [1, 2, 3]) {
      const chapter = text(book.book, `OEBPS/article-${n}.xhtml`);
      const ids = new Set([...chapter.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
      for (const [, href] of chapter.matchAll(/href="#([^"]+)"/g)) assert.ok(ids.has(href), `article-${n}.xhtml: #${href} exists`);
    }
    for (const [, href, id] of nav.matchAll(/href="(article-\d\.xhtml)#([^"]+)"/g)) {
      assert.match(text(book.book, `OEBPS/${href}`), new RegExp(` id="${id}"`), `${href}#${id}`);
    }
  });

  it('sums the chapters\' images and notes in the accessibility metadata', () => {
    const opf = text(book.book, 'OEBPS/content.opf');
    assert.deepEqual(metaProperty(opf, 'schema:accessMode'), ['textual', 'visual']);
    assert.deepEqual(metaProperty(opf, 'schema:accessibilityHazard'), ['unknown'], 'the sample\'s GIF');
  });

  it('rebuilds byte for byte', async () => {
    const again = await buildBookEpub(await options());
    assert.ok(Buffer.from(again).equals(Buffer.from(book.bytes)), 'byte-identical EPUB');
  });
});

describe('a theme\'s EPUB templates', () => {
  let built: Built;
  let templates: string;
  before(async () => {
    // A theme "probe" that changes two of the four package templates and leaves the others to the default theme.
    templates = path.join(tmp, 'templates');
    await cp(path.join(repoRoot, 'templates', 'default'), path.join(templates, 'default'), { recursive: true });
    await mkdir(path.join(templates, 'probe', 'epub'), { recursive: true });
    const chapterTemplate = await readFile(path.join(templates, 'default', 'epub', 'chapter.xhtml.ejs'), 'utf8');
    const packageTemplate = await readFile(path.join(templates, 'default', 'epub', 'content.opf.ejs'), 'utf8');
    assert.ok(chapterTemplate.includes('<link href="style.css"') && packageTemplate.includes('<dc:language>'));
    await writeFile(
      path.join(templates, 'probe', 'epub', 'chapter.xhtml.ejs'),
      chapterTemplate.replace('<link href="style.css"', '<meta name="generator" content="probe theme: <%= title %>"/>\n<link href="style.css"'),
    );
    await writeFile(
      path.join(templates, 'probe', 'epub', 'content.opf.ejs'),
      packageTemplate.replace('<dc:language>', '<dc:contributor>Probe Theme</dc:contributor>\n    <dc:language>'),
    );
    built = await build({ article: englishArticle(), theme: loadTheme('probe', templates), sourceDateEpoch: SDE }, true);
  });

  it('are what epub-gen-memory renders the book with', async () => {
    assert.match(text(built.book, 'OEBPS/article.xhtml'), /<meta name="generator" content="probe theme: The Quiet Harbour: Tides &amp; Currents"\/>/);
    assert.match(text(built.book, 'OEBPS/colophon.xhtml'), /<meta name="generator" content="probe theme: Colophon"\/>/);
    assert.deepEqual(dc(text(built.book, 'OEBPS/content.opf'), 'contributor'), ['Probe Theme']);
    await assertEpubcheckClean(built.file, false, built.checked);
  });

  it('are what epub-gen-memory renders a book with: every chapter, the contents page in the spine, the colophon', async () => {
    const probe = loadTheme('probe', templates);
    const meta: BookMeta = { title: '双语合集', authors: [], editors: ['编者'], lang: 'zh-CN', keywords: [] };
    const bytes = await buildBookEpub({
      config: config(),
      theme: probe,
      meta: { title: meta.title, lang: meta.lang, keywords: [] },
      book: meta,
      file: new VFile({ path: 'content/pair/book.yaml', value: '' }),
      chapters: [
        { article: englishArticle(), assets: new Map() },
        { article: manyNotesArticle(), assets: new Map() },
      ],
      generatedCover: coverFor({ title: meta.title, lang: meta.lang, keywords: [] }),
      sourceDateEpoch: SDE,
    });
    const file = path.join(tmp, 'probe-book.epub');
    await writeFile(file, bytes);
    const book = unzip(bytes);
    assert.match(text(book, 'OEBPS/article-1.xhtml'), /<meta name="generator" content="probe theme: The Quiet Harbour: Tides &amp; Currents"\/>/);
    assert.match(text(book, 'OEBPS/article-2.xhtml'), /<meta name="generator" content="probe theme: 港口潮汐紀錄"\/>/);
    assert.match(text(book, 'OEBPS/colophon.xhtml'), /<meta name="generator" content="probe theme: 版权信息"\/>/);
    const opf = text(book, 'OEBPS/content.opf');
    assert.deepEqual(dc(opf, 'contributor'), ['Probe Theme']);
    assert.deepEqual(spine(opf), ['cover', 'nav', 'article-1', 'article-2', 'colophon']);
    await assertEpubcheckClean(file, false);
  });

  it('fall back to the default theme\'s where the theme has none', async () => {
    const plain = await build({ article: englishArticle(), sourceDateEpoch: SDE });
    assert.equal(text(built.book, 'OEBPS/toc.xhtml'), text(plain.book, 'OEBPS/toc.xhtml'));
    assert.equal(text(built.book, 'OEBPS/toc.ncx'), text(plain.book, 'OEBPS/toc.ncx'));
    assert.doesNotMatch(text(plain.book, 'OEBPS/article.xhtml'), /probe theme/);
    assert.deepEqual(dc(text(plain.book, 'OEBPS/content.opf'), 'contributor'), []);
  });
});

describe('security: the generator is never handed a URL or a path', () => {
  it('makes no request and reads no file for image and cover URLs in the article', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const evil = article(
        { title: 'Evil', lang: 'en', cover: `${url}/cover.png` },
        [
          h('figure', { className: ['figure'] }, [h('img', { dataImageId: 'img-1', src: `${url}/a.png`, alt: 'a' })]),
          h('p', [h('img', { dataImageId: 'img-2', src: 'file:///etc/passwd', alt: 'b' }), h('img', { src: '/etc/hostname', alt: 'c' })]),
        ],
        { images: [{ id: 'img-1', url: `${url}/a.png`, alt: 'a' }, { id: 'img-2', url: 'file:///etc/passwd', alt: 'b' }] },
      );
      const { book, file } = await build({
        article: evil,
        assets: new Map([['img-1', asset('img-1', await jpeg(100, 100, { r: 1, g: 2, b: 3 }), 'image/jpeg', 'jpg', 100, 100)]]),
      });
      assert.equal(requests, 0, 'no HTTP request');
      const all = Buffer.concat([...book.values()].map((b) => Buffer.from(b)));
      assert.ok(!all.includes('root:x:0:0'), '/etc/passwd not read');
      const chapter = text(book, 'OEBPS/article.xhtml');
      for (const [, src] of chapter.matchAll(/ src="([^"]*)"/g)) assert.match(src ?? '', /^images\//);
      await assertEpubcheckClean(file, false);
    } finally {
      server.close();
    }
  });
});

describe('building blocks', () => {
  it('serializes XHTML: closed void elements, valued boolean attributes, escaped text, no entities for CJK', () => {
    const out = toXhtml([h('p', { hidden: true, dataNoteId: 'x', ariaLabel: 'a"b' }, ['中文 & <b>', h('br'), h('img', { src: 'a.png', alt: '' })])]);
    assert.equal(out, '<p hidden="hidden" data-note-id="x" aria-label="a&quot;b">中文 &amp; &lt;b><br/><img src="a.png" alt=""/></p>');
    assert.equal(escapeText('a\u0000b\uFFFEc ]]> d'), 'abc ]]&gt; d');
  });

  it('makes ids XML names', () => {
    assert.equal(xmlName('2023年回顾'), 'id-2023年回顾');
    assert.equal(xmlName('a b/c'), 'a-b-c');
    assert.equal(xmlName('中美关系'), '中美关系');
  });

  it('sorts personal names family name first, CJK names as written', () => {
    assert.equal(fileAs('Ada Lovelace'), 'Lovelace, Ada');
    assert.equal(fileAs('  Grace  Brewster Hopper '), 'Hopper, Grace Brewster');
    assert.equal(fileAs('Martin Luther King Jr.'), 'King, Martin Luther, Jr.');
    assert.equal(fileAs('Lovelace, Ada'), 'Lovelace, Ada');
    assert.equal(fileAs('Plato'), 'Plato');
    assert.equal(fileAs('熊超然'), '熊超然');
    assert.equal(fileAs('村上 春樹'), '村上 春樹');
  });

  it('derives RFC 4122 version 5 UUIDs', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org') == 886313e1-3b8a-5372-9b90-0c9aee199e5d
    assert.equal(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('the EPUB style sheets avoid what e-readers choke on', () => {
    for (const name of ['epub.css', 'base.css'] as const) {
      const css = theme.files[name].replace(/\/\*[\s\S]*?\*\//g, '');
      assert.doesNotMatch(css, /display\s*:\s*(flex|inline-flex|grid|inline-grid)/, `${name}: no flexbox or grid`);
      assert.doesNotMatch(css, /\d(vw|vh|vmin|vmax)\b/, `${name}: no viewport units`);
      assert.doesNotMatch(css, /position\s*:\s*fixed/, `${name}: no fixed positioning`);
    }
  });
});
