/**
 * Bad input, published by the real `imprint` bin in a throw-away project (its own content/,
 * --out, --offline): a binary file, invalid UTF-8, broken YAML front matter, an empty file, CRLF
 * with a BOM, 5,000 levels of blockquotes, a 3 MB single line and 2,000 footnotes. Each bad
 * document ends with one clear message that names the file (with line and column where there is
 * one, and a code frame for broken front matter), no stack trace is printed, the good documents
 * of the same run are still published, and the exit code says what happened.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type CliResult } from './helpers/tools.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?\n/;

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function project(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-bad-input-'));
  temps.push(dir);
  await mkdir(path.join(dir, 'content'));
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), body);
  return dir;
}

const BROKEN_YAML = '---\ntitle: 标题\nauthor: [unclosed\ndate: 2024-01-02\n---\n\nText.\n';
const footnotes = (count: number): string =>
  `---\ntitle: Notes\nlang: en\n---\n\n${Array.from({ length: count }, (_, i) => `Sentence ${i + 1}.[^n${i + 1}]`).join(' ')}\n\n` +
  Array.from({ length: count }, (_, i) => `[^n${i + 1}]: Footnote number ${i + 1}.\n`).join('');
/** About 3 MB of Chinese text on one line (no line break at all). */
const longLine = (): string => `---\ntitle: Long\nlang: zh-CN\n---\n\n${'长句子没有换行，'.repeat(135_000)}\n`;

const BAD_FILES: Record<string, string | Uint8Array> = {
  // A PNG header and random bytes: NUL bytes, not text.
  'content/binary.md': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, ...Array.from({ length: 200 }, (_, i) => (i * 37) % 256)]),
  'content/invalid-utf8.md': new Uint8Array([...new TextEncoder().encode('# 标题\n\n正文'), 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x0a]),
  'content/broken-yaml.md': BROKEN_YAML,
  'content/empty.md': '',
  'content/crlf-bom.md': '\uFEFF---\r\ntitle: CRLF 标题\r\nlang: zh-CN\r\n---\r\n\r\n第一段，\r\n第二行。\r\n\r\n## 小节\r\n\r\n正文。\r\n',
  'content/deep-quotes.md': `---\ntitle: Deep\n---\n\n${'> '.repeat(5000)}deep\n`,
  'content/long-line.md': longLine(),
  'content/footnotes.md': footnotes(2000),
  'content/good.md': '---\ntitle: Good\nlang: en\n---\n\nFine text.\n',
};

