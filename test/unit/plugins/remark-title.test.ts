import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('remark-title fixtures', () => {
  for (const name of fixtureCases('remark-title')) {
    it(name, () => {
      checkFixture('remark-title', name);
    });
  }
});
