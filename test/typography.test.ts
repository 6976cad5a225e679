/**
 * Typography across the three outputs, checked as a reader in Taipei, Tokyo or London and a
 * typographer would: `imprint publish` on a Traditional Chinese article, a Japanese one, an
 * English essay, a Chinese article with Japanese, Traditional Chinese and Korean elements, and
 * the sample. The PDFs are read with pdffonts and qpdf and measured glyph by glyph
 * (helpers/glyphs.ts); the web pages and EPUBs are read as files.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { fixturesDir, sampleArticle } from './helpers/paths.js';
import { glyphs, lines, type Glyph } from './helpers/glyphs.js';
import { pdffonts, runCli, tool, type CliResult } from './helpers/tools.js';

const typography = path.join(fixturesDir, 'typography');
const FIXTURES = ['zh-tw-article', 'ja-article', 'english-essay', 'mixed-article'];

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const textOf = (line: readonly Glyph[]): string => line.map((g) => g.char).join('');

/** The PDF's lines in reading order (page, then top to bottom). */
async function pdfLines(file: string): Promise<Glyph[][]> {
  return lines(await glyphs(file)).sort((a, b) => (a[0] as Glyph).page - (b[0] as Glyph).page || (a[0] as Glyph).y - (b[0] as Glyph).y);
}

/** The visible text of an HTML or XHTML fragment (tags dropped, entities of the few kinds Imprint writes decoded). */
const plain = (html: string): string =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');

/** The text of the first element with class `className` in an HTML document. */
function elementText(html: string, tag: string, className: string): string {
  const classes = className ? `[^>]*class="[^"]*\\b${className}\\b[^"]*"` : '';
  const match = new RegExp(`<${tag}${classes}[^>]*>([\\s\\S]*?)</${tag}>`).exec(html);
  assert.ok(match, `a ${tag}.${className}`);
  return plain(match[1] ?? '');
}

/** The name table of a WOFF font (each table zlib-compressed when that made it smaller). */
function woffNames(bytes: Buffer): Buffer {
  assert.equal(bytes.subarray(0, 4).toString('latin1'), 'wOFF');
  for (let i = 0; i < bytes.readUInt16BE(12); i++) {
    const at = 44 + 20 * i;
    if (bytes.toString('latin1', at, at + 4) !== 'name') continue;
    const offset = bytes.readUInt32BE(at + 4);
    const compressed = bytes.readUInt32BE(at + 8);
    const table = bytes.subarray(offset, offset + compressed);
    return compressed < bytes.readUInt32BE(at + 12) ? inflateSync(table) : table;
  }
  assert.fail('the font has a name table');
}

