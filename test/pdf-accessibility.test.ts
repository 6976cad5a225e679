/**
 * The PDF's accessibility structure (issue 15), on real Chromium PDFs read back with poppler, qpdf
 * and Imprint's PDF/UA-1 checker: the sample, an English essay with a table, lists, a picture and
 * a paragraph longer than a page (test/fixtures/pdf-accessibility/essay.md), and a book of 150
 * notes, some of them longer than the room at a page's foot. Then copies of the essay, each with
 * one rule broken, to see the checker name that rule.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync, inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { VFile } from 'vfile';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { checkPdf, type CheckProblem, type CheckRuleId } from '../src/check/pdf.js';
import { articleConfig } from '../src/config/merge.js';
import { resolveConfig } from '../src/config/schema.js';
import { renderDocument } from '../src/html/document.js';
import type { Article, AssetSet } from '../src/model.js';
import { parseArticle } from '../src/parse/article.js';
import { objectDict, objectValue, readPdf, streamData, writeWholeFile, type PdfFile, type UpdatedObject } from '../src/pdf/incremental.js';
import { arrayItems, parseRef, writeDict, writeText, type PdfDict, type PdfRef } from '../src/pdf/incremental-syntax.js';
import { finishPdf } from '../src/pdf/metadata.js';
import { tagLabelsFor, tagPrintDocument } from '../src/pdf/tag-plan.js';
import { printPdf } from '../src/stages/print-pdf.js';
import { readArticle } from '../src/stages/read.js';
import { loadTheme } from '../src/theme/theme.js';
import { fixturesDir, sampleArticle } from './helpers/paths.js';
import { pdftext, tool } from './helpers/tools.js';

const exec = promisify(execFile);

let dir = '';
let browser: Browser;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-pdf-a11y-'));
  browser = await openBrowser();
});

after(async () => {
  await closeBrowser(browser);
  await rm(dir, { recursive: true, force: true });
});

interface Built {
  file: string;
  bytes: Uint8Array;
  pages: number;
  article: Article;
}

/** Every image of the article: a real picture, or (each `missingEvery`th) a missing one with a known size. */
async function assetsFor(article: Article, missingEvery = 0): Promise<AssetSet> {
  const assets: AssetSet = new Map();
  for (const [i, image] of article.images.entries()) {
    if (missingEvery > 0 && i % missingEvery === missingEvery - 1) {
      assets.set(image.id, { kind: 'placeholder', id: image.id, reason: 'unreachable (test)', width: 800, height: 500 });
      continue;
    }
    const bytes = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 120, g: 90, b: 60 } } }).png().toBuffer();
    assets.set(image.id, { kind: 'image', id: image.id, mediaType: 'image/png', ext: 'png', bytes: new Uint8Array(bytes), width: 640, height: 400 });
  }
  return assets;
}

async function build(article: Article, assets: AssetSet, name: string): Promise<Built> {
  const config = articleConfig(resolveConfig({}), article.file.data.frontMatter, { file: article.file });
  const theme = loadTheme('default');
  const html = renderDocument(article, assets, { target: 'print', theme, config });
  const printed = await printPdf(browser, { config, theme, article, html, assets });
  const file = path.join(dir, `${name}.pdf`);
  await writeFile(file, printed.bytes);
  return { file, ...printed, article };
}

const parse = (markdown: string, name: string): Article => parseArticle(new VFile({ path: `${name}.md`, value: markdown }), { name, path: `${name}.md` });

