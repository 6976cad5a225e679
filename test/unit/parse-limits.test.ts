/**
 * Parsing refuses what would make it hang or run out of memory, in this thread and in the
 * worker (the CLI side, signals and Chromium are in test/robustness.test.ts):
 *
 * - deep nesting is refused before anything recursive runs, and too many images or notes;
 * - in a worker, the same article and diagnostics as in this thread; a parse that takes too long
 *   is cut at its time budget, and a cancelled one is stopped, without stopping later parses.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { DocumentError } from '../../src/errors.js';
import { parseArticle, treeToHtml, type ParseSettings } from '../../src/parse/article.js';
import { parseArticleIsolated } from '../../src/parse/isolated.js';
import { sampleArticle } from '../helpers/paths.js';

// ---------------------------------------------------------------------------------------------
// Parsing: nesting, counts and the time budget

const file = (value: string): VFile => new VFile({ path: 'content/t.md', value });
const options = { name: 't', path: 'content/t.md' };

/** The fatal message parseArticle throws (asserting it throws one). */
function refusal(value: string, settings: ParseSettings = {}): VFileMessage {
  try {
    parseArticle(file(value), options, settings);
  } catch (error) {
    assert.ok(error instanceof VFileMessage, `a fatal message, not ${String(error)}`);
    assert.equal(error.fatal, true);
    return error;
  }
  assert.fail('the article was accepted');
}

