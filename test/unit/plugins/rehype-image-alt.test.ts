import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-image-alt fixtures', () => {
  for (const name of fixtureCases('rehype-image-alt')) {
    it(name, () => {
      checkFixture('rehype-image-alt', name);
    });
  }
});
