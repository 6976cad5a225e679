import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { checkFixture, fixtureCases } from './harness.js';

describe('remark-smart-quotes fixtures', () => {
  for (const name of fixtureCases('remark-smart-quotes')) {
    it(name, () => {
      const article = checkFixture('remark-smart-quotes', name);
      // Code is never touched.
      for (const code of selectAll('code', article.tree)) assert.doesNotMatch(toString(code), /[“”‘’]/, `${name}: code keeps straight quotes`);
    });
  }

  it('curls English text only', () => {
    const english = checkFixture('remark-smart-quotes', 'english');
    assert.match(toString(english.tree), /It’s the historians’ “double narrative”/);
    assert.doesNotMatch(toString(english.tree), /["']/);
    const chinese = checkFixture('remark-smart-quotes', 'chinese');
    const [cjk, latin] = selectAll('p', chinese.tree).map((p) => toString(p));
    assert.equal(cjk, '拜登重申"美国不寻求与中国脱钩"，他说\'这是目标\'。「引号」保持原样。', 'quotes typed in Chinese text are left to the author');
    assert.equal(latin, '“It’s a long way,” he said in English.');
    const german = checkFixture('remark-smart-quotes', 'other-latin-language');
    assert.match(toString(german.tree), /"Hallo"/, 'German quotes differently: left alone');
  });
});
