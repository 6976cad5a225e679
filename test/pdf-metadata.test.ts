/**
 * finishPdf on real Chromium PDFs, checked with qpdf and poppler: the metadata a reader sees
 * (pdfinfo, XMP, /Lang), trim and bleed boxes, Chromium's content kept (same text, font programs
 * copied byte for byte), no clock time and no user agent left anywhere, byte-identical results
 * from PDFs printed at different times, and a clear refusal of files it cannot read safely.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scheduler } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'puppeteer-core';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { PdfUpdateError } from '../src/pdf/incremental.js';
import { finishPdf, type PdfMetadata } from '../src/pdf/metadata.js';
import { pdffonts, pdfinfo, pdftext, tool } from './helpers/tools.js';

const MM = 72 / 25.4;

let browser: Browser;
let dir = '';

/** Chromium's own PDF (tagged, with an outline, as printPdf asks for) of `pages` pages of `width`×`height` mm. */
async function chromiumPdf(width: number, height: number, pages: number): Promise<Uint8Array> {
  const sections = Array.from(
    { length: pages },
    (_, i) => `<section><h1>Part ${i + 1}</h1><p>Page ${i + 1} of the incremental update test. 中美两国元首在旧金山举行会晤。</p></section>`,
  ).join('');
  const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Raw</title><style>@page { size: ${width}mm ${height}mm; margin: 15mm } section { break-after: page } section:last-child { break-after: auto }</style></head><body>${sections}</body></html>`;
  const page = await browser.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true });
  } finally {
    await page.close();
  }
}

let written = 0;
async function save(bytes: Uint8Array, name: string): Promise<string> {
  const file = path.join(dir, `${++written}-${name}.pdf`);
  await writeFile(file, bytes);
  return file;
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

/** The instant of a PDF date string, D:YYYYMMDDHHmmSS followed by Z or an offset such as +08'00'. */
function pdfDate(text: string): number {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:Z|([+-])(\d{2})'(\d{2})'?)?/.exec(text);
  assert.ok(m, `a PDF date: ${text}`);
  const [, year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = m.map(Number);
  const utc = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
  const offset = m[7] === undefined ? 0 : ((offsetHours as number) * 60 + (offsetMinutes as number)) * 60_000;
  return m[7] === '-' ? utc + offset : utc - offset;
}

/** Resolves once the system clock (the one Chromium reads) shows `instant` or later. */
async function clockPast(instant: number): Promise<void> {
  const left = instant - Date.now();
  if (left > 0) await scheduler.wait(left);
  assert.ok(Date.now() >= instant);
}

/** qpdf --check: exit status 0 means no errors and no warnings (2 and 3 make tool() throw). */
async function qpdfCheck(file: string): Promise<string> {
  const out = await tool('qpdf', ['--check', file]);
  assert.match(out, /No syntax or stream encoding errors found/);
  assert.doesNotMatch(out, /WARNING/);
  return out;
}

type Json = Record<string, unknown>;

/** qpdf's view of the file: objects by "obj:N G R", the trailer, and page objects in order. */
async function qpdfObjects(file: string): Promise<{ object: (ref: unknown) => Json; trailer: Json; pages: Json[] }> {
  const json = JSON.parse(await tool('qpdf', ['--json=2', '--json-key=qpdf', '--json-key=pages', file])) as Json;
  const objects = (json['qpdf'] as [unknown, Record<string, { value?: unknown; stream?: { dict: unknown } }>])[1];
  const object = (ref: unknown): Json => {
    const entry = objects[`obj:${String(ref)}`];
    return (entry?.value ?? entry?.stream?.dict ?? {}) as Json;
  };
  const pages = (json['pages'] as { object: string }[]).map((p) => object(p.object));
  return { object, trailer: objects['trailer']?.value as Json, pages };
}

/** The whole file with every stream decompressed, as text: what `strings` would search. */
const expanded = (file: string): Promise<string> => tool('qpdf', ['--qdf', '--object-streams=disable', file, '-']);

const meta: PdfMetadata = {
  title: 'Incremental (update) \\ test：增量更新',
  author: '熊超然 𠮷',
  subject: 'Trade & technology, “quoted”',
  keywords: ['PDF', '元数据'],
  lang: 'zh-CN',
  creator: 'Imprint',
  date: new Date(Date.UTC(2023, 10, 15, 8, 30, 5)),
};

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-pdf-metadata-'));
  browser = await openBrowser();
});

after(async () => {
  await closeBrowser(browser);
  await rm(dir, { recursive: true, force: true });
});

describe('finishPdf on a Chromium PDF', () => {
  let raw: Uint8Array;
  let rawFile = '';
  let finished: { bytes: Uint8Array; pages: number };
  let file = '';

  before(async () => {
    raw = await chromiumPdf(148, 210, 3);
    rawFile = await save(raw, 'raw');
    finished = await finishPdf(raw, meta);
    file = await save(finished.bytes, 'finished');
  });

  it('writes a file qpdf checks without errors or warnings, with the page count', async () => {
    await qpdfCheck(file);
    assert.equal(finished.pages, 3);
    assert.equal(Number((await pdfinfo(file))['Pages']), 3);
  });

  it('shows the article metadata in pdfinfo, with Chromium’s engine in the producer', async () => {
    const chromium = await pdfinfo(rawFile);
    assert.match(chromium['Producer'] ?? '', /^Skia\/PDF m\d+$/);
    const info = await pdfinfo(file);
    assert.equal(info['Title'], meta.title);
    assert.equal(info['Author'], meta.author);
    assert.equal(info['Subject'], meta.subject);
    assert.equal(info['Keywords'], 'PDF, 元数据');
    assert.equal(info['Creator'], 'Imprint');
    assert.equal(info['Producer'], `Imprint (${chromium['Producer']})`);
    assert.equal(info['CreationDate'], '2023-11-15T08:30:05Z');
    assert.equal(info['ModDate'], '2023-11-15T08:30:05Z');
    assert.equal(info['Tagged'], 'yes');
    assert.equal(info['Metadata Stream'], 'yes');
    assert.equal(info['Page size'], chromium['Page size']);
  });

  it('sets /Lang, shows the title in the window, and links an XMP packet whose document id is the trailer /ID', async () => {
    const { object, trailer } = await qpdfObjects(file);
    const catalog = object(trailer['/Root']);
    assert.equal(catalog['/Lang'], 'u:zh-CN');
    assert.deepEqual(catalog['/ViewerPreferences'], { '/DisplayDocTitle': true, '/Type': '/ViewerPreferences' });
    const xmpDict = object(catalog['/Metadata']);
    assert.equal(xmpDict['/Type'], '/Metadata');
    assert.equal(xmpDict['/Subtype'], '/XML');

    const xmp = await tool('pdfinfo', ['-meta', file]);
    assert.ok(xmp.includes(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${meta.title}</rdf:li></rdf:Alt></dc:title>`), xmp);
    assert.ok(xmp.includes('<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Trade &amp; technology, “quoted”</rdf:li>'), 'subject XML-escaped');
    assert.ok(xmp.includes('<dc:language><rdf:Bag><rdf:li>zh-CN</rdf:li></rdf:Bag></dc:language>'));
    assert.ok(xmp.includes('<xmp:CreateDate>2023-11-15T08:30:05Z</xmp:CreateDate>'));
    const documentId = /<xmpMM:DocumentID>uuid:([0-9a-f-]{36})<\/xmpMM:DocumentID>/.exec(xmp)?.[1];
    assert.ok(documentId, 'XMP DocumentID');
    assert.ok(xmp.includes(`<xmpMM:InstanceID>uuid:${documentId}</xmpMM:InstanceID>`));

    const ids = trailer['/ID'] as string[];
    assert.equal(ids.length, 2);
    assert.equal(ids[0], ids[1]);
    assert.equal(ids[0], `b:${documentId.replaceAll('-', '')}`);
  });

  it('copies Chromium’s fonts byte for byte and keeps its text; its old information dictionary is left out', async () => {
    const text = latin1(raw);
    // Every embedded font program of Chromium's file is in the finished file unchanged.
    const fontFiles = [...text.matchAll(/\/Length (\d+)[^>]*>>\s*stream\r?\n/g)].filter((m) => /\/Length1|\/Subtype \/(CIDFontType0C|OpenType)/.test(text.slice(text.lastIndexOf('<<', m.index), (m.index ?? 0) + m[0].length)));
    assert.ok(fontFiles.length > 0, 'Chromium embeds font programs');
    const finishedBytes = Buffer.from(finished.bytes);
    for (const m of fontFiles) {
      const start = (m.index ?? 0) + m[0].length;
      const data = Buffer.from(raw).subarray(start, start + Number(m[1]));
      assert.ok(finishedBytes.includes(data), 'a font program is copied unchanged');
    }
    assert.doesNotMatch(latin1(finished.bytes), /\/Creator \(Mozilla/);
    assert.match(latin1(finished.bytes.subarray(0, 9)), /^%PDF-1\.7\n/);

    assert.equal(await pdftext(file), await pdftext(rawFile));
    assert.deepEqual(await pdffonts(file), await pdffonts(rawFile));
  });

  it('leaves no clock time and no browser user agent anywhere in the file', async () => {
    const rawText = latin1(raw);
    const clock = /\/CreationDate \((D:\d{14}[^)]*)\)/.exec(rawText)?.[1];
    assert.ok(clock, 'Chromium stamps the clock time');
    assert.ok(rawText.includes('HeadlessChrome'));
    const all = `${latin1(finished.bytes)}\n${await expanded(file)}`;
    assert.ok(!all.includes(clock.slice(0, 16)), `${clock} is gone`);
    assert.doesNotMatch(all, /HeadlessChrome|Mozilla\/5\.0/);
  });

  it('gives the same bytes for PDFs Chromium printed at different times', async () => {
    // Chromium stamps the second it prints in: print again once the clock is past that second.
    const stamp = /\/CreationDate \((D:[^)]*)\)/.exec(latin1(raw))?.[1];
    assert.ok(stamp, 'Chromium stamps the clock time');
    await clockPast(pdfDate(stamp) + 1000);
    const again = await chromiumPdf(148, 210, 3);
    assert.ok(!Buffer.from(again).equals(Buffer.from(raw)), 'the two raw PDFs differ (their dates)');
    const second = await finishPdf(again, meta);
    assert.ok(Buffer.from(second.bytes).equals(Buffer.from(finished.bytes)), 'same finished bytes');
    const other = await finishPdf(raw, { ...meta, title: 'Another title' });
    assert.ok(!Buffer.from(other.bytes).equals(Buffer.from(finished.bytes)));
  });

  it('can finish its own output again, with new metadata and the same text', async () => {
    const twice = await finishPdf(finished.bytes, { ...meta, title: 'Second pass', date: undefined });
    const twiceFile = await save(twice.bytes, 'twice');
    await qpdfCheck(twiceFile);
    const info = await pdfinfo(twiceFile);
    assert.equal(info['Title'], 'Second pass');
    assert.equal(info['CreationDate'], undefined);
    assert.equal(twice.pages, 3);
    assert.equal(await pdftext(twiceFile), await pdftext(rawFile));
  });
});

