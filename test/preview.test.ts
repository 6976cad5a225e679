/**
 * `imprint preview`, run as a user runs it: the real bin serves a throw-away project on
 * 127.0.0.1; the test fetches the pages, listens for live-reload events like the browser's
 * EventSource does, edits files and sees the changes served.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startCli, type RunningCli } from './helpers/tools.js';

interface ServerEvent {
  event: string;
  data: string;
}

/** A live-reload subscription: the events the server sent, in order. */
class EventStream {
  private buffer = '';
  private readonly received: ServerEvent[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly controller = new AbortController();
  readonly ready: Promise<void>;

  constructor(url: string) {
    this.ready = fetch(url, { signal: this.controller.signal, headers: { Accept: 'text/event-stream' } }).then((response) => {
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = response.body?.getReader();
      assert.ok(reader);
      const decoder = new TextDecoder();
      const pump = (): void => {
        reader.read().then(({ done, value }) => {
          if (done) return;
          this.buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = this.buffer.indexOf('\n\n')) !== -1) {
            const block = this.buffer.slice(0, end);
            this.buffer = this.buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data !== undefined) this.received.push({ event, data });
          }
          for (const wake of this.waiters.splice(0)) wake();
          pump();
        }, () => undefined);
      };
      pump();
    });
  }

  /** The next `build` event (after those already seen) that satisfies `accept`. */
  async nextBuild(accept: (build: { version: number; names: string[]; all: boolean }) => boolean, timeoutMs = 60_000): Promise<{ version: number; names: string[]; all: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.received.length > 0) {
        const next = this.received.shift();
        if (next?.event !== 'build') continue;
        const build = JSON.parse(next.data) as { version: number; names: string[]; all: boolean };
        if (accept(build)) return build;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching build event');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}

interface Status {
  version: number;
  building: boolean;
  configError: string | null;
  articles: Array<{ name: string; status: string; version: number }>;
}

/** Polls /__imprint/status until `accept` holds (builds take seconds), within a deadline. */
async function waitForStatus(base: string, accept: (status: Status) => boolean, timeoutMs = 90_000): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await (await fetch(`${base}__imprint/status`)).json()) as Status;
    if (accept(status)) return status;
    if (Date.now() > deadline) throw new Error(`status never satisfied the condition: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const built = (name: string) => (status: Status): boolean => !status.building && status.articles.some((a) => a.name === name && a.status === 'ok');

describe('imprint preview', () => {
  let cwd: string;
  let preview: RunningCli;
  let base: string;
  let events: EventStream;
  const articleFile = (): string => path.join(cwd, 'content', 'live.md');

  before(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), 'imprint-preview-'));
    await mkdir(path.join(cwd, 'content'));
    await writeFile(articleFile(), '---\ntitle: Live article\nlang: en\n---\n\nThe first version of the text.\n');
    preview = startCli(['preview', '--port', '0', '--out', 'out', '--format', 'html,pdf', '--offline'], { cwd });
    const match = await preview.waitForOutput(/Preview: (http:\/\/127\.0\.0\.1:\d+\/)/);
    base = match[1] ?? '';
    events = new EventStream(`${base}__imprint/events`);
    await events.ready;
    await waitForStatus(base, built('live'));
  });

  after(async () => {
    events?.close();
    const code = await preview?.stop();
    await rm(cwd, { recursive: true, force: true });
    // Stopping the preview is not a failure: 0, or the conventional code for SIGTERM.
    assert.ok(code === 0 || code === 143 || code === 'SIGTERM', `preview stopped with ${String(code)}\n${preview?.stderr ?? ''}`);
  });

  it('serves the rendered web page with the live-reload script, which the published file does not have', async () => {
    const response = await fetch(`${base}live.html`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const served = await response.text();
    assert.match(served, /<h1[^>]*>Live article<\/h1>/);
    assert.match(served, /The first version of the text\./);
    assert.match(served, /new EventSource\("\/__imprint\/events"\)/);
    const published = await readFile(path.join(cwd, 'out', 'live.html'), 'utf8');
    assert.match(published, /The first version of the text\./);
    assert.doesNotMatch(published, /EventSource|data-imprint-preview/, 'the published page has no preview script');
  });

  it('serves the index and the paged print preview with the PDF', async () => {
    const index = await (await fetch(base)).text();
    assert.match(index, /href="\/live\.html"/);
    assert.match(index, /href="\/print\/live"/);
    const print = await fetch(`${base}print/live`);
    assert.equal(print.status, 200);
    assert.match(await print.text(), /<iframe src="\/live\.pdf\?v=\d+/);
    const pdf = await fetch(`${base}live.pdf`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 5)), '%PDF-');
  });

  it('republishes an edited article, tells the page to reload, and serves the new text', async () => {
    const before = await waitForStatus(base, built('live'));
    await writeFile(articleFile(), '---\ntitle: Live article\nlang: en\n---\n\nThe second version, edited while the preview ran.\n');
    const build = await events.nextBuild((b) => b.version > before.version && b.names.includes('live'));
    assert.equal(build.all, false, 'only the edited article was rebuilt');
    const served = await (await fetch(`${base}live.html`)).text();
    assert.match(served, /The second version, edited while the preview ran\./);
    assert.doesNotMatch(served, /The first version/);
    const pdf = await fetch(`${base}live.pdf`);
    assert.equal(pdf.status, 200);
  });

  it('publishes an article added while it runs and lists it', async () => {
    const before = await waitForStatus(base, built('live'));
    await writeFile(path.join(cwd, 'content', 'added.md'), '---\ntitle: Added later\nlang: en\n---\n\nA new article.\n');
    await events.nextBuild((b) => b.version > before.version && b.names.includes('added'));
    const page = await (await fetch(`${base}added.html`)).text();
    assert.match(page, /Added later/);
    assert.match(await (await fetch(base)).text(), /href="\/added\.html"/);
  });

  it('keeps serving through an invalid config and shows the problem on the index', async () => {
    const before = await waitForStatus(base, (s) => !s.building);
    await writeFile(path.join(cwd, 'imprint.config.yaml'), 'page:\n  size: A3\n');
    const broken = await events.nextBuild((b) => b.version > before.version && b.all);
    const index = await (await fetch(base)).text();
    assert.match(index, /imprint\.config\.yaml:2:9 error page\.size: &quot;A3&quot; is not valid/);
    assert.equal((await fetch(`${base}live.html`)).status, 200, 'the last good build is still served');
    await rm(path.join(cwd, 'imprint.config.yaml'));
    await events.nextBuild((b) => b.version > broken.version && b.all && b.names.includes('live'));
    assert.doesNotMatch(await (await fetch(base)).text(), /class="banner"/);
    assert.equal((await waitForStatus(base, (s) => !s.building)).configError, null);
  });

  it('answers unknown paths with 404 and never serves files outside the output folder', async () => {
    assert.equal((await fetch(`${base}nothing.html`)).status, 404);
    const escape = await fetch(`${base}..%2f..%2fetc%2fpasswd`);
    assert.equal(escape.status, 404);
    assert.doesNotMatch(await escape.text(), /root:/);
  });
});
