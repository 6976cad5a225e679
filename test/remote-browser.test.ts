/**
 * Remote rendering: with `browserEndpoint` (config key; `--browser-endpoint` on the command line)
 * Imprint prints through a Chrome that is already running instead of launching one, and leaves it
 * running afterwards. The test starts that Chromium itself, on 127.0.0.1, and stops it at the end.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Target } from 'puppeteer-core';
import { publish } from '../src/publish.js';
import { startRemoteChromium } from './helpers/remote-chromium.js';
import { pdfinfo, pdftext, runCli } from './helpers/tools.js';

const ARTICLE = `---
title: Printed Elsewhere
lang: en
---

This article is printed by a Chromium that Imprint did not start.
`;

describe('rendering with a remote browser (browserEndpoint)', () => {
  let project: string;
  let chromium: ChildProcess;
  let endpoint: string;
  /** Imprint's own view of the remote browser: which pages were opened in it. */
  let observer: Browser;
  const opened: string[] = [];

  before(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'imprint-remote-'));
    await mkdir(path.join(project, 'content'));
    await writeFile(path.join(project, 'content', 'remote.md'), ARTICLE);
    ({ child: chromium, endpoint } = await startRemoteChromium(path.join(project, 'remote-chromium')));
    const puppeteer = await import('puppeteer-core');
    observer = await puppeteer.connect({ browserWSEndpoint: endpoint });
    observer.on('targetcreated', (target: Target) => {
      if (target.type() === 'page') opened.push(target.url());
    });
  });
  after(async () => {
    await observer?.disconnect().catch(() => undefined);
    if (chromium && chromium.exitCode === null) {
      const exited = new Promise((resolve) => chromium.once('exit', resolve));
      chromium.kill('SIGKILL');
      await exited;
    }
    await rm(project, { recursive: true, force: true });
  });

  it('prints the PDF in the running Chromium and leaves it running', async () => {
    const before = opened.length;
    const report = await publish({ cwd: project, config: { offline: true, formats: ['pdf'], browserEndpoint: endpoint } });
    const doc = report.documents[0];
    assert.ok(doc?.ok, doc?.error);
    assert.equal(report.browserLaunched, true, 'a browser was used');
    assert.ok(opened.length > before, 'Imprint opened its page in the remote Chromium');
    const pdf = path.join(project, 'output', 'remote.pdf');
    assert.match((await pdfinfo(pdf))['Title'] ?? '', /Printed Elsewhere/);
    assert.match((await pdftext(pdf)).replace(/\s+/g, ' '), /printed by a Chromium that Imprint did not start/);
    // Imprint disconnected without closing it: the remote browser still answers.
    assert.equal(chromium.exitCode, null, 'the remote Chromium is still running');
    const pages = await observer.pages();
    assert.ok(Array.isArray(pages));
    assert.equal(observer.connected, true);
  });

  it('the command line uses browserEndpoint from the config file', async () => {
    await writeFile(path.join(project, 'content', 'remote.md'), `${ARTICLE}\nA second paragraph, printed from the command line.\n`);
    await writeFile(path.join(project, 'imprint.config.json'), JSON.stringify({ offline: true, formats: ['pdf'], browserEndpoint: endpoint }));
    const before = opened.length;
    const result = await runCli(['publish'], { cwd: project });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(opened.length > before, 'the page was opened in the remote Chromium');
    assert.match((await pdftext(path.join(project, 'output', 'remote.pdf'))).replace(/\s+/g, ' '), /printed from the command line/);
    assert.equal(chromium.exitCode, null, 'the remote Chromium is still running');
  });

  it('an endpoint nobody listens on fails the document with a reason, not a hang', async () => {
    const report = await publish({
      cwd: project,
      files: [path.join(project, 'content', 'remote.md')],
      config: { offline: true, formats: ['html', 'pdf'], out: 'unreachable', browserEndpoint: 'ws://127.0.0.1:9/devtools/browser/none' },
    });
    const doc = report.documents[0];
    assert.equal(doc?.ok, false);
    assert.ok((doc?.error ?? '').length > 0, 'a reason is given');
    assert.doesNotMatch(doc?.error ?? '', /\n\s+at /, 'no stack trace');
    // A document's outputs are written together or not at all: the failed PDF leaves no HTML behind.
    assert.deepEqual(await readdir(path.join(project, 'unreachable')).catch(() => []), []);
  });
});
