/**
 * Image stage, resolver level: a local HTTP server on 127.0.0.1 serves the
 * cases (test images are generated with sharp here, nothing is committed).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import sharp from 'sharp';
import { VFile } from 'vfile';
import { resolveConfig } from '../../src/config/schema.js';
import type { Config } from '../../src/config/schema.js';
import type { ImageAsset, ImagePlaceholder, ImageRef, ResolvedImage } from '../../src/model.js';
import { createAddressPolicy, refusedAddressKind } from '../../src/images/address-policy.js';
import { createImageResolver } from '../../src/stages/resolve-images.js';
import type { ImageResolver } from '../../src/stages/resolve-images.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

const temps: string[] = [];
after(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-images-'));
  temps.push(dir);
  return dir;
}

function png(width: number, height: number, background = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background } }).png().toBuffer();
}

function jpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#cc8844' } }).jpeg({ quality: 80 }).toBuffer();
}

/** A 24-bit bottom-up BMP: left half red, right half blue (written by hand: sharp cannot write BMP). */
function bmp(width: number, height: number): Buffer {
  const stride = Math.ceil((width * 3) / 4) * 4;
  const out = Buffer.alloc(54 + stride * height);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(out.length, 2);
  out.writeUInt32LE(54, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = 54 + y * stride + x * 3;
      const [b, g, r] = x < width / 2 ? [0, 0, 255] : [255, 0, 0];
      out[o] = b;
      out[o + 1] = g;
      out[o + 2] = r;
    }
  }
  return out;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface TestServer {
  base: string;
  /** Paths requested so far. */
  requests: string[];
  close(): Promise<void>;
}

async function serve(routes: Record<string, Handler>): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const handler = routes[url];
    if (handler) handler(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Not found</title>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  after(close);
  return { base: `http://127.0.0.1:${port}`, requests, close };
}

function send(bytes: Uint8Array, contentType?: string): Handler {
  return (_req, res) => {
    res.writeHead(200, contentType ? { 'content-type': contentType, 'content-length': bytes.length } : { 'content-length': bytes.length });
    res.end(bytes);
  };
}

function redirect(location: string): Handler {
  return (_req, res) => {
    res.writeHead(302, { location });
    res.end();
  };
}

interface Setup {
  resolver: ImageResolver;
  cacheDir: string;
  contentRoot: string;
  article: string;
}

async function setup(
  images: Partial<Config['images']> = {},
  extra: { offline?: boolean; cacheDir?: string; contentRoot?: string } = {},
): Promise<Setup> {
  const cacheDir = extra.cacheDir ?? path.join(await tempDir(), '.cache', 'images');
  const contentRoot = extra.contentRoot ?? path.join(await tempDir(), 'content');
  await mkdir(contentRoot, { recursive: true });
  const defaults = resolveConfig().images;
  const resolver = createImageResolver({
    images: { ...defaults, allowHosts: ['127.0.0.1'], timeoutMs: 2000, connectTimeoutMs: 1000, budgetMs: 5000, ...images },
    offline: extra.offline ?? false,
    cacheDir,
    contentRoot,
  });
  return { resolver, cacheDir, contentRoot, article: path.join(contentRoot, 'article.md') };
}

function ref(id: string, url: string, line: number, column = 1): ImageRef {
  return {
    id,
    url,
    alt: `alt of ${id}`,
    position: { start: { line, column, offset: 0 }, end: { line, column: column + url.length + 5, offset: url.length + 5 } },
  };
}

async function resolveAll(s: Setup, refs: ImageRef[]): Promise<{ assets: Map<string, ResolvedImage>; file: VFile }> {
  const file = new VFile({ path: s.article });
  const assets = await s.resolver.resolve(refs, file, s.article);
  return { assets, file };
}

function asset(resolved: ResolvedImage | undefined): ImageAsset {
  assert.ok(resolved, 'image resolved');
  assert.equal(resolved.kind, 'image', `expected an image, got ${JSON.stringify(resolved)}`);
  return resolved as ImageAsset;
}

function placeholder(resolved: ResolvedImage | undefined): ImagePlaceholder {
  assert.ok(resolved, 'image resolved');
  assert.equal(resolved.kind, 'placeholder', `expected a placeholder, got kind ${resolved.kind}`);
  return resolved as ImagePlaceholder;
}

