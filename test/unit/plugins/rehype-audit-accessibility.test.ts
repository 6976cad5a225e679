import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-audit-accessibility fixtures', () => {
  for (const name of fixtureCases('rehype-audit-accessibility')) {
    it(name, () => {
      checkFixture('rehype-audit-accessibility', name);
    });
  }
});
