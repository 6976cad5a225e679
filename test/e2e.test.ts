/**
 * End to end: `imprint publish` on the sample article writes HTML, PDF and EPUB that a user
 * can distribute as they are. Checked with the real tools: epubcheck, poppler.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleArticle } from './helpers/paths.js';
import { epubcheck, pdffonts, pdfinfo, pdftext, runCli, type CliResult } from './helpers/tools.js';

describe('publishing the sample article', () => {
  let out: string;
  let run: CliResult;
  const file = (ext: string): string => path.join(out, `biden-xi-summit.${ext}`);

  before(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'imprint-e2e-'));
    run = await runCli(['publish', sampleArticle, '--out', out, '--offline']);
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('exits 0 and prints warnings with positions, without a stack trace', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /content\/biden-xi-summit\.md:\d+:\d+ warning .+ [a-z-]+$/m);
    assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
  });

  it('writes the three outputs and no temporary files', async () => {
    for (const ext of ['html', 'pdf', 'epub']) assert.ok((await stat(file(ext))).size > 1000, `${ext} written`);
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(out)).filter((f) => f.endsWith('.tmp')), []);
  });

  it('the summary lists each file with its size and stage times', () => {
    assert.match(run.stderr, /biden-xi-summit\.pdf\s+[\d.]+ (KB|MB)/);
    assert.match(run.stderr, /parse \d+ ms/);
  });

  it('the EPUB passes epubcheck with no errors and no warnings', async () => {
    const result = await epubcheck(file('epub'));
    assert.equal(result.fatals + result.errors, 0, result.output);
    assert.equal(result.warnings, 0, result.output);
    assert.match(result.output, /No errors or warnings detected/);
  });

  it('the PDF embeds every font, with no Type 3 fonts', async () => {
    const fonts = await pdffonts(file('pdf'));
    assert.ok(fonts.length > 0);
    for (const font of fonts) {
      assert.ok(font.embedded, `${font.name} embedded`);
      assert.ok(font.subset, `${font.name} subset`);
      assert.notEqual(font.type, 'Type 3', `${font.name} is not Type 3`);
    }
  });

  it('the PDF contains the article text, with no space inside Chinese sentences', async () => {
    const text = (await pdftext(file('pdf'))).replace(/\n/g, '');
    for (const sentence of ['全球瞩目的中美元首会晤即将在美国旧金山举行', '美国不寻求与中国脱钩', '路透社的报道中，也回顾了近期中美关系的波折发展']) {
      assert.ok(text.includes(sentence), `PDF contains “${sentence}”`);
    }
  });

  it('the PDF is an A5 page with the article title', async () => {
    const info = await pdfinfo(file('pdf'));
    const [width, height] = (info['Page size'] ?? '').split(/\s*x\s*|\s+pts/).map(Number);
    // A5 is 148 × 210 mm = 419.5 × 595.3 pt; Chromium rounds to whole points.
    assert.ok(Math.abs((width ?? 0) - 419.5) < 1 && Math.abs((height ?? 0) - 595.3) < 1, info['Page size']);
    assert.match(info['Title'] ?? '', /拜登谈中美会晤目标/);
  });

  it('the HTML is a standalone page with one h1, lang and metadata', async () => {
    const html = await readFile(file('html'), 'utf8');
    assert.match(html, /<html lang="zh-CN">/);
    assert.equal(html.match(/<h1[\s>]/g)?.length, 1);
    assert.match(html, /<meta name="author" content="熊超然">/);
    assert.doesNotMatch(html, /<(link|script)\b/i, 'no external resources or scripts');
    assert.doesNotMatch(html, /src="https?:/, 'no remote image sources');
  });
});
