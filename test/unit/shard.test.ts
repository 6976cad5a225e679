/**
 * Shards (config/shard.ts): which share a document belongs to, and where the shard comes from.
 * The publishing side — three shards whose outputs together are one run's — is test/shard.test.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseShard, selectShard, shardFromEnvironment, shardOf, ShardEnvironmentError } from '../../src/config/shard.js';
import { resolveConfig } from '../../src/config/schema.js';

const paths = (n: number): string[] => Array.from({ length: n }, (_, i) => `content/article-${String(i).padStart(4, '0')}.md`);

describe('shards', () => {
  it('reads k/n with k from 1 to n, and nothing else', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.deepEqual(parseShard(' 1 / 1 '), { index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '2', '2/', '/4', '-1/4', '1.5/4', 'a/b', '2/4/8', '']) assert.equal(parseShard(bad), undefined, bad);
  });

  it('the schema refuses a shard that is not k/n', () => {
    assert.equal(resolveConfig({ shard: '3/3' }).shard, '3/3');
    assert.throws(() => resolveConfig({ shard: '4/3' }), /k\/n/);
  });

  it('gives every document to exactly one of n shares', () => {
    const root = '/project';
    const files = paths(300).map((p) => path.join(root, p));
    for (const count of [1, 2, 3, 7]) {
      const shares = Array.from({ length: count }, (_, i) => selectShard(files, root, { index: i + 1, count }));
      assert.equal(shares.flat().length, files.length, `${count} shares hold every document`);
      assert.equal(new Set(shares.flat()).size, files.length, `${count} shares hold each document once`);
    }
  });

  it('spreads documents about evenly', () => {
    const counts = [0, 0, 0, 0];
    for (const p of paths(4000)) counts[shardOf(p, 4) - 1] = (counts[shardOf(p, 4) - 1] ?? 0) + 1;
    // 1000 expected per share; a share off by more than 10 % would mean a skewed hash.
    for (const n of counts) assert.ok(n > 900 && n < 1100, `shares of 4000 documents: ${counts.join(', ')}`);
  });

  it("a document's share depends only on its own path: adding or removing others moves none", () => {
    const root = '/project';
    const before = paths(200).map((p) => path.join(root, p));
    const after = [...before.filter((_, i) => i % 3 !== 0), ...paths(50).map((p) => path.join(root, p.replace('article', 'new')))];
    for (let index = 1; index <= 3; index++) {
      const was = new Set(selectShard(before, root, { index, count: 3 }));
      const now = selectShard(after, root, { index, count: 3 });
      for (const file of now) if (before.includes(file)) assert.ok(was.has(file), `${file} stayed in share ${index}`);
    }
  });

  it('is the same in every checkout: the path counts from the project root, with / separators', () => {
    const a = selectShard(['/home/ci/repo/content/x.md', '/home/ci/repo/content/y.md'], '/home/ci/repo', { index: 1, count: 2 });
    const b = selectShard(['/builds/42/content/x.md', '/builds/42/content/y.md'], '/builds/42', { index: 1, count: 2 });
    assert.deepEqual(a.map((f) => path.basename(f)), b.map((f) => path.basename(f)));
  });

  it('comes from IMPRINT_SHARD, or from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX from 0, IMPRINT_SHARD_COUNT)', () => {
    assert.equal(shardFromEnvironment({}), undefined);
    assert.equal(shardFromEnvironment({ IMPRINT_SHARD: '2/5' }), '2/5');
    assert.equal(shardFromEnvironment({ JOB_COMPLETION_INDEX: '0', IMPRINT_SHARD_COUNT: '4' }), '1/4');
    assert.equal(shardFromEnvironment({ JOB_COMPLETION_INDEX: '3', IMPRINT_SHARD_COUNT: '4' }), '4/4');
    // JOB_COMPLETION_INDEX alone is any Indexed Job's: it does not shard Imprint by itself.
    assert.equal(shardFromEnvironment({ JOB_COMPLETION_INDEX: '3' }), undefined);
    assert.equal(shardFromEnvironment({ IMPRINT_SHARD: '1/2', JOB_COMPLETION_INDEX: '1', IMPRINT_SHARD_COUNT: '4' }), '1/2');
    assert.throws(() => shardFromEnvironment({ IMPRINT_SHARD: '3/2' }), ShardEnvironmentError);
    assert.throws(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '4', IMPRINT_SHARD_COUNT: '4' }), /not below/);
    assert.throws(() => shardFromEnvironment({ IMPRINT_SHARD_COUNT: '4' }), /JOB_COMPLETION_INDEX/);
  });
});
