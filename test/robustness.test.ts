/**
 * No lost or half-written output, and no hang, with the real bin (the parse limits and the
 * parse worker's time budget are in test/unit/parse-limits.test.ts):
 *
 * - a failed build leaves the previous outputs byte for byte, with no temporary file;
 * - Chromium killed in the middle of a run is replaced and the run still publishes;
 * - SIGTERM or SIGINT in the middle of a run: Chromium is gone afterwards and no output is
 *   half-written.
 *
 * The CLI tests run the real bin as a child process in throw-away projects, --offline.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as pollInterval } from 'node:timers/promises';
import { unzipSync } from 'fflate';
import { repoRoot } from './helpers/paths.js';
import { pdfinfo, runCli, type CliResult } from './helpers/tools.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?\n/;

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The CLI: outputs, Chromium, signals

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-robust-'));
  temps.push(dir);
  await mkdir(path.join(dir, 'content'));
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), body);
  return dir;
}

const article = (title: string, paragraphs = 40): string =>
  `---\ntitle: ${title}\nlang: en\n---\n\n${Array.from({ length: paragraphs }, (_, i) => `Paragraph ${i + 1} of ${title}: some plain text to set on the page, long enough to wrap over a few lines of the printed article.`).join('\n\n')}\n`;

/** Every file under `dir` (relative paths), dot files included. */
async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  name: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const [state = '', ppid = '0'] = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(entry), ppid: Number(ppid), state, name: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Chromium processes under `pid` (its browser process and everything that one started). */
function chromiumOf(pid: number): Proc[] {
  const all = processes();
  const found: Proc[] = [];
  const queue = all.filter((p) => p.ppid === pid && /chrom/i.test(p.name));
  while (queue.length > 0) {
    const next = queue.shift() as Proc;
    found.push(next);
    queue.push(...all.filter((p) => p.ppid === next.pid));
  }
  return found;
}

const alive = (pid: number): boolean => processes().some((p) => p.pid === pid && p.state !== 'Z');

interface Started {
  child: ChildProcess;
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** The real bin as a child process, with a handle on it (runCli only gives the result). */
function startCli(args: string[], cwd: string): Started {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'imprint.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Polls `check` every 50 ms until it gives a value; fails the test when `ms` pass without one. */
async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 240_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) assert.fail(`waited in vain for ${what}`);
    await pollInterval(50);
  }
}

/** A complete output: the PDF opens, the EPUB unzips with its package, the page ends. */
async function assertComplete(file: string): Promise<void> {
  if (file.endsWith('.pdf')) assert.ok(Number((await pdfinfo(file))['Pages']) >= 1, `${file} opens`);
  else if (file.endsWith('.epub')) assert.ok(unzipSync(new Uint8Array(await readFile(file)))['OEBPS/content.opf'], `${file} unzips`);
  else if (file.endsWith('.html')) assert.match(await readFile(file, 'utf8'), /<\/html>\s*$/, `${file} is whole`);
}

describe('a failed build keeps the previous outputs', () => {
  it('byte for byte, with no temporary file left', async () => {
    const dir = await project({ 'content/story.md': article('Story', 5) });
    const first = await runCli(['publish', '--out', 'out', '--offline'], { cwd: dir, timeoutMs: 300_000 });
    assert.equal(first.code, 0, first.stderr);
    const names = ['story.epub', 'story.html', 'story.pdf'];
    assert.deepEqual(await allFiles(path.join(dir, 'out')), names);
    const before = new Map<string, Buffer>();
    for (const name of names) before.set(name, await readFile(path.join(dir, 'out', name)));

    // The article is broken (nested far too deep): its build fails.
    await writeFile(path.join(dir, 'content', 'story.md'), `${article('Story', 5)}\n${'> '.repeat(5000)}deep\n`);
    const second = await runCli(['publish', '--out', 'out', '--offline'], { cwd: dir, timeoutMs: 300_000 });
    assert.equal(second.code, 1, second.stderr);
    assert.match(second.stderr, /content\/story\.md:\d+:\d+ error .*limits\.maxDepth/);
    assert.doesNotMatch(second.stderr, STACK_TRACE);
    assert.deepEqual(await allFiles(path.join(dir, 'out')), names, 'no temporary or partial file');
    for (const name of names) assert.ok((await readFile(path.join(dir, 'out', name))).equals(before.get(name) as Buffer), `${name} unchanged`);
    assert.deepEqual((await allFiles(dir)).filter((f) => f.endsWith('.tmp')), []);
  });
});

