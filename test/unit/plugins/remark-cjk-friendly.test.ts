import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('remark-cjk-friendly fixtures', () => {
  for (const name of fixtureCases('remark-cjk-friendly')) {
    it(name, () => {
      checkFixture('remark-cjk-friendly', name);
    });
  }
});
