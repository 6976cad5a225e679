/**
 * Accessibility of the EPUB (EPUB Accessibility 1.1, WCAG 2.2 AA) and the web page (WCAG 2.2 AA),
 * checked with the tools auditors use, on real outputs of `imprint publish`: Ace by DAISY on every
 * EPUB and axe-core on every web page at 1280 and 375 px, light and dark (both from the npm
 * registry, on Debian's Chromium). The fixtures: the sample (offline: its pictures are missing),
 * an English essay with a real picture, a book of notes, task lists and pictures, the hostile
 * inputs of the security tests, and an article with a picture nobody described.
 *
 * Ace is slow (seconds per book): it runs once per EPUB, in one chain beside the axe runs, and
 * the assertions share the results. Copies with the old colours show the checkers do find what
 * was fixed.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import type { Browser } from 'puppeteer-core';
import sharp from 'sharp';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { CERTIFIED_BY, CONFORMS_TO } from '../src/epub/accessibility.js';
import { findAce, runAce, type AceResult } from '../src/check/ace.js';
import { checkWebPage, findAxe, VIEWS, type AxeTool, type WebCheck } from '../src/check/web.js';
import { fixturesDir, sampleArticle } from './helpers/paths.js';
import { runCli, tool, type CliResult } from './helpers/tools.js';

/** The articles published for these tests, by output name. */
const ARTICLES = ['biden-xi-summit', 'essay', 'notes', 'lists', 'hostile-html', 'hostile-links', 'undescribed'] as const;
type Name = (typeof ARTICLES)[number];
/**
 * The EPUBs Ace checks here (the sample's is checked by `imprint check`, below; the undescribed
 * picture's book differs from the others only in its metadata, asserted without Ace).
 */
const ACE_RUNS: readonly Name[] = ['essay', 'notes', 'lists', 'hostile-html', 'hostile-links'];
/** Articles whose content meets every condition of the conformance claim. */
const CONFORMING: readonly Name[] = ['essay', 'notes', 'lists', 'hostile-html', 'hostile-links'];

let cwd = '';
let browser: Browser;
let published: CliResult;
let classic: CliResult;
let axe: AxeTool;
/** Ace's results by EPUB name (the sample's come from `imprint check`, below). */
const ace = new Map<string, AceResult>();
/** axe's results by web page ("classic/…" for the classic theme). */
const web = new Map<string, WebCheck>();
/** `imprint check --json` on the sample's three outputs. */
let checked: CliResult;

const out = (name: string, ext: string): string => path.join(cwd, 'out', `${name}.${ext}`);
const png = async (r: number, g: number, b: number): Promise<Buffer> =>
  sharp({ create: { width: 640, height: 400, channels: 3, background: { r, g, b } } }).png().toBuffer();

/** A book of `count` notes, each referred to from its own paragraph. */
function notesBook(count: number): string {
  const lines = ['---', 'title: A Book of Notes', 'author: Note Taker', 'lang: en', 'date: 2024-01-01', '---', ''];
  for (let n = 1; n <= count; n++) lines.push(`Paragraph ${n} of the book refers to a note.[^n${n}]`, '');
  for (let n = 1; n <= count; n++) lines.push(`[^n${n}]: Note ${n}: a short remark about paragraph ${n}, with [a link](https://example.com/${n}).`, '');
  return lines.join('\n');
}

function entries(file: string): Promise<Record<string, Uint8Array>> {
  return readFile(file).then((bytes) => unzipSync(new Uint8Array(bytes)));
}
const utf8 = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes ?? new Uint8Array());
async function opf(name: string): Promise<string> {
  return utf8((await entries(out(name, 'epub')))['OEBPS/content.opf']);
}
const metas = (opfText: string, property: string): string[] =>
  [...opfText.matchAll(new RegExp(`<meta property="${property}"[^>]*>([^<]*)</meta>`, 'g'))].map((m) => (m[1] ?? '').replace(/&quot;/g, '"'));

