/**
 * Publishing in shards (issue 18): three runs with --shard 1/3, 2/3 and 3/3 — side by side, sharing
 * one running Chromium through --browser-endpoint, as CI machines share a browser pool — publish
 * every document exactly once, and their outputs together are byte for byte those of one run
 * without shards (SOURCE_DATE_EPOCH fixed, as for any reproducible build). The environment's
 * shard (IMPRINT_SHARD, a Kubernetes Indexed Job's JOB_COMPLETION_INDEX) picks the same share as
 * the flag. Which share a path falls in is test/unit/shard.test.ts.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonReport } from '../src/diagnostics/json-report.js';
import { startRemoteChromium } from './helpers/remote-chromium.js';
import { runCli, type CliResult } from './helpers/tools.js';

const article = (title: string, lang: string, body: string): string => `---\ntitle: ${title}\nlang: ${lang}\ndate: 2024-03-01\n---\n\n${body}\n`;

const ARTICLES: Record<string, string> = {
  'alpha.md': article('Alpha', 'en', 'An English article with a [link](https://example.com/a) and a footnote.[^1]\n\n[^1]: The note.'),
  'beta.md': article('贝塔', 'zh-CN', '一篇中文文章，带一个链接 [示例](https://example.com/b)。\n\n第二段文字，用来填满一些版面。'),
  'gamma.md': article('Gamma', 'en', '## A heading\n\n- one\n- two\n\n> A quotation.'),
  'delta.md': article('デルタ', 'ja', '日本語の記事です。これは二つ目の文です。'),
  'epsilon.md': article('Epsilon', 'en', 'Plain text, once more, to be set on a page of its own.'),
  'zeta.md': article('泽塔', 'zh-CN', '最后一篇文章。'),
};

/** Every file under `dir`, relative, sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

const report = (run: CliResult): JsonReport => JSON.parse(run.stdout) as JsonReport;

describe('publishing in shards', () => {
  let project: string;
  let pool: { child: ChildProcess; endpoint: string };
  /** A Chromium "executable" that only records that it was started: the shards must use the pool. */
  let launchMarker: string;
  let env: NodeJS.ProcessEnv;
  let whole: CliResult;
  let shards: CliResult[];

  before(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'imprint-shard-'));
    await mkdir(path.join(project, 'content'));
    for (const [name, text] of Object.entries(ARTICLES)) await writeFile(path.join(project, 'content', name), text);
    env = { SOURCE_DATE_EPOCH: '1700000000', NO_COLOR: '1' };
    whole = await runCli(['publish', '--offline', '--json', '--out', 'whole'], { cwd: project, env, timeoutMs: 240_000 });
    await mkdir(path.join(project, 'pool'));
    pool = await startRemoteChromium(path.join(project, 'pool'));
    launchMarker = path.join(project, 'launched');
    const fake = path.join(project, 'no-launch.sh');
    await writeFile(fake, `#!/bin/sh\ntouch "${launchMarker}"\nexit 1\n`, { mode: 0o755 });
    // Side by side, each its own process and output folder, sharing the pool's browser.
    shards = await Promise.all(
      [1, 2, 3].map((k) =>
        runCli(['publish', '--offline', '--json', '--out', `shard-${k}`, '--shard', `${k}/3`, '--browser-endpoint', pool.endpoint], {
          cwd: project,
          env: { ...env, PUPPETEER_EXECUTABLE_PATH: fake },
          timeoutMs: 240_000,
        }),
      ),
    );
  });

  after(async () => {
    if (pool && pool.child.exitCode === null) {
      const exited = new Promise((resolve) => pool.child.once('exit', resolve));
      pool.child.kill('SIGKILL');
      await exited;
    }
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('the run without shards publishes every document', () => {
    assert.equal(whole.code, 0, whole.stderr);
    assert.equal(report(whole).documents.length, Object.keys(ARTICLES).length);
  });

  it('each shard publishes its share, through the shared browser, launching none of its own', () => {
    for (const [i, run] of shards.entries()) {
      assert.equal(run.code, 0, `shard ${i + 1}/3: ${run.stderr}`);
      const json = report(run);
      assert.deepEqual(json.shard, { index: i + 1, count: 3, documents: Object.keys(ARTICLES).length });
      if (json.documents.length > 0) assert.equal(json.browserLaunched, true, `shard ${i + 1}/3 printed through the pool`);
    }
    assert.ok(!existsSync(launchMarker), 'no shard started a Chromium of its own');
  });

  it('every document is published by exactly one shard', () => {
    const names = shards.flatMap((run) => report(run).documents.map((d) => d.source));
    assert.deepEqual([...names].sort(), Object.keys(ARTICLES).map((name) => `content/${name}`).sort());
  });

  it("the shards' outputs together are byte for byte the run's without shards", async () => {
    const expected = await filesUnder(path.join(project, 'whole'));
    assert.equal(expected.length, Object.keys(ARTICLES).length * 3, expected.join(', '));
    const union = new Map<string, Buffer>();
    for (const k of [1, 2, 3]) {
      const dir = path.join(project, `shard-${k}`);
      for (const file of await filesUnder(dir)) {
        assert.ok(!union.has(file), `${file} was written by one shard only`);
        union.set(file, await readFile(path.join(dir, file)));
      }
    }
    assert.deepEqual([...union.keys()].sort(), expected);
    for (const file of expected) {
      const same = (await readFile(path.join(project, 'whole', file))).equals(union.get(file) as Buffer);
      assert.ok(same, `${file} is byte for byte the same`);
    }
  });

  it('IMPRINT_SHARD and a Kubernetes Indexed Job pick the same share as --shard', async () => {
    const sourcesOf = (run: CliResult): string[] => report(run).documents.map((d) => d.source);
    for (const k of [1, 2, 3]) {
      const flag = sourcesOf(shards[k - 1] as CliResult);
      const fromEnv = await runCli(['publish', '--offline', '--json', '--format', 'html', '--out', 'env'], { cwd: project, env: { ...env, IMPRINT_SHARD: `${k}/3` } });
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
      assert.deepEqual(sourcesOf(fromEnv), flag, `IMPRINT_SHARD=${k}/3`);
      const job = await runCli(['publish', '--offline', '--json', '--format', 'html', '--out', 'env'], {
        cwd: project,
        env: { ...env, JOB_COMPLETION_INDEX: String(k - 1), IMPRINT_SHARD_COUNT: '3' },
      });
      assert.equal(job.code, 0, job.stderr);
      assert.deepEqual(sourcesOf(job), flag, `JOB_COMPLETION_INDEX=${k - 1} of 3`);
    }
  });

  it('a shard that cannot be is a usage error (exit 2)', async () => {
    const flag = await runCli(['publish', '--offline', '--shard', '4/3'], { cwd: project, env });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--shard <k\/n>.*invalid/);
    const fromEnv = await runCli(['publish', '--offline'], { cwd: project, env: { ...env, IMPRINT_SHARD: 'half' } });
    assert.equal(fromEnv.code, 2);
    assert.match(fromEnv.stderr, /IMPRINT_SHARD="half" is not a shard/);
  });
});
