import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { joinBrokenDestinations } from '../../../src/plugins/remark-repair-wrapped-urls.js';
import { checkFixture, fixtureCases } from './harness.js';

const join = (text: string) => {
  const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
  return joinBrokenDestinations({ text, offsets }, 4096);
};

describe('remark-repair-wrapped-urls fixtures', () => {
  for (const name of fixtureCases('remark-repair-wrapped-urls')) {
    it(name, () => {
      const article = checkFixture('remark-repair-wrapped-urls', name);
      if (name === 'not-a-destination') return; // its text has a literal ](
      // No piece of a URL or of Markdown syntax is left in the text.
      const text = toString(article.tree);
      assert.ok(!text.includes(']('), `${name}: no ](`);
      assert.ok(!text.includes('!['), `${name}: no ![`);
      assert.ok(!/https?:/.test(text), `${name}: no URL in the text`);
      for (const a of selectAll('a[href^="http"]', article.tree)) assert.doesNotMatch(String(a.properties['href']), /\s/);
    });
  }
});

describe('joinBrokenDestinations', () => {
  it('removes a break inside a destination and reports where it was', () => {
    const result = join('![](https://a.example/x-\ny/1)');
    assert.equal(result.text, '![](https://a.example/x-y/1)');
    assert.deepEqual(result.joins.map((j) => j.source), [24]);
    // Offsets still point into the original text after the removed break.
    assert.equal(result.offsets[24], 25);
  });

  it('joins several breaks in one destination and keeps a title', () => {
    assert.equal(join('[a](http://h/a-\nb-\nc "T")').text, '[a](http://h/a-b-c "T")');
  });

  it('leaves alone what is not a broken destination', () => {
    for (const text of [
      '[a](http://h/a) and\nmore',
      'x ](not a url\nsee)',
      '[a](http://h/a\n"title on the next line")',
      '[a](\nhttp://h/a)',
      '[a](http://h/a-\nb c)',
    ]) {
      assert.equal(join(text).joins.length, 0, JSON.stringify(text));
    }
  });
});