/** A copy of an EPUB with CSS appended to its style sheet (mimetype first and stored, as EPUB wants). */
async function epubWithCss(file: string, css: string, copy: string): Promise<string> {
  const files = await entries(file);
  const zipped: Zippable = { mimetype: [files['mimetype'] ?? new Uint8Array(), { level: 0 }] };
  for (const [name, bytes] of Object.entries(files)) {
    if (name === 'mimetype') continue;
    zipped[name] = name.endsWith('style.css') ? new TextEncoder().encode(`${utf8(bytes)}\n${css}\n`) : bytes;
  }
  await writeFile(copy, zipSync(zipped));
  return copy;
}

const describeViolations = (result: AceResult | WebCheck | undefined): string =>
  (result?.problems ?? []).map((p) => `${p.ruleId}: ${p.reason}`).join('\n');

before(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'imprint-a11y-'));
  const content = path.join(cwd, 'content');
  await mkdir(content, { recursive: true });
  await copyFile(sampleArticle, path.join(content, 'biden-xi-summit.md'));
  await copyFile(path.join(fixturesDir, 'pdf-accessibility', 'essay.md'), path.join(content, 'essay.md'));
  await writeFile(path.join(content, 'press.png'), await png(120, 90, 60));
  await writeFile(path.join(content, 'notes.md'), notesBook(30));
  for (const name of ['lists', 'undescribed']) await copyFile(path.join(fixturesDir, 'accessibility', `${name}.md`), path.join(content, `${name}.md`));
  await writeFile(path.join(content, 'gauge.png'), await png(40, 90, 120));
  await writeFile(path.join(content, 'boats-1.png'), await png(200, 60, 40));
  // boats-2.png is left out: that picture is missing and becomes a placeholder.
  await writeFile(path.join(content, 'dawn.png'), await png(230, 150, 90));
  for (const name of ['hostile-html', 'hostile-links']) {
    // The security tests serve their canaries on {{PORT}}; here nothing answers, and --offline fetches nothing.
    const text = await readFile(path.join(fixturesDir, 'security', `${name}.md`), 'utf8');
    await writeFile(path.join(content, `${name}.md`), text.replaceAll('{{PORT}}', '9'));
  }
  published = await runCli(['publish', '--out', 'out', '--offline'], { cwd, timeoutMs: 300_000 });
  assert.equal(published.code, 0, published.stderr);
  classic = await runCli(['publish', 'content/biden-xi-summit.md', 'content/lists.md', 'content/essay.md', '--theme', 'classic', '--format', 'html', '--out', 'classic', '--offline'], { cwd });
  assert.equal(classic.code, 0, classic.stderr);

  const aceTool = findAce();
  assert.ok(!('missing' in aceTool), `Ace is installed (devDependencies): ${'missing' in aceTool ? aceTool.missing : ''}`);
  const axeTool = await findAxe();
  assert.ok(!('missing' in axeTool), `axe-core is installed (devDependencies): ${'missing' in axeTool ? axeTool.missing : ''}`);
  axe = axeTool;
  browser = await openBrowser();

  // Two chains side by side: Ace (child processes) and axe (tabs of this browser); `imprint check` on the sample last.
  const aceChain = (async () => {
    for (const name of ACE_RUNS) ace.set(name, await runAce(aceTool, out(name, 'epub')));
  })();
  const axeChain = (async () => {
    for (const name of ARTICLES) web.set(name, await checkWebPage(axe, browser, out(name, 'html')));
    for (const name of ['biden-xi-summit', 'lists', 'essay']) web.set(`classic/${name}`, await checkWebPage(axe, browser, path.join(cwd, 'classic', `${name}.html`)));
  })();
  await Promise.all([aceChain, axeChain]);
  checked = await runCli(['check', 'out/biden-xi-summit.epub', 'out/biden-xi-summit.html', 'out/biden-xi-summit.pdf', '--json'], { cwd, timeoutMs: 300_000 });
});

