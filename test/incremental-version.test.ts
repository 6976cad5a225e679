/**
 * Imprint's own version is part of every build key: a changed compiled file or lockfile rebuilds
 * every output, even though a run only re-reads the files whose state on disk (size, times,
 * inode) changed since the manifest recorded their hashes. Runs a private copy of Imprint (its
 * compiled code, package.json and lockfile; libraries and themes linked), so its code can be
 * changed, as a user runs it: the CLI in a child process, HTML only (no browser needed).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonReport } from '../src/diagnostics/json-report.js';
import { repoRoot } from './helpers/paths.js';

interface Run {
  code: number | null;
  report: JsonReport;
  stderr: string;
}

describe("Imprint's version in incremental builds", () => {
  let root: string;
  let imprint: string;
  let project: string;

  /** `imprint publish --offline -f html --json` of the private copy, in the project. */
  const publish = (): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(imprint, 'bin', 'imprint.js'), 'publish', '--offline', '-f', 'html', '--json'], {
        cwd: project,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        try {
          resolve({ code, report: JSON.parse(stdout) as JsonReport, stderr });
        } catch (error) {
          reject(new Error(`no JSON report (exit ${code}): ${stderr}`, { cause: error }));
        }
      });
    });

  /** True when the run rebuilt the article's HTML, false when it found it up to date. */
  const rebuilt = (run: Run): boolean => {
    assert.equal(run.code, 0, run.stderr);
    const output = run.report.documents[0]?.outputs.find((o) => o.format === 'html');
    assert.ok(output, 'the HTML output is reported');
    return output.skipped !== true;
  };

  const manifest = async (): Promise<{ imprintFiles?: Record<string, unknown> }> =>
    JSON.parse(await readFile(path.join(project, '.cache', 'builds.json'), 'utf8')) as { imprintFiles?: Record<string, unknown> };

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'imprint-version-'));
    imprint = path.join(root, 'imprint');
    await mkdir(imprint);
    for (const entry of ['bin', path.join('dist', 'src'), 'package.json', 'package-lock.json']) {
      await cp(path.join(repoRoot, entry), path.join(imprint, entry), { recursive: true });
    }
    for (const entry of ['node_modules', 'templates']) await symlink(path.join(repoRoot, entry), path.join(imprint, entry));
    project = path.join(root, 'project');
    await mkdir(path.join(project, 'content'), { recursive: true });
    await writeFile(path.join(project, 'content', 'a.md'), '---\ntitle: Versioned\nlang: en\n---\n\nOne paragraph of text.\n');
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a second run with the same Imprint finds the output up to date', async () => {
    assert.equal(rebuilt(await publish()), true, 'first run builds');
    const files = (await manifest()).imprintFiles ?? {};
    assert.ok(path.join(imprint, 'dist', 'src', 'cli', 'main.js') in files, 'the manifest remembers the hash of Imprint’s code');
    assert.ok(path.join(imprint, 'package-lock.json') in files, 'and of the lockfile');
    assert.equal(rebuilt(await publish()), false);
  });

  it('a compiled file touched without a change in content keeps the output up to date', async () => {
    const file = path.join(imprint, 'dist', 'src', 'theme', 'theme.js');
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    assert.equal(rebuilt(await publish()), false);
    assert.equal(rebuilt(await publish()), false);
  });

  it('a compiled file changed in content rebuilds, even with its size and modification time kept', async () => {
    const file = path.join(imprint, 'dist', 'src', 'diagnostics', 'report.js');
    // A whole second, so that it can be set again exactly; the run records the file in this state.
    const time = Math.floor(Date.now() / 1000) - 60;
    await utimes(file, time, time);
    assert.equal(rebuilt(await publish()), false);
    const before = await stat(file);
    const text = await readFile(file, 'utf8');
    // Same length, different bytes, same modification time: only the change time (and the contents) tell.
    const changed = text.replace("'error'", '"error"');
    assert.notEqual(changed, text);
    assert.equal(changed.length, text.length);
    await writeFile(file, changed);
    await utimes(file, time, time);
    const after = await stat(file);
    assert.equal(after.size, before.size);
    assert.equal(after.mtimeMs, before.mtimeMs);
    assert.equal(rebuilt(await publish()), true);
    assert.equal(rebuilt(await publish()), false, 'and is up to date after that');
  });

  it('a new compiled file rebuilds', async () => {
    await writeFile(path.join(imprint, 'dist', 'src', 'stages', 'extra-stage.js'), 'export const extra = 1;\n');
    assert.equal(rebuilt(await publish()), true);
    assert.equal(rebuilt(await publish()), false);
  });

  it('a changed lockfile (other libraries or fonts) rebuilds', async () => {
    await appendFile(path.join(imprint, 'package-lock.json'), '\n');
    assert.equal(rebuilt(await publish()), true);
    assert.equal(rebuilt(await publish()), false);
  });
});