/** The one warning of `file` with `ruleId`, checked for place and source. */
function warningAt(file: VFile, ruleId: string, line: number, column = 1): string {
  const found = file.messages.filter((m) => m.ruleId === ruleId);
  assert.equal(found.length, 1, `one ${ruleId} warning, got: ${file.messages.map((m) => `${m.ruleId}: ${m.reason}`).join(' | ')}`);
  const message = found[0]!;
  assert.equal(message.source, 'imprint');
  assert.equal(message.line, line);
  assert.equal(message.column, column);
  assert.notEqual(message.fatal, true);
  return message.reason;
}

describe('remote images', () => {
  test('a PNG and a JPEG without extension in the URL are typed from their bytes', async () => {
    const pngBytes = await png(320, 200);
    const jpegBytes = await jpeg(640, 480);
    const server = await serve({ '/om_bt/abc/1000': send(pngBytes, 'image/png'), '/photo': send(jpegBytes) });
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/om_bt/abc/1000`, 3), ref('img-2', `${server.base}/photo`, 7)]);
    const a = asset(assets.get('img-1'));
    assert.equal(a.id, 'img-1');
    assert.equal(a.mediaType, 'image/png');
    assert.equal(a.ext, 'png');
    assert.deepEqual([a.width, a.height], [320, 200]);
    assert.deepEqual(Buffer.from(a.bytes), pngBytes);
    assert.equal(a.screen, undefined, 'small PNG needs no screen version');
    const b = asset(assets.get('img-2'));
    assert.equal(b.mediaType, 'image/jpeg');
    assert.equal(b.ext, 'jpg');
    assert.deepEqual([b.width, b.height], [640, 480]);
    assert.deepEqual(file.messages, []);
  });

  test('a PNG served as text/html is still image/png', async () => {
    const bytes = await png(50, 40);
    const server = await serve({ '/wrong-type.jpg': send(bytes, 'text/html; charset=utf-8') });
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/wrong-type.jpg`, 2)]);
    const a = asset(assets.get('img-1'));
    assert.equal(a.mediaType, 'image/png');
    assert.deepEqual([a.width, a.height], [50, 40]);
    assert.equal(file.messages.length, 0);
  });

  test('an HTML page served as image/png becomes a placeholder (image-invalid)', async () => {
    const server = await serve({ '/fake.png': send(Buffer.from('<!DOCTYPE html><html><body>login</body></html>'), 'image/png') });
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/fake.png`, 4, 3)]);
    const p = placeholder(assets.get('img-1'));
    assert.match(p.reason, /not an image/);
    assert.match(warningAt(file, 'image-invalid', 4, 3), /fake\.png/);
  });

  test('404 becomes a placeholder with a warning at the image', async () => {
    const server = await serve({});
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/gone`, 12, 5)]);
    const p = placeholder(assets.get('img-1'));
    assert.equal(p.id, 'img-1');
    assert.match(p.reason, /404/);
    assert.match(warningAt(file, 'image-unreachable', 12, 5), /404/);
  });

  test('a server that never answers is cut off by the timeout', { timeout: 15000 }, async () => {
    const server = await serve({ '/hang': () => undefined });
    const s = await setup({ timeoutMs: 400 });
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/hang`, 9)]);
    const p = placeholder(assets.get('img-1'));
    assert.match(p.reason, /timed out/);
    warningAt(file, 'image-unreachable', 9);
  });

  test('the run budget stops all downloads of hanging servers', { timeout: 15000 }, async () => {
    const server = await serve({ '/a': () => undefined, '/b': () => undefined, '/c': () => undefined });
    const s = await setup({ timeoutMs: 10000, budgetMs: 500, concurrency: 1 });
    const refs = ['a', 'b', 'c'].map((name, i) => ref(`img-${i + 1}`, `${server.base}/${name}`, i + 1));
    const { assets, file } = await resolveAll(s, refs);
    for (const r of refs) assert.match(placeholder(assets.get(r.id)).reason, /budget/);
    assert.equal(file.messages.filter((m) => m.ruleId === 'image-unreachable').length, 3);
    assert.ok(server.requests.length <= 1, 'the queued downloads never started');
  });

  describe('a 30 MB image', () => {
    let huge: Buffer;
    const side = 3300; // 3300 × 3300 × 3 bytes of noise, stored uncompressed: about 32.7 MB (31 MiB).
    test('is generated', async () => {
      const noise = Buffer.alloc(side * side * 3);
      for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, i);
      huge = await sharp(noise, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
      assert.ok(huge.length > 30 * 1024 * 1024, `image is ${huge.length} bytes`);
      assert.deepEqual(await sharp(huge).metadata().then((m) => [m.format, m.width, m.height]), ['png', side, side]);
    });

    for (const declared of [true, false]) {
      test(`is refused without reading it all (${declared ? 'Content-Length' : 'chunked'})`, async () => {
        // The server writes 256 KB at a time, waiting while the client does not read.
        let sent = 0;
        let done: Promise<void> = Promise.resolve();
        const server = await serve({
          '/huge': (_req, res) => {
            res.writeHead(200, declared ? { 'content-type': 'image/png', 'content-length': huge.length } : { 'content-type': 'image/png' });
            done = (async () => {
              let open = true;
              res.on('close', () => (open = false));
              while (open && sent < huge.length) {
                const chunk = huge.subarray(sent, sent + 256 * 1024);
                sent += chunk.length;
                if (!res.write(chunk)) await new Promise((resolve) => (res.once('drain', resolve), res.once('close', resolve)));
              }
              if (open) res.end();
            })();
          },
        });
        const s = await setup(); // default maxBytes: 20 MB
        assert.equal(resolveConfig().images.maxBytes, 20 * 1024 * 1024);
        const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/huge`, 6)]);
        const p = placeholder(assets.get('img-1'));
        assert.match(p.reason, /too large/);
        assert.deepEqual([p.width, p.height], [side, side], 'size read from the partial header');
        warningAt(file, 'image-too-large', 6);
        await server.close();
        await done;
        assert.ok(sent < huge.length, `the client stopped reading: ${sent} of ${huge.length} bytes sent`);
      });
    }
  });

  test('a redirect loop is stopped', async () => {
    const server = await serve({ '/loop/a': redirect('/loop/b'), '/loop/b': redirect('/loop/a') });
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/loop/a`, 8)]);
    assert.match(placeholder(assets.get('img-1')).reason, /redirect loop/);
    warningAt(file, 'image-unreachable', 8);
    assert.deepEqual(server.requests, ['/loop/a', '/loop/b']);
  });

  test('redirects are followed up to maxRedirects', async () => {
    const bytes = await png(10, 10);
    const server = await serve({
      '/r1': redirect('/r2'),
      '/r2': redirect('/r3'),
      '/r3': redirect('/image'),
      '/image': send(bytes, 'image/png'),
    });
    const ok = await setup({ maxRedirects: 3 });
    const first = await resolveAll(ok, [ref('img-1', `${server.base}/r1`, 1)]);
    assert.equal(asset(first.assets.get('img-1')).mediaType, 'image/png');
    const strict = await setup({ maxRedirects: 2 });
    const second = await resolveAll(strict, [ref('img-1', `${server.base}/r1`, 1)]);
    assert.match(placeholder(second.assets.get('img-1')).reason, /more than 2 redirects/);
  });

  test('a redirect to file:// or to a refused address is refused', async () => {
    const server = await serve({ '/to-file': redirect('file:///etc/passwd'), '/to-metadata': redirect('http://169.254.169.254/latest/meta-data/') });
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/to-file`, 1), ref('img-2', `${server.base}/to-metadata`, 2)]);
    assert.match(placeholder(assets.get('img-1')).reason, /file:/);
    assert.match(placeholder(assets.get('img-2')).reason, /link-local/);
    assert.equal(file.messages.filter((m) => m.ruleId === 'image-refused').length, 2);
  });

  test('the same URL twice is downloaded once', async () => {
    const bytes = await png(30, 30);
    const server = await serve({ '/once': send(bytes, 'image/png') });
    const s = await setup();
    const { assets } = await resolveAll(s, [ref('img-1', `${server.base}/once`, 1), ref('img-2', `${server.base}/once`, 2)]);
    assert.equal(asset(assets.get('img-1')).width, 30);
    assert.equal(asset(assets.get('img-2')).width, 30);
    assert.deepEqual(server.requests, ['/once']);
  });
});