describe('parsing refuses nesting past limits.maxDepth, before it recurses', () => {
  it('5,000 levels of blockquotes on one line', () => {
    const error = refusal(`# Deep\n\n${'> '.repeat(5000)}text\n`);
    assert.equal(error.ruleId, 'limit-depth');
    assert.deepEqual([error.line, error.column], [3, 202]);
    assert.match(error.reason, /more than 100 levels deep \(limits\.maxDepth\)/);
  });

  it('5,000 levels of blockquotes without spaces, and over many lines', () => {
    assert.equal(refusal(`${'>'.repeat(5000)} text\n`).ruleId, 'limit-depth');
    const lines = Array.from({ length: 5000 }, (_, i) => `${'>'.repeat(Math.min(i + 1, 150))} line ${i}`).join('\n');
    const error = refusal(lines);
    assert.equal(error.line, 101);
  });

  it('lists nested by markers on one line, by indentation, and mixed with quotes', () => {
    assert.equal(refusal(`${'- '.repeat(5000)}item\n`).ruleId, 'limit-depth');
    assert.equal(refusal(Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')).line, 101);
    assert.equal(refusal(`${'> - '.repeat(2500)}item\n`).ruleId, 'limit-depth');
  });

  it('emphasis: runs of thousands of * that would nest thousands of levels', () => {
    assert.equal(refusal(`${'*'.repeat(10_000)}a${'*'.repeat(10_000)}\n`).ruleId, 'limit-depth');
  });

  it('raw HTML nested 5,000 elements deep (html.allowRawHtml)', () => {
    const error = refusal(`${'<div>'.repeat(5000)}x${'</div>'.repeat(5000)}\n`, { allowRawHtml: true });
    assert.equal(error.ruleId, 'limit-depth');
    assert.match(error.reason, /HTML elements/);
  });

  it('accepts what stays within the limit, and follows a raised or lowered limit', () => {
    const nested = `${'> '.repeat(60)}text\n`;
    assert.ok(parseArticle(file(nested), options).tree.children.length > 0);
    assert.equal(refusal(nested, { limits: { maxDepth: 50 } }).ruleId, 'limit-depth');
    const fenced = `\`\`\`\n${'> '.repeat(500)}\n\`\`\`\n\nText.\n`;
    assert.ok(parseArticle(file(fenced), options).tree.children.length > 0, 'quote markers in code are not nesting');
  });
});

describe('parsing refuses too many images or notes', () => {
  it('images past limits.maxImages, at the first image over the limit', () => {
    const error = refusal('![a](a.png)\n\n![b](b.png)\n\n![c](c.png)\n', { limits: { maxImages: 2 } });
    assert.equal(error.ruleId, 'limit-images');
    assert.equal(error.line, 5);
    assert.match(error.reason, /3 images, over the limit of 2 \(limits\.maxImages\)/);
  });

  it('notes past limits.maxNotes', () => {
    const error = refusal('A[^1] b[^2] c[^3].\n\n[^1]: one\n[^2]: two\n[^3]: three\n', { limits: { maxNotes: 2 } });
    assert.equal(error.ruleId, 'limit-notes');
    assert.match(error.reason, /3 notes .*over the limit of 2 \(limits\.maxNotes\)/);
  });
});

describe('parsing in a worker (parseArticleIsolated)', () => {
  it('gives the same article, diagnostics and file.data as parsing in this thread', async () => {
    const source = await readFile(sampleArticle, 'utf8');
    const here = parseArticle(new VFile({ path: 'content/biden-xi-summit.md', value: source }), { name: 'biden-xi-summit', path: 'content/biden-xi-summit.md' });
    const target = new VFile({ path: 'content/biden-xi-summit.md', value: source });
    const there = await parseArticleIsolated(target, { name: 'biden-xi-summit', path: 'content/biden-xi-summit.md' });
    assert.equal(there.file, target, 'the caller’s file');
    assert.equal(treeToHtml(there.tree), treeToHtml(here.tree));
    assert.deepEqual(there.meta, here.meta);
    assert.deepEqual(there.notes, here.notes);
    assert.deepEqual(there.images, here.images);
    assert.deepEqual(there.headings, here.headings);
    assert.deepEqual(target.data.frontMatter, here.file.data.frontMatter);
    const show = (f: VFile): string[] => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.fatal} ${m.reason} ${m.file}`);
    assert.deepEqual(show(target), show(here.file));
  });

  it('reports broken front matter as the same fatal message, with line and column', async () => {
    const target = file('---\ntitle: ok\nauthor: [unclosed\n---\n\nText.\n');
    await assert.rejects(parseArticleIsolated(target, options), (error: unknown) => {
      assert.ok(error instanceof VFileMessage);
      assert.equal(error.ruleId, 'front-matter-yaml');
      assert.ok((error.line ?? 0) >= 3);
      assert.ok(target.messages.includes(error), 'the message is on the file');
      return true;
    });
  });

  it('is cut at its time budget: the document fails with a clear message, and parsing goes on', async () => {
    // Unclosed link destinations make micromark quadratic: far more than a second here.
    const slow = file(`# Slow\n\n${'[a]('.repeat(200_000)}\n`);
    await assert.rejects(parseArticleIsolated(slow, options, { timeoutMs: 1500 }), (error: unknown) => {
      assert.ok(error instanceof VFileMessage);
      assert.equal(error.ruleId, 'limit-time');
      assert.match(error.reason, /time budget of 1\.5 s \(limits\.timeBudgetMs\)/);
      return true;
    });
    const next = await parseArticleIsolated(file('# Fine\n\nText.\n'), options);
    assert.equal(next.meta.title, 'Fine');
  });

  it('stops when the document is cancelled (its AbortSignal), and parsing goes on', async () => {
    const controller = new AbortController();
    const pending = parseArticleIsolated(file(`${'[a]('.repeat(200_000)}\n`), options, { signal: controller.signal });
    // The article is in the worker's hands now (it takes far longer than its time budget there).
    controller.abort();
    await assert.rejects(pending, (error: unknown) => error instanceof DocumentError && error.ruleId === 'cancelled');
    // A worker still busy with the cancelled article would keep this one waiting until its time budget.
    const next = await parseArticleIsolated(file('# Fine\n\nText.\n'), options, { timeoutMs: 30_000 });
    assert.equal(next.meta.title, 'Fine');
  });
});
