import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Root } from 'hast';
import { h } from 'hastscript';
import { toString } from 'hast-util-to-string';
import rehypeHyphenate, { hyphenateText } from '../../../src/plugins/rehype-hyphenate.js';

const SHY = '\u00ad';
const marked = (value: string): string => value.replaceAll(SHY, '·');

describe('rehype-hyphenate', () => {
  it('marks the hyphenation points of the English patterns, two letters before and three after at least', () => {
    assert.equal(marked(hyphenateText('a deliberately long word: incomprehensibilities', 'en')), 'a de·lib·er·ately long word: in·com·pre·hen·si·bil·i·ties');
    assert.equal(marked(hyphenateText('characteristically', 'en-US')), 'char·ac·ter·is·ti·cally');
    // Short words, words with inner capitals and words joined to digits or hyphens stay whole.
    assert.equal(hyphenateText('the NASA JavaScript B2Bplattform sixteenth-century about', 'en'), 'the NASA JavaScript B2Bplattform sixteenth-century about');
  });

  it('leaves URLs and e-mail addresses written in the text whole', () => {
    const value = '原图：https://inews.gtimg.com/om_bt/international-relations/1000、editorial@newspaper.example.com';
    assert.equal(hyphenateText(value, 'zh-CN'), value);
  });

  it('uses the patterns of the nearest lang and English ones for Latin words in CJK text', () => {
    assert.equal(marked(hyphenateText('Gesellschaftsordnung', 'de')), 'Ge·sell·schafts·ord·nung');
    assert.equal(marked(hyphenateText('系统供应商 Ansaldo 提供 internationalization 软件', 'zh-TW')), '系统供应商 Ansaldo 提供 in·ter·na·tion·al·iza·tion 软件');
    const tree: Root = { type: 'root', children: [h('p', ['understanding ', h('span', { lang: 'de' }, 'Verständigung')])] };
    rehypeHyphenate({ lang: 'en' })(tree);
    assert.equal(marked(toString(tree)), 'un·der·stand·ing Ver·stän·di·gung');
  });

  it('never touches code, headings, names in bylines and credits, or links that spell out a URL', () => {
    const tree: Root = {
      type: 'root',
      children: [
        h('h2', 'Understanding hyphenation'),
        h('p', [h('code', 'internationalization'), ' ', h('a', { href: 'https://example.com/internationalization' }, 'https://example.com/internationalization')]),
        h('p', { className: ['byline'] }, 'By Maximiliane Rosenberger'),
        h('figcaption', [h('span', { className: ['caption'] }, 'understanding'), ' ', h('span', { className: ['credit'] }, 'Photo: Rosenberger')]),
      ],
    };
    rehypeHyphenate({ lang: 'en' })(tree);
    const text = toString(tree);
    assert.equal((text.match(/\u00ad/g) ?? []).length, 3, marked(text));
    assert.match(marked(text), /un·der·stand·ing Photo: Rosenberger$/);
  });
});
