/**
 * What a new user's articles must not show, checked in all three outputs of a real `imprint
 * publish` on fixture projects of their own (test/fixtures/fidelity/<case>/): notes that name
 * sources, not files; no link a reader cannot follow; relative links between the documents
 * published together; placeholders that say what is missing; one date from the article; figure
 * groups of one paragraph; empty articles refused; front-matter errors shown where YAML finds them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { toHtml } from 'hast-util-to-html';
import type { Browser } from 'puppeteer-core';
import sharp from 'sharp';
import { VFile } from 'vfile';
import { closeBrowser, openBrowser } from '../src/browser/provider.js';
import { resolveConfig } from '../src/config/schema.js';
import { parseArticle } from '../src/parse/article.js';
import type { Article, ImageAsset } from '../src/model.js';
import { buildBookEpub } from '../src/stages/build-epub.js';
import { createImageResolver, unlinkRefusedSources } from '../src/stages/resolve-images.js';
import { loadTheme } from '../src/theme/theme.js';
import { epubEntries, hrefs, markupText, outputFiles, pdfFigures, publishFixture, readOutputs, squash, type Outputs, type Project } from './helpers/outputs.js';
import { fixturesDir } from './helpers/paths.js';
import { epubcheck, pdfinfo, runCli, tool } from './helpers/tools.js';

/** A fixed build time for the book built in memory: 2023-11-14T22:13:20Z. */
const EPOCH_FOR_BOOK = 1_700_000_000;