after(async () => {
  if (browser) await closeBrowser(browser);
  await rm(cwd, { recursive: true, force: true });
});

interface CheckReport {
  ok: boolean;
  outputs: Array<{ path: string; format: string; status: string; summary: string; problems: Array<{ ruleId: string; reason: string }> }>;
}

describe('the EPUB, checked with Ace by DAISY', () => {
  for (const name of ACE_RUNS) {
    it(`${name}: no violations`, () => {
      const result = ace.get(name);
      assert.equal(result?.outcome, 'pass', describeViolations(result));
      assert.deepEqual(result?.violations, []);
    });
  }

  it('the sample, through `imprint check`: no violations, and no conformance claimed while three of its pictures are described by nothing', async () => {
    assert.equal(checked.code, 0, checked.stderr);
    const report = JSON.parse(checked.stdout) as CheckReport;
    const epub = report.outputs.find((o) => o.format === 'epub');
    assert.equal(epub?.status, 'passed', JSON.stringify(epub?.problems));
    assert.deepEqual(epub?.problems, []);
    assert.match(epub?.summary ?? '', /epubcheck( [\d.]+)?: no errors or warnings; Ace [\d.]+: 0 violations, no conformance claimed/);
    const summary = metas(await opf('biden-xi-summit'), 'schema:accessibilitySummary')[0] ?? '';
    assert.match(summary, /有 3 张图片既无替代文字也无图注/);
    assert.match(summary, /本书未声明符合任何无障碍标准。/);
  });

  it('claims conformance, evaluated by Imprint\'s automated checks, exactly where every condition holds', async () => {
    for (const name of ARTICLES) {
      const text = await opf(name);
      const expected = CONFORMING.includes(name);
      assert.deepEqual(metas(text, 'dcterms:conformsTo'), expected ? [CONFORMS_TO] : [], `${name}: conformsTo`);
      assert.deepEqual(metas(text, 'a11y:certifiedBy'), expected ? [CERTIFIED_BY] : [], `${name}: certifiedBy`);
      const summary = metas(text, 'schema:accessibilitySummary')[0] ?? '';
      // (The sample's summary is in Chinese: checked above.)
      if (name !== 'biden-xi-summit') assert.match(summary, expected ? /Meets EPUB Accessibility 1\.1 and WCAG 2\.2 Level AA by Imprint's automated checks; not reviewed by a person\./ : /No conformance to an accessibility standard is claimed\./, name);
    }
    assert.equal(ace.get('essay')?.metadata['dcterms:conformsTo'], CONFORMS_TO, 'Ace reads the claim');
  });

  it('an image nobody described: a warning at the image, no claim, and metadata that says so', async () => {
    assert.match(published.stderr, /content\/undescribed\.md:8:1 warning Image 1 has neither alt text nor a caption.* image-no-alt$/m);
    const text = await opf('undescribed');
    assert.deepEqual(metas(text, 'schema:accessModeSufficient'), ['textual,visual'], 'text alone does not suffice');
    assert.ok(!metas(text, 'schema:accessibilityFeature').includes('alternativeText'));
    assert.match(metas(text, 'schema:accessibilitySummary')[0] ?? '', /One image has neither a text alternative nor a caption/);
  });

  it('states accessibility metadata true to each book', async () => {
    // The essay holds a real picture, described by its caption.
    const essay = await opf('essay');
    assert.deepEqual(metas(essay, 'schema:accessMode'), ['textual', 'visual']);
    assert.deepEqual(metas(essay, 'schema:accessModeSufficient'), ['textual', 'textual,visual']);
    assert.deepEqual(metas(essay, 'schema:accessibilityFeature'), ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability', 'alternativeText']);
    assert.deepEqual(metas(essay, 'schema:accessibilityHazard'), ['none']);
    // Offline, the sample holds no picture: seven placeholders, which are text.
    const sample = await opf('biden-xi-summit');
    assert.deepEqual(metas(sample, 'schema:accessMode'), ['textual']);
    assert.ok(!metas(sample, 'schema:accessibilityFeature').includes('alternativeText'));
    assert.match(metas(sample, 'schema:accessibilitySummary')[0] ?? '', /有 7 张图片未能收入/);
    // The book of notes has no picture at all.
    assert.deepEqual(metas(await opf('notes'), 'schema:accessMode'), ['textual']);
  });

  it('the checker finds what was fixed: a copy with the old greys fails with color-contrast', async () => {
    const copy = await epubWithCss(out('essay', 'epub'), 'figcaption .credit, .image-placeholder, figure.figure figcaption { color: #777 !important; background: #f3f3f1 !important; }', path.join(cwd, 'old-greys.epub'));
    const aceTool = findAce();
    assert.ok(!('missing' in aceTool));
    const result = await runAce(aceTool, copy);
    assert.equal(result.outcome, 'fail');
    assert.ok(result.violations.some((v) => v.rule === 'color-contrast'), describeViolations(result));
  });

  it('forces no low-contrast pair on a reading system\'s night theme', async () => {
    // A night theme as reading systems apply it: light text on black for the body; the book's own
    // rules stay. axe's colour check must find no pair under 4.5:1 in the chapter.
    const dir = path.join(cwd, 'night');
    for (const [name, bytes] of Object.entries(await entries(out('lists', 'epub')))) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), bytes);
    }
    const chapter = path.join(dir, 'OEBPS', 'article.xhtml');
    const night = (await readFile(chapter, 'utf8')).replace('</head>', '<style>html, body { background: #000; color: #eee; }</style></head>');
    await writeFile(path.join(dir, 'OEBPS', 'night.xhtml'), night);
    const result = await checkWebPage(axe, browser, path.join(dir, 'OEBPS', 'night.xhtml'));
    assert.deepEqual(result.violations.filter((v) => v.rule === 'color-contrast'), [], describeViolations(result));
  });
});

