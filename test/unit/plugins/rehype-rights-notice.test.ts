import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-rights-notice fixtures', () => {
  for (const name of fixtureCases('rehype-rights-notice')) {
    it(name, () => {
      checkFixture('rehype-rights-notice', name);
    });
  }
});
