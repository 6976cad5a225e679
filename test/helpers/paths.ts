import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root (tests run from dist/test/…, fixtures stay in test/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const sampleArticle = path.join(repoRoot, 'content', 'biden-xi-summit.md');