/** poppler's view of the structure tree; fails on anything poppler reports on stderr (e.g. a type it drops). */
async function structText(file: string): Promise<string> {
  const { stdout, stderr } = await exec('pdfinfo', ['-struct-text', file], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  assert.equal(stderr.trim(), '', `poppler reads the structure without complaint: ${stderr.slice(0, 300)}`);
  return stdout;
}

/** The text poppler shows under each element whose line matches `head` (its indented block). */
function blocks(struct: string, head: RegExp): string[] {
  const lines = struct.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (!head.test(line.trim())) return;
    const indent = line.length - line.trimStart().length;
    let text = '';
    for (let j = i + 1; j < lines.length && (lines[j] as string).length - (lines[j] as string).trimStart().length > indent; j++) {
      const m = /^\s*"(.*)"$/.exec(lines[j] as string);
      if (m) text += m[1];
    }
    out.push(text);
  });
  return out;
}

const rules = (problems: readonly CheckProblem[]): string[] => problems.map((p) => `${p.ruleId}: ${p.reason}`);
const tagWarnings = (article: Article): string[] => article.file.messages.filter((m) => m.ruleId === 'pdf-tags').map((m) => m.reason);

async function assertConforms(built: Built): Promise<void> {
  assert.deepEqual(tagWarnings(built.article), [], 'no accessibility warnings while printing');
  const checked = await checkPdf(built.file);
  assert.deepEqual(rules(checked.problems), [], 'the PDF/UA-1 check finds nothing');
  assert.ok((checked.facts?.structure?.elements ?? 0) > 20, 'the check looked at a real structure tree');
  const qpdf = await tool('qpdf', ['--check', built.file]);
  assert.match(qpdf, /No syntax or stream encoding errors found/);
  assert.doesNotMatch(qpdf, /WARNING/);
}

describe('the sample article', () => {
  let built: Built;
  let struct = '';
  before(async () => {
    const file = await readArticle(sampleArticle, { displayPath: 'content/biden-xi-summit.md', maxInputBytes: 2 * 1024 * 1024 });
    const article = parseArticle(file, { name: 'biden-xi-summit', path: 'content/biden-xi-summit.md' });
    // Offline, as the sample is published here: every picture is a placeholder frame.
    built = await build(article, await assetsFor(article, 1), 'sample');
    struct = await structText(built.file);
  });

  it('passes the PDF/UA-1 check, qpdf and poppler', async () => {
    await assertConforms(built);
  });

  it('is one article in a Document: no page wrappers, every note a Note poppler reads', () => {
    const top = struct.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim());
    assert.deepEqual(top, ['Art', 'Div'], 'the article, then the colophon');
    assert.equal((struct.match(/^\s*Note <note-\d+>/gm) ?? []).length, built.article.notes.length);
    assert.doesNotMatch(struct, /NonStruct|Aside/);
    // The colophon is headed by the article's title, as a heading in the tags but not as a second bookmark.
    const colophon = struct.slice(struct.lastIndexOf('\n  Div'));
    assert.match(colophon, /^\s+H2 \(block\)\n\s+"拜登谈中美会晤目标/m);
  });

  it('gives each placeholder a description of its own, not its caption', async () => {
    const raw = await readFile(built.file);
    const alts = [...Buffer.from(raw).toString('latin1').matchAll(/\/S \/Figure[^>]*?\/Alt (<[0-9A-F]+>|\([^)]*\))/g)].length;
    assert.ok(alts >= 1, 'Figures carry /Alt');
    const checked = await checkPdf(built.file);
    assert.ok(!rules(checked.problems).some((r) => r.startsWith('pdfua-figure-alt')));
  });
});

