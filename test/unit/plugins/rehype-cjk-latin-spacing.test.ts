import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Nodes } from 'hast';
import { checkFixture, fixtureCases } from './harness.js';

/** The article's text outside code and note marks, each block on a line of its own. */
function text(node: Nodes): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' && node.tagName === 'sup') return '';
  if (node.type === 'element' || node.type === 'root') {
    const inner = node.children.map((child) => text(child)).join('');
    return node.type === 'element' && node.tagName === 'p' ? `${inner}\n` : inner;
  }
  return '';
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
const LATIN = '\\p{Script=Latin}\\p{Nd}';
const SPACED = new RegExp(`[${CJK}] [${LATIN}]|[${LATIN}] [${CJK}]`, 'gu');
const JOINED = new RegExp(`[${CJK}][${LATIN}]|[${LATIN}][${CJK}]`, 'gu');

describe('rehype-cjk-latin-spacing', () => {
  for (const name of fixtureCases('rehype-cjk-latin-spacing')) {
    it(name, () => {
      checkFixture('rehype-cjk-latin-spacing', name);
    });
  }

  it('follows the convention the article uses more often, soft line breaks included', () => {
    const spaced = text(checkFixture('rehype-cjk-latin-spacing', 'spaces').tree);
    assert.equal(spaced.match(JOINED), null, spaced);
    assert.match(spaced, /使用 Puppeteer 渲染页面，再用 pdf-lib 处理元数据/, 'the joined line break gets the space the author writes');
    const joined = text(checkFixture('rehype-cjk-latin-spacing', 'no-spaces').tree);
    assert.equal(joined.match(SPACED), null, joined);
    assert.match(joined, /使用Puppeteer渲染页面/);
  });

  it('records the convention and leaves an article without one as it is', () => {
    assert.equal(checkFixture('rehype-cjk-latin-spacing', 'spaces').file.data.cjkLatinSpacing, 'space');
    assert.equal(checkFixture('rehype-cjk-latin-spacing', 'no-spaces').file.data.cjkLatinSpacing, 'none');
    assert.equal(checkFixture('rehype-cjk-latin-spacing', 'no-evidence').file.data.cjkLatinSpacing, undefined);
  });
});
