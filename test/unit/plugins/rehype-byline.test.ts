import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { matchByline } from '../../../src/plugins/rehype-byline.js';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-byline fixtures', () => {
  for (const name of fixtureCases('rehype-byline')) {
    it(name, () => {
      const article = checkFixture('rehype-byline', name);
      for (const byline of selectAll('.byline', article.tree)) {
        const value = toString(byline);
        assert.doesNotMatch(value, /[\p{Script=Han}][ \t\n]+[\p{Script=Han}]/u, 'no Latin space between CJK names');
        // Two names (or a publisher and a name) side by side are apart in the text itself: an
        // ideographic space between CJK names, a space between Latin ones.
        const names = selectAll('.publisher, .author', byline).map((span) => toString(span));
        for (let i = 1; i < names.length; i++) {
          const end = value.indexOf(names[i - 1] as string) + (names[i - 1] as string).length;
          const between = value.slice(end, value.indexOf(names[i] as string, end));
          const cjk = /\p{Script=Han}$/u.test(names[i - 1] as string) && /^\p{Script=Han}/u.test(names[i] as string);
          assert.match(between, cjk ? /^\u3000$/ : /^[,;|·—–]? $/, `${JSON.stringify(value)} separates ${names[i - 1]} and ${names[i]}`);
        }
      }
    });
  }
});

describe('matchByline', () => {
  const authorOf = (value: string, whole = false) => {
    const match = matchByline(value, whole, 60);
    return match && { author: match.author, publisher: match.publisher, length: match.length };
  };

  it('reads the bracketed forms with and without a publisher', () => {
    assert.deepEqual(authorOf('【文/南方日报 张伟】正文'), { author: '张伟', publisher: '南方日报', length: 11 });
    assert.deepEqual(authorOf('【文／张伟】正文'), { author: '张伟', publisher: undefined, length: 6 });
    assert.deepEqual(authorOf('[作者：李雷 韩梅梅]正文'), { author: '李雷、韩梅梅', publisher: undefined, length: 11 });
  });

  it('reads 文｜, 作者： and By lines', () => {
    assert.equal(authorOf('文|王五', true)?.author, '王五');
    assert.equal(authorOf('作者:赵六', true)?.author, '赵六');
    assert.deepEqual(authorOf('By Ann Lee for The Daily Post', true), { author: 'Ann Lee', publisher: 'The Daily Post', length: 29 });
    assert.deepEqual(authorOf('BY MARK SMITH', true), { author: 'MARK SMITH', publisher: undefined, length: 13 });
  });

  it('does not take ordinary sentences for bylines', () => {
    assert.equal(authorOf('文章指出，经济正在复苏。', true), undefined);
    assert.equal(authorOf('作者认为，这一点毋庸置疑。', true), undefined);
    assert.equal(authorOf('By the river, the town is quiet.', true), undefined);
    assert.equal(authorOf('Byron wrote this.', true), undefined);
  });
});