describe('cache', () => {
  test('a second run uses the cache with the server stopped', async () => {
    const bytes = await jpeg(200, 100);
    const server = await serve({ '/cached': send(bytes, 'application/octet-stream') });
    const url = `${server.base}/cached`;
    const first = await setup();
    asset((await resolveAll(first, [ref('img-1', url, 1)])).assets.get('img-1'));

    const key = createHash('sha256').update(url).digest('hex');
    assert.deepEqual((await readdir(first.cacheDir)).sort(), [`${key}.bin`, `${key}.json`]);
    const meta = JSON.parse(await readFile(path.join(first.cacheDir, `${key}.json`), 'utf8')) as Record<string, unknown>;
    assert.equal(meta['url'], url);
    assert.equal(meta['mediaType'], 'image/jpeg');
    assert.equal(meta['width'], 200);
    assert.equal(meta['height'], 100);
    assert.equal(typeof meta['fetchedAt'], 'string');

    await server.close();
    for (const offline of [false, true]) {
      const again = await setup({}, { cacheDir: first.cacheDir, offline });
      const { assets, file } = await resolveAll(again, [ref('img-1', url, 1)]);
      const a = asset(assets.get('img-1'));
      assert.equal(a.mediaType, 'image/jpeg');
      assert.deepEqual(Buffer.from(a.bytes), bytes);
      assert.deepEqual(file.messages, []);
    }
    assert.deepEqual(server.requests, ['/cached']);
  });

  test('offline, an uncached image is a placeholder and the network is not used', async () => {
    const server = await serve({ '/never': send(await png(5, 5), 'image/png') });
    for (const [images, extra] of [
      [{}, { offline: true }],
      [{ fetch: false }, {}],
    ] as const) {
      const s = await setup(images, extra);
      const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/never`, 3)]);
      assert.match(placeholder(assets.get('img-1')).reason, /not in the cache/);
      assert.match(warningAt(file, 'image-uncached', 3), /\/never/);
    }
    assert.deepEqual(server.requests, []);
  });
});

describe('refused sources', () => {
  test('loopback is refused without the allow-list', async () => {
    const server = await serve({ '/img': send(await png(5, 5), 'image/png') });
    const s = await setup({ allowHosts: [] });
    const port = new URL(server.base).port;
    const { assets, file } = await resolveAll(s, [
      ref('img-1', `${server.base}/img`, 2),
      ref('img-2', `http://localhost:${port}/img`, 3),
      ref('img-3', `http://[::1]:${port}/img`, 4),
    ]);
    for (const id of ['img-1', 'img-2', 'img-3']) assert.match(placeholder(assets.get(id)).reason, /refused: .*loopback/);
    assert.equal(file.messages.filter((m) => m.ruleId === 'image-refused').length, 3);
    assert.deepEqual(server.requests, []);
  });

  test('file:// URLs and other schemes are refused', async () => {
    const s = await setup();
    const { assets, file } = await resolveAll(s, [ref('img-1', 'file:///etc/passwd', 1), ref('img-2', 'ftp://example.com/a.png', 2)]);
    assert.match(placeholder(assets.get('img-1')).reason, /file:/);
    assert.match(placeholder(assets.get('img-2')).reason, /ftp/);
    assert.deepEqual(
      file.messages.map((m) => [m.ruleId, m.line]),
      [['image-refused', 1], ['image-refused', 2]],
    );
  });

  test('local paths resolve relative to the article, never outside the content root', async () => {
    const s = await setup();
    await mkdir(path.join(s.contentRoot, 'images'), { recursive: true });
    await writeFile(path.join(s.contentRoot, 'images', 'local pic.png'), await png(40, 30));
    const secret = path.join(path.dirname(s.contentRoot), 'secret.png');
    await writeFile(secret, await png(10, 10));
    await symlink(secret, path.join(s.contentRoot, 'images', 'link.png'));
    const { assets, file } = await resolveAll(s, [
      ref('img-1', 'images/local%20pic.png', 1),
      ref('img-2', '../secret.png', 2),
      ref('img-3', secret, 3),
      ref('img-4', 'images/link.png', 4),
      ref('img-5', 'images/missing.png', 5),
    ]);
    assert.deepEqual([asset(assets.get('img-1')).width, asset(assets.get('img-1')).height], [40, 30]);
    for (const id of ['img-2', 'img-3', 'img-4']) assert.match(placeholder(assets.get(id)).reason, /outside the content root/);
    assert.equal(file.messages.filter((m) => m.ruleId === 'image-refused').length, 3);
    assert.match(placeholder(assets.get('img-5')).reason, /not found/);
    warningAt(file, 'image-unreachable', 5);
  });
});