describe('bad input, default limits', () => {
  let dir: string;
  let run: CliResult;
  const errorLine = (file: string): string | undefined => run.stderr.split('\n').find((line) => line.includes(`content/${file}`) && / error /.test(line));

  before(async () => {
    dir = await project(BAD_FILES);
    run = await runCli(['publish', '--out', 'out', '--offline', '--format', 'html'], { cwd: dir, timeoutMs: 300_000 });
  });

  it('exits 1 (documents failed) without a stack trace', () => {
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stderr, STACK_TRACE);
  });

  it('a binary file: a clear error naming the file', () => {
    assert.match(errorLine('binary.md') ?? '', /content\/binary\.md error .*binary.* input-binary$/);
  });

  it('invalid UTF-8: the error names the file and the offset of the first bad byte', () => {
    assert.match(errorLine('invalid-utf8.md') ?? '', /content\/invalid-utf8\.md error .*not valid UTF-8.*offset 16.* input-encoding$/);
  });

  it('broken YAML front matter: reported with line and column in the front matter', () => {
    const line = errorLine('broken-yaml.md') ?? '';
    const match = /content\/broken-yaml\.md:(\d+):(\d+) error .*YAML.* front-matter-yaml$/.exec(line);
    assert.ok(match, `got: ${line}`);
    // The `[` left open on line 3 (author: [unclosed), where YAML says the open sequence starts.
    assert.deepEqual([Number(match[1]), Number(match[2])], [3, 9]);
  });

  it('broken YAML front matter: a code frame of the front matter is printed under the message', () => {
    const lines = run.stderr.split('\n');
    const at = lines.findIndex((line) => /content\/broken-yaml\.md:\d+:\d+ error/.test(line));
    assert.ok(at >= 0, run.stderr);
    const frame = lines.slice(at + 1, at + 7).join('\n');
    assert.match(frame, /\d \| author: \[unclosed/, `a frame under the message:\n${frame}`);
    assert.match(frame, /^\s*>\s*\d+ \|/m, 'the line is marked');
    assert.match(frame, /^\s*\|\s*\^/m, 'the column is marked');
  });

  it('an empty file fails: nothing to publish, at its start', () => {
    assert.match(errorLine('empty.md') ?? '', /content\/empty\.md:1:1 error Nothing to publish: the article is empty article-empty$/);
  });

  it('CRLF with a BOM is read like LF: front matter, one joined paragraph, no \\r and no BOM in the page', async () => {
    const html = await readFile(path.join(dir, 'out', 'crlf-bom.html'), 'utf8');
    assert.match(html, /<title>CRLF 标题<\/title>/);
    assert.match(html, /<p>第一段，第二行。<\/p>/);
    assert.match(html, /<h2 id="小节">小节<\/h2>/);
    assert.ok(!html.includes('\r') && !html.includes('\uFEFF'), 'no CR and no BOM');
    assert.equal(errorLine('crlf-bom.md'), undefined);
  });

  it('5,000 levels of blockquotes: refused at the line and column where the limit is passed', () => {
    assert.match(errorLine('deep-quotes.md') ?? '', /content\/deep-quotes\.md:5:\d+ error .*more than 100 levels deep \(limits\.maxDepth\) limit-depth$/);
  });

  it('a 3 MB single line is refused by its size (limits.maxInputBytes, 2 MB by default)', () => {
    assert.match(errorLine('long-line.md') ?? '', /content\/long-line\.md error .*\d+ bytes, over the limit of 2097152 \(limits\.maxInputBytes\) input-too-large$/);
  });

  it('2,000 footnotes: refused past limits.maxNotes (1,000)', () => {
    assert.match(errorLine('footnotes.md') ?? '', /content\/footnotes\.md error .*2000 notes.*over the limit of 1000 \(limits\.maxNotes\)/);
  });

  it('the good documents are published and the failed ones leave nothing behind', async () => {
    assert.deepEqual((await readdir(path.join(dir, 'out'))).sort(), ['crlf-bom.html', 'good.html']);
    assert.match(await readFile(path.join(dir, 'out', 'good.html'), 'utf8'), /Fine text\./);
  });
});

describe('bad input, raised limits', () => {
  let dir: string;
  let run: CliResult;

  before(async () => {
    dir = await project({
      'content/long-line.md': longLine(),
      'content/footnotes.md': footnotes(2000),
      'imprint.config.json': JSON.stringify({ limits: { maxInputBytes: 8 * 1024 * 1024, maxNotes: 5000, timeBudgetMs: 90_000 } }),
    });
    run = await runCli(['publish', '--out', 'out', '--offline', '--format', 'html'], { cwd: dir, timeoutMs: 300_000 });
  });

  it('2,000 footnotes publish when limits.maxNotes allows them, every one numbered', async () => {
    const html = await readFile(path.join(dir, 'out', 'footnotes.html'), 'utf8').catch(() => '');
    assert.ok(html, run.stderr);
    assert.equal(html.match(/<li class="note note-footnote" id="note-\d+"/g)?.length, 2000);
    assert.match(html, /id="note-2000"/);
  });

  it('a 3 MB single line finishes, or is cut by the time budget with a message naming the file', async () => {
    const published = await readFile(path.join(dir, 'out', 'long-line.html'), 'utf8').catch(() => undefined);
    if (published !== undefined) {
      assert.ok(published.includes('长句子没有换行，长句子没有换行，'), 'the text is there');
    } else {
      assert.match(run.stderr, /content\/long-line\.md(:\d+:\d+)? error .*time budget/, run.stderr);
    }
    assert.doesNotMatch(run.stderr, STACK_TRACE);
  });
});

describe('a configuration error', () => {
  it('exits 2 and publishes nothing (limits must be positive)', async () => {
    const dir = await project({ 'content/good.md': '# Good\n\nText.\n', 'imprint.config.json': JSON.stringify({ limits: { maxDepth: -5 } }) });
    const run = await runCli(['publish', '--out', 'out', '--offline'], { cwd: dir });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /imprint\.config\.json.*maxDepth|limits\.maxDepth/);
    assert.doesNotMatch(run.stderr, STACK_TRACE);
    await assert.rejects(readdir(path.join(dir, 'out')), 'no output folder');
  });
});
