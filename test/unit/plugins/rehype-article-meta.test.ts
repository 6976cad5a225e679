import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-article-meta fixtures', () => {
  for (const name of fixtureCases('rehype-article-meta')) {
    it(name, () => {
      checkFixture('rehype-article-meta', name);
    });
  }
});
