/**
 * Untrusted articles, the parts that need no browser (test/security.test.ts has the rest: the
 * real bin on hostile articles and the renderer in Chromium):
 *
 * - The parse stage, on its own: raw HTML kept only when asked for and then sanitized (safe
 *   inline HTML stays, dangerous HTML goes with a warning, never as text); links limited to
 *   http, https, mailto, #fragments and relative links to the documents published together.
 * - The EPUB generator is never given a URL or a path; SVG rasterization reads no file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import sharp from 'sharp';
import { VFile } from 'vfile';
import { generateEpub, OfflineGeneratorError } from '../../src/epub/generator.js';
import { sniffImage } from '../../src/images/sniff.js';
import { prepareImage } from '../../src/images/transform.js';
import type { Article } from '../../src/model.js';
import { parseArticle, treeToHtml } from '../../src/parse/article.js';
import { generatorChapter, generatorInput } from '../helpers/epub-generator.js';

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

function parse(value: string, allowRawHtml = false): Article {
  return parseArticle(new VFile({ path: 'content/t.md', value }), { name: 't', path: 'content/t.md' }, { allowRawHtml });
}

const rules = (article: Article): string[] => article.file.messages.map((m) => m.ruleId ?? '');
const bodyHtml = (article: Article): string => treeToHtml(article.tree);
const notesHtml = (article: Article): string => article.notes.map((note) => treeToHtml({ type: 'root', children: note.content })).join('\n');

// ---------------------------------------------------------------------------------------------
// The parse stage

describe('raw HTML in the Markdown', () => {
  const inline = 'E = mc<sup>2</sup>, H<sub>2</sub>O, <kbd>Ctrl</kbd><br>and <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>.\n';

  it('is dropped with a raw-html warning at its position by default; the text stays', () => {
    const article = parse(inline);
    assert.equal(toString(article.tree).trim(), 'E = mc2, H2O, Ctrland 漢(kan).');
    assert.equal(selectAll('sup, sub, kbd, br, ruby', article.tree).length, 0);
    const warnings = article.file.messages.filter((m) => m.ruleId === 'raw-html');
    assert.equal(warnings.length, 15, 'one warning per tag');
    assert.deepEqual([warnings[0]?.line, warnings[0]?.column], [1, 7]);
  });

  it('with allowRawHtml, safe inline HTML is kept: sup, sub, kbd, br, ruby/rt/rp', () => {
    const article = parse(inline, true);
    assert.equal(bodyHtml(article), '<p>E = mc<sup>2</sup>, H<sub>2</sub>O, <kbd>Ctrl</kbd><br>and <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>.</p>');
    assert.deepEqual(rules(article), []);
  });

  it('with allowRawHtml, dangerous elements go with their content and a warning each, never as text', () => {
    const article = parse(
      [
        '<script>alert("LEAK_SCRIPT")</script>',
        '',
        '<iframe src="file:///etc/passwd">LEAK_IFRAME</iframe>',
        '',
        'A <object data="file:///etc/passwd">LEAK_OBJECT</object> and <embed src="file:///etc/passwd"> here.',
        '',
        '<style>body { background: url(https://example.com/x.png) } /* LEAK_STYLE */</style>',
        '',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        '',
        'An <svg onload="alert(1)"><text>LEAK_SVG</text></svg> inline.',
        '',
      ].join('\n'),
      true,
    );
    const text = toString(article.tree);
    assert.doesNotMatch(text, /LEAK_/);
    assert.equal(selectAll('script, iframe, object, embed, style, link, svg', article.tree).length, 0);
    const removed = article.file.messages.filter((m) => m.ruleId === 'unsafe-html').map((m) => `${m.line}:${m.reason.match(/<(\w+)>/)?.[1]}`);
    assert.deepEqual(removed.sort(), ['11:svg', '1:script', '3:iframe', '5:embed', '5:object', '7:style', '9:link'].sort());
    assert.equal(text.replace(/\s+/g, ' ').trim(), 'A and here. An inline.');
  });

  it('with allowRawHtml off, the content of script, style, object, svg… is not printed as text either', () => {
    const article = parse('Before <script>alert("LEAK_INLINE")</script> middle <svg><text>LEAK_SVG</text></svg> after <object>LEAK_OBJECT</object> end.\n');
    assert.equal(toString(article.tree).replace(/\s+/g, ' ').trim(), 'Before middle after end.');
    assert.ok(article.file.messages.filter((m) => m.ruleId === 'raw-html').every((m) => m.line === 1));
  });

  it('drops event handlers, style attributes and the author’s own classes and Imprint ids, reporting each', () => {
    const article = parse('<p class="noteref" id="note-1" style="color: red" onclick="alert(1)">Text <img src="pic.png" alt="a picture" onerror="alert(2)"></p>\n', true);
    const html = bodyHtml(article);
    assert.doesNotMatch(html, /onclick|onerror|style=|id="note-1"/);
    assert.match(html, /^<p>Text <img data-image-id="img-1" src="pic.png" alt="a picture">/);
    const reasons = article.file.messages.map((m) => `${m.ruleId} ${m.reason}`);
    assert.ok(reasons.some((r) => /^unsafe-html .*onclick/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^unsafe-html .*onerror/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^unsafe-html .*style attribute/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^html-attribute .*class.*id/.test(r)), reasons.join('\n'));
  });

  it('keeps Imprint’s own figure, caption, credit, byline and note structure through the final check', () => {
    const article = parse(
      '文/观察者网 熊超然\n\n![峰会现场](https://img.example.com/pic.png)\n\n*峰会现场 图自IC Photo*\n\n正文[^1]，见[原文](https://example.com/a)。\n\n[^1]: 一个脚注。\n',
      true,
    );
    assert.equal(selectAll('figure.figure > img[data-image-id="img-1"]', article.tree).length, 1);
    assert.equal(selectAll('figcaption > span.caption', article.tree).length, 1);
    assert.equal(selectAll('figcaption > span.credit', article.tree).length, 1);
    assert.equal(selectAll('p.byline > span.author', article.tree).length, 1);
    assert.equal(selectAll('sup.noteref > a[role="doc-noteref"][href^="#note-"]', article.tree).length, 3);
    assert.deepEqual(article.notes.map((note) => note.kind), ['source', 'footnote', 'source']);
    for (const rule of rules(article)) assert.ok(!/unsafe|html/.test(rule), `nothing of Imprint's own is removed (${rule})`);
  });
});

