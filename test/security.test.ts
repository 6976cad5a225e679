/**
 * Untrusted articles: an article from anywhere must not run code, read local files, reach the
 * network or the editor's own machine through any output. The parts that need no browser (the
 * parse stage on its own, the EPUB generator, SVG rasterization) are in
 * test/unit/untrusted-input.test.ts.
 *
 * - The real `imprint` bin on hostile articles (test/fixtures/security/), with raw HTML on and
 *   off: canary strings that would only appear if a payload ran, was printed or was read must
 *   appear in no output (HTML with its data: URIs decoded, every EPUB entry, the PDF's objects
 *   uncompressed by qpdf and its text); the PDF has no JavaScript, Launch or javascript:/file:
 *   link actions; a loopback server that the payloads point at is never asked for anything.
 * - The renderer (page-server.ts) in a real Chromium: no script runs and only the asset set
 *   answers. What Chromium reports over DevTools shows the document's CSP refusing everything
 *   outside its origin (file:// frames and pictures are refused by Chromium itself first) and the
 *   request interception refusing a navigation the CSP does not govern.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import type { Browser, Page, Protocol } from 'puppeteer-core';
import sharp from 'sharp';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { assetUrl, ORIGIN, withDocumentPage } from '../src/browser/page-server.js';
import { fixturesDir } from './helpers/paths.js';
import { runCli, type CliResult } from './helpers/tools.js';

const exec = promisify(execFile);
const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?\n/;
/** Strings that appear only if a payload ran, was printed as text, or was read from disk. */
const LEAKS = /CANARY_[A-Z_]+|LEAK_[A-Z_]+|root:x:0:0/g;

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The real CLI on hostile articles

interface LoopbackServer {
  server: Server;
  port: number;
  hits: string[];
}

