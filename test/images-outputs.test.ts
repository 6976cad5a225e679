/**
 * Every image case of the image stage, checked in all three outputs of a real `imprint publish`:
 * embedded where it could be had (data: URI in the HTML, an image in the PDF, a manifest item with
 * the right media type in the EPUB), a placeholder with a warning where it could not, and a second
 * run with the server gone served from the cache.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync, strFromU8 } from 'fflate';
import sharp from 'sharp';
import { runCli, tool, type CliResult } from './helpers/tools.js';

interface Case {
  route: string;
  caption: string;
  good: boolean;
  mediaType?: string;
}

const CASES: Case[] = [
  { route: '/om_bt/png/1000', caption: 'A PNG without extension', good: true, mediaType: 'image/png' },
  { route: '/photo', caption: 'A JPEG without extension', good: true, mediaType: 'image/jpeg' },
  { route: '/wrong-type', caption: 'A PNG served as text/html', good: true, mediaType: 'image/png' },
  { route: '/missing', caption: 'A 404', good: false },
  { route: '/hang', caption: 'A server that never answers', good: false },
  { route: '/huge', caption: 'A 30 MB image', good: false },
  { route: '/loop', caption: 'A redirect loop', good: false },
];

async function startServer(png: Buffer, jpeg: Buffer, huge: Buffer): Promise<Server> {
  const server = createServer((req, res) => {
    switch (req.url) {
      case '/om_bt/png/1000':
        res.writeHead(200, { 'content-type': 'image/png' }).end(png);
        return;
      case '/photo':
        res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
        return;
      case '/wrong-type':
        res.writeHead(200, { 'content-type': 'text/html' }).end(png);
        return;
      case '/huge':
        res.writeHead(200, { 'content-type': 'image/png' }).end(huge);
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/hang':
        return; // never answers
      default:
        res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function outputs(dir: string): Promise<{ html: string; pdfImages: number; epubMedia: string[] }> {
  const html = await readFile(path.join(dir, 'images.html'), 'utf8');
  const list = await tool('pdfimages', ['-list', path.join(dir, 'images.pdf')]);
  const pdfImages = list.split('\n').slice(2).filter((l) => l.trim()).length;
  const zip = unzipSync(new Uint8Array(await readFile(path.join(dir, 'images.epub'))));
  const opfName = Object.keys(zip).find((name) => name.endsWith('.opf')) ?? '';
  const opf = strFromU8(zip[opfName] ?? new Uint8Array());
  const epubMedia = [...opf.matchAll(/<item\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((item) => /href="images\/img-/.test(item))
    .map((item) => /media-type="([^"]+)"/.exec(item)?.[1] ?? '');
  return { html, pdfImages, epubMedia };
}

describe('images in all three outputs', () => {
  let project: string;
  let server: Server;
  let first: CliResult;
  let second: CliResult;
  const good = CASES.filter((c) => c.good);

  before(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), 'imprint-images-out-'));
    const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: '#3a7' } }).png().toBuffer();
    const jpeg = await sharp({ create: { width: 800, height: 500, channels: 3, background: '#a73' } }).jpeg().toBuffer();
    // A PNG header followed by 30 MB: refused by size long before it is read whole.
    const huge = Buffer.concat([png.subarray(0, 33), Buffer.alloc(30 * 1024 * 1024)]);
    server = await startServer(png, jpeg, huge);
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await mkdir(path.join(project, 'content'));
    const body = CASES.map((c) => `![](${origin}${c.route})\n_${c.caption}_`).join('\n\n');
    await writeFile(path.join(project, 'content', 'images.md'), `---\ntitle: Images\nlang: en\ncover: ${origin}/om_bt/png/1000\n---\n\nText before the pictures.\n\n${body}\n`);
    await writeFile(
      path.join(project, 'imprint.config.json'),
      JSON.stringify({ images: { allowHosts: ['127.0.0.1'], timeoutMs: 1500, connectTimeoutMs: 1000, budgetMs: 10000 } }),
    );
    first = await runCli(['publish', '--out', 'first'], { cwd: project });
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    second = await runCli(['publish', '--out', 'second'], { cwd: project });
  });
  after(async () => {
    server.closeAllConnections();
    await rm(project, { recursive: true, force: true });
  });

  it('publishes with a warning for each image that could not be had, at its line', () => {
    assert.equal(first.code, 0, first.stderr);
    const warnings = first.stderr.split('\n').filter((l) => /content\/images\.md:\d+:\d+ warning .*image-(unreachable|too-large|invalid)/.test(l));
    assert.equal(warnings.length, CASES.length - good.length, first.stderr);
  });

  it('embeds the good images in the HTML as data: URIs and frames the others as placeholders', async () => {
    const { html } = await outputs(path.join(project, 'first'));
    assert.equal(html.match(/<img [^>]*src="data:image\/(png|jpeg);base64,/g)?.length, good.length);
    assert.equal(html.match(/class="image-placeholder"/g)?.length, CASES.length - good.length);
    for (const c of CASES) assert.ok(html.includes(c.caption), `caption “${c.caption}” kept`);
    assert.doesNotMatch(html, /src="http/);
  });

  it('prints the good images in the PDF (pdfimages) and packs them in the EPUB with types from their bytes', async () => {
    const { pdfImages, epubMedia } = await outputs(path.join(project, 'first'));
    assert.equal(pdfImages, good.length);
    assert.deepEqual(epubMedia.sort(), good.map((c) => c.mediaType ?? '').sort());
  });

  it('serves the same images from the cache when the server is gone', async () => {
    assert.equal(second.code, 0, second.stderr);
    const again = await outputs(path.join(project, 'second'));
    assert.equal(again.pdfImages, good.length);
    assert.deepEqual(again.epubMedia.sort(), good.map((c) => c.mediaType ?? '').sort());
    assert.equal(again.html.match(/<img [^>]*src="data:image\/(png|jpeg);base64,/g)?.length, good.length);
  });
});