describe('an English essay with a table, lists, a picture and a paragraph longer than a page', () => {
  let built: Built;
  let struct = '';
  let raw = '';
  before(async () => {
    const markdown = await readFile(path.join(fixturesDir, 'pdf-accessibility', 'essay.md'), 'utf8');
    const article = parse(markdown, 'essay');
    built = await build(article, await assetsFor(article), 'essay');
    struct = await structText(built.file);
    raw = await tool('qpdf', ['--qdf', '--object-streams=disable', built.file, '-']);
  });

  it('passes the PDF/UA-1 check, qpdf and poppler', async () => {
    await assertConforms(built);
  });

  it('keeps the paragraph the page break cut in two as one P, in reading order', async () => {
    const first = (await pdftext(built.file)).split('\f').findIndex((page) => page.includes('SPLITSTART'));
    const last = (await pdftext(built.file)).split('\f').findIndex((page) => page.includes('SPLITEND'));
    assert.ok(first >= 0 && last > first, `the paragraph runs over a page break (pages ${first + 1}–${last + 1})`);
    const paragraphs = blocks(struct, /^P( \(block\))?$/).filter((t) => t.includes('SPLITSTART') || t.includes('SPLITEND'));
    assert.equal(paragraphs.length, 1, 'one P holds the whole paragraph');
    assert.match(paragraphs[0] ?? '', /^SPLITSTART .*SPLITEND$/);
  });

  it('tags the table, the lists with labels and bodies, the quotation and the picture with its caption', () => {
    for (const type of ['Table', 'TR', 'TH', 'TD', 'L', 'LI', 'Lbl', 'LBody', 'BlockQuote', 'Figure', 'Caption', 'H1', 'H2']) {
      assert.match(struct, new RegExp(`^\\s*${type}\\b`, 'm'), `${type} in the structure`);
    }
    assert.equal(blocks(struct, /^TR$/).length, 6, 'a header row and five rows, the header once');
    assert.deepEqual(blocks(struct, /^Lbl/).filter((t) => t !== '').map((t) => t.trim()), ['1.', '2.', '3.', '4.']);
    assert.match(raw, /\/Alt \(Image 1, described in its caption\)/);
  });

  it('role-maps emphasis to Span and describes every link', () => {
    assert.match(raw, /\/RoleMap <<[^>]*\/Em \/Span/);
    assert.match(raw, /\/Strong \/Span/);
    assert.match(raw, /\/Contents \(https:\/\/pdfa\.org\/resource\/tagged-pdf-best-practice-guide-syntax\/\)/);
    assert.match(raw, /\/Contents \(Note 1\)/);
    assert.match(raw, /\/Contents \(Back to the text\)/);
  });

  it('says PDF 1.7 and PDF/UA-1 in the file and its metadata', async () => {
    assert.match(Buffer.from(built.bytes.subarray(0, 9)).toString('latin1'), /^%PDF-1\.7/);
    assert.match(raw, /<pdfuaid:part>1<\/pdfuaid:part>/);
    const info = await tool('pdfinfo', [built.file]);
    assert.match(info, /PDF version:\s+1\.7/);
  });

  it('keeps running heads and page numbers on the page, as artifacts', async () => {
    const text = (await pdftext(built.file)).split('\f');
    assert.match(text[1] ?? '', /On Footnotes, Tables and Lists/);
    assert.match(raw, /\/Artifact BMC/);
  });
});

// ---- A book of notes -----------------------------------------------------------------------

const SENTENCES = [
  '中美两国元首在旧金山举行会晤，双方就事关中美关系的战略性、全局性、方向性问题坦诚深入地交换了意见。',
  '会晤前夕，两国发表关于加强合作应对气候危机的阳光之乡声明，宣布将重启双边气候工作组。',
  '分析人士指出，恢复两军之间的高层沟通有助于降低误判风险，使双边关系回到稳定发展的轨道。',
];

function notesBook(count: number): string {
  const lines = ['---', 'title: 注释之书：一百五十条脚注', 'author: 测试作者', 'date: 2024-03-01', 'lang: zh-CN', '---', ''];
  const defs: string[] = [];
  for (let n = 1; n <= count; ) {
    const parts: string[] = [];
    for (let s = 0; s < 4 && n <= count; s++, n++) {
      parts.push(`${SENTENCES[(n + s) % 3] as string}[^n${n}]`);
      // Every 25th note is longer than the room at the foot of a page: it continues on the next.
      const body = n % 25 === 0 ? `NSTART${n} ${Array.from({ length: 60 }, (_, k) => SENTENCES[k % 3]).join('')} NEND${n}` : `第 ${n} 条注释：${SENTENCES[n % 3]?.slice(0, 20)}。`;
      defs.push(`[^n${n}]: ${body}`);
    }
    lines.push(parts.join(''), '');
  }
  lines.push(...defs, '');
  return lines.join('\n');
}

