/**
 * The EPUB stage's fast paths keep their promises: epub-gen-memory's files are read from memory
 * (no zip, no unzip) and are complete, with the chapters as Imprint wrote them; the XHTML
 * serializer's shortcuts for ordinary text and repeated attribute names write what the full rules
 * write; images converted concurrently keep document order; the font slices picked by binary
 * search are those a plain scan picks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Element } from 'hast';
import { h, s } from 'hastscript';
import sharp from 'sharp';
import { collectText, embedFonts, emptyTextByFace, EMBEDDED_FAMILIES, parseUnicodeRange } from '../../src/epub/embed-fonts.js';
import { generateEpub } from '../../src/epub/generator.js';
import { epubImages } from '../../src/epub/images.js';
import { escapeAttribute, escapeText, toXhtml, xmlSafe } from '../../src/epub/xhtml.js';
import { fontFaceCss } from '../../src/theme/fonts.js';
import type { Article, AssetSet, ImageAsset, ImageRef } from '../../src/model.js';
import { generatorChapter, generatorInput } from '../helpers/epub-generator.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

describe('epub-gen-memory, read from memory', () => {
  it('returns every file it rendered, uncompressed, with each chapter as Imprint wrote it and the images from memory', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 2, height: 1, channels: 3, background: '#336699' } }).png().toBuffer());
    // Text that the library's defaults would re-encode as &#x…; entities, attributes outside its
    // list (data-*, start, width, height), SVG's camelCase names: all kept (its xhtmlContent option).
    const content =
      '<p data-note="1" hidden="hidden">中文正文 &amp; &lt;b></p><ol start="3"><li>三</li></ol>' +
      '<p><img src="img-1.png" alt="图" width="2" height="1"/></p>' +
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1" preserveAspectRatio="none"><rect width="2" height="1"/></svg>';
    const files = await generateEpub(
      generatorInput([generatorChapter('cover', ''), generatorChapter('article', content), generatorChapter('colophon', '')], {
        images: new Map([['img-1.png', { bytes: png, mediaType: 'image/png' }]]),
      }),
    );
    assert.deepEqual([...files.keys()].sort(), [
      'META-INF/container.xml',
      'OEBPS/article.xhtml',
      'OEBPS/colophon.xhtml',
      'OEBPS/content.opf',
      'OEBPS/cover.xhtml',
      'OEBPS/images/img-1.png',
      'OEBPS/style.css',
      'OEBPS/toc.ncx',
      'OEBPS/toc.xhtml',
      'mimetype',
    ]);
    assert.equal(decoder.decode(files.get('mimetype')), 'application/epub+zip');
    assert.match(decoder.decode(files.get('META-INF/container.xml')), /<rootfile full-path="OEBPS\/content.opf" media-type="application\/oebps-package\+xml"\/>/);
    // Plain UTF-8 text, as rendered: nothing left deflated.
    const opf = decoder.decode(files.get('OEBPS/content.opf'));
    assert.match(opf, /<manifest>[\s\S]*href="article.xhtml"[\s\S]*<\/manifest>/);
    assert.match(opf, /<item id="img-1" href="images\/img-1.png" media-type="image\/png"\/>/, 'the image named after its source, not a random UUID');
    const article = decoder.decode(files.get('OEBPS/article.xhtml'));
    assert.ok(article.includes(content.replace('src="img-1.png"', 'src="images/img-1.png"')), article);
    assert.deepEqual(files.get('OEBPS/images/img-1.png'), png, 'the bytes handed over, as they are');
  });
});

describe('the XHTML serializer', () => {
  it('drops characters XML 1.0 forbids wherever they are, and keeps ordinary text as it is', () => {
    const ordinary = '全球瞩目的中美元首会晤 — “quotes”, tabs\tand\nlines';
    assert.equal(xmlSafe(ordinary), ordinary);
    assert.equal(escapeText(ordinary), ordinary);
    // A surrogate pair (emoji) stays; lone halves, C0 controls and U+FFFE/U+FFFF go.
    assert.equal(xmlSafe('a😀b'), 'a😀b');
    assert.equal(xmlSafe('a\uD83Db\uDE00c\u0001d\u001Fe\uFFFEf\uFFFF'), 'abcdef');
    assert.equal(xmlSafe('\uDE00\uD83D'), '', 'halves in the wrong order are two lone halves');
    assert.equal(escapeText('x < y && z ]]> w'), 'x &lt; y &amp;&amp; z ]]&gt; w');
    assert.equal(escapeText('1 > 0'), '1 > 0');
    assert.equal(escapeAttribute('say "hi"\n<&>\t'), 'say &quot;hi&quot; &lt;&amp;&gt; ');
    assert.equal(escapeAttribute('😀\u0000'), '😀');
  });

  it('writes the same attributes for the hundredth element as for the first, in HTML and in SVG', () => {
    const paragraph = (): Element => h('p', { className: ['a', 'b'], dataNoteId: 'n', ariaLabel: 'l', onclick: 'x()', hidden: true, 'bad name': 'v' }, ['t']);
    const once = toXhtml([paragraph()]);
    assert.equal(once, '<p class="a b" data-note-id="n" aria-label="l" hidden="hidden">t</p>');
    assert.equal(toXhtml(Array.from({ length: 100 }, paragraph)), once.repeat(100));
    // viewBox is camelCase in SVG, lower case in HTML: one spelling must not leak into the other.
    const svg = (): Element => s('svg', { viewBox: '0 0 10 10', strokeWidth: 2 }, [s('rect', { width: 1, height: 1 })]);
    const html = (): Element => h('div', { viewBox: 'x' });
    assert.equal(toXhtml([html()]), '<div viewbox="x"></div>');
    const svgText = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" stroke-width="2"><rect width="1" height="1"/></svg>';
    assert.equal(toXhtml([svg()]), svgText);
    assert.equal(toXhtml([html(), svg(), html()]), `<div viewbox="x"></div>${svgText}<div viewbox="x"></div>`);
  });
});

describe('EPUB images', () => {
  const image = async (id: string, format: 'jpeg' | 'png' | 'webp' | 'gif', width: number, alpha = false): Promise<ImageAsset> => {
    const base = sharp({ create: { width, height: 40, channels: alpha ? 4 : 3, background: { r: 10, g: 120, b: 200, alpha: alpha ? 0.5 : 1 } } });
    const bytes = new Uint8Array(await base.toFormat(format).toBuffer());
    const ext = format === 'jpeg' ? 'jpg' : format;
    return { kind: 'image', id, mediaType: `image/${format}`, ext, bytes, width, height: 40 };
  };

  it('converts what readers cannot show while keeping document order, each image once', async () => {
    const assets: AssetSet = new Map();
    const plan: Array<[string, 'jpeg' | 'png' | 'webp' | 'gif', number, boolean]> = [
      ['img-1', 'webp', 1200, false],
      ['img-2', 'png', 30, false],
      ['img-3', 'webp', 40, true],
      ['img-4', 'gif', 50, false],
      ['img-5', 'webp', 900, true],
      ['img-6', 'jpeg', 60, false],
      ['img-7', 'webp', 20, false],
    ];
    for (const [id, format, width, alpha] of plan) assets.set(id, await image(id, format, width, alpha));
    assets.set('img-8', { kind: 'placeholder', id: 'img-8', reason: 'HTTP 404' });
    const ids = ['img-1', 'img-2', 'img-3', 'img-2', 'img-8', 'img-4', 'img-5', 'img-6', 'img-7', 'img-9'];
    const images: ImageRef[] = ids.map((id) => ({ id, url: `https://example.org/${id}`, alt: '' }));
    const stored = await epubImages({ images } as Pick<Article, 'images'> as Article, assets);

    assert.deepEqual([...stored.keys()], ['img-1', 'img-2', 'img-3', 'img-4', 'img-5', 'img-6', 'img-7']);
    const summary = [...stored.values()].map((i) => [i.id, i.key, i.mediaType, i.width]);
    assert.deepEqual(summary, [
      ['img-1', 'img-1.jpeg', 'image/jpeg', 1200],
      ['img-2', 'img-2.png', 'image/png', 30],
      ['img-3', 'img-3.png', 'image/png', 40],
      ['img-4', 'img-4.gif', 'image/gif', 50],
      ['img-5', 'img-5.png', 'image/png', 900],
      ['img-6', 'img-6.jpeg', 'image/jpeg', 60],
      ['img-7', 'img-7.jpeg', 'image/jpeg', 20],
    ]);
    for (const entry of stored.values()) {
      const meta = await sharp(entry.bytes).metadata();
      assert.equal(`image/${meta.format}`, entry.mediaType, `${entry.id}: bytes are what the media type says`);
      assert.equal(meta.width, entry.width);
    }
    // Core types are stored as they are.
    assert.deepEqual(stored.get('img-2')?.bytes, (assets.get('img-2') as ImageAsset).bytes);
  });
});

describe('embedded font slices', () => {
  /** Deterministic pseudo-random numbers (a linear congruential generator). */
  function numbers(seed: number): () => number {
    let state = seed;
    return () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
  }

  /** The slices a plain scan over every rule and every character picks. */
  function scan(lang: string, text: ReturnType<typeof emptyTextByFace>): string[] {
    const picked: string[] = [];
    for (const rule of fontFaceCss(lang, (face) => `../fonts/${face.file}`).split('\n')) {
      const family = /font-family:"([^"]+)"/.exec(rule)?.[1] ?? '';
      if (!(EMBEDDED_FAMILIES as readonly string[]).includes(family)) continue;
      const file = /url\(\.\.\/fonts\/([^)]+)\)/.exec(rule)?.[1] ?? '';
      const ranges = parseUnicodeRange(/unicode-range:([^}]+)\}?$/.exec(rule)?.[1] ?? '');
      const italic = /font-style:italic/.test(rule);
      const bold = Number(/font-weight:(\d+)/.exec(rule)?.[1] ?? 400) >= 600;
      const codes = italic ? text.italic : bold ? text.bold : text.regular;
      if ([...codes].some((code) => ranges.some(([lo, hi]) => code >= lo && code <= hi))) picked.push(file);
    }
    return picked;
  }

  it('are the slices a plain scan picks, for text at the edges of ranges and for random text', () => {
    const edges = new Set<number>();
    for (const rule of fontFaceCss('zh-CN', () => 'x').split('\n')) {
      for (const [lo, hi] of parseUnicodeRange(/unicode-range:([^}]+)\}?$/.exec(rule)?.[1] ?? '')) {
        for (const code of [lo - 1, lo, hi, hi + 1]) if (code > 0x20 && code < 0x110000 && (code < 0xd800 || code > 0xdfff)) edges.add(code);
      }
    }
    const edgeList = [...edges];
    const random = numbers(7);
    for (const lang of ['zh-CN', 'en', 'ja']) {
      for (let round = 0; round < 12; round++) {
        const pick = (n: number): string => Array.from({ length: n }, () => String.fromCodePoint(edgeList[Math.floor(random() * edgeList.length)] ?? 0x41)).join('');
        const text = emptyTextByFace();
        collectText([h('p', [pick(round * 3), h('strong', pick(round)), h('em', pick(2))])], text, lang !== 'en');
        const fonts = embedFonts(lang, text);
        assert.deepEqual(fonts.fonts.map((font) => font.file), scan(lang, text), `${lang}, round ${round}`);
        assert.equal(fonts.css.split('\n').filter(Boolean).length, fonts.fonts.length);
      }
    }
  });

  it('never embed a slice for white space alone', () => {
    const text = emptyTextByFace();
    collectText([h('p', ' \t\n\u00A0\u3000\u2003\u2028\uFEFF')], text, true);
    assert.deepEqual([...text.regular], []);
    assert.deepEqual(embedFonts('zh-CN', text).fonts, []);
  });
});
