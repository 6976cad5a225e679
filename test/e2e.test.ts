/**
 * End to end: `imprint publish` on the sample article writes HTML, PDF and EPUB that a user
 * can distribute as they are. Checked with the real tools: epubcheck, poppler.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RULES, type RuleId } from '../src/diagnostics/rules.js';
import { sampleArticle } from './helpers/paths.js';
import { epubcheck, pdffonts, pdfinfo, pdftext, runCli, type CliResult } from './helpers/tools.js';

/** The lines of the sample's seven images (17, 30 and 32, 41 and 44, 55 and 58): offline, none is in the cache. */
const IMAGE_LINES = [17, 30, 32, 41, 44, 55, 58];
/** The three images that stand alone with neither alt text nor a caption (30, 41, 55): described by nothing. */
const UNDESCRIBED_LINES = [30, 41, 55];
/** The ten warnings, in the order they are printed (by line; at one line the parse stage's first). */
const WARNINGS: Array<[number, string, string]> = IMAGE_LINES.flatMap((line) => [
  ...(UNDESCRIBED_LINES.includes(line) ? [[line, 'warning', 'image-no-alt'] as [number, string, string]] : []),
  [line, 'warning', 'image-uncached'] as [number, string, string],
]);

/**
 * The repairs the sample needs, counted by hand in content/biden-xi-summit.md: the title repeated on
 * line 8, the byline 【文/观察者网 熊超然】, four figures whose images have no alt text and whose italic
 * caption ends in a credit (图自IC Photo, 新华社记者姚大伟 摄, 图自CGTN…, 图自CGTN…), three images
 * standing alone in their paragraphs (30, 41, 55: each a figure without a caption), three image URLs
 * broken across lines (41, 55, 58), one caption with a soft break between Chinese characters (33–34)
 * and the bold copyright line at the end. 22 in all.
 */
const REPAIRS: Partial<Record<RuleId, number>> = {
  'duplicate-title': 1,
  byline: 1,
  figure: 3,
  'figure-caption': 4,
  'alt-from-caption': 4,
  'credit-split': 4,
  'wrapped-url': 3,
  'cjk-line-break': 1,
  'rights-notice': 1,
};

/** The diagnostic lines of stderr: [line, severity, rule id]. */
function diagnosticLines(stderr: string): Array<[number, string, string]> {
  return [...stderr.matchAll(/^ {2}content\/biden-xi-summit\.md:(\d+):\d+ (\w+) .* ([a-z-]+)$/gm)].map((m) => [Number(m[1]), m[2] ?? '', m[3] ?? '']);
}

/** How many times each rule id occurs. */
function tally(ids: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

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

  it('prints exactly the 10 warnings (7 images not cached, 3 described by nothing), and counts the 22 repairs without listing them', () => {
    const lines = diagnosticLines(run.stderr);
    assert.deepEqual(lines, WARNINGS, run.stderr);
    assert.match(run.stderr, /^content\/biden-xi-summit\.md: 10 warnings$/m);
    assert.match(run.stderr, /^✔ content\/biden-xi-summit\.md \([\d.]+ m?s, 10 warnings, 22 repairs\)$/m);
    assert.match(run.stderr, /^1 document, 0 failed, 3 outputs, 10 warnings, 22 repairs, in /m);
    assert.doesNotMatch(run.stderr, / info /);
  });

  it('--verbose lists the 22 repairs as info beside the warnings', async () => {
    const verbose = await runCli(['publish', sampleArticle, '--out', out, '--offline', '--verbose']);
    assert.equal(verbose.code, 0, verbose.stderr);
    const lines = diagnosticLines(verbose.stderr);
    assert.deepEqual(tally(lines.filter(([, severity]) => severity === 'info').map(([, , id]) => id)), REPAIRS, verbose.stderr);
    assert.deepEqual(lines.filter(([, severity]) => severity !== 'info'), WARNINGS);
    assert.match(verbose.stderr, /^content\/biden-xi-summit\.md: 10 warnings, 22 repairs$/m);
  });

  it('--quiet prints nothing when nothing failed (warnings and repairs are not errors)', async () => {
    const quiet = await runCli(['publish', sampleArticle, '--out', out, '--offline', '--quiet']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    assert.equal(quiet.stdout, '');
  });

  it('--json gives every message with the severity of its rule', async () => {
    const json = await runCli(['publish', sampleArticle, '--out', out, '--offline', '--json']);
    assert.equal(json.code, 0, json.stderr);
    type Message = { severity: string; ruleId?: string; line?: number };
    const report = JSON.parse(json.stdout) as { documents: Array<{ messages: Message[]; warnings: Message[]; errors: Message[] }>; totals: { warnings: number; repairs: number } };
    const [doc] = report.documents;
    assert.ok(doc);
    for (const message of doc.messages) {
      assert.ok(message.ruleId && Object.hasOwn(RULES, message.ruleId), `${message.ruleId ?? 'a message without a rule'} is a rule`);
      assert.equal(message.severity, RULES[message.ruleId as RuleId].severity, `${message.ruleId} has its rule's severity`);
    }
    assert.deepEqual(tally(doc.messages.filter((m) => m.severity === 'info').map((m) => m.ruleId ?? '')), REPAIRS);
    assert.deepEqual(doc.messages.filter((m) => m.severity === 'warning').map((m) => [m.line, m.ruleId]), WARNINGS.map(([line, , id]) => [line, id]));
    assert.deepEqual(doc.warnings, doc.messages.filter((m) => m.severity === 'warning'));
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(report.totals, { ...report.totals, warnings: 10, repairs: 22 });
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