describe('link URLs', () => {
  const cases: Array<[string, string]> = [
    ['javascript:alert(1)', 'javascript'],
    ['JaVaScRiPt:alert(1)', 'javascript'],
    ['java&#x09;script:alert(1)', 'javascript'],
    ['java&#x0A;script:alert(1)', 'javascript'],
    ['<  javascript:alert(1)>', 'javascript'],
    ['vbscript:msgbox(1)', 'vbscript'],
    ['file:///etc/passwd', 'file'],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'data'],
  ];
  for (const [url, scheme] of cases) {
    it(`removes a ${JSON.stringify(url)} link, keeps its text and warns at its position`, () => {
      const article = parse(`Some text and [the link text](${url}) after it.\n`);
      assert.equal(selectAll('a', article.tree).length, 0);
      assert.equal(toString(article.tree).trim(), 'Some text and the link text after it.');
      const warning = article.file.messages.find((m) => m.ruleId === 'unsafe-link');
      assert.ok(warning, `warned: ${article.file.messages.map((m) => m.reason).join('; ')}`);
      assert.deepEqual([warning.line, warning.column], [1, 15]);
      assert.match(warning.reason, new RegExp(scheme === 'javascript' ? 'script' : scheme));
    });
  }

  it('removes an autolink to a javascript: URL, keeping the URL as plain text', () => {
    const article = parse('See <javascript:alert(1)> here.\n');
    assert.equal(selectAll('a', article.tree).length, 0);
    assert.equal(toString(article.tree).trim(), 'See javascript:alert(1) here.');
    assert.deepEqual(rules(article), ['unsafe-link']);
  });

  it('removes raw <a href="javascript:…"> and reference-style javascript: links too', () => {
    const article = parse('<a href="javascript:alert(1)">raw</a> and [ref][r].\n\n[r]: javascript:alert(2)\n', true);
    assert.equal(selectAll('a', article.tree).length, 0);
    assert.equal(rules(article).filter((r) => r === 'unsafe-link').length, 2);
  });

  it('keeps http, https, mailto and #fragment links; relative links only to documents published together', () => {
    const article = parse('[a](http://example.com/a) [b](https://example.com/b) [c](mailto:e@example.com) [d](other.html) [e](../up/page.html) [f](#the-end) [g](//example.com/g)\n');
    const hrefs = selectAll('a:not([role])', article.tree).map((a) => a.properties['href']);
    assert.deepEqual(hrefs, ['http://example.com/a', 'https://example.com/b', 'mailto:e@example.com', '#the-end', '//example.com/g']);
    assert.ok(!rules(article).includes('unsafe-link'));
    assert.equal(rules(article).filter((rule) => rule === 'link-relative').length, 2, 'other.html and ../up/page.html are no documents of this one’s run');
  });

  it('removes other schemes (ftp:, tel:) with a link-scheme warning', () => {
    const article = parse('[a](ftp://example.com/f) [b](tel:+123)\n');
    assert.equal(selectAll('a', article.tree).length, 0);
    assert.equal(rules(article).filter((r) => r === 'link-scheme').length, 2);
  });

  it('a linked picture keeps the picture but not a javascript: link, in the tree or in its note', () => {
    const article = parse('[![a picture](pic.png)](javascript:alert(1))\n');
    assert.equal(selectAll('figure img', article.tree).length, 1);
    assert.doesNotMatch(bodyHtml(article) + notesHtml(article), /javascript/);
  });

  it('a note never links an image URL that is not http(s): a code-running one shows only its scheme, a file none', () => {
    const article = parse('![x](javascript:alert("CANARY")) ![y](file:///etc/passwd)\n');
    const notes = notesHtml(article);
    assert.doesNotMatch(notes, /href=|CANARY|passwd|file:/);
    assert.match(notes, /javascript:…/);
    assert.equal(article.notes.length, 1, 'a file: image is a file, not a source: no note');
  });
});

