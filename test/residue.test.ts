/**
 * No residue (issue 18): after any run — one that publishes, one whose document fails, one ended by
 * SIGINT, one whose Chromium was killed from outside — nothing of Imprint's or Chromium's is left
 * in the temporary folder. Each run gets a private TMPDIR, whose entries are counted before and
 * after; while the run goes on, the test sees Chromium's folder appear there, so a Chromium that
 * wrote its files elsewhere would not pass unnoticed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as pollInterval } from 'node:timers/promises';
import { repoRoot } from './helpers/paths.js';

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

const article = (title: string, paragraphs = 40): string =>
  `---\ntitle: ${title}\nlang: en\n---\n\n${Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1} of ${title}: some plain text to set on the page, long enough to wrap over a few lines of the printed article.`).join('\n\n')}\n`;

/** A project and a private, empty temporary folder for one run. */
async function setup(files: Record<string, string>, config?: object): Promise<{ dir: string; tmp: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-residue-'));
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'imprint-residue-tmp-'));
  temps.push(dir, tmp);
  await mkdir(path.join(dir, 'content'));
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, 'content', name), body);
  if (config) await writeFile(path.join(dir, 'imprint.config.json'), JSON.stringify(config));
  return { dir, tmp };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Entries seen in the private TMPDIR while the run went on. */
  seen: Set<string>;
}

/** Runs the bin with TMPDIR set to `tmp`; `during` is called every 50 ms with the child's pid while it runs. */
function run(args: string[], cwd: string, tmp: string, during?: (pid: number, seen: Set<string>) => void): Promise<Run> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'imprint.js'), ...args], {
    cwd,
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const seen = new Set<string>();
  let ended = false;
  const watch = async (): Promise<void> => {
    while (!ended) {
      for (const entry of readdirSync(tmp)) seen.add(entry);
      if (child.pid !== undefined) during?.(child.pid, seen);
      await pollInterval(50);
    }
  };
  void watch();
  const killer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      clearTimeout(killer);
      resolve({ code, signal, stderr, seen });
    });
  });
}

const chromiumFolders = (seen: Set<string>): string[] => [...seen].filter((e) => e.startsWith('imprint-chromium-'));

describe('no residue in the temporary folder', () => {
  it('after a run that publishes', async () => {
    const { dir, tmp } = await setup({ 'a.md': article('Alpha') });
    assert.deepEqual(await readdir(tmp), []);
    const result = await run(['publish', '--offline', '--quiet'], dir, tmp);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(chromiumFolders(result.seen).length, 1, `Chromium's folder was in the private TMPDIR during the run: ${[...result.seen].join(', ')}`);
    assert.deepEqual(await readdir(tmp), [], 'the temporary folder is as it was');
  });

  it('after a run whose document fails once Chromium is up', async () => {
    // A long article with a time budget too short for it: the browser starts while it is parsed.
    const { dir, tmp } = await setup({ 'long.md': article('Long', 3000) }, { limits: { timeBudgetMs: 2500 } });
    const result = await run(['publish', '--offline', '--quiet'], dir, tmp);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /time budget/);
    assert.equal(chromiumFolders(result.seen).length, 1, `Chromium's folder was in the private TMPDIR during the run: ${[...result.seen].join(', ')}`);
    assert.deepEqual(await readdir(tmp), [], 'the temporary folder is as it was');
  });

  it('after a run ended by SIGINT in the middle', async () => {
    const { dir, tmp } = await setup({ 'a.md': article('Alpha'), 'b.md': article('Beta'), 'c.md': article('Gamma') });
    let sent = false;
    const result = await run(['publish', '--offline', '--quiet', '--concurrency', '1'], dir, tmp, (pid, seen) => {
      // Mid-run: the first PDF is written, the browser is up with its temporary files.
      if (!sent && existsSync(path.join(dir, 'output', 'a.pdf')) && chromiumFolders(seen).length > 0) {
        sent = true;
        process.kill(pid, 'SIGINT');
      }
    });
    assert.ok(sent, `the run was interrupted (exit ${result.code}): ${result.stderr}`);
    assert.equal(result.code, 130, result.stderr);
    assert.ok(!existsSync(path.join(dir, 'output', 'c.pdf')), 'the run stopped before its end');
    assert.deepEqual(await readdir(tmp), [], 'the temporary folder is as it was');
  });

  it('after a run whose Chromium is killed from outside', async () => {
    const { dir, tmp } = await setup({ 'a.md': article('Alpha'), 'b.md': article('Beta') });
    let killed = false;
    const result = await run(['publish', '--offline', '--quiet', '--concurrency', '1'], dir, tmp, (pid) => {
      if (killed || !existsSync(path.join(dir, 'output', 'a.pdf'))) return;
      const browser = childrenOf(pid).find((p) => /chrom/i.test(p.name));
      if (browser) {
        killed = true;
        process.kill(browser.pid, 'SIGKILL');
      }
    });
    assert.ok(killed, 'Chromium was killed mid-run');
    assert.equal(result.code, 0, `a fresh Chromium finished the run: ${result.stderr}`);
    assert.deepEqual(await readdir(tmp), [], 'the temporary folder is as it was');
  });
});

/** The direct children of `pid`, from /proc. */
function childrenOf(pid: number): Array<{ pid: number; name: string }> {
  const out: Array<{ pid: number; name: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === pid) out.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}
