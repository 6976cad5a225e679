/**
 * Font choice without a browser: the CJK face set of each language, the rules that give elements in
 * another CJK language their faces, and which characters of a document go to which face.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Root } from 'hast';
import { h } from 'hastscript';
import { fontUsage, specificity } from '../src/theme/font-usage.js';
import { cjkSetOf, fontPlan, plannedFaces } from '../src/theme/fonts.js';
import { langFontCss } from '../src/theme/lang-fonts.js';

describe('CJK face sets', () => {
  it('follow the language tag: script, then region', () => {
    const cases: Array<[string, string | undefined]> = [
      ['zh', 'SC'], ['zh-CN', 'SC'], ['zh-SG', 'SC'], ['zh-Hans', 'SC'], ['zh-TW', 'TC'], ['zh-Hant', 'TC'], ['zh-Hant-TW', 'TC'],
      ['zh-HK', 'HK'], ['zh-MO', 'HK'], ['zh-Hant-HK', 'HK'], ['zh-Hans-HK', 'SC'], ['yue', 'HK'], ['ja', 'JP'], ['ja-JP', 'JP'], ['ko', 'KR'],
      ['en', undefined], ['de-CH', undefined],
    ];
    for (const [tag, set] of cases) assert.equal(cjkSetOf(tag), set, tag);
  });

  it('plan the document’s faces under the CJK families and other languages’ under their own', () => {
    const faces = plannedFaces(fontPlan('zh-TW', ['ja', 'zh-TW']));
    const families = new Set(faces.map((face) => face.family));
    assert.deepEqual([...families].sort(), ['Imprint Sans', 'Imprint Sans CJK', 'Imprint Sans JP', 'Imprint Serif', 'Imprint Serif CJK', 'Imprint Serif JP']);
    assert.ok(faces.filter((face) => face.family === 'Imprint Serif CJK').every((face) => face.file.startsWith('noto-serif-tc-')));
  });
});

describe('faces for elements in another CJK language', () => {
  const css = `
    body { font-family: "Imprint Serif", "Imprint Serif CJK", serif; }
    figcaption { font-family: "Imprint Sans", "Imprint Sans CJK", sans-serif; }
    @media (max-width: 30rem) { h2 { font-family: "Imprint Sans", "Imprint Sans CJK", sans-serif; } }
    p::before { font-family: "Imprint Sans", "Imprint Sans CJK"; }
    code { font-family: monospace; }`;

  it('repeat each rule that names an Imprint CJK family, with the language’s family in its place', () => {
    const extra = langFontCss(css, 'zh-CN', ['ja']);
    assert.match(extra, /body:lang\(ja\),\s*body \[lang\]:lang\(ja\)\s*\{\s*font-family: "Imprint Serif", "Imprint Serif JP", serif/);
    assert.match(extra, /figcaption:lang\(ja\),\s*figcaption \[lang\]:lang\(ja\)\s*\{\s*font-family: "Imprint Sans", "Imprint Sans JP", sans-serif/);
    assert.match(extra, /@media \(max-width: 30rem\)\s*\{\s*h2:lang\(ja\)/);
    assert.doesNotMatch(extra, /::before|code/);
  });

  it('are not needed when every element is in the document’s face set', () => {
    assert.equal(langFontCss(css, 'zh-TW', ['zh-Hant', 'en']), '');
    // Back in the document's language inside a Japanese quotation: the document's faces again.
    assert.match(langFontCss(css, 'zh-CN', ['ja', 'zh-CN']), /body \[lang\]:lang\(zh-CN\)\s*\{\s*font-family: "Imprint Serif", "Imprint Serif CJK", serif/);
  });
});

describe('font usage', () => {
  const css = `
    body { font-family: "Imprint Serif", "Imprint Serif CJK", serif; }
    h2, .byline { font-family: "Imprint Sans", "Imprint Sans CJK", sans-serif; }
    .byline .author { font-weight: 700; }
    #note { font-weight: bold; }
    p.plain { font-weight: normal; }
    a:hover { font-style: italic; }`;
  const document = (...children: Parameters<typeof h>[1][]): Root => ({ type: 'root', children: [h('html', { lang: 'zh-CN' }, [h('body', children as never)])] });
  const keysOf = (root: Root): Record<string, string> => {
    const usage = fontUsage(root, css, plannedFaces(fontPlan('zh-CN')));
    return Object.fromEntries([...usage.chars].map(([key, chars]) => [key, String.fromCodePoint(...[...chars].sort((a, b) => a - b))]));
  };

  it('gives each character the face a browser would use', () => {
    const keys = keysOf(
      document(
        h('h2', '标题A'),
        h('p', ['正文', h('em', 'Ab中'), h('code', 'xyz')]),
        h('p', { className: ['byline'] }, ['文', h('span', { className: ['author'] }, '熊')]),
      ),
    );
    assert.equal(keys['Imprint Sans CJK|700|normal'], '标熊题', 'headings and the bold author in the bold CJK sans');
    assert.equal(keys['Imprint Sans|700|normal'], 'A');
    assert.equal(keys['Imprint Serif CJK|400|normal'], '中文正', 'CJK in em has no italic: the regular face');
    assert.equal(keys['Imprint Serif|400|italic'], 'Ab');
    assert.equal(keys['Imprint Sans CJK|400|normal'], '文');
    assert.ok(!Object.values(keys).join('').includes('x'), 'code is set in a system monospace face');
  });

  it('weighs rules by specificity and order, and counts states as if they applied', () => {
    assert.ok(specificity('#note') > specificity('p.plain'));
    assert.ok(specificity('.byline .author') > specificity('h2'));
    const keys = keysOf(document(h('p', { className: ['plain'], id: 'note' }, 'Zz'), h('p', [h('a', { href: '#' }, 'Lk')])));
    assert.equal(keys['Imprint Serif|700|normal'], 'Zz', 'the id wins over the class');
    assert.equal(keys['Imprint Serif|400|italic'], 'Lk', 'a:hover may apply');
  });
});

describe('WOFF packing', () => {
  it('round-trips a shipped slice: WOFF to sfnt and back gives the same tables', async () => {
    const { readFontFile, fontFaces } = await import('../src/theme/fonts.js');
    const { sfntToWoff, woffToSfnt } = await import('../src/theme/woff.js');
    const face = fontFaces().find((f) => f.family === 'Imprint Serif TC' && f.weight === 400);
    const woff = readFontFile(face?.file ?? '', 'woff');
    assert.ok(woff);
    const sfnt = woffToSfnt(woff);
    assert.equal(sfnt.readUInt32BE(0), woff.readUInt32BE(4), 'the flavour');
    const again = sfntToWoff(sfnt);
    assert.equal(again.toString('latin1', 0, 4), 'wOFF');
    assert.ok(woffToSfnt(again).equals(sfnt));
    assert.ok(again.length < sfnt.length / 1.5, 'tables are compressed');
  });
});
