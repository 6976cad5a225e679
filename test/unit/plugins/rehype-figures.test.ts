import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-figures fixtures', () => {
  for (const name of fixtureCases('rehype-figures')) {
    it(name, () => {
      checkFixture('rehype-figures', name);
    });
  }
});