describe('finishPdf boxes and dates', () => {
  it('puts a TrimBox of the finished size, centred, and a BleedBox around it on every page', async () => {
    const raw = await chromiumPdf(154, 216, 2);
    const bleed = 3 * MM;
    const finished = await finishPdf(raw, { ...meta, trim: { width: 148 * MM, height: 210 * MM, bleed } });
    const file = await save(finished.bytes, 'bleed');
    await qpdfCheck(file);
    const { pages } = await qpdfObjects(file);
    assert.equal(pages.length, 2);
    for (const page of pages) {
      const [mx0 = NaN, my0 = NaN, mx1 = NaN, my1 = NaN] = page['/MediaBox'] as number[];
      const [tx0 = NaN, ty0 = NaN, tx1 = NaN, ty1 = NaN] = page['/TrimBox'] as number[];
      const [bx0 = NaN, by0 = NaN, bx1 = NaN, by1 = NaN] = page['/BleedBox'] as number[];
      const near = (actual: number, expected: number, tolerance: number, label: string): void =>
        assert.ok(Math.abs(actual - expected) <= tolerance, `${label}: ${actual} should be ${expected} ± ${tolerance}`);
      near(mx1 - mx0, 154 * MM, 1.5, 'sheet width');
      near(my1 - my0, 216 * MM, 1.5, 'sheet height');
      near(tx1 - tx0, 148 * MM, 0.002, 'trim width');
      near(ty1 - ty0, 210 * MM, 0.002, 'trim height');
      near(tx0 - mx0, mx1 - tx1, 0.003, 'trim box centred across');
      near(ty0 - my0, my1 - ty1, 0.003, 'trim box centred down');
      near(bx0, Math.max(mx0, tx0 - bleed), 0.002, 'bleed left');
      near(by0, Math.max(my0, ty0 - bleed), 0.002, 'bleed bottom');
      near(bx1, Math.min(mx1, tx1 + bleed), 0.002, 'bleed right');
      near(by1, Math.min(my1, ty1 + bleed), 0.002, 'bleed top');
    }
  });

  it('adds no boxes without bleed, and no dates without a date (never the clock)', async () => {
    const raw = await chromiumPdf(148, 210, 1);
    const finished = await finishPdf(raw, { ...meta, date: undefined, trim: { width: 148 * MM, height: 210 * MM, bleed: 0 } });
    const file = await save(finished.bytes, 'undated');
    await qpdfCheck(file);
    const { pages } = await qpdfObjects(file);
    assert.equal(pages[0]?.['/TrimBox'], undefined);
    assert.equal(pages[0]?.['/BleedBox'], undefined);
    const info = await pdfinfo(file);
    assert.equal(info['CreationDate'], undefined);
    assert.equal(info['ModDate'], undefined);
    assert.doesNotMatch(await expanded(file), /\/CreationDate|\/ModDate|xmp:CreateDate/);
  });
});

describe('finishPdf refuses what it cannot update in place', () => {
  let raw: Uint8Array;
  before(async () => {
    raw = await chromiumPdf(148, 210, 1);
  });

  it('a PDF with cross-reference streams', async () => {
    const input = await save(raw, 'for-xref-stream');
    const output = path.join(dir, 'xref-stream.pdf');
    await tool('qpdf', ['--object-streams=generate', input, output]);
    await assert.rejects(finishPdf(new Uint8Array(await readFile(output)), meta), (error: unknown) => error instanceof PdfUpdateError && /cross-reference stream/.test(error.message));
  });

  it('an encrypted PDF', async () => {
    const input = await save(raw, 'for-encryption');
    const output = path.join(dir, 'encrypted.pdf');
    await tool('qpdf', ['--encrypt', 'user', 'owner', '256', '--', input, output]);
    await assert.rejects(finishPdf(new Uint8Array(await readFile(output)), meta), (error: unknown) => error instanceof PdfUpdateError && /encrypted/.test(error.message));
  });

  it('a truncated PDF', async () => {
    await assert.rejects(finishPdf(raw.subarray(0, Math.floor(raw.length / 2)), meta), PdfUpdateError);
  });
});
