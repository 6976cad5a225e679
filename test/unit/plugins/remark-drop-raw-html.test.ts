import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('remark-drop-raw-html fixtures', () => {
  for (const name of fixtureCases('remark-drop-raw-html')) {
    it(name, () => {
      const article = checkFixture('remark-drop-raw-html', name);
      // The comment is dropped without a warning: three tags, three warnings.
      assert.equal(article.file.messages.filter((m) => m.ruleId === 'raw-html').length, 3);
    });
  }
});