// ---------------------------------------------------------------------------------------------
// The EPUB generator and SVG rasterization

describe('the EPUB generator (epub-gen-memory)', () => {
  it('refuses a chapter with an image instead of reading its file:// path or URL', async () => {
    for (const src of ['file:///etc/passwd', '/etc/passwd', '../secret.png', 'http://127.0.0.1:9/x.png']) {
      await assert.rejects(
        generateEpub(generatorInput([generatorChapter('a', `<p>x</p><img src="${src}" alt="x"/>`)])),
        (error: unknown) => error instanceof OfflineGeneratorError,
        src,
      );
    }
  });

  it('stores an image the book holds in memory under the key its chapter names', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 3, height: 3, channels: 3, background: '#000000' } }).png().toBuffer());
    const files = await generateEpub(
      generatorInput([generatorChapter('a', '<p>x</p><img src="x.png" alt="x"/>')], { images: new Map([['x.png', { bytes: png, mediaType: 'image/png' }]]) }),
    );
    assert.deepEqual(files.get('OEBPS/images/x.png'), png);
  });
});

describe('SVG pictures', () => {
  const svg = (inner: string): Uint8Array =>
    new TextEncoder().encode(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude" xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="80">` +
        `<rect width="300" height="80" fill="#ffffff"/><text x="4" y="40" font-size="18" fill="#000000">${inner}</text></svg>`,
    );
  const raster = async (bytes: Uint8Array): Promise<Buffer> => {
    const prepared = await prepareImage(bytes, await sniffImage(bytes), { maxScreenWidth: 1600 });
    assert.equal(prepared.mediaType, 'image/png', 'SVG is rasterized');
    return sharp(prepared.bytes).raw().toBuffer();
  };

  it('are rasterized without reading local files (XInclude, <image> with file:// or a path)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-svg-'));
    temps.push(dir);
    const secret = path.join(dir, 'secret.png');
    await writeFile(secret, await sharp({ create: { width: 50, height: 50, channels: 3, background: '#ff0000' } }).png().toBuffer());
    const empty = await raster(svg(''));
    const attempts = [
      '<xi:include href="/etc/passwd" parse="text"/>',
      '<xi:include href="file:///etc/passwd" parse="text"/>',
      '<xi:include href=".?../../../../../../etc/passwd" parse="text"/>',
      `</text><image xlink:href="file://${secret}" width="300" height="80"/><text>`,
      `</text><image href="${secret}" width="300" height="80"/><text>`,
    ];
    for (const attempt of attempts) assert.ok((await raster(svg(attempt))).equals(empty), `nothing drawn from ${attempt}`);
    assert.ok(!(await raster(svg('root:x'))).equals(empty), 'text that is really there is drawn (the comparison works)');
  });
});