describe('the web page, checked with axe-core (WCAG 2.2 AA and best practices)', () => {
  for (const name of [...ARTICLES, 'classic/biden-xi-summit', 'classic/lists', 'classic/essay']) {
    it(`${name}: no violations at ${VIEWS.map((v) => `${v.width} px ${v.scheme}`).join(', ')}`, () => {
      const result = web.get(name);
      assert.ok(result?.version, `axe ran on ${name}`);
      assert.deepEqual(result?.problems, [], describeViolations(result));
    });
  }

  it('the sample, through `imprint check`: axe-core and the PDF structure check pass', () => {
    const report = JSON.parse(checked.stdout) as CheckReport;
    const html = report.outputs.find((o) => o.format === 'html');
    assert.equal(html?.status, 'passed', JSON.stringify(html?.problems));
    assert.match(html?.summary ?? '', /^axe-core [\d.]+ \(WCAG 2\.2 AA and best practices, 1280 and 375 px, light and dark\): 0 violations$/);
    assert.equal(report.outputs.find((o) => o.format === 'pdf')?.status, 'passed');
  });

  it('the checker finds what was fixed: a copy with the old colours fails with color-contrast, a landmark and a label', async () => {
    const page = await readFile(out('lists', 'html'), 'utf8');
    // The old colours go at the end of the last style sheet (the theme's; the fonts' comes first).
    const end = page.lastIndexOf('</style>');
    const old = `${page.slice(0, end)}.image-placeholder, figcaption .credit { color: #777; }\n@media (prefers-color-scheme: dark) { .image-placeholder { color: #777; } }\n${page.slice(end)}`
      .replace('<main>', '')
      .replace('</main>', '')
      .replace(/<label>(<input[^>]*>)([^<]*)<\/label>/g, '$1$2');
    const copy = path.join(cwd, 'out', 'old-colours.html');
    await writeFile(copy, old);
    const result = await checkWebPage(axe, browser, copy);
    const found = new Set(result.violations.map((v) => v.rule));
    for (const rule of ['color-contrast', 'landmark-one-main', 'label']) assert.ok(found.has(rule), `${rule} in ${[...found].join(', ')}`);
  });

  it('has its article in <main>, labels each task checkbox with its item, and gives back-links a 24 × 24 px target', async () => {
    const page = await browser.newPage();
    try {
      await page.setViewport({ width: 375, height: 800 });
      await page.goto(`file://${out('lists', 'html')}`, { waitUntil: 'load' });
      const facts = await page.evaluate(() => ({
        main: document.querySelectorAll('main > article.article').length,
        labels: Array.from(document.querySelectorAll('input[type="checkbox"]')).map((box) => (box as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? ''),
        backlinks: Array.from(document.querySelectorAll('a.backlink')).map((a) => {
          const box = a.getBoundingClientRect();
          return [Math.round(box.width), Math.round(box.height)];
        }),
      }));
      assert.equal(facts.main, 1);
      assert.deepEqual(facts.labels, ['measured the harbour', 'published the tables', 'checked the tide gauge', 'recalibrated it']);
      assert.ok(facts.backlinks.length >= 2);
      for (const [width, height] of facts.backlinks) assert.ok((width ?? 0) >= 24 && (height ?? 0) >= 24, `back-link ${width}×${height}`);
    } finally {
      await page.close();
    }
  });
});

describe('one text alternative per image in all three outputs', () => {
  const altsIn = (markup: string): string[] => [...markup.matchAll(/<img [^>]*?alt="([^"]*)"/g)].map((m) => m[1] ?? '');

  it('a picture described by its caption is "Image n, described in its caption" in the web page, the EPUB and the PDF', async () => {
    const html = altsIn(await readFile(out('essay', 'html'), 'utf8'));
    const epub = altsIn(utf8((await entries(out('essay', 'epub')))['OEBPS/article.xhtml']));
    const pdf = [...(await tool('qpdf', ['--qdf', '--object-streams=disable', out('essay', 'pdf'), '-'])).matchAll(/\/Alt \(([^)]*)\)/g)].map((m) => m[1]);
    assert.deepEqual(html, ['Image 1, described in its caption']);
    assert.deepEqual(epub, html);
    assert.deepEqual(pdf, html);
    // Read once: the caption is not the alternative.
    assert.match(await readFile(out('essay', 'html'), 'utf8'), /<figcaption><span class="caption">A printing press drawn for this test/);
  });

  it('an alternative the author wrote is kept; a group sharing a caption points to it, each image by its number', async () => {
    const html = altsIn(await readFile(out('lists', 'html'), 'utf8'));
    const epub = altsIn(utf8((await entries(out('lists', 'epub')))['OEBPS/article.xhtml']));
    assert.deepEqual(html, ['A tide gauge on a wooden post, its scale half under water', 'Image 2, described in its caption']);
    assert.deepEqual(epub, html);
    // The third picture is missing: its placeholder carries the same alternative.
    assert.match(await readFile(out('lists', 'html'), 'utf8'), /role="img" aria-label="Image unavailable: [^".]+\. Image 3, described in its caption"/);
  });
});

describe('finding the checkers', () => {
  it('says "not installed" when Ace or axe-core cannot be found, so that `imprint check` skips them', async () => {
    const nothing = Object.assign(
      (id: string): never => {
        throw new Error(`Cannot find module '${id}'`);
      },
      { resolve: (id: string): never => {
        throw new Error(`Cannot find module '${id}'`);
      } },
    ) as unknown as NodeJS.Require;
    const ace = findAce(process.env, nothing);
    assert.ok('missing' in ace && ace.missing.startsWith('not installed'));
    const axeTool = await findAxe(nothing.resolve);
    assert.ok('missing' in axeTool && axeTool.missing.startsWith('not installed'));
  });
});