describe('a book of 150 notes', () => {
  let built: Built;
  let struct = '';
  before(async () => {
    const article = parse(notesBook(150), 'notes');
    built = await build(article, new Map(), 'notes');
    struct = await structText(built.file);
  });

  it('passes the PDF/UA-1 check, qpdf and poppler', async () => {
    await assertConforms(built);
  });

  it('has 150 Notes with their IDs, in order, each after the paragraph that refers to it', () => {
    const ids = [...struct.matchAll(/^\s*Note <note-(\d+)>/gm)].map((m) => Number(m[1]));
    assert.deepEqual(ids, Array.from({ length: 150 }, (_, i) => i + 1));
    // Reading order: a paragraph, then its notes.
    const top = struct.split('\n').filter((l) => /^ {4}\S/.test(l)).map((l) => l.trim().replace(/ .*/, ''));
    assert.equal(top[0], 'H1');
    assert.equal(top[1], 'P');
    assert.deepEqual(top.slice(2, 6), ['Note', 'Note', 'Note', 'Note']);
  });

  it('keeps a note that runs over to the next page as one Note', async () => {
    const pages = (await pdftext(built.file)).split('\f');
    const split = [25, 50, 75, 100, 125, 150].filter((n) => pages.findIndex((p) => p.includes(`NSTART${n}`)) !== pages.findIndex((p) => p.includes(`NEND${n}`)));
    assert.ok(split.length > 0, 'at least one long note runs over a page');
    const notes = blocks(struct, /^Note <note-\d+>/);
    for (const n of split) {
      const holding = notes.filter((t) => t.includes(`NSTART${n}`) || t.includes(`NEND${n}`));
      assert.equal(holding.length, 1, `note ${n} is one Note`);
      assert.match(holding[0] ?? '', new RegExp(`NSTART${n} .*NEND${n}`));
    }
  });
});

describe('a span in another language', () => {
  it('keeps its /Lang as a Span', async () => {
    const page = await browser.newPage();
    let raw: Uint8Array;
    let plan;
    try {
      await page.setContent('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lang</title></head><body><article><p>Good morning, or <span lang="fr">bonjour</span>, to all.</p></article></body></html>');
      plan = await page.evaluate(tagPrintDocument, tagLabelsFor('en'));
      raw = await page.pdf({ tagged: true });
    } finally {
      await page.close();
    }
    const finished = await finishPdf(raw, { title: 'Lang', keywords: [], lang: 'en', creator: 'Imprint' }, plan);
    assert.deepEqual(finished.problems, []);
    const file = path.join(dir, 'lang.pdf');
    await writeFile(file, finished.bytes);
    const text = await tool('qpdf', ['--qdf', '--object-streams=disable', file, '-']);
    assert.match(text, /\/Lang \(fr\)\s+\/P \d+ 0 R\s+\/Pg \d+ 0 R\s+\/S \/Span/);
    assert.deepEqual(rules((await checkPdf(file)).problems), []);
  });
});

// ---- Broken copies ---------------------------------------------------------------------------

/** Objects whose value matches `pattern`, in object-number order. */
function find(pdf: PdfFile, pattern: RegExp): PdfRef[] {
  const refs: PdfRef[] = [];
  for (const [num, entry] of [...pdf.xref].sort((a, b) => a[0] - b[0])) {
    const ref = { num, gen: entry.gen };
    if (pattern.test(objectValue(pdf, ref))) refs.push(ref);
  }
  return refs;
}

function edit(pdf: PdfFile, ref: PdfRef | undefined, change: (dict: PdfDict) => void): UpdatedObject {
  assert.ok(ref, 'the object to break exists');
  const dict = new Map(objectDict(pdf, ref).dict);
  change(dict);
  return { ref, body: Buffer.from(writeDict(dict), 'latin1') };
}