/** A PNG carrying `text` in a tEXt chunk: if it is ever embedded, the text is in the output bytes. */
async function pngWithText(text: string, colour: string): Promise<Buffer> {
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } }).png().toBuffer();
  const data = Buffer.from(`Comment\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([Buffer.from('tEXt', 'latin1'), data])), 8 + data.length);
  // After the signature (8) and IHDR (25).
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}

async function startLoopback(): Promise<LoopbackServer> {
  const hits: string[] = [];
  const image = await pngWithText('CANARY_LOOPBACK_IMAGE', '#00aa00');
  const server = createServer((request, response) => {
    hits.push(request.url ?? '');
    if ((request.url ?? '').endsWith('.css')) {
      response.writeHead(200, { 'content-type': 'text/css' });
      response.end('body::after { content: "CANARY_LOOPBACK_CSS"; }');
      return;
    }
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(image);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}

/** A project with the hostile fixtures, a real picture, a secret outside content/ and a symlink to it. */
async function hostileProject(port: number, allowRawHtml: boolean): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-security-'));
  temps.push(dir);
  await mkdir(path.join(dir, 'content'));
  await mkdir(path.join(dir, 'secret'));
  for (const name of ['hostile-html.md', 'hostile-links.md']) {
    const text = await readFile(path.join(fixturesDir, 'security', name), 'utf8');
    await writeFile(path.join(dir, 'content', name), text.replaceAll('{{PORT}}', String(port)));
  }
  await writeFile(path.join(dir, 'content', 'pic.png'), await pngWithText('an honest picture', '#3366cc'));
  await writeFile(path.join(dir, 'secret', 'canary.png'), await pngWithText('CANARY_SECRET_FILE', '#cc3333'));
  await symlink('../secret/canary.png', path.join(dir, 'content', 'escape-link.png'));
  await writeFile(path.join(dir, 'imprint.config.json'), JSON.stringify({ html: { allowRawHtml }, images: { fetch: true } }));
  return dir;
}

/** Everything an output holds, as text: HTML with data: URIs decoded, EPUB entries, PDF objects and text. */
async function outputContents(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  if (file.endsWith('.html')) {
    const html = bytes.toString('utf8');
    const decoded = [...html.matchAll(/data:[^;,"']*;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1] ?? '', 'base64').toString('latin1'));
    return [html, ...decoded];
  }
  if (file.endsWith('.epub')) {
    return Object.entries(unzipSync(new Uint8Array(bytes))).map(([name, data]) => `${name}\n${Buffer.from(data).toString('latin1')}\n${Buffer.from(data).toString('utf8')}`);
  }
  if (file.endsWith('.pdf')) {
    const qdf = `${file}.qdf`;
    await exec('qpdf', ['--qdf', '--object-streams=disable', file, qdf]).catch((error: { code?: number }) => {
      // Exit code 3: warnings only.
      if (error.code !== 3) throw error;
    });
    const objects = (await readFile(qdf)).toString('latin1');
    await rm(qdf);
    const { stdout } = await exec('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
    return [objects, stdout];
  }
  return [bytes.toString('latin1')];
}

for (const allowRawHtml of [true, false]) {
  describe(`imprint publish on hostile articles (html.allowRawHtml: ${allowRawHtml})`, () => {
    let loopback: LoopbackServer;
    let dir: string;
    let run: CliResult;
    let outputs: string[];
    const out = (name: string): string => path.join(dir, 'out', name);

    before(async () => {
      loopback = await startLoopback();
      dir = await hostileProject(loopback.port, allowRawHtml);
      // Not --offline: remote images are tried, so the address policy is what refuses loopback ones.
      run = await runCli(['publish', '--out', 'out'], { cwd: dir, timeoutMs: 300_000 });
      outputs = (await readdir(path.join(dir, 'out'))).sort();
    });
    after(async () => {
      await new Promise((resolve) => loopback.server.close(resolve));
    });

    it('publishes both articles (exit 0: warnings are allowed), without a stack trace', () => {
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(outputs, ['hostile-html.epub', 'hostile-html.html', 'hostile-html.pdf', 'hostile-links.epub', 'hostile-links.html', 'hostile-links.pdf']);
      assert.doesNotMatch(run.stderr, STACK_TRACE);
    });

    it('no canary, payload text or /etc/passwd line appears in any output', async () => {
      for (const name of outputs) {
        for (const content of await outputContents(out(name))) {
          const found = content.match(LEAKS);
          assert.equal(found, null, `${name} contains ${found?.join(', ')}`);
        }
      }
    });

    it('the loopback server the payloads point at is never asked for anything', () => {
      assert.deepEqual(loopback.hits, []);
    });

    it('the PDFs have no JavaScript, Launch or embedded-file actions, and no javascript:/vbscript:/file:/data: links', async () => {
      for (const name of outputs.filter((n) => n.endsWith('.pdf'))) {
        const [objects = ''] = await outputContents(out(name));
        assert.doesNotMatch(objects, /\/(JavaScript|JS|Launch|EmbeddedFile|SubmitForm|ImportData|GoToR)\b/, name);
        assert.doesNotMatch(objects, /\/URI\s*\(\s*(javascript|vbscript|file|data):/i, name);
        if (name === 'hostile-links.pdf') assert.match(objects, /\/URI \(https:\/\/example\.com\/ok\)/, 'the good link is still a link');
        // Only the one real picture is in the PDF (the refused ones are placeholders).
        const { stdout } = await exec('pdfimages', ['-list', out(name)]);
        const images = stdout.split('\n').slice(2).filter((line) => line.trim() !== '').length;
        assert.equal(images, name === 'hostile-links.pdf' ? 1 : 0, `${name}: pictures embedded`);
      }
    });

    it('the web pages have no script, frame, object, embed, event handler or foreign style', async () => {
      for (const name of outputs.filter((n) => n.endsWith('.html'))) {
        const html = await readFile(out(name), 'utf8');
        assert.doesNotMatch(html, /<(script|iframe|object|embed|applet|link|base|form|svg|math|video)\b/i, name);
        assert.doesNotMatch(html, /<meta[^>]+http-equiv/i, name);
        assert.doesNotMatch(html, /\son[a-z]+\s*=/i, name);
        assert.doesNotMatch(html, /(href|src)\s*=\s*"\s*(javascript|vbscript|file|data:text)/i, name);
        const body = html.slice(html.indexOf('<body'));
        assert.doesNotMatch(body, /<style|\sstyle="[^"]*url\(/i, `${name}: no style from the article`);
        // Every picture comes from the image stage's assets: no source as written survives.
        for (const [, src] of body.matchAll(/<img[^>]*\ssrc="([^"]*)"/g)) assert.match(src ?? '', /^data:image\/(png|jpeg|gif|webp);base64,/, `${name}: img src ${src?.slice(0, 60)}`);
      }
    });

    it('the EPUBs hold only Imprint’s files and the one real picture, with no active content', async () => {
      const links = unzipSync(new Uint8Array(await readFile(out('hostile-links.epub'))));
      const images = Object.keys(links).filter((n) => /^OEBPS\/(images\/|cover\.(png|jpeg|gif)$)/.test(n)).sort();
      assert.deepEqual(images, ['OEBPS/cover.png', 'OEBPS/images/img-1.png'], 'the refused pictures are not in the book');
      for (const name of outputs.filter((n) => n.endsWith('.epub'))) {
        const entries = unzipSync(new Uint8Array(await readFile(out(name))));
        for (const [entry, data] of Object.entries(entries)) {
          assert.match(entry, /^(mimetype|META-INF\/container\.xml|OEBPS\/(content\.opf|toc\.(xhtml|ncx)|cover\.xhtml|article\.xhtml|colophon\.xhtml|style\.css|cover\.(png|jpeg|gif)|images\/[\w-]+\.(png|jpeg|gif)|fonts\/[\w.-]+\.woff2))$/, `${name}: ${entry}`);
          if (!entry.endsWith('.xhtml')) continue;
          const xhtml = Buffer.from(data).toString('utf8');
          for (const [, src] of xhtml.matchAll(/<img[^>]*\ssrc="([^"]*)"/g)) assert.match(src ?? '', /^images\/[\w-]+\.(png|jpeg|gif)$/, `${name}: ${entry}: img src ${src}`);
          assert.doesNotMatch(xhtml, /<(script|iframe|object|embed|form|video|audio)\b/i, `${name}: ${entry}`);
          assert.doesNotMatch(xhtml, /\son[a-z]+\s*=/i, `${name}: ${entry}`);
          assert.doesNotMatch(xhtml, /(href|src)\s*=\s*"\s*(javascript|vbscript|file|data):/i, `${name}: ${entry}`);
        }
      }
    });

    it('every removal is a warning that names the file and the position', () => {
      const warnings = run.stderr.split('\n').filter((line) => / warning /.test(line));
      const at = (pattern: RegExp): boolean => warnings.some((line) => pattern.test(line));
      for (const line of [8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40]) {
        assert.ok(at(new RegExp(`content/hostile-html\\.md:${line}:\\d+ warning .*(raw-html|unsafe-html|unsafe-link)$`)), `hostile-html.md line ${line} is reported`);
      }
      assert.equal(warnings.filter((line) => /hostile-links\.md:8:\d+ warning .*unsafe-link$/.test(line)).length, 8, 'each bad link on line 8');
      assert.ok(at(/hostile-links\.md:16:\d+ warning .*unsafe-link$/), 'the linked picture');
      assert.equal(warnings.filter((line) => /hostile-links\.md:18:\d+ warning .*image-refused$/.test(line)).length, 4, 'file, ../, symlink and absolute path');
      assert.equal(warnings.filter((line) => /hostile-links\.md:20:\d+ warning .*image-(refused|invalid)$/.test(line)).length, 5, 'the loopback pictures');
      assert.ok(at(/hostile-links\.md(:\d+:\d+)? warning Image \.\.\/secret\/canary\.png is refused.* image-refused$/), 'the cover');
    });

    if (allowRawHtml) {
      it('safe inline HTML is kept on the web page, sanitized HTML keeps its text', async () => {
        const html = await readFile(out('hostile-html.html'), 'utf8');
        assert.match(html, /mc<sup>2<\/sup>, H<sub>2<\/sub>O, <kbd>Ctrl<\/kbd>\+<kbd>C<\/kbd>,<br>and <ruby>漢<rp>\(<\/rp><rt>kan<\/rt><rp>\)<\/rp><\/ruby>/);
        assert.match(html, /a good link/);
        assert.match(html, /A paragraph that pretends to be Imprint/);
        assert.equal(html.match(/id="note-1"/g)?.length ?? 0, html.includes('class="notes') ? 1 : 0, 'the author cannot take Imprint’s note ids');
      });
    } else {
      it('raw HTML is dropped from the web page, and its text is not printed', async () => {
        const html = await readFile(out('hostile-html.html'), 'utf8');
        assert.doesNotMatch(html, /<(sup|sub|kbd|ruby)>/);
        assert.match(html, /E = mc2, H2O/);
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The renderer, the EPUB generator and SVG rasterization

/** How Chromium ended a load it refused, from its DevTools report (Network.loadingFailed). */
function refusal(event: Protocol.Network.LoadingFailedEvent): string {
  if (event.blockedReason === 'csp' || event.errorText === 'net::ERR_BLOCKED_BY_CSP') return 'csp';
  // Fetch.failRequest, which is how the page server refuses a request, is reported as blocked by the inspector.
  if (event.blockedReason === 'inspector' || event.errorText === 'net::ERR_BLOCKED_BY_CLIENT') return 'interception';
  return [event.blockedReason, event.errorText].filter(Boolean).join(' ');
}

/** What became of one load: Chromium refused it (and how), or something answered it (with this status). */
type Outcome = { refused: string } | { answered: number };

/** What Chromium reports about the loads of one page, seen through a DevTools session of the test's own. */
interface LoadLog {
  /** What became of each load of a URL outside the documents' origin (data: URLs left out), by URL. */
  outcomes: Map<string, Outcome[]>;
  /** The first outcome Chromium reports for `url`; rejects when it reports none within `ms`. */
  first(url: string, ms: number): Promise<Outcome>;
  /** The page's frames other than the main one, as Chromium's frame tree has them. */
  childFrames(): Promise<{ name: string; url: string; unreachableUrl: string | undefined }[]>;
  stop(): Promise<void>;
}

async function logLoads(page: Page): Promise<LoadLog> {
  const session = await page.createCDPSession();
  const outside = (url: string): boolean => !url.startsWith(`${ORIGIN}/`) && !url.startsWith('data:');
  const urls = new Map<string, string>();
  const outcomes = new Map<string, Outcome[]>();
  const waiting = new Map<string, (outcome: Outcome) => void>();
  const record = (url: string | undefined, outcome: Outcome): void => {
    if (url === undefined || !outside(url)) return;
    outcomes.set(url, [...(outcomes.get(url) ?? []), outcome]);
    waiting.get(url)?.(outcome);
  };
  session.on('Network.requestWillBeSent', (event: Protocol.Network.RequestWillBeSentEvent) => urls.set(event.requestId, event.request.url));
  // A frame navigation the CSP refuses never gets as far as requestWillBeSent; its request id is the loader id.
  session.on('Page.frameStartedNavigating', (event: Protocol.Page.FrameStartedNavigatingEvent) => urls.set(event.loaderId, event.url));
  session.on('Network.responseReceived', (event: Protocol.Network.ResponseReceivedEvent) => record(event.response.url, { answered: event.response.status }));
  session.on('Network.loadingFailed', (event: Protocol.Network.LoadingFailedEvent) => record(urls.get(event.requestId), { refused: refusal(event) }));
  await Promise.all([session.send('Network.enable'), session.send('Page.enable')]);
  return {
    outcomes,
    first: (url, ms) =>
      new Promise((resolve, reject) => {
        const seen = outcomes.get(url)?.[0];
        if (seen !== undefined) return resolve(seen);
        const timer = setTimeout(() => reject(new Error(`Chromium reported nothing about ${url} within ${ms} ms`)), ms);
        waiting.set(url, (outcome) => {
          clearTimeout(timer);
          waiting.delete(url);
          resolve(outcome);
        });
      }),
    async childFrames() {
      const { frameTree } = await session.send('Page.getFrameTree');
      const frames: { name: string; url: string; unreachableUrl: string | undefined }[] = [];
      const walk = (tree: Protocol.Page.FrameTree): void => {
        for (const child of tree.childFrames ?? []) {
          frames.push({ name: child.frame.name ?? '', url: child.frame.url, unreachableUrl: child.frame.unreachableUrl });
          walk(child);
        }
      };
      walk(frameTree);
      return frames;
    },
    stop: () => session.detach().catch(() => undefined),
  };
}

describe('the page server in Chromium', () => {
  let browser: Browser;
  let loopback: LoopbackServer;
  let base: string;
  before(async () => {
    loopback = await startLoopback();
    base = `http://127.0.0.1:${loopback.port}`;
    browser = await openBrowser();
  });
  /**
   * A page of the pool, watched from before the next document's first load: a document puts the
   * page into the pool, and the next document shown reuses it.
   */
  const watchedPage = async (): Promise<{ page: Page; loads: LoadLog }> => {
    const page = await withDocumentPage(browser, '<!DOCTYPE html><title>warm</title>', () => undefined, {}, async (p) => p);
    return { page, loads: await logLoads(page) };
  };
  after(async () => {
    await closeBrowser(browser);
    await new Promise((resolve) => loopback.server.close(resolve));
  });

  it('runs no script and answers only from the asset set: Chromium refuses file:// and the network', async () => {
    const picture = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#123456' } }).png().toBuffer();
    const asked: string[] = [];
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${base}/sheet.css">
<style>@import url("${base}/import.css"); body { background: url("${base}/bg.png"); }</style>
<script>document.title = 'CANARY_RAN'</script></head><body>
<p id="text">Hello</p>
<script>document.getElementById('text').textContent = 'CANARY_RAN'</script>
<img id="asset" src="${assetUrl('img-1')}"><img id="missing" src="${assetUrl('img-404')}">
<img id="local" src="file:///etc/passwd"><img id="remote" src="${base}/remote.png">
<iframe name="local-file" src="file:///etc/passwd"></iframe><iframe name="loopback" src="${base}/frame.html"></iframe>
<object data="file:///etc/passwd"></object>
<img src="x" onerror="document.title = 'CANARY_ONERROR'">
</body></html>`;
    const lookup = (id: string): { body: Buffer; contentType: string } | undefined => {
      asked.push(id);
      return id === 'img-1' ? { body: picture, contentType: 'image/png' } : undefined;
    };
    const { page, loads } = await watchedPage();
    try {
      await withDocumentPage(browser, html, lookup, {}, async (shown) => {
        assert.equal(shown, page, 'the document is shown on the watched page');
        const state = await shown.evaluate(() => {
          const width = (id: string): number => (document.getElementById(id) as HTMLImageElement).naturalWidth;
          return {
            title: document.title,
            text: document.body.innerText.trim(),
            asset: width('asset'),
            missing: width('missing'),
            local: width('local'),
            remote: width('remote'),
          };
        });
        assert.deepEqual(state, { title: '', text: 'Hello', asset: 20, missing: 0, local: 0, remote: 0 });
        // The document's Content-Security-Policy refuses everything it names outside its origin;
        // Chromium itself never lets a web page load a local file (before the CSP is asked).
        const outcomes = new Map(loads.outcomes);
        const local = outcomes.get('file:///etc/passwd') ?? [];
        outcomes.delete('file:///etc/passwd');
        assert.ok(local.length > 0 && local.every((outcome) => 'refused' in outcome), `the file:// picture: ${JSON.stringify(local)}`);
        assert.deepEqual(
          Object.fromEntries([...outcomes].sort(([a], [b]) => a.localeCompare(b))),
          {
            [`${base}/bg.png`]: [{ refused: 'csp' }],
            [`${base}/frame.html`]: [{ refused: 'csp' }],
            [`${base}/import.css`]: [{ refused: 'csp' }],
            [`${base}/remote.png`]: [{ refused: 'csp' }],
            [`${base}/sheet.css`]: [{ refused: 'csp' }],
          },
          'what became of each load outside the origin',
        );
        // The file:// frame never left its initial empty document; the loopback frame shows
        // Chromium's error page for the load it refused. The <object> made no frame.
        assert.deepEqual(
          (await loads.childFrames()).sort((a, b) => a.name.localeCompare(b.name)),
          [
            { name: 'local-file', url: '', unreachableUrl: undefined },
            { name: 'loopback', url: 'chrome-error://chromewebdata/', unreachableUrl: `${base}/frame.html` },
          ],
        );
        const pdf = Buffer.from(await shown.pdf()).toString('latin1');
        assert.doesNotMatch(pdf, /\/JavaScript|\/Launch/);
      });
    } finally {
      await loads.stop();
    }
    assert.deepEqual(loopback.hits, [], 'the loopback server was asked for nothing');
    assert.deepEqual([...new Set(asked)].sort(), ['img-1', 'img-404']);
  });

  it('refuses a navigation the document starts (meta refresh), which the CSP does not govern, at the interception', async () => {
    const target = `${base}/refresh.html`;
    const html = '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><p>Hello</p></body></html>';
    const { page, loads } = await watchedPage();
    try {
      await withDocumentPage(browser, html, () => undefined, {}, async (shown) => {
        assert.equal(shown, page, 'the document is shown on the watched page');
        // The refresh is added once the document is shown (rather than written in it), so that it
        // cannot navigate away while withDocumentPage is still waiting for the document's fonts.
        await shown.evaluate((url) => {
          const refresh = document.createElement('meta');
          refresh.httpEquiv = 'refresh';
          refresh.content = `0; url=${url}`;
          document.head.append(refresh);
        }, target);
        assert.deepEqual(await loads.first(target, 10_000), { refused: 'interception' });
      });
    } finally {
      await loads.stop();
    }
    assert.deepEqual(Object.fromEntries(loads.outcomes), { [target]: [{ refused: 'interception' }] }, 'what became of each load outside the origin');
    assert.deepEqual(loopback.hits, [], 'the loopback server was asked for nothing');
  });
});