describe('per-output versions', () => {
  test('an oversized image is scaled for screen, the print original stays untouched', async () => {
    const original = await jpeg(3000, 1500);
    const server = await serve({ '/big': send(original, 'image/jpeg') });
    const s = await setup({ maxScreenWidth: 1600 });
    const { assets, file } = await resolveAll(s, [ref('img-1', `${server.base}/big`, 10)]);
    const a = asset(assets.get('img-1'));
    assert.deepEqual(Buffer.from(a.bytes), original);
    assert.deepEqual([a.mediaType, a.width, a.height], ['image/jpeg', 3000, 1500]);
    assert.ok(a.screen);
    assert.ok(a.screen.width <= 1600);
    assert.equal(a.screen.width, 1600);
    assert.equal(a.screen.height, 800);
    assert.equal(a.screen.mediaType, 'image/jpeg');
    const meta = await sharp(a.screen.bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 1600, 800]);
    assert.match(warningAt(file, 'image-scaled', 10), /3000×1500/);
  });

  test('SVG is rasterized to PNG, never passed through', async () => {
    const server = await serve({});
    const svg = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60">
  <script>alert(1)</script>
  <rect width="120" height="60" fill="red" onload="alert(2)"/>
  <image href="${server.base}/tracker.png" xlink:href="${server.base}/tracker.png" width="10" height="10"/>
</svg>`;
    const s = await setup();
    await writeFile(path.join(s.contentRoot, 'drawing.svg'), svg);
    const { assets, file } = await resolveAll(s, [ref('img-1', 'drawing.svg', 2)]);
    const a = asset(assets.get('img-1'));
    assert.equal(a.mediaType, 'image/png');
    assert.equal(a.ext, 'png');
    assert.deepEqual([...a.bytes.subarray(0, 4)], PNG_SIGNATURE);
    assert.equal(a.width / a.height, 2);
    assert.ok(!Buffer.from(a.bytes).includes('<script'));
    for (const version of [a, a.screen].filter((v) => v !== undefined)) assert.notEqual(version.mediaType, 'image/svg+xml');
    warningAt(file, 'image-converted', 2);
    assert.deepEqual(server.requests, [], 'the SVG could not make Imprint fetch anything');
  });

  test('TIFF is converted for print and screen; AVIF is kept for print only', async () => {
    const s = await setup();
    await writeFile(path.join(s.contentRoot, 'scan.tif'), await sharp({ create: { width: 64, height: 48, channels: 3, background: '#123456' } }).tiff().toBuffer());
    const avif = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#654321' } }).avif().toBuffer();
    await writeFile(path.join(s.contentRoot, 'photo'), avif);
    const { assets } = await resolveAll(s, [ref('img-1', 'scan.tif', 1), ref('img-2', 'photo', 2)]);
    const tiff = asset(assets.get('img-1'));
    assert.ok(['image/png', 'image/jpeg'].includes(tiff.mediaType), tiff.mediaType);
    assert.deepEqual([tiff.width, tiff.height], [64, 48]);
    assert.ok(!tiff.screen || ['image/png', 'image/jpeg'].includes(tiff.screen.mediaType));
    const a = asset(assets.get('img-2'));
    assert.equal(a.mediaType, 'image/avif');
    assert.deepEqual(Buffer.from(a.bytes), avif);
    assert.ok(a.screen && ['image/png', 'image/jpeg'].includes(a.screen.mediaType));
    assert.deepEqual([a.screen.width, a.screen.height], [64, 48]);
  });

  test('BMP is converted to PNG for print and screen', async () => {
    const s = await setup();
    await writeFile(path.join(s.contentRoot, 'old.bmp'), bmp(30, 20));
    const { assets, file } = await resolveAll(s, [ref('img-1', 'old.bmp', 4)]);
    const a = asset(assets.get('img-1'));
    assert.deepEqual([a.mediaType, a.ext, a.width, a.height], ['image/png', 'png', 30, 20]);
    assert.equal(a.screen, undefined);
    const { data, info } = await sharp(a.bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number): number[] => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    assert.deepEqual(pixel(2, 2), [255, 0, 0], 'left half red');
    assert.deepEqual(pixel(27, 17), [0, 0, 255], 'right half blue');
    assert.match(warningAt(file, 'image-converted', 4), /image\/bmp/);
  });

  test('a gzip-encoded response is decoded before sniffing', async () => {
    const bytes = await png(12, 34);
    const server = await serve({
      '/gz': (_req, res) => {
        const body = gzipSync(bytes);
        res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip', 'content-length': body.length });
        res.end(body);
      },
    });
    const s = await setup();
    const { assets } = await resolveAll(s, [ref('img-1', `${server.base}/gz`, 1)]);
    const a = asset(assets.get('img-1'));
    assert.deepEqual([a.mediaType, a.width, a.height], ['image/png', 12, 34]);
    assert.deepEqual(Buffer.from(a.bytes), bytes);
  });

  test('an animated GIF stays animated when scaled', async () => {
    const frames = 3;
    const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255]] as const;
    const raw = Buffer.alloc(2000 * 100 * frames * 3);
    for (let i = 0; i < 2000 * 100 * frames; i++) raw.set(colours[Math.floor(i / (2000 * 100))] ?? [0, 0, 0], i * 3);
    const gif = await sharp(raw, { raw: { width: 2000, height: 100 * frames, channels: 3, pageHeight: 100 } })
      .gif({ delay: [100, 100, 100] })
      .toBuffer();
    const s = await setup({ maxScreenWidth: 500 });
    await writeFile(path.join(s.contentRoot, 'anim.gif'), gif);
    const { assets } = await resolveAll(s, [ref('img-1', 'anim.gif', 1)]);
    const a = asset(assets.get('img-1'));
    assert.deepEqual([a.mediaType, a.width, a.height], ['image/gif', 2000, 100]);
    assert.ok(a.screen);
    assert.deepEqual([a.screen.mediaType, a.screen.width, a.screen.height], ['image/gif', 500, 25]);
    const meta = await sharp(a.screen.bytes, { animated: true }).metadata();
    assert.equal(meta.pages, frames);
  });

  test('a truncated image becomes a placeholder that keeps its size', async () => {
    const whole = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#00ff00' } })
      .composite([{ input: await png(100, 100, '#ff0000'), left: 50, top: 50 }])
      .png()
      .toBuffer();
    const s = await setup();
    await writeFile(path.join(s.contentRoot, 'cut.png'), whole.subarray(0, Math.floor(whole.length / 2)));
    const { assets, file } = await resolveAll(s, [ref('img-1', 'cut.png', 3)]);
    const p = placeholder(assets.get('img-1'));
    assert.deepEqual([p.width, p.height], [300, 200]);
    warningAt(file, 'image-invalid', 3);
  });
});

describe('resolveOne (front-matter cover)', () => {
  test('returns the asset, or undefined with a warning', async () => {
    const s = await setup();
    await writeFile(path.join(s.contentRoot, 'cover.jpg'), await jpeg(600, 800));
    const file = new VFile({ path: s.article });
    const cover = await s.resolver.resolveOne('cover.jpg', 'cover', file, s.article);
    assert.ok(cover);
    assert.deepEqual([cover.id, cover.mediaType, cover.width, cover.height], ['cover', 'image/jpeg', 600, 800]);
    const none = await s.resolver.resolveOne('../outside.jpg', 'cover', file, s.article);
    assert.equal(none, undefined);
    assert.deepEqual(file.messages.map((m) => m.ruleId), ['image-refused']);
  });
});

describe('address policy', () => {
  test('private, loopback, link-local, unspecified and CGNAT addresses are refused', () => {
    const refused = [
      '127.0.0.1', '127.9.9.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
      '0.0.0.0', '100.64.0.1', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', '::ffff:127.0.0.1',
      '::ffff:7f00:1', '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '2002:c0a8:0101::1',
    ];
    for (const ip of refused) assert.ok(refusedAddressKind(ip), `${ip} refused`);
    for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
      assert.equal(refusedAddressKind(ip), undefined, `${ip} allowed`);
    }
  });

  test('the allow-list opens hosts, IPs and ranges', () => {
    const policy = createAddressPolicy(['127.0.0.1', 'intranet.example', '10.0.0.0/8']);
    assert.equal(policy.refusal('127.0.0.1', '127.0.0.1'), undefined);
    assert.equal(policy.refusal('intranet.example', '192.168.1.5'), undefined);
    assert.equal(policy.refusal('wiki.corp', '10.20.30.40'), undefined);
    assert.match(policy.refusal('localhost', '::1') ?? '', /loopback/);
    assert.match(policy.refusal('router', '192.168.1.1') ?? '', /private/);
  });
});