/** Page 1's content stream, changed. */
function editContent(pdf: PdfFile, change: (text: string) => string): UpdatedObject {
  const catalog = objectDict(pdf, parseRef(pdf.trailer.get('/Root')) as PdfRef).dict;
  let node = objectDict(pdf, parseRef(catalog.get('/Pages')) as PdfRef).dict;
  while (node.get('/Kids') !== undefined) node = objectDict(pdf, parseRef(arrayItems(node.get('/Kids') as string)[0]) as PdfRef).dict;
  const ref = parseRef(node.get('/Contents')) as PdfRef;
  const stream = streamData(pdf, ref);
  const data = Buffer.from(change(inflateSync(pdf.bytes.subarray(stream.start, stream.end)).toString('latin1')), 'latin1');
  const packed = deflateSync(data);
  return { ref, body: Buffer.concat([Buffer.from(`<</Filter /FlateDecode /Length ${packed.length}>>\nstream\n`, 'latin1'), packed, Buffer.from('\nendstream', 'latin1')]) };
}

describe('the checker on broken copies of the essay', () => {
  let source: Uint8Array;
  let pdf: PdfFile;
  before(async () => {
    const markdown = await readFile(path.join(fixturesDir, 'pdf-accessibility', 'essay.md'), 'utf8');
    const article = parse(markdown, 'essay-broken');
    source = (await build(article, await assetsFor(article), 'essay-source')).bytes;
    pdf = readPdf(source);
  });

  const root = (): PdfRef => parseRef(pdf.trailer.get('/Root')) as PdfRef;
  const trailer = (): PdfDict => new Map([['/Root', pdf.trailer.get('/Root') as string], ['/Info', pdf.trailer.get('/Info') as string]]);
  const catalog = (): PdfDict => objectDict(pdf, root()).dict;
  const treeRoot = (): PdfRef => parseRef(catalog().get('/StructTreeRoot')) as PdfRef;
  const retype = (from: string, to: string): UpdatedObject => edit(pdf, find(pdf, new RegExp(`/S /${from}\\b`))[0], (d) => d.set('/S', `/${to}`));

  const cases: Array<{ rule: CheckRuleId; what: string; change: () => { objects: UpdatedObject[]; version?: string } }> = [
    { rule: 'pdfua-untagged-content', what: 'text painted outside marked content', change: () => ({ objects: [editContent(pdf, (t) => `${t}\nBT /F4 9 Tf 1 0 0 -1 10 10 Tm <0014> Tj ET\n`)] }) },
    { rule: 'pdfua-artifact-nesting', what: 'tagged content inside an artifact', change: () => ({ objects: [editContent(pdf, (t) => `/Artifact BMC\n${t}\nEMC\n`)] }) },
    { rule: 'pdfua-mcid', what: 'an MCID the structure tree does not know', change: () => ({ objects: [editContent(pdf, (t) => t.replace(/\/MCID 1 /, '/MCID 900 '))] }) },
    { rule: 'pdfua-figure-alt', what: 'a Figure without /Alt', change: () => ({ objects: [edit(pdf, find(pdf, /\/S \/Figure\b/)[0], (d) => d.delete('/Alt'))] }) },
    { rule: 'pdfua-figure-alt', what: 'a Figure whose /Alt is its caption', change: () => ({ objects: [edit(pdf, find(pdf, /\/S \/Figure\b/)[0], (d) => d.set('/Alt', writeText('A printing press drawn for this test: a frame, a platen and a screw.')))] }) },
    { rule: 'pdfua-note-id', what: 'a Note without /ID', change: () => ({ objects: [edit(pdf, find(pdf, /\/S \/Note\b/)[0], (d) => d.delete('/ID'))] }) },
    { rule: 'pdfua-link', what: 'a link without /Contents', change: () => ({ objects: [edit(pdf, find(pdf, /\/Subtype \/Link\b/)[0], (d) => d.delete('/Contents'))] }) },
    { rule: 'pdfua-link', what: 'a link annotation in a Span', change: () => ({ objects: [retype('Link', 'Span')] }) },
    { rule: 'pdfua-tabs', what: 'a page with links but no /Tabs', change: () => ({ objects: [edit(pdf, find(pdf, /\/Type \/Page\b[\s\S]*\/Annots/)[0] ?? find(pdf, /\/Annots[\s\S]*\/Type \/Page\b/)[0], (d) => d.delete('/Tabs'))] }) },
    { rule: 'pdfua-structure-type', what: 'Em without a role map', change: () => ({ objects: [edit(pdf, treeRoot(), (d) => d.delete('/RoleMap'))] }) },
    { rule: 'pdfua-structure-type', what: 'a standard type remapped', change: () => ({ objects: [edit(pdf, treeRoot(), (d) => d.set('/RoleMap', '<</Em /Span /Strong /Span /P /Span>>'))] }) },
    { rule: 'pdfua-list', what: 'a list item body retyped', change: () => ({ objects: [retype('LBody', 'P')] }) },
    { rule: 'pdfua-table', what: 'a table row retyped', change: () => ({ objects: [retype('TR', 'P')] }) },
    { rule: 'pdfua-headings', what: 'a skipped heading level', change: () => ({ objects: [retype('H2', 'H4')] }) },
    { rule: 'pdf-article-structure', what: 'a second article', change: () => ({ objects: [retype('BlockQuote', 'Art')] }) },
    { rule: 'pdfua-lang', what: 'no document language', change: () => ({ objects: [edit(pdf, root(), (d) => d.delete('/Lang'))] }) },
    { rule: 'pdfua-display-title', what: 'the file name shown instead of the title', change: () => ({ objects: [edit(pdf, root(), (d) => d.set('/ViewerPreferences', '<</DisplayDocTitle false>>'))] }) },
    { rule: 'pdfua-suspects', what: 'tags marked suspect', change: () => ({ objects: [edit(pdf, root(), (d) => d.set('/MarkInfo', '<</Marked true /Suspects true>>'))] }) },
    { rule: 'pdfua-version', what: 'PDF 1.4', change: () => ({ objects: [], version: '1.4' }) },
    {
      rule: 'pdfua-identification',
      what: 'no pdfuaid in the XMP',
      change: () => {
        const ref = parseRef(catalog().get('/Metadata')) as PdfRef;
        const stream = streamData(pdf, ref);
        const xmp = Buffer.from(pdf.bytes.subarray(stream.start, stream.end)).toString('utf8').replace(/<pdfuaid:part>1<\/pdfuaid:part>\n?/, '');
        const data = Buffer.from(xmp, 'utf8');
        return { objects: [{ ref, body: Buffer.concat([Buffer.from(`<</Type /Metadata /Subtype /XML /Length ${data.length}>>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]) }] };
      },
    },
  ];

  it('finds nothing in the unbroken copy', async () => {
    const file = path.join(dir, 'unbroken.pdf');
    await writeFile(file, writeWholeFile(pdf, [], new Set(), trailer(), '1.7').bytes);
    assert.deepEqual(rules((await checkPdf(file)).problems), []);
  });

  for (const [i, c] of cases.entries()) {
    it(`names ${c.rule} for ${c.what}`, async () => {
      const { objects, version } = c.change();
      const file = path.join(dir, `broken-${i}.pdf`);
      await writeFile(file, writeWholeFile(pdf, objects, new Set(), trailer(), version ?? '1.7').bytes);
      const found = (await checkPdf(file)).problems.map((p) => p.ruleId);
      assert.ok(found.includes(c.rule), `${c.rule} in ${found.join(', ') || 'nothing'}`);
    });
  }
});


