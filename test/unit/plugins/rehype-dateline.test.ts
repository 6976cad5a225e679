import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-dateline fixtures', () => {
  for (const name of fixtureCases('rehype-dateline')) {
    it(name, () => {
      const article = checkFixture('rehype-dateline', name);
      // The dateline stays in the text: only the metadata learns the date.
      if (article.meta.date && !article.file.data.frontMatter?.date) assert.ok(article.file.messages.some((m) => m.ruleId === 'date-from-text'));
    });
  }
  it('never makes up a date', () => {
    assert.equal(checkFixture('rehype-dateline', 'date-in-a-sentence').meta.date, undefined);
    assert.equal(checkFixture('rehype-dateline', 'no-year').meta.date, undefined);
  });
});
