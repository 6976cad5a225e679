import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Nodes } from 'hast';
import { breakReplacement, joinSoftBreaks } from '../../../src/plugins/lib/cjk.js';
import { checkFixture, fixtureCases } from './harness.js';

const CJK_BREAK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]\s+[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]/u;

function texts(node: Nodes, inCode = false, out: string[] = []): string[] {
  if (node.type === 'text' && !inCode) out.push(node.value);
  if (node.type === 'element' || node.type === 'root') {
    const code = inCode || (node.type === 'element' && (node.tagName === 'code' || node.tagName === 'pre'));
    for (const child of node.children) texts(child, code, out);
  }
  return out;
}

describe('rehype-cjk-line-breaks fixtures', () => {
  for (const name of fixtureCases('rehype-cjk-line-breaks')) {
    it(name, () => {
      const article = checkFixture('rehype-cjk-line-breaks', name);
      for (const value of texts(article.tree)) assert.doesNotMatch(value, CJK_BREAK, `${name}: ${JSON.stringify(value)}`);
    });
  }
});

describe('the soft break rule', () => {
  it('drops the break next to a wide character and keeps a space between Latin words', () => {
    assert.equal(breakReplacement('的', '一'), '');
    assert.equal(breakReplacement('，', 'A'), '');
    assert.equal(breakReplacement('O', '表'), '');
    assert.equal(breakReplacement('”', '之'), '');
    assert.equal(breakReplacement('n', 'K'), ' ');
    assert.equal(breakReplacement('4', 'x'), ' ');
    assert.equal(breakReplacement('은', '올'), ' ');
    assert.equal(breakReplacement('”', 'a'), ' ');
  });

  it('applies to whole strings such as alt text', () => {
    assert.equal(joinSoftBreaks('新华社记者\n姚大伟 摄'), '新华社记者姚大伟 摄');
    assert.equal(joinSoftBreaks('John  \n  Kirby'), 'John Kirby');
    assert.equal(joinSoftBreaks('a\r\nb'), 'a b');
  });
});
