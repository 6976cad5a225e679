/**
 * Incremental builds: a second run with nothing changed rebuilds nothing and launches no browser;
 * changing one article, an image it uses, an output on disk, the configuration or the theme
 * rebuilds exactly what depends on it. Real pipeline, offline, in a throw-away project.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { VFile } from 'vfile';
import { openBuildCache, themeDigest } from '../src/cache/build-cache.js';
import { resolveConfig, type UserConfig } from '../src/config/schema.js';
import { repairCount, warningCount } from '../src/diagnostics/report.js';
import type { DocumentResult, Format, OutputFile } from '../src/model.js';
import { publish, type PublishReport } from '../src/publish.js';
import { loadTheme, TEMPLATES_DIR } from '../src/theme/theme.js';
import { pdfinfo } from './helpers/tools.js';

// Both articles name a cover image, so only the PDF needs the browser (a generated EPUB cover would too).
const ARTICLE_A = `---
title: Article A
author: Ada Writer
lang: en
cover: pic.png
---

The first article, with a picture drawn for this test.

![A red square](pic.png)

A closing paragraph that links to [the example site](https://example.com/a)
and to [an old archive](ftp://archive.example.com/a), a link no reader can follow.
`;

const ARTICLE_B = `---
title: Article B
lang: en
cover: cover-b.png
---

The second article has no pictures, only text.

## A section

Some more text in a section of its own.
`;

const square = (colour: string): Promise<Buffer> =>
  sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer();

describe('incremental builds', () => {
  let project: string;
  const config: UserConfig = { offline: true, concurrency: 2 };
  const out = (name: string, format: Format): string => path.join(project, 'output', `${name}.${format}`);
  const run = (extra: UserConfig = {}): Promise<PublishReport> => publish({ cwd: project, config: { ...config, ...extra } });
  const doc = (report: PublishReport, name: string): DocumentResult => {
    const found = report.documents.find((d) => d.name === name);
    assert.ok(found, `document ${name} in the report`);
    return found;
  };
  const output = (report: PublishReport, name: string, format: Format): OutputFile => {
    const found = doc(report, name).outputs.find((o) => o.format === format);
    assert.ok(found, `${name}.${format} in the report`);
    return found;
  };
  /** "name.format" of every output the run rebuilt (not skipped), sorted. */
  const rebuilt = (report: PublishReport): string[] =>
    report.documents.flatMap((d) => d.outputs.filter((o) => !o.skipped).map((o) => `${d.name}.${o.format}`)).sort();
  /** Every message of a document with its severity (fatal: true error, false warning, unset info). */
  const messages = (result: DocumentResult): string[] =>
    result.file.messages.map((m) => `${m.line ?? ''}:${m.column ?? ''} ${String(m.fatal ?? 'info')} ${m.ruleId ?? ''} ${m.reason}`).sort();
  const assertOk = (report: PublishReport): void => {
    for (const d of report.documents) assert.ok(d.ok, `${d.name}: ${d.error ?? ''}`);
  };

  let first: PublishReport;
  const firstBytes = new Map<string, Buffer>();

  before(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'imprint-incremental-'));
    await mkdir(path.join(project, 'content'));
    await writeFile(path.join(project, 'content', 'a.md'), ARTICLE_A);
    await writeFile(path.join(project, 'content', 'b.md'), ARTICLE_B);
    await writeFile(path.join(project, 'content', 'pic.png'), await square('#cc3333'));
    await writeFile(path.join(project, 'content', 'cover-b.png'), await square('#33cc33'));
  });
  after(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('the first run builds all three formats of both articles', async () => {
    first = await run();
    assertOk(first);
    assert.deepEqual(rebuilt(first), ['a.epub', 'a.html', 'a.pdf', 'b.epub', 'b.html', 'b.pdf']);
    assert.equal(first.browserLaunched, true);
    for (const name of ['a', 'b']) {
      for (const format of ['html', 'pdf', 'epub'] as const) firstBytes.set(`${name}.${format}`, await readFile(out(name, format)));
    }
    const manifest = JSON.parse(await readFile(path.join(project, '.cache', 'builds.json'), 'utf8')) as { documents: Record<string, unknown> };
    assert.deepEqual(Object.keys(manifest.documents).sort(), ['content/a.md', 'content/b.md']);
  });

  it('a second run with nothing changed skips every output and launches no browser', async () => {
    const mtimes = await Promise.all([...firstBytes.keys()].map(async (key) => (await stat(path.join(project, 'output', key))).mtimeMs));
    const second = await run();
    assertOk(second);
    assert.deepEqual(rebuilt(second), []);
    assert.equal(second.browserLaunched, false);
    for (const name of ['a', 'b']) {
      for (const format of ['html', 'pdf', 'epub'] as const) {
        const listed = output(second, name, format);
        assert.equal(listed.skipped, true);
        assert.equal(listed.path, out(name, format));
        assert.equal(listed.bytes, firstBytes.get(`${name}.${format}`)?.length, `${name}.${format} size reported`);
        assert.ok((await readFile(out(name, format))).equals(firstBytes.get(`${name}.${format}`) ?? Buffer.alloc(0)), `${name}.${format} unchanged`);
      }
    }
    assert.equal(output(second, 'a', 'pdf').pages, output(first, 'a', 'pdf').pages, 'page count reported for the skipped PDF');
    const mtimesAfter = await Promise.all([...firstBytes.keys()].map(async (key) => (await stat(path.join(project, 'output', key))).mtimeMs));
    assert.deepEqual(mtimesAfter, mtimes, 'no output was rewritten');
    // The warnings and repairs of the build that wrote the outputs are reported again, each with its severity.
    assert.ok(warningCount(doc(first, 'a')) > 0 && repairCount(doc(first, 'a')) > 0, 'article A has warnings and repairs to replay');
    assert.deepEqual(messages(doc(second, 'a')), messages(doc(first, 'a')));
    assert.deepEqual(messages(doc(second, 'b')), messages(doc(first, 'b')));
    assert.deepEqual([warningCount(doc(second, 'a')), repairCount(doc(second, 'a'))], [warningCount(doc(first, 'a')), repairCount(doc(first, 'a'))]);
  });

  it('changing one article rebuilds only its own outputs', async () => {
    await writeFile(path.join(project, 'content', 'b.md'), `${ARTICLE_B}\nA sentence added later.\n`);
    const third = await run();
    assertOk(third);
    assert.deepEqual(rebuilt(third), ['b.epub', 'b.html', 'b.pdf']);
    assert.match(await readFile(out('b', 'html'), 'utf8'), /A sentence added later\./);
    for (const format of ['html', 'pdf', 'epub'] as const) {
      assert.ok((await readFile(out('a', format))).equals(firstBytes.get(`a.${format}`) ?? Buffer.alloc(0)), `a.${format} untouched`);
    }
  });

  it('changing an image an article uses rebuilds that article', async () => {
    await writeFile(path.join(project, 'content', 'pic.png'), await square('#3333cc'));
    const fourth = await run();
    assertOk(fourth);
    assert.deepEqual(rebuilt(fourth), ['a.epub', 'a.html', 'a.pdf']);
    assert.notEqual((await readFile(out('a', 'html'), 'utf8')), firstBytes.get('a.html')?.toString('utf8'), 'the page shows the new picture');
  });

  it('an output deleted or changed on disk is rebuilt, and only that one', async () => {
    await unlink(out('a', 'pdf'));
    await writeFile(out('b', 'html'), '<p>edited by hand</p>');
    const fifth = await run();
    assertOk(fifth);
    assert.deepEqual(rebuilt(fifth), ['a.pdf', 'b.html']);
    assert.match(await readFile(out('b', 'html'), 'utf8'), /A sentence added later\./);
    assert.ok((await stat(out('a', 'pdf'))).size > 1000);
  });

  it('settings that do not shape outputs (formats, downloads, concurrency) rebuild nothing', async () => {
    const htmlOnly = await run({ formats: ['html'], offline: false, concurrency: 1 });
    assertOk(htmlOnly);
    assert.deepEqual(rebuilt(htmlOnly), []);
    assert.equal(htmlOnly.browserLaunched, false);
    assert.deepEqual(htmlOnly.documents.flatMap((d) => d.outputs.map((o) => o.format)), ['html', 'html']);
  });

  it('changing the configuration rebuilds every output it shapes', async () => {
    const a4 = await run({ page: { size: 'A4' } });
    assertOk(a4);
    assert.deepEqual(rebuilt(a4), ['a.epub', 'a.html', 'a.pdf', 'b.epub', 'b.html', 'b.pdf']);
    const info = await pdfinfo(out('a', 'pdf'));
    const [width] = (info['Page size'] ?? '').split(/\s*x\s*/).map(Number);
    // A4 is 210 mm = 595.3 pt wide (A5, the default, 419.5 pt).
    assert.ok(Math.abs((width ?? 0) - 595.3) < 1, info['Page size']);
    const again = await run({ page: { size: 'A4' } });
    assert.deepEqual(rebuilt(again), []);
    assert.equal(again.browserLaunched, false);
  });

  it('changing a theme file makes every output out of date', async () => {
    const templates = path.join(project, 'templates');
    await cp(path.join(TEMPLATES_DIR, 'default'), path.join(templates, 'default'), { recursive: true });
    const a4 = resolveConfig({ ...config, page: { size: 'A4' } });
    const check = async (themeDir: string): Promise<OutputFile[] | undefined> => {
      const theme = loadTheme('default', themeDir);
      const cache = await openBuildCache({
        cwd: project,
        config: a4,
        theme,
        imageCacheDir: path.join(project, '.cache', 'images'),
        networkOff: true,
        contentRoot: path.join(project, 'content'),
      });
      const articlePath = path.join(project, 'content', 'a.md');
      const file = new VFile({ path: 'content/a.md', value: await readFile(articlePath, 'utf8') });
      const targets = (['html', 'pdf', 'epub'] as const).map((format) => ({ format, path: out('a', format) }));
      return cache.upToDate(articlePath, file, targets);
    };
    // An identical copy of the theme is the same theme: up to date.
    assert.equal(themeDigest(loadTheme('default', templates)), themeDigest(loadTheme('default')));
    assert.equal((await check(templates))?.length, 3);
    await writeFile(path.join(templates, 'default', 'print.css'), `${await readFile(path.join(templates, 'default', 'print.css'), 'utf8')}\nh1 { color: red; }\n`);
    assert.notEqual(themeDigest(loadTheme('default', templates)), themeDigest(loadTheme('default')));
    assert.equal(await check(templates), undefined);
  });
});
