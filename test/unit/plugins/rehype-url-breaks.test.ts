import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { breakUrls, urlBreakPoints } from '../../../src/plugins/rehype-url-breaks.js';
import { checkFixture, fixtureCases } from './harness.js';

/** The URL with a bar at each break point. */
const marked = (url: string): string => {
  let out = '';
  let from = 0;
  for (const point of urlBreakPoints(url)) {
    out += `${url.slice(from, point)}|`;
    from = point;
  }
  return out + url.slice(from);
};

describe('rehype-url-breaks', () => {
  for (const name of fixtureCases('rehype-url-breaks')) {
    it(name, () => {
      const article = checkFixture('rehype-url-breaks', name);
      for (const code of selectAll('code', article.tree)) assert.equal(selectAll('wbr', code).length, 0, 'no break points in code');
    });
  }

  it('breaks after //, /, ., -, ?, & and =, never inside the scheme', () => {
    assert.equal(marked('https://www.metro.taipei/cp.aspx?n=ECE&s=line-fare'), 'https://|www.|metro.|taipei/|cp.|aspx?|n=|ECE&|s=|line-|fare');
    assert.equal(marked('http://a.example//b--c'), 'http://|a.|example//|b--|c');
    for (const url of ['https://example.com/a', 'ftp://files.example.org/x.zip']) {
      const scheme = url.indexOf('://') + 3;
      assert.ok(urlBreakPoints(url).every((point) => point >= scheme), `${url}: no break inside ${url.slice(0, scheme)}`);
    }
  });

  it('adds no character to the text: copied text is the URL', () => {
    const text = '原图：https://inews.gtimg.com/om_bt/OYgVGsx5N3Ry/1000、https://x.example/a?b=c。';
    const parts = breakUrls(text) ?? [];
    assert.ok(parts.some((part) => part.type === 'element' && part.tagName === 'wbr'));
    assert.equal(toString({ type: 'root', children: parts }), text);
    // Sentence punctuation after a URL is not part of it.
    assert.equal(marked('https://x.example/a?b=c'), 'https://|x.|example/|a?|b=|c');
  });
});