describe('a Chromium that cannot start', () => {
  it('fails the documents that need it with its own words, at once, and the command ends', async () => {
    const dir = await project({ 'content/a.md': article('Alpha') });
    const fake = path.join(dir, 'broken-chromium.sh');
    await writeFile(fake, '#!/bin/sh\necho "libnss3.so: cannot open shared object file" >&2\nexit 127\n', { mode: 0o755 });
    const result = await runCli(['publish', '--out', 'out', '--offline'], { cwd: dir, env: { PUPPETEER_EXECUTABLE_PATH: fake }, timeoutMs: 30_000 });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout + result.stderr, /Chromium exited \(code 127\): libnss3\.so: cannot open shared object file/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    // A document's outputs are written together or not at all: without its PDF, not its HTML either.
    assert.deepEqual(await readdir(path.join(dir, 'out')).catch(() => []), [], 'nothing written for the failed document');
  });
});

describe('Chromium crashing in the middle of a run', () => {
  it('is replaced by a fresh one, and every document is still published', async () => {
    const dir = await project({ 'content/a.md': article('Alpha'), 'content/b.md': article('Beta'), 'content/c.md': article('Gamma') });
    const cli = startCli(['publish', '--out', 'out', '--offline', '--concurrency', '1'], dir);
    const pid = cli.child.pid as number;
    // Once the first PDF is out, the browser is up and has more work to do: kill it.
    const browser = await waitFor('Chromium and the first PDF', () => {
      const [main] = chromiumOf(pid).filter((p) => p.ppid === pid);
      return existsSync(path.join(dir, 'out', 'a.pdf')) && main;
    });
    process.kill(browser.pid, 'SIGKILL');
    // A browser the run starts after the crash (or the end of the run, if it starts none).
    const ended = (): boolean => cli.child.exitCode !== null || cli.child.signalCode !== null;
    const fresh = await waitFor('a fresh Chromium, or the end of the run', () => chromiumOf(pid).find((p) => p.ppid === pid && p.pid !== browser.pid) ?? (ended() && 'none'));
    assert.notEqual(fresh, 'none', 'a fresh browser was started');
    const result = await cli.done;
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, STACK_TRACE);
    const files = await allFiles(path.join(dir, 'out'));
    assert.deepEqual(files, ['a.epub', 'a.html', 'a.pdf', 'b.epub', 'b.html', 'b.pdf', 'c.epub', 'c.html', 'c.pdf']);
    for (const name of files) await assertComplete(path.join(dir, 'out', name));
    assert.ok(!alive(browser.pid), 'the killed browser is gone');
  });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  describe(`${signal} in the middle of a run`, () => {
    it('closes Chromium and leaves no partial output', async () => {
      const dir = await project({ 'content/a.md': article('Alpha'), 'content/b.md': article('Beta'), 'content/c.md': article('Gamma') });
      const cli = startCli(['publish', '--out', 'out', '--offline', '--concurrency', '1'], dir);
      const pid = cli.child.pid as number;
      // Mid-run: the first PDF is written, two documents are still to come, the browser has a page open.
      const tree = await waitFor('the first PDF, and Chromium with a page', () => {
        const found = chromiumOf(pid);
        return existsSync(path.join(dir, 'out', 'a.pdf')) && found.length >= 3 && found;
      });
      const all = [...new Set([...tree, ...chromiumOf(pid)].map((p) => p.pid))];
      process.kill(pid, signal);
      const result = await cli.done;
      assert.ok(result.code === (signal === 'SIGTERM' ? 143 : 130) || result.signal === signal, `exit ${result.code} ${result.signal}`);
      assert.doesNotMatch(result.stderr, STACK_TRACE);
      // The browser and everything it started end with the run.
      await waitFor(`the end of the run's Chromium processes ${all.join(', ')}`, () => all.every((p) => !alive(p)), 15_000);
      const files = await allFiles(path.join(dir, 'out'));
      assert.deepEqual(files.filter((f) => f.endsWith('.tmp') || f.startsWith('.')), [], 'no temporary file');
      for (const name of files) await assertComplete(path.join(dir, 'out', name));
    });
  });
}
