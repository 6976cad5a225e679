import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-headings fixtures', () => {
  for (const name of fixtureCases('rehype-headings')) {
    it(name, () => {
      checkFixture('rehype-headings', name);
    });
  }
});