const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('typography across the outputs', () => {
  let dir: string;
  let out: string;
  let run: CliResult;
  const file = (name: string, ext: string): string => path.join(out, `${name}.${ext}`);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-typography-'));
    out = path.join(dir, 'out');
    // The mixed article marks its languages with HTML (Markdown has no syntax for it).
    const config = path.join(dir, 'imprint.config.json');
    await writeFile(config, JSON.stringify({ html: { allowRawHtml: true } }));
    const inputs = [...FIXTURES.map((name) => path.join(typography, `${name}.md`)), sampleArticle];
    run = await runCli(['publish', ...inputs, '--out', out, '--offline', '--config', config], { timeoutMs: 300_000 });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('publishes every article', () => {
    assert.equal(run.code, 0, run.stderr);
  });

  it('sets each CJK language in its own face, embedded as TrueType subsets (pdffonts)', async () => {
    const families = async (name: string): Promise<Set<string>> => {
      const fonts = await pdffonts(file(name, 'pdf'));
      for (const font of fonts) {
        assert.ok(font.embedded && font.subset, `${name}: ${font.name} is an embedded subset`);
        assert.match(font.type, /TrueType/, `${name}: ${font.name} is TrueType, not ${font.type}`);
        assert.match(font.name, /\+(Noto(Serif|Sans)|DejaVuSansMono)/, `${name}: ${font.name} is one of Imprint's faces, not a system fallback`);
      }
      return new Set(fonts.map((font) => /\+Noto(Serif|Sans)(SC|TC|HK|JP|KR)/.exec(font.name)?.[2]).filter((set): set is string => set !== undefined));
    };
    assert.deepEqual([...(await families('zh-tw-article'))], ['TC'], 'zh-TW: Noto Serif TC and Noto Sans TC only');
    assert.deepEqual([...(await families('ja-article'))], ['JP'], 'ja: Noto Serif JP and Noto Sans JP only');
    assert.deepEqual([...(await families('biden-xi-summit'))], ['SC'], 'zh-CN: the SC faces');
    assert.deepEqual([...(await families('mixed-article'))].sort(), ['JP', 'KR', 'SC', 'TC'], 'each lang element in its own face');
    const fonts = (await pdffonts(file('zh-tw-article', 'pdf'))).map((font) => font.name).join(' ');
    assert.match(fonts, /NotoSerifTC/, 'the text in the TC serif');
    assert.match(fonts, /NotoSansTC/, 'headings and captions in the TC sans');
  });

  it('justifies English with hyphenation: word spaces at most twice their width, except on a paragraph’s last line', async () => {
    const all = await pdfLines(file('english-essay', 'pdf'));
    // The text's lines: the body size, on the pages of the article (the colophon is the last page).
    const lastPage = Math.max(...all.map((line) => (line[0] as Glyph).page));
    const sizes = new Map<number, number>();
    for (const line of all) for (const g of line) sizes.set(g.size, (sizes.get(g.size) ?? 0) + 1);
    const body = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const text = all.filter((line) => (line[0] as Glyph).page < lastPage && line.length > 20 && line.every((g) => g.size === body || g.char === '\u00ad'));
    const right = (line: readonly Glyph[]): number => (line.at(-1) as Glyph).x + (line.at(-1) as Glyph).advance;
    const margin = Math.max(...text.map(right));
    const justified = text.filter((line) => right(line) > margin - 1);
    assert.ok(justified.length >= 15, `${justified.length} justified lines measured`);
    for (const line of justified) {
      for (let i = 0; i + 1 < line.length; i++) {
        const glyph = line[i] as Glyph;
        if (glyph.char !== ' ') continue;
        const ratio = ((line[i + 1] as Glyph).x - glyph.x) / glyph.advance;
        assert.ok(ratio <= 2.01, `a word space ${ratio.toFixed(2)} times its width in “${textOf(line)}”`);
      }
    }
    // Lines end at hyphenation points, with the hyphen drawn: words the text has whole.
    const source = await readFile(path.join(typography, 'english-essay.md'), 'utf8');
    const hyphenated = text.filter((line) => /\p{L}-$/u.test(textOf(line)));
    const broken = hyphenated.filter((line) => {
      const head = /(\p{L}+)-$/u.exec(textOf(line))?.[1] ?? '';
      const next = all[all.indexOf(line) + 1];
      const tail = /^\p{L}+/u.exec(next ? textOf(next) : '')?.[0] ?? '';
      return source.includes(`${head}${tail}`) && !source.includes(`${head}-${tail}`);
    });
    assert.ok(broken.length >= 3, `${broken.length} lines end at a hyphenation point`);
    assert.ok(broken.some((line) => textOf(line).endsWith('“incompre-')), 'the long word is hyphenated');
  });

  it('keeps soft hyphens that do not end a line and invisible joiners out of the PDF text', async () => {
    for (const name of [...FIXTURES, 'biden-xi-summit']) {
      for (const line of await pdfLines(file(name, 'pdf'))) {
        const value = textOf(line);
        assert.doesNotMatch(value.slice(0, -1), /[\u00ad\u200b\u2060\ufeff]/u, `${name}: “${value}”`);
      }
      const extracted = await tool('pdftotext', ['-enc', 'UTF-8', file(name, 'pdf'), '-']);
      assert.doesNotMatch(extracted, /[\u200b\u2060\ufeff]/u, `${name}: no invisible character in the extracted text`);
      assert.doesNotMatch(extracted, /\u00ad(?!\n)/u, `${name}: soft hyphens only where a line ends`);
    }
  });

  it('never letter-spaces a CJK line, the one before a long URL included', async () => {
    for (const name of ['zh-tw-article', 'ja-article', 'biden-xi-summit', 'mixed-article']) {
      const all = await pdfLines(file(name, 'pdf'));
      const lastPage = Math.max(...all.map((line) => (line[0] as Glyph).page));
      // Running text: its size is the most common one (labels of missing images side by side are not).
      const sizes = new Map<number, number>();
      for (const line of all) for (const g of line) sizes.set(g.size, (sizes.get(g.size) ?? 0) + 1);
      const body = [...sizes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      let measured = 0;
      for (const line of all) {
        if ((line[0] as Glyph).page === lastPage || line.filter((g) => CJK_CHAR.test(g.char) && g.size === body).length < 10) continue;
        measured++;
        for (let i = 0; i + 1 < line.length; i++) {
          const a = line[i] as Glyph;
          const b = line[i + 1] as Glyph;
          if (!CJK_CHAR.test(a.char) || !CJK_CHAR.test(b.char) || a.size !== body || b.size !== body) continue;
          const gap = (b.x - a.x - a.advance) / a.size;
          assert.ok(gap <= 0.25, `${name}: ${a.char}${b.char} ${gap.toFixed(2)} em apart in “${textOf(line)}”`);
        }
      }
      assert.ok(measured >= 5, `${name}: ${measured} lines measured`);
    }
    // The line that runs into the long URL of the Taiwanese article is one of them: the URL does
    // not fit after 查詢：, and moved to the next line without stretching it.
    const zh = (await pdfLines(file('zh-tw-article', 'pdf'))).map(textOf);
    assert.ok(zh.some((line) => /官方網站查詢：$/.test(line)), zh.join('\n'));
    assert.ok(zh.some((line) => line.startsWith('https://www.metro.taipei')), 'the URL starts a line');
  });

  it('breaks URLs only after //, /, ., -, ?, & or =', async () => {
    const cases: Array<[string, string[]]> = [
      ['zh-tw-article', ['https://www.metro.taipei/cp.aspx?n=ECEADC266D7120A7&s=circular-line-fare-calculation-2024', 'https://img.example.tw/news/2024/05/circular-line-train-arriving.jpg']],
      ['english-essay', ['https://archive.example.org/collections/footnotes/early-modern-legal-editions/catalogue-2024-edition/index.html?sort=date&view=full', 'https://images.example.org/essays/footnote/edition-1570-page-spread.jpg']],
      ['biden-xi-summit', ['https://inews.gtimg.com/om_bt/Ozqlj8_eEC3dmLm9iLCGxtUbmwPcRdJIfIVjnrTyH7w9AAA/1000']],
    ];
    let breaks = 0;
    for (const [name, urls] of cases) {
      const text = (await pdfLines(file(name, 'pdf'))).map(textOf).join('\n');
      for (const url of urls) {
        const pattern = new RegExp([...url].map((c) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('\n?'));
        const found = pattern.exec(text);
        assert.ok(found, `${name}: ${url} is in the text`);
        const printed = found[0];
        for (let i = printed.indexOf('\n'); i >= 0; i = printed.indexOf('\n', i + 1)) {
          breaks++;
          const before = printed.slice(0, i).replace(/\n/g, '');
          assert.match(before.at(-1) ?? '', /[/.\-?&=]/, `${name}: ${url} breaks after “${before.slice(-12)}”`);
          assert.ok(before.length >= url.indexOf('://') + 3, `${name}: ${url} breaks inside its scheme`);
        }
      }
    }
    assert.ok(breaks >= 4, `${breaks} URL line breaks checked`);
  });

  it('keeps the separators of bylines, captions and credits, note numbers and texts in the HTML, the EPUB and the PDF', async () => {
    // HTML
    const html = await readFile(file('zh-tw-article', 'html'), 'utf8');
    assert.equal(elementText(html, 'p', 'byline'), '【文/中央社記者\u3000林雅婷】');
    assert.match(elementText(html, 'figcaption', ''), /同步開啟。\u3000圖自北捷公司/);
    const sample = await readFile(file('biden-xi-summit', 'html'), 'utf8');
    assert.equal(elementText(sample, 'p', 'byline'), '【文/观察者网\u3000熊超然】');
    assert.match(elementText(sample, 'figcaption', ''), /APEC峰会。\u3000图自IC Photo/);
    const essay = await readFile(file('english-essay', 'html'), 'utf8');
    assert.equal(elementText(essay, 'p', 'byline'), 'By Jane Doe, The Example Review');
    assert.match(elementText(essay, 'figcaption', ''), /surrounding the text\. Photo: The Example Library/);
    for (const page of [html, sample, essay]) assert.doesNotMatch(plain(page), /[\u00ad\u200b\u2060]/u, 'no invisible characters in the web page’s text');

    // EPUB
    const unzipped = unzipSync(new Uint8Array(await readFile(file('zh-tw-article', 'epub'))));
    const chapterName = Object.keys(unzipped).find((name) => /\.xhtml$/.test(name) && new TextDecoder().decode(unzipped[name]).includes('class="byline"'));
    assert.ok(chapterName, 'the chapter');
    const chapter = new TextDecoder().decode(unzipped[chapterName]);
    assert.equal(elementText(chapter, 'p', 'byline'), '【文/中央社記者\u3000林雅婷】');
    assert.match(elementText(chapter, 'figcaption', ''), /同步開啟。\u3000圖自北捷公司/);
    assert.match(plain(chapter), /1\. 圖自北捷公司。原圖：/, 'a note’s number and text');

    // PDF
    const zh = (await pdfLines(file('zh-tw-article', 'pdf'))).map(textOf);
    assert.ok(zh.includes('【文/中央社記者\u3000林雅婷】'), zh.slice(0, 4).join(' / '));
    assert.ok(zh.some((line) => line.endsWith('同步開啟。\u3000圖自北捷公司')), 'caption and credit');
    assert.ok(zh.some((line) => line.startsWith('1 圖自北捷公司。原圖：')), 'a note’s number and text');
    assert.ok(zh.includes('作者 林雅婷'), 'a colophon label and its value');
    const en = (await pdfLines(file('english-essay', 'pdf'))).map(textOf);
    assert.ok(en.some((line) => line.startsWith('1 On the printers’ conventions')), 'a note’s number and text');
  });

  it('keeps the space of a title that wraps in its bookmark', async () => {
    const json = JSON.parse(await tool('qpdf', ['--json=2', '--json-key=outlines', file('english-essay', 'pdf')])) as { outlines: Array<{ title: string }> };
    assert.deepEqual(json.outlines.map((item) => item.title), ['Marginalia and Their Descendants: On the Long Life of the Footnote']);
    // It does wrap on the page.
    const lines = (await pdfLines(file('english-essay', 'pdf'))).map(textOf);
    assert.ok(lines.includes('the Long Life of the Footnote'), lines.slice(0, 3).join(' / '));
  });

  it('sets English quotes curly in every output, and leaves code alone', async () => {
    const html = plain(await readFile(file('english-essay', 'html'), 'utf8'));
    assert.match(html, /the historians’ “incomprehensibilities”/);
    assert.match(html, /print\("it's"\)/);
    const pdf = await tool('pdftotext', ['-enc', 'UTF-8', file('english-essay', 'pdf'), '-']);
    assert.match(pdf, /It’s a point Anthony Grafton/);
  });

  it('embeds subsets of the faces each web page uses, within 400 KB for the sample', async () => {
    const faces = (html: string): Array<{ family: string; bytes: Buffer }> =>
      [...html.matchAll(/@font-face\{font-family:"([^"]+)";[^}]*src:url\(data:font\/woff;base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => ({ family: m[1] ?? '', bytes: Buffer.from(m[2] ?? '', 'base64') }));
    const sample = await readFile(file('biden-xi-summit', 'html'), 'utf8');
    assert.ok(Buffer.byteLength(sample) <= 400 * 1024, `the sample's page is ${(Buffer.byteLength(sample) / 1024).toFixed(0)} KB`);
    const families = new Set(faces(sample).map((face) => face.family));
    for (const family of ['Imprint Serif CJK', 'Imprint Sans CJK', 'Imprint Serif']) assert.ok(families.has(family), `${family} is embedded`);

    // Each page carries its own language's faces: the names inside the fonts say which.
    const names = async (name: string, family: string): Promise<string> => {
      const html = await readFile(file(name, 'html'), 'utf8');
      const embedded = faces(html).filter((face) => face.family === family);
      assert.ok(embedded.length > 0, `${name}: ${family}`);
      return woffNames(embedded[0]?.bytes as Buffer).toString('latin1');
    };
    assert.ok((await names('zh-tw-article', 'Imprint Serif CJK')).includes(utf16be('Noto Serif TC').toString('latin1')));
    assert.ok((await names('ja-article', 'Imprint Serif CJK')).includes(utf16be('Noto Serif JP').toString('latin1')));
    assert.ok((await names('mixed-article', 'Imprint Serif KR')).includes(utf16be('Noto Serif KR').toString('latin1')));

    // A subset holds the characters the page sets in it, not a whole slice.
    const zh = await readFile(file('zh-tw-article', 'html'), 'utf8');
    for (const rule of zh.match(/@font-face\{[^}]*\}/g) ?? []) {
      const range = /unicode-range:([^}]+)\}/.exec(rule)?.[1] ?? '';
      for (const part of range.split(',')) {
        const [lo = '', hi = lo] = part.replace('U+', '').split('-');
        assert.ok(parseInt(hi, 16) - parseInt(lo, 16) < 96, `${part}: a subset's range lists the characters it holds`);
      }
    }
    assert.doesNotMatch(zh, /url\((?!data:)/, 'the self-contained page loads nothing');
  });
});

describe('web page fonts as files (html.selfContained off)', () => {
  it('links the subsets from the assets folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-typography-linked-'));
    try {
      const config = path.join(dir, 'imprint.config.json');
      await writeFile(config, JSON.stringify({ formats: ['html'], html: { selfContained: false } }));
      const run = await runCli(['publish', path.join(typography, 'ja-article.md'), '--out', dir, '--offline', '--config', config]);
      assert.equal(run.code, 0, run.stderr);
      const html = await readFile(path.join(dir, 'ja-article.html'), 'utf8');
      const urls = [...html.matchAll(/src:url\(([^)]+)\) format\("woff"\)/g)].map((m) => m[1] ?? '');
      assert.ok(urls.length > 3, `${urls.length} font files`);
      const files = new Set(await readdir(path.join(dir, 'ja-article_assets', 'fonts')));
      for (const url of urls) {
        assert.match(url, /^ja-article_assets\/fonts\/noto-(serif|sans)(-jp)?-[\w-]+\.woff$/);
        assert.ok(files.has(path.basename(url)), `${url} is written`);
        assert.equal((await readFile(path.join(dir, url))).subarray(0, 4).toString('latin1'), 'wOFF');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
