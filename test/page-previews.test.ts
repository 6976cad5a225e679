/** `imprint publish --preview` draws every PDF page as a PNG for a person to look at. */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleArticle } from './helpers/paths.js';
import { pdfinfo, runCli, type CliResult } from './helpers/tools.js';

describe('imprint publish --preview', () => {
  let project: string;
  let run: CliResult;
  before(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'imprint-previews-'));
    await mkdir(path.join(project, 'content'));
    await copyFile(sampleArticle, path.join(project, 'content', 'sample.md'));
    run = await runCli(['publish', '--format', 'pdf', '--offline', '--preview'], { cwd: project });
  });
  after(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('writes one PNG per PDF page into output/preview/', async () => {
    assert.equal(run.code, 0, run.stderr);
    const pages = Number((await pdfinfo(path.join(project, 'output', 'sample.pdf')))['Pages']);
    const pngs = (await readdir(path.join(project, 'output', 'preview'))).filter((f) => /^sample-\d+\.png$/.test(f));
    assert.ok(pages > 1);
    assert.equal(pngs.length, pages);
    const first = await readFile(path.join(project, 'output', 'preview', pngs.sort()[0] ?? ''));
    assert.deepEqual([...first.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
    assert.match(run.stderr, new RegExp(`page previews: ${pages} PNG files in output/preview/`));
  });
});