/** A tool's standard output as bytes. */
async function toolBytes(command: string, args: string[]): Promise<Buffer> {
  const { stdout } = await promisify(execFile)(command, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** The hrefs no output may hold: loopback, private and link-local addresses, local names, file:, the page server. */
const UNREACHABLE = /127\.0\.0\.1|192\.168\.|localhost|^file:|imprint\.invalid|imprint-canary|^\.\.?\//;

/** The text a reader sees in each output: the HTML page, the PDF (pdftotext), the EPUB's article. */
function texts(outputs: Outputs): Array<readonly ['html' | 'pdf' | 'epub', string]> {
  return [
    ['html', markupText(outputs.html)],
    ['pdf', outputs.pdfText],
    ['epub', markupText(outputs.epub.get('OEBPS/article.xhtml') ?? '')],
  ];
}

/** Every link target of the three outputs, by output (the EPUB's links between its own documents left out). */
function linkTargets(outputs: Outputs): Record<'html' | 'pdf' | 'epub', string[]> {
  const epub = [...outputs.epub]
    .filter(([name]) => name.endsWith('.xhtml'))
    .flatMap(([, text]) => hrefs(text))
    .filter((href) => !/^(cover|article|colophon|toc)\.xhtml(#|$)/.test(href));
  return {
    html: hrefs(outputs.html),
    pdf: outputs.pdfLinks.map((link) => link.uri ?? link.file ?? '').filter((target) => target !== ''),
    epub,
  };
}

describe('notes name sources, not files', () => {
  let project: Project;
  let outputs: Outputs;
  before(async () => {
    project = await publishFixture('fidelity/notes', ['--offline']);
    outputs = await readOutputs(project.dir, 'essay');
  });
  after(() => project.remove());

  it('publishes', () => {
    assert.equal(project.run.code, 0, project.run.stderr);
  });

  it('gives a local image no note, and keeps its credit in the caption', () => {
    const epubText = outputs.epub.get('OEBPS/article.xhtml') ?? '';
    assert.doesNotMatch(outputs.html + epubText + outputs.pdfText, /books\.png|imprint-canary/, 'no note names a local file');
    for (const [name, text] of texts(outputs)) {
      assert.ok(squash(text).includes(squash('My shelf at home. Photo: Jane Doe')), `${name}: the caption keeps its credit`);
    }
    // Notes: the remote picture, the refused address, the ftp: image and the one external link.
    assert.equal((outputs.html.match(/<li class="note /g) ?? []).length, 4, 'html: four notes');
    assert.equal((epubText.match(/<aside [^>]*epub:type="footnote"/g) ?? []).length, 4, 'epub: four notes');
  });

  it('shows a remote image’s URL in its note, as a link', () => {
    const targets = linkTargets(outputs);
    for (const name of ['html', 'pdf', 'epub'] as const) {
      assert.ok(targets[name].includes('https://images.example.org/harbour.jpg'), `${name}: ${targets[name].join(' ')}`);
      assert.ok(targets[name].includes('https://example.org/report'), `${name}: the external link`);
    }
    assert.ok(squash(outputs.pdfText).includes(squash('Original image: https://images.example.org/harbour.jpg')));
  });

  it('shows a refused or non-http(s) URL as plain text in every output', () => {
    for (const [name, text] of texts(outputs)) {
      assert.ok(squash(text).includes(squash('Original image: http://127.0.0.1:9/secret.png')), `${name}: the refused URL is shown`);
      assert.ok(squash(text).includes(squash('Original image: ftp://files.example.org/pic.png')), `${name}: the ftp: URL is shown`);
    }
    for (const [name, targets] of Object.entries(linkTargets(outputs))) {
      assert.ok(!targets.some((target) => target.startsWith('ftp:')), `${name}: no ftp: link`);
    }
  });

  it('holds no link to a loopback, private or local address, to a file or to the page server', () => {
    for (const [name, targets] of Object.entries(linkTargets(outputs))) {
      const bad = targets.filter((target) => UNREACHABLE.test(target));
      assert.deepEqual(bad, [], `${name} links`);
      for (const target of targets) assert.match(target, /^(#|https:\/\/|mailto:)/, `${name}: ${target}`);
    }
    assert.doesNotMatch(outputs.pdfRaw, /imprint\.invalid|127\.0\.0\.1|192\.168\.1\.1|localhost/, 'no such URL anywhere in the PDF file');
    // The link texts stay.
    assert.ok(squash(outputs.pdfText).includes(squash('not the router or my machine')));
  });

  it('warns at each link it removed', () => {
    assert.match(project.run.stderr, /content\/essay\.md:22:\d+ warning Removed a link to a private address 192\.168\.1\.1 .* link-private/);
    assert.match(project.run.stderr, /content\/essay\.md:22:\d+ warning Removed a link to a local name localhost .* link-private/);
  });
});

describe('a note after the download', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-refused-note-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('shows the URL of an image the address policy refused as text, not as a link', async () => {
    const markdown = '---\nlang: en\n---\n\n![Intranet](https://pictures.example.net/a.png)\n\n![Public](https://cdn.example.org/b.png)\n';
    const article = parseArticle(new VFile({ path: 'content/a.md', value: markdown }), { name: 'a', path: 'content/a.md' });
    // The URLs' break points (<wbr>) are left out: what is asserted is the text and its links.
    const notes = (): string => article.notes.map((note) => toHtml(note.content)).join('\n').replace(/<wbr>/g, '');
    assert.match(notes(), /<a href="https:\/\/pictures\.example\.net\/a\.png">/, 'a public-looking name is a link after parsing');
    // What the image stage reports when the name resolves to a private address (as for 127.0.0.1 here).
    const resolver = createImageResolver({ images: { ...resolveConfig().images, connectTimeoutMs: 1000, timeoutMs: 1000 }, offline: false, cacheDir: path.join(dir, 'cache'), contentRoot: dir });
    const refused = await resolver.resolve([{ id: 'img-1', url: 'http://127.0.0.1:9/a.png', alt: '' }], new VFile({ path: 'content/a.md' }), path.join(dir, 'a.md'));
    const placeholder = refused.get('img-1');
    assert.equal(placeholder?.kind === 'placeholder' ? placeholder.cause : placeholder?.kind, 'refused');
    unlinkRefusedSources(article, new Map([['img-1', { ...placeholder, id: 'img-1' } as never], ['img-2', { kind: 'placeholder', id: 'img-2', reason: 'unreachable (ENOTFOUND)', cause: 'unreachable' }]]));
    assert.doesNotMatch(notes(), /href="https:\/\/pictures\.example\.net/, 'refused: no link');
    assert.match(notes(), /Original image: https:\/\/pictures\.example\.net\/a\.png/, 'refused: the URL is still shown');
    assert.match(notes(), /<a href="https:\/\/cdn\.example\.org\/b\.png">/, 'unreachable: still a link');
  });
});

describe('relative links between the documents published together', () => {
  let project: Project;
  let essay: Outputs;
  let other: Outputs;
  before(async () => {
    project = await publishFixture('fidelity/links', ['--offline']);
    [essay, other] = await Promise.all([readOutputs(project.dir, 'essay'), readOutputs(project.dir, 'other')]);
  });
  after(() => project.remove());

  it('publishes both', () => {
    assert.equal(project.run.code, 0, project.run.stderr);
  });

  it('points the web page at the other article’s web page', () => {
    assert.deepEqual(hrefs(essay.html).filter((href) => !href.startsWith('#note')), ['other.html', 'other.html#second-part', 'other.html', '#reading-on']);
    assert.ok(hrefs(other.html).includes('essay.html'));
    // The fragment is an id of the other page.
    assert.match(other.html, /<h2 id="second-part">/);
  });

  it('points the PDF at the other article’s PDF, and nowhere else', async () => {
    const files = essay.pdfLinks.filter((link) => link.action === 'GoToR').map((link) => link.file);
    assert.deepEqual(files, ['other.pdf', 'other.pdf', 'other.pdf']);
    assert.deepEqual(other.pdfLinks.filter((link) => link.action === 'GoToR').map((link) => link.file), ['essay.pdf']);
    assert.deepEqual(essay.pdfLinks.filter((link) => link.uri !== undefined), [], 'no URI link: nothing points at the page server');
    assert.doesNotMatch(essay.pdfRaw, /imprint\.invalid/);
    const check = await tool('qpdf', ['--check', path.join(project.dir, 'output', 'essay.pdf')]);
    assert.match(check, /No syntax or stream encoding errors found/);
    assert.doesNotMatch(check, /WARNING/);
  });

  it('keeps the text in the EPUB, where a link into another EPUB file cannot work', async () => {
    const checked = await epubcheck(path.join(project.dir, 'output', 'essay.epub'));
    assert.equal(checked.errors + checked.warnings + checked.fatals, 0, checked.output);
    const article = essay.epub.get('OEBPS/article.xhtml') ?? '';
    assert.deepEqual(hrefs(article).filter((href) => !href.startsWith('#note') && !href.startsWith('#noteref')), ['#reading-on']);
    assert.ok(squash(markupText(article)).includes(squash('The companion essay is the other one, and its second part goes further.')));
  });

  it('finds a document by its Markdown file, an output or its name, and a link into the article itself by its fragment', () => {
    const markdown = '[1](my%20essay.md) [2](b.html#x) [3](b) [4](a.md#top) [5](./b.pdf) [6](sub/../b.epub) [7](B.md) [8](b.txt)\n';
    const documents = ['content/a.md', 'content/my essay.md', 'content/b.markdown'];
    const article = parseArticle(new VFile({ path: 'content/a.md', value: markdown }), { name: 'a', path: 'content/a.md', documents });
    const links = [...toHtml(article.tree).matchAll(/<a ([^>]*)>(\d)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
    assert.deepEqual(links, [
      '1 data-document="my essay"',
      '2 data-document="b" data-fragment="x"',
      '3 data-document="b"',
      '4 href="#top"',
      '5 data-document="b"',
      '6 data-document="b"',
    ]);
    assert.deepEqual(article.file.messages.filter((m) => m.ruleId === 'link-relative').map((m) => m.column), [87, 97], 'B.md (case differs) and b.txt');
  });

  it('in a book (the same documents in one EPUB), points at the other chapter and its heading', async () => {
    const documents = ['content/essay.md', 'content/other.md'];
    const parse = async (name: string): Promise<Article> => {
      const file = `content/${name}.md`;
      const value = await readFile(path.join(fixturesDir, 'fidelity', 'links', file), 'utf8');
      return parseArticle(new VFile({ path: file, value }), { name, path: file, documents });
    };
    const [first, second] = [await parse('essay'), await parse('other')];
    const png = await sharp({ create: { width: 600, height: 900, channels: 3, background: '#345' } }).png().toBuffer();
    const cover: ImageAsset = { kind: 'image', id: 'cover', mediaType: 'image/png', ext: 'png', bytes: new Uint8Array(png), width: 600, height: 900 };
    const bytes = await buildBookEpub({
      config: resolveConfig({}),
      theme: loadTheme('default'),
      meta: { title: 'Reading, Together', lang: 'en', keywords: [] },
      file: new VFile({ path: 'content/book.md' }),
      chapters: [{ article: first, assets: new Map() }, { article: second, assets: new Map() }],
      cover,
      generatedCover: () => Promise.reject(new Error('the book has a cover')),
      sourceDateEpoch: EPOCH_FOR_BOOK,
    });
    const file = path.join(project.dir, 'book.epub');
    await writeFile(file, bytes);
    const checked = await epubcheck(file);
    assert.equal(checked.errors + checked.warnings + checked.fatals, 0, checked.output);
    const entries = await epubEntries(file);
    const chapterOf = (name: string): string => [...entries].find(([entry]) => entry.endsWith(`/${name}.xhtml`))?.[1] ?? '';
    const links = (name: string): string[] => hrefs(chapterOf(name)).filter((href) => !href.startsWith('#'));
    assert.deepEqual(links('article-1'), ['article-2.xhtml', 'article-2.xhtml#second-part', 'article-2.xhtml']);
    assert.deepEqual(links('article-2'), ['article-1.xhtml']);
    assert.match(chapterOf('article-2'), /<h2 id="second-part"/);
  });

  it('makes any other relative link plain text, with a warning at its position', () => {
    const warnings = project.run.stderr.split('\n').filter((line) => / link-relative$/.test(line)).map((line) => /content\/essay\.md:(\d+:\d+) warning/.exec(line)?.[1]);
    assert.deepEqual(warnings, ['9:24', '9:54', '9:100']);
    for (const [name, text] of texts(essay)) {
      assert.ok(squash(text).includes(squash('Not published with it: my notes, a clipped page and the cover file.')), name);
    }
    for (const [name, targets] of Object.entries(linkTargets(essay))) {
      assert.ok(!targets.some((target) => /notes\/reading|archive|cover\.png/.test(target)), `${name}: ${targets.join(' ')}`);
    }
  });

  it('rebuilds a page whose link target left or rejoined the run', async () => {
    const alone = await runCli(['publish', '--offline', 'content/essay.md'], { cwd: project.dir });
    assert.equal(alone.code, 0, alone.stderr);
    assert.match(alone.stderr, /content\/essay\.md:6:\d+ warning Removed a relative link to other\.md/);
    const html = (await readOutputs(project.dir, 'essay')).html;
    assert.ok(!hrefs(html).some((href) => href.startsWith('other.')), 'other.md is not published in this run: no link to it');
    const together = await runCli(['publish', '--offline'], { cwd: project.dir });
    assert.equal(together.code, 0, together.stderr);
    assert.ok(hrefs((await readOutputs(project.dir, 'essay')).html).includes('other.html#second-part'));
  });
});

/** The darkest pixel (0 black … 255 white) of a box of a PDF page, as pdftoppm draws it at 150 dpi. */
async function darkest(file: string, page: number, box: { xMin: number; yMin: number; xMax: number; yMax: number }): Promise<number> {
  const scale = 150 / 72;
  const png = await toolBytes('pdftoppm', ['-png', '-r', '150', '-f', String(page), '-l', String(page), '-x', String(Math.floor(box.xMin * scale)), '-y', String(Math.floor(box.yMin * scale)), '-W', String(Math.ceil((box.xMax - box.xMin) * scale)), '-H', String(Math.ceil((box.yMax - box.yMin) * scale)), '-gray', file]);
  const { channels } = await sharp(png).stats();
  return channels[0]?.min ?? 255;
}

/** Word boxes of a PDF (pdftotext -bbox), in reading order. */
async function wordBoxes(file: string): Promise<Array<{ page: number; word: string; xMin: number; yMin: number; xMax: number; yMax: number }>> {
  const xml = await tool('pdftotext', ['-bbox', file, '-']);
  const words: Array<{ page: number; word: string; xMin: number; yMin: number; xMax: number; yMax: number }> = [];
  let page = 0;
  for (const line of xml.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/.exec(line);
    if (m) words.push({ page, word: m[5] ?? '', xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) });
  }
  return words;
}

describe('placeholders say what is missing and why', () => {
  let project: Project;
  let english: Outputs;
  let chinese: Outputs;
  let browser: Browser;
  before(async () => {
    // Not offline: 127.0.0.1 is refused by the address policy before any connection, the local
    // file is missing and the .invalid name never resolves (no network is reached).
    project = await publishFixture('fidelity/placeholders', ['--format', 'html,pdf,epub']);
    [english, chinese] = await Promise.all([readOutputs(project.dir, 'missing'), readOutputs(project.dir, 'quezhu')]);
    browser = await openBrowser();
  });
  after(async () => {
    await closeBrowser(browser);
    await project.remove();
  });

  it('publishes, with a warning for each missing image', () => {
    assert.equal(project.run.code, 0, project.run.stderr);
    assert.match(project.run.stderr, /missing\.md:8:1 warning .* image-refused/);
    assert.match(project.run.stderr, /missing\.md:12:1 warning .* image-unreachable/);
    assert.match(project.run.stderr, /missing\.md:17:1 warning .* image-unreachable/);
  });

  it('shows the alt text or the caption, and why, in every output', () => {
    const expected = [
      'own reason. The old mill by the river Image unavailable: refused by policy',
      // The caption right under the frame says what is missing: it is not repeated inside.
      'the bridge. Image unavailable: unreachable The stone bridge in winter Downstream',
      'boats pass. A ship on the river Image unavailable: unreachable',
    ];
    for (const [name, text] of texts(english)) {
      for (const line of expected) assert.ok(squash(text).includes(squash(line)), `${name}: “${line}” in\n${text}`);
    }
    for (const [name, text] of texts(chinese)) {
      assert.ok(squash(text).includes('旧磨坊图片无法获取：被安全策略拒绝'), `${name}: ${text}`);
    }
    assert.match(english.html, /<div class="image-placeholder" role="img" aria-label="Image unavailable: refused by policy\. The old mill by the river"/);
    // Its accessible name: the reason, then the one alternative the image has in every output.
    assert.match(english.html, /aria-label="Image unavailable: unreachable\. Image 2, described in its caption"/);
  });

  it('sets the placeholder text in the body text’s colour, on the page’s background, in HTML and EPUB', async () => {
    const dir = path.join(project.dir, 'epub-unzipped');
    for (const [entry, text] of english.epub) {
      await mkdir(path.dirname(path.join(dir, entry)), { recursive: true });
      await writeFile(path.join(dir, entry), Buffer.from(text, /\.(xhtml|opf|ncx|css|xml)$/.test(entry) ? 'utf8' : 'latin1'));
    }
    for (const url of [`file://${project.dir}/output/missing.html`, `file://${dir}/OEBPS/article.xhtml`]) {
      const page = await browser.newPage();
      try {
        await page.goto(url, { waitUntil: 'load' });
        const colours = await page.evaluate(() => {
          const colour = (selector: string, property: 'color' | 'backgroundColor'): string => {
            const node = document.querySelector(selector);
            return node ? getComputedStyle(node)[property] : 'missing';
          };
          return {
            body: colour('.article-body > p', 'color'),
            page: colour('body', 'backgroundColor'),
            description: colour('.image-placeholder-description', 'color'),
            label: colour('.image-placeholder-label', 'color'),
            frame: colour('.image-placeholder', 'backgroundColor'),
          };
        });
        assert.equal(colours.description, colours.body, `${url}: description`);
        assert.equal(colours.label, colours.body, `${url}: reason`);
        assert.ok(colours.frame === 'rgba(0, 0, 0, 0)' || colours.frame === colours.page, `${url}: frame background ${colours.frame}`);
      } finally {
        await page.close();
      }
    }
  });

  it('prints no empty colophon block for an article without colophon facts', async () => {
    const file = path.join(project.dir, 'output', 'missing.pdf');
    const words = await wordBoxes(file);
    const last = Math.max(...words.map((w) => w.page));
    const onLast = words.filter((w) => w.page === last);
    assert.deepEqual(onLast.map((w) => w.word), ['Missing', 'Pictures', 'Typeset', 'with', 'Imprint']);
    const title = onLast[0];
    const made = onLast[2];
    assert.ok(title && made);
    // Nothing is drawn between the title and the last line: no rules around an empty list.
    const between = await darkest(file, last, { xMin: 20, yMin: title.yMax + 1, xMax: 400, yMax: made.yMin - 1 });
    assert.ok(between > 240, `ink between the title and the last line (darkest ${between})`);
    const colophon = english.epub.get('OEBPS/colophon.xhtml') ?? '';
    assert.match(colophon, /Missing Pictures/);
    assert.doesNotMatch(colophon, /<dl|<dt|<dd/, 'EPUB: no empty list of facts');
    assert.doesNotMatch(english.html, /colophon/, 'HTML: no colophon');
  });

  it('prints the placeholder text as dark as the body text in the PDF', async () => {
    const file = path.join(project.dir, 'output', 'missing.pdf');
    const words = await wordBoxes(file);
    const find = (word: string): (typeof words)[number] => {
      const found = words.find((w) => w.word === word);
      assert.ok(found, `${word} is printed`);
      return found;
    };
    const body = await darkest(file, find('walk.').page, find('walk.'));
    for (const word of ['mill', 'refused', 'policy', 'unreachable']) {
      const box = find(word);
      const ink = await darkest(file, box.page, box);
      assert.ok(Math.abs(ink - body) <= 24, `${word}: darkest ${ink}, body text ${body}`);
    }
  });
});

describe('one date, from the article', () => {
  let project: Project;
  const outputs: Record<string, Outputs> = {};
  const info: Record<string, Record<string, string>> = {};
  // A build time no article here has: it may appear as dcterms:modified and nowhere else.
  const EPOCH = 1_600_000_000; // 2020-09-13T12:26:40Z
  before(async () => {
    project = await publishFixture('fidelity/dates', ['--offline'], { SOURCE_DATE_EPOCH: String(EPOCH) });
    for (const name of ['dated', 'dateline', 'undated']) {
      outputs[name] = await readOutputs(project.dir, name);
      info[name] = await pdfinfo(path.join(project.dir, 'output', `${name}.pdf`));
    }
  });
  after(() => project.remove());

  const opf = (name: string): string => outputs[name]?.epub.get('OEBPS/content.opf') ?? '';
  const dcDate = (name: string): string[] => [...opf(name).matchAll(/<dc:date>([^<]*)<\/dc:date>/g)].map((m) => m[1] ?? '');
  const modified = (name: string): string[] => [...opf(name).matchAll(/<meta property="dcterms:modified">([^<]*)<\/meta>/g)].map((m) => m[1] ?? '');
  const htmlDate = (name: string): string | undefined => /<meta name="date" content="([^"]*)">/.exec(outputs[name]?.html ?? '')?.[1];
  const colophon = (name: string): { pdf: string; epub: string } => {
    const pages = (outputs[name]?.pdfText ?? '').split('\f').filter((page) => page.trim() !== '');
    return { pdf: pages.at(-1) ?? '', epub: markupText(outputs[name]?.epub.get('OEBPS/colophon.xhtml') ?? '') };
  };

  it('publishes', () => {
    assert.equal(project.run.code, 0, project.run.stderr);
  });

  it('takes the front matter’s date, the same in HTML, PDF (metadata and colophon) and EPUB', () => {
    assert.equal(htmlDate('dated'), '2024-03-05');
    assert.match(info['dated']?.['CreationDate'] ?? '', /^2024-03-05T00:00:00/);
    assert.match(info['dated']?.['ModDate'] ?? '', /^2024-03-05T00:00:00/);
    assert.ok(squash(colophon('dated').pdf).includes('DateMarch5,2024'), colophon('dated').pdf);
    assert.ok(squash(colophon('dated').epub).includes('DateMarch5,2024'), colophon('dated').epub);
    assert.deepEqual(dcDate('dated'), ['2024-03-05']);
  });

  it('takes the date a clipping states with its year when the front matter has none', () => {
    assert.equal(htmlDate('dateline'), '2023-11-16');
    assert.match(info['dateline']?.['CreationDate'] ?? '', /^2023-11-16T00:00:00/);
    assert.ok(squash(colophon('dateline').pdf).includes('日期2023年11月16日'), colophon('dateline').pdf);
    assert.ok(squash(colophon('dateline').epub).includes('日期2023年11月16日'), colophon('dateline').epub);
    assert.deepEqual(dcDate('dateline'), ['2023-11-16']);
  });

  it('gives an article without a date none at all: no made-up date in any output', async () => {
    const checked = await epubcheck(path.join(project.dir, 'output', 'undated.epub'));
    assert.equal(checked.errors + checked.warnings + checked.fatals, 0, `an EPUB without dc:date is valid: ${checked.output}`);
    assert.equal(htmlDate('undated'), undefined);
    assert.equal(info['undated']?.['CreationDate'], undefined);
    assert.equal(info['undated']?.['ModDate'], undefined);
    assert.doesNotMatch(colophon('undated').pdf, /日期/);
    assert.doesNotMatch(colophon('undated').epub, /日期/);
    assert.deepEqual(dcDate('undated'), []);
  });

  it('writes the build time only as dcterms:modified, following SOURCE_DATE_EPOCH', () => {
    for (const name of ['dated', 'dateline', 'undated']) {
      assert.deepEqual(modified(name), ['2020-09-13T12:26:40Z'], `${name}: dcterms:modified`);
      const elsewhere = [outputs[name]?.html ?? '', outputs[name]?.pdfText ?? '', JSON.stringify(info[name]), ...[...(outputs[name]?.epub ?? new Map<string, string>())].filter(([entry]) => /\.(xhtml|ncx)$/.test(entry)).map(([, text]) => text)].join('\n');
      assert.doesNotMatch(elsewhere, /2020-09-13|13 September 2020|2020年9月13日/, `${name}: the build date nowhere else`);
      assert.doesNotMatch(opf(name).replace(/<meta property="dcterms:modified">[^<]*<\/meta>/, ''), /2020-09-13/, `${name}: nor elsewhere in the package`);
    }
  });
});

describe('a figure group is the images of one paragraph', () => {
  let project: Project;
  let outputs: Outputs;
  before(async () => {
    project = await publishFixture('fidelity/groups', ['--offline']);
    outputs = await readOutputs(project.dir, 'groups');
  });
  after(() => project.remove());

  /** Each figure of HTML or XHTML markup: its images' alt texts and its caption. */
  const figures = (markup: string): Array<{ alts: string[]; caption: string }> =>
    [...markup.matchAll(/<figure\b[^>]*>([\s\S]*?)<\/figure>/g)].map((m) => ({
      alts: [...(m[1] ?? '').matchAll(/<img [^>]*alt="([^"]*)"/g)].map((a) => a[1] ?? ''),
      caption: markupText(/<figcaption>([\s\S]*?)<\/figcaption>/.exec(m[1] ?? '')?.[1] ?? '').trim(),
    }));
  const expected = [
    { alts: ['Left', 'Right'], caption: 'Left and right' },
    { alts: ['Far away'], caption: '' },
    { alts: ['Further'], caption: 'Only the last picture' },
  ];

  it('publishes', () => {
    assert.equal(project.run.code, 0, project.run.stderr);
  });

  it('groups the images of one paragraph under their caption, and nothing further down, in HTML and EPUB', () => {
    assert.deepEqual(figures(outputs.html), expected, 'html');
    assert.deepEqual(figures(outputs.epub.get('OEBPS/article.xhtml') ?? ''), expected, 'epub');
    assert.match(outputs.html, /<figure class="figure figure-group">/);
  });

  it('tags the same figures in the PDF', async () => {
    const figuresInPdf = await pdfFigures(path.join(project.dir, 'output', 'groups.pdf'));
    // How many pictures each figure holds, and whether a caption stands with them (the PDF's alt
    // text may leave out what the caption already says).
    assert.deepEqual(
      figuresInPdf.map((figure) => ({ images: figure.alts.length, caption: figure.caption })),
      expected.map((figure) => ({ images: figure.alts.length, caption: figure.caption !== '' })),
    );
    assert.deepEqual(figuresInPdf.map((figure) => figure.alts.at(-1)), ['Right', 'Far away', 'Further']);
    // The caption stands under the last picture only.
    assert.ok(squash(outputs.pdfText).includes(squash('Some text between. Only the last picture')), outputs.pdfText);
  });
});

describe('an empty article', () => {
  let project: Project;
  before(async () => {
    project = await publishFixture('fidelity/empty', ['--offline']);
  });
  after(() => project.remove());

  it('fails with “nothing to publish” at its position, exit 1', () => {
    assert.equal(project.run.code, 1, project.run.stderr);
    const errors = project.run.stderr.split('\n').filter((line) => / article-empty$/.test(line)).map((line) => line.trim());
    assert.deepEqual(errors.sort(), [
      'content/front-matter-only.md:5:1 error Nothing to publish: the article has only front matter, no text article-empty',
      'content/whitespace.md:1:1 error Nothing to publish: the article is empty article-empty',
      'content/zero-bytes.md:1:1 error Nothing to publish: the article is empty article-empty',
    ]);
    assert.doesNotMatch(project.run.stderr, /\n\s+at |TypeError|Error:/, 'no stack trace');
    assert.match(project.run.stderr, /4 documents, 3 failed, 3 outputs/);
  });

  it('writes nothing for it, while the other document publishes all three outputs', async () => {
    assert.deepEqual(await outputFiles(project.dir), ['real.epub', 'real.html', 'real.pdf']);
    const real = await readOutputs(project.dir, 'real');
    for (const [name, text] of texts(real)) assert.ok(squash(text).includes(squash('This one has something to say.')), name);
  });
});

describe('a front-matter error', () => {
  let project: Project;
  before(async () => {
    project = await publishFixture('fidelity/yaml', ['--offline']);
  });
  after(() => project.remove());

  it('is reported at the character where YAML says it is: an unclosed [ on line 2, column 8', () => {
    assert.equal(project.run.code, 1, project.run.stderr);
    assert.match(project.run.stderr, /^ {2}content\/broken\.md:2:8 error Invalid YAML front matter: .* front-matter-yaml$/m);
  });

  it('draws its code frame with the marker under that character', () => {
    const lines = project.run.stderr.split('\n');
    const at = lines.findIndex((line) => line.includes('content/broken.md:2:8 error'));
    const frame = lines.slice(at + 1, at + 7);
    const marked = frame.findIndex((line) => /^\s*>\s*2 \| title: \[unclosed$/.test(line));
    assert.ok(marked >= 0, frame.join('\n'));
    const source = frame[marked] ?? '';
    const marker = frame[marked + 1] ?? '';
    assert.equal(marker.indexOf('^'), source.indexOf('['), `the caret stands under the [\n${source}\n${marker}`);
  });

  it('publishes nothing for that article, and all three outputs of the other', async () => {
    assert.deepEqual(await outputFiles(project.dir), ['fine.epub', 'fine.html', 'fine.pdf']);
    const fine = await readOutputs(project.dir, 'fine');
    for (const [name, text] of texts(fine)) assert.ok(squash(text).includes('Thisoneisfine.'), name);
  });
});
