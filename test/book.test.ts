/**
 * Books: a folder of the content folder with a book.yaml, published by the real `imprint` bin as
 * one HTML page, one PDF and one EPUB. The book (test/fixtures/book/digest) has three chapters: the
 * sample clipping (Chinese, its pictures offline placeholders), a second Chinese clipping with
 * local pictures, and an English essay with headings, footnotes and a table; book.recto is on.
 *
 * Checked as an editor would check a printed digest: the contents' page numbers against the
 * pages the chapters start on (the number printed in the page's foot, and its page label), the
 * running heads read off the head of every page (pdftotext -bbox), where notes stand, bookmarks,
 * the PDF/UA check; the EPUB with epubcheck and its navigation; the web page's links; rebuilds
 * byte for byte; and which changes rebuild the book.
 */
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { checkPdf } from '../src/check/pdf.js';
import { objectDict, objectValue, readPdf, writeWholeFile, type UpdatedObject } from '../src/pdf/incremental.js';
import { parseRef, writeDict } from '../src/pdf/incremental-syntax.js';
import type { JsonReport } from '../src/diagnostics/json-report.js';
import { fixturesDir } from './helpers/paths.js';
import { pageTexts, squash, words, type Word } from './helpers/pdf-layout.js';
import { epubcheck, runCli, tool, type CliResult } from './helpers/tools.js';

/** 2024-05-06 00:00 UTC: the book's own date, so rebuilds are stamped alike. */
const SDE = '1714953600';
const BOOK_TITLE = '每周文摘';
const CHAPTERS = [
  { file: '01-summit.md', title: '拜登谈中美会晤目标：希望中美关系重回正轨，危机时刻也能保持联系', author: '熊超然' },
  { file: '02-harbour.md', title: '东海渔港的清晨：一座小港的潮汐与生计', author: '林晓' },
  { file: '03-essay.md', title: 'On Footnotes, Running Heads and Other Devices', author: 'Ada Printer' },
];
/** A5: 420 × 595 pt; the margins (20 mm) hold the running head and the page number. */
const PAGE_HEIGHT = 595;
const MARGIN = 56;

/** A project with the book and its two local pictures (plain colours, drawn here). */
async function bookProject(root: string): Promise<string> {
  const project = await mkdtemp(path.join(root, 'project-'));
  const dir = path.join(project, 'content', 'digest');
  await cp(path.join(fixturesDir, 'book', 'digest'), dir, { recursive: true });
  await mkdir(path.join(dir, 'images'), { recursive: true });
  await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: 40, g: 90, b: 140 } } }).png().toFile(path.join(dir, 'images', 'harbour.png'));
  await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 160, g: 120, b: 60 } } }).png().toFile(path.join(dir, 'images', 'nets.png'));
  return project;
}

const publish = (project: string, args: string[] = []): Promise<CliResult> =>
  runCli(['publish', '--offline', ...args], { cwd: project, env: { SOURCE_DATE_EPOCH: SDE, CI: '1' }, timeoutMs: 240_000 });

function report(run: CliResult): JsonReport {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as JsonReport;
}

/** The text of the words in a band of a page (running head: above the text block; foot: below it). */
function band(all: readonly Word[], page: number, from: number, to: number): string {
  return all.filter((w) => w.page === page && w.yMin >= from && w.yMax <= to).map((w) => w.text).join(' ');
}
const head = (all: readonly Word[], page: number): string => band(all, page, 0, MARGIN);
const foot = (all: readonly Word[], page: number): string => band(all, page, PAGE_HEIGHT - MARGIN, PAGE_HEIGHT);

interface ContentsEntry {
  text: string;
  number: number;
}

/** The contents as pdftotext lays them out: each entry's text, its dot leader and its number. */
function contentsEntries(text: string): ContentsEntry[] {
  const entries: ContentsEntry[] = [];
  let pending = '';
  for (const line of text.split('\n').slice(1)) {
    const m = /^(.*?)\s*((?:\.\s*){3,})(\d+)\s*$/.exec(line);
    if (!m) {
      pending += `${line} `;
      continue;
    }
    entries.push({ text: squash(`${pending}${m[1] ?? ''}`), number: Number(m[3]) });
    pending = '';
  }
  return entries;
}

/** The page label of every page (qpdf --json), as viewers show it. */
async function pageLabels(file: string): Promise<string[]> {
  const json = JSON.parse(await tool('qpdf', ['--json', file])) as { pages: unknown[]; pagelabels: Array<{ index: number; label: Record<string, unknown> }> };
  const roman = (n: number): string => {
    const table: Array<[number, string]> = [[10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
    let out = '';
    for (const [value, letters] of table) while (n >= value) (out += letters), (n -= value);
    return out;
  };
  return json.pages.map((_, index) => {
    const range = [...json.pagelabels].reverse().find((r) => r.index <= index);
    if (!range) return String(index + 1);
    const first = Number(range.label['/St'] ?? 1) + index - range.index;
    const prefix = typeof range.label['/P'] === 'string' ? String(range.label['/P']).replace(/^u:/, '') : '';
    const style = range.label['/S'];
    return `${prefix}${style === '/r' ? roman(first) : style === '/D' ? String(first) : ''}`;
  });
}

interface Outline {
  title: string;
  kids: Outline[];
}

async function outlines(file: string): Promise<Outline[]> {
  const json = JSON.parse(await tool('qpdf', ['--json', file])) as { outlines: Outline[] };
  return json.outlines;
}

type Zip = Map<string, Uint8Array>;
const unzip = (bytes: Uint8Array): Zip => new Map(Object.entries(unzipSync(bytes)));
function entry(zip: Zip, name: string): string {
  const bytes = zip.get(name);
  assert.ok(bytes, `${name} is in the EPUB`);
  return new TextDecoder().decode(bytes);
}

describe('a book of three chapters (two Chinese clippings, an English essay)', () => {
  let root: string;
  let project: string;
  let run: CliResult;
  let out: string;
  let pdf: string;
  let texts: string[] = [];
  let all: Word[] = [];
  /** PDF page (1-based) each chapter starts on. */
  let starts: number[] = [];
  let pages = 0;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'imprint-book-'));
    project = await bookProject(root);
    run = await publish(project);
    out = path.join(project, 'output');
    pdf = path.join(out, 'digest.pdf');
    pages = Number(/Pages:\s+(\d+)/.exec(await tool('pdfinfo', [pdf]))?.[1] ?? 0);
    texts = await pageTexts(pdf, pages);
    all = await words(pdf);
    starts = CHAPTERS.map((chapter) => texts.findIndex((text) => squash(text).startsWith(squash(chapter.title))) + 1);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('is one document: output/digest.html, .pdf and .epub, and the chapters are not published one by one', async () => {
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((await readdir(out)).sort(), ['digest.epub', 'digest.html', 'digest.pdf']);
    assert.match(run.stderr, /^✔ content\/digest\/book\.yaml /m);
    // The summit chapter's 7 pictures are not in the cache (offline) and 3 of them are described by
    // nothing; the essay has one relative link that leads nowhere a reader has.
    assert.match(run.stderr, /^1 document, 0 failed, 3 outputs, 11 warnings, /m);
  });

  it('lists each chapter\'s diagnostics under the chapter\'s own file and position', () => {
    assert.match(run.stderr, /^content\/digest\/01-summit\.md: 10 warnings$/m);
    assert.match(run.stderr, /^ {2}content\/digest\/01-summit\.md:30:1 warning .* image-no-alt$/m);
    assert.match(run.stderr, /^ {2}content\/digest\/01-summit\.md:17:1 warning .* image-uncached$/m);
    assert.doesNotMatch(run.stderr, /02-harbour\.md:\d+:\d+ warning/, 'the second clipping\'s pictures are there, its link to the essay is a chapter');
    // A relative link to a file that is neither a chapter nor a document of the run leads nowhere a reader has.
    assert.match(run.stderr, /^ {2}content\/digest\/03-essay\.md:64:77 warning Removed a relative link to \.\.\/notebook\.md.* link-relative$/m);
  });

  it('PDF: a title page, then the contents, then each chapter on a right-hand (odd) page of its own', () => {
    assert.match(squash(texts[0] ?? ''), new RegExp(`^${BOOK_TITLE}第一期`), 'the title page first');
    assert.match(squash(texts[0] ?? ''), /文摘编辑部编/);
    assert.equal(squash(texts[1] ?? ''), '', 'the title page\'s back is blank');
    assert.match(squash(texts[2] ?? ''), /^目录/);
    assert.ok(starts.every((p) => p > 3), `every chapter found at the top of a page: ${starts.join(', ')}`);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'in the order of book.yaml');
    for (const [i, start] of starts.entries()) {
      assert.equal(start % 2, 1, `chapter ${i + 1} starts on a right-hand page (PDF page ${start})`);
      // The page before is the previous chapter's last page, or a blank left-hand page.
      const before = squash(texts[start - 2] ?? '');
      if (before === '') assert.equal((start - 1) % 2, 0, 'a blank page is a left-hand page');
    }
  });

  it('PDF: the contents list each chapter with a dot leader and the number printed on the page it starts on', async () => {
    const entries = contentsEntries(texts[2] ?? '');
    assert.equal(entries.length, 3, texts[2]);
    const labels = await pageLabels(pdf);
    entries.forEach((item, i) => {
      const chapter = CHAPTERS[i]!;
      assert.ok(item.text.startsWith(squash(chapter.title).slice(0, 12)) && item.text.includes(squash(chapter.author)), `entry ${i + 1}: ${item.text}`);
      const start = starts[i]!;
      assert.equal(squash(foot(all, start)), String(item.number), `the foot of PDF page ${start} prints ${item.number}`);
      assert.equal(labels[start - 1], String(item.number), `PDF page ${start} is labelled ${item.number}`);
    });
    assert.equal(entries[0]?.number, 1, 'the first chapter is page 1');
    assert.deepEqual(labels.slice(0, 4), ['i', 'ii', 'iii', 'iv'], 'the front matter is numbered in roman in the page labels');
    for (const p of [1, 2, 3]) assert.equal(squash(foot(all, p)), '', `front matter page ${p} prints no number`);
  });

  it('PDF: the running head is the book\'s title on left-hand pages and the chapter\'s title on right-hand pages', () => {
    const ends = [...starts.slice(1).map((s) => s - 1), texts.findIndex((t) => squash(t).includes('收录文章'))];
    let left = 0;
    let right = 0;
    starts.forEach((start, i) => {
      assert.equal(head(all, start), '', `no running head above chapter ${i + 1}'s title`);
      for (let p = start + 1; p <= ends[i]!; p++) {
        if (squash(texts[p - 1] ?? '') === '') continue;
        const expected = p % 2 === 0 ? BOOK_TITLE : CHAPTERS[i]!.title;
        assert.equal(squash(head(all, p)), squash(expected), `the head of PDF page ${p} (${p % 2 === 0 ? 'left' : 'right'})`);
        if (p % 2 === 0) left++;
        else right++;
      }
    });
    assert.ok(left >= 3 && right >= 3, `checked left (${left}) and right (${right}) pages`);
    for (const p of [1, 3]) assert.equal(head(all, p), '', `no running head on front matter page ${p}`);
  });

  it('PDF: note numbers start again at 1 in each chapter, and each note stands at the foot of the page of its mark', async () => {
    const struct = await tool('pdfinfo', ['-struct', pdf]);
    const ids = [...struct.matchAll(/Note <(c\d)-note-(\d+)>/g)].map((m) => `${m[1]}-${m[2]}`);
    // (In reading order, which may put a figure's note after the text that follows the figure in print.)
    // (The harbour's one source note: its pictures are local files, which get none.)
    assert.deepEqual(ids.filter((id) => id.startsWith('c2-')).sort(), ['c2-1']);
    assert.deepEqual(ids.filter((id) => id.startsWith('c3-')).sort(), ['c3-1', 'c3-2', 'c3-3']);
    // (The sample clipping's seven pictures, each a figure with its source note, as when it is published alone.)
    assert.equal(ids.filter((id) => id.startsWith('c1-')).length, 7);
    // The essay's notes: the mark (a small number in the text) and the note's first words, on one page, the note below.
    const essay = all.filter((w) => w.page >= starts[2]!);
    for (const [n, first] of [[1, 'history'], [2, 'Noël'], [3, 'convention']] as const) {
      const note = essay.find((w) => w.text === first && w.yMin > PAGE_HEIGHT / 2);
      assert.ok(note, `note ${n} is printed low on a page`);
      // A mark is set smaller than the note's own text.
      const marks = essay.filter((w) => w.page === note.page && w.text === String(n) && w.yMax - w.yMin < 0.95 * (note.yMax - note.yMin) && w.yMax < note.yMin);
      assert.ok(marks.length > 0, `note ${n}'s mark is on its page (${note.page}), above it`);
    }
  });

  it('PDF: nested bookmarks (book → chapter → headings)', async () => {
    const [book, ...rest] = await outlines(pdf);
    assert.equal(rest.length, 0, 'one root: the book');
    assert.equal(book?.title, BOOK_TITLE);
    const titles = (book?.kids ?? []).map((kid) => squash(kid.title));
    for (const chapter of CHAPTERS) assert.ok(titles.includes(squash(chapter.title)), `${chapter.title} in ${titles.join(' | ')}`);
    // The essay's title wraps on its page; its bookmark keeps the space at the wrap.
    const essay = book?.kids.find((kid) => kid.title === CHAPTERS[2]!.title);
    assert.ok(essay, `the essay's bookmark reads as its title: ${(book?.kids ?? []).map((kid) => kid.title).join(' | ')}`);
    assert.deepEqual(essay?.kids.map((kid) => kid.title), ['The running head', 'The footnote', 'The table of contents']);
    assert.deepEqual(essay?.kids[0]?.kids.map((kid) => kid.title), ['Left and right']);
  });

  it('PDF: one tagged structure, an Art per chapter opening with its title, that passes the PDF/UA-1 check', async () => {
    const checked = await checkPdf(pdf);
    assert.deepEqual(checked.problems.map((p) => `${p.ruleId}: ${p.reason}`), []);
    assert.equal(checked.facts?.structure?.types['Art'], 3);
    const struct = await tool('pdfinfo', ['-struct', pdf]);
    const top = struct.split('\n').filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(' ')[0]);
    assert.deepEqual(top, ['Div', 'Div', 'Art', 'Art', 'Art', 'Div'], 'title page, contents, three chapters, colophon');
    const heads = struct.split('\n').filter((line) => /^ {2}Art/.test(line)).length;
    assert.equal(heads, 3);
    assert.match(await tool('qpdf', ['--check', pdf]), /No syntax or stream encoding errors found/);
  });

  it('PDF: the checker names a chapter that does not open with its title (in a broken copy)', async () => {
    const source = readPdf(await readFile(pdf));
    const objects: UpdatedObject[] = [];
    for (const [num, xref] of [...source.xref].sort((a, b) => a[0] - b[0])) {
      const ref = { num, gen: xref.gen };
      if (!/\/S \/H2\b/.test(objectValue(source, ref))) continue;
      const dict = new Map(objectDict(source, ref).dict);
      const parent = parseRef(dict.get('/P'));
      if (!parent || !/\/S \/Art\b/.test(objectValue(source, parent))) continue;
      dict.set('/S', '/P');
      objects.push({ ref, body: Buffer.from(writeDict(dict), 'latin1') });
    }
    assert.equal(objects.length, 3, 'the three chapter titles');
    const broken = path.join(root, 'broken.pdf');
    const trailer = new Map([['/Root', source.trailer.get('/Root') as string], ['/Info', source.trailer.get('/Info') as string]]);
    await writeFile(broken, writeWholeFile(source, objects.slice(1), new Set(), trailer, '1.7').bytes);
    const problems = (await checkPdf(broken)).problems;
    assert.ok(problems.some((p) => p.ruleId === 'pdf-article-structure' && /Art 2, Art 3 does not open with a heading/.test(p.reason)), problems.map((p) => p.reason).join('\n'));
  });

  it('PDF: the colophon keeps each chapter\'s author, source and rights', () => {
    const colophon = squash(texts.find((t) => squash(t).includes('收录文章')) ?? '');
    for (const fact of ['熊超然·观察者网', '本文系观察者网独家稿件', '林晓·海港日报', 'https://example.org/essays/devices', '©2024AdaPrinter.Allrightsreserved.']) {
      assert.ok(colophon.includes(fact), `the colophon has ${fact}`);
    }
    const essay = squash(texts[starts[2]! - 1] ?? '');
    assert.ok(essay.includes('AdaPrinter') && essay.includes('Source:https://example.org/essays/devices'), 'and the chapter shows them under its title');
  });

  it('EPUB: epubcheck 0 errors and 0 warnings; cover, contents, one document per chapter, colophon', async () => {
    const checked = await epubcheck(path.join(out, 'digest.epub'));
    assert.equal(checked.fatals + checked.errors + checked.warnings, 0, checked.output);
    const zip = unzip(await readFile(path.join(out, 'digest.epub')));
    const opf = entry(zip, 'OEBPS/content.opf');
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(spine, ['cover', 'nav', 'article-1', 'article-2', 'article-3', 'colophon']);
    assert.match(opf, /<dc:creator id="editor">文摘编辑部<\/dc:creator>/);
    assert.match(opf, /<meta property="role" refines="#editor" scheme="marc:relators">edt<\/meta>/);
    for (const [i, chapter] of CHAPTERS.entries()) {
      const xhtml = entry(zip, `OEBPS/article-${i + 1}.xhtml`);
      assert.match(xhtml, new RegExp(`<meta name="author" content="${chapter.author}"/>`), `chapter ${i + 1}'s author in its metadata`);
      assert.match(xhtml, /<div class="chapter-credits">/, `chapter ${i + 1}'s credits under its title`);
    }
    assert.match(entry(zip, 'OEBPS/article-3.xhtml'), /<meta name="dcterms.source" content="https:\/\/example.org\/essays\/devices"\/>/);
    assert.match(entry(zip, 'OEBPS/article-2.xhtml'), /<meta name="dcterms.rights" content="本文系海港日报独家稿件，未经授权，不得转载。"\/>/);
    assert.match(entry(zip, 'OEBPS/article-3.xhtml'), /<a href="article-2.xhtml">Dawn at the fishing port<\/a>/, 'a link to another chapter stays inside the book');
    assert.match(entry(zip, 'OEBPS/article-2.xhtml'), /<a href="article-3.xhtml#the-footnote">英文随笔<\/a>/, 'at the element its fragment names');
    assert.match(entry(zip, 'OEBPS/article-3.xhtml'), /longer list in a notebook, which/, 'a link to a file beside the book is its text');
    assert.match(entry(zip, 'OEBPS/colophon.xhtml'), /Ada Printer[\s\S]*© 2024 Ada Printer/);
  });

  it('EPUB: the navigation nests each chapter\'s headings under its title, with landmarks', async () => {
    const zip = unzip(await readFile(path.join(out, 'digest.epub')));
    const nav = entry(zip, 'OEBPS/toc.xhtml');
    const toc = /<nav id="toc"[^>]*>.*?<\/nav>/s.exec(nav)?.[0] ?? '';
    const top = [...toc.matchAll(/<li><a href="([^"#]+)">/g)].map((m) => m[1]);
    assert.deepEqual(top, ['cover.xhtml', 'toc.xhtml', 'article-1.xhtml', 'article-2.xhtml', 'article-3.xhtml', 'colophon.xhtml']);
    assert.ok(toc.includes('<a href="article-3.xhtml#the-running-head">The running head</a><ol><li><a href="article-3.xhtml#left-and-right">Left and right</a></li></ol>'), toc);
    const landmarks = [...nav.matchAll(/epub:type="([a-z-]+)" href="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(landmarks, ['cover cover.xhtml', 'toc toc.xhtml', 'bodymatter article-1.xhtml', 'colophon colophon.xhtml']);
  });

  it('web page: one self-contained page, its contents linked to the chapters, each chapter an <article>', async () => {
    const html = await readFile(path.join(out, 'digest.html'), 'utf8');
    assert.equal((html.match(/<article class="article chapter"/g) ?? []).length, 3);
    const contents = /<nav class="book-contents"[^>]*>.*?<\/nav>/s.exec(html)?.[0] ?? '';
    assert.deepEqual([...contents.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]), ['c1', 'c2', 'c3']);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, 'every id once, though every chapter numbers its notes from 1');
    for (const [, target] of html.matchAll(/href="#([^"]+)"/g)) assert.ok(ids.includes(target), `#${target} exists`);
    assert.match(html, /<a href="#c3-the-footnote">英文随笔<\/a>/, 'a link to another chapter points inside the page, at the element its fragment names');
    assert.match(html, /<a href="#c2">Dawn at the fishing port<\/a>/, 'or at the chapter\'s title');
    assert.match(html, /longer list in a notebook, which/, 'a link to a file beside the book is its text');
    assert.doesNotMatch(html, /<(img|link|script)[^>]+(src|href)="(?!data:|#|https?:)/, 'nothing loaded from beside the page');
    assert.match(html, /<img [^>]*src="data:image\/png;base64,/);
    assert.deepEqual([...html.matchAll(/<h1[ >]/g)].length, 1, 'the book\'s title is the one h1');
    assert.match(html, /<footer class="book-footer"><p class="book-rights">本合集仅供测试使用。<\/p><\/footer>/, 'the book\'s rights close the page');
  });

  it('imprint check takes the book\'s folder for its outputs', async () => {
    const checked = await runCli(['check', 'content/digest', '--json'], { cwd: project });
    assert.equal(checked.code, 0, checked.stderr);
    const json = JSON.parse(checked.stdout) as { outputs: Array<{ path: string; status: string }> };
    assert.deepEqual(json.outputs.map((o) => [o.path, o.status]), [['output/digest.pdf', 'passed'], ['output/digest.epub', 'passed'], ['output/digest.html', 'passed']]);
  });

  it('PDF: a link to another chapter goes to the element its fragment names in the book, and no link leads to a file', async () => {
    const raw = (await tool('qpdf', ['--qdf', '--object-streams=disable', pdf, '-'])).toString();
    assert.match(raw, /\/Dest \/c3-the-footnote\b/, 'the harbour clipping\'s link to the essay\'s section');
    assert.match(raw, /^\s*\/c3-the-footnote \[\s*\d+ 0 R\s+\/XYZ/m, 'a destination of the document (its /Dests), on a page');
    assert.doesNotMatch(raw, /\/S \/GoToR|\/URI \([^)]*(?:\.pdf|\.md|notebook)/, 'no go-to-file action, no URI to a file');
  });

  it('PDF: nothing in it is named after a build\'s own state: Chromium\'s DOM node numbers, the page server\'s address', async () => {
    const qdf = path.join(root, 'digest-qdf.pdf');
    await tool('qpdf', ['--qdf', '--object-streams=disable', pdf, qdf]);
    const raw = (await readFile(qdf)).toString('latin1');
    assert.doesNotMatch(raw, /\(node\d+\)/);
    assert.doesNotMatch(raw, /imprint\.invalid/, 'no link to the page server');
    // A local picture is a file of the editor's, not a source: no note names its path (its credit stays in the caption).
    assert.doesNotMatch(squash(texts.join('')), /images\/harbour\.png/);
    assert.match(squash(texts.join('')), /清晨的渔港，渔船在退潮前陆续靠岸。图自海港日报/);
    assert.match(raw, /\/ID \(cell-1\)/, 'the table\'s header cells have IDs of their own');
    assert.match(raw, /\/Headers \[\s*\(cell-1\)/, 'which its data cells name');
  });

  it('rebuilds byte for byte (SOURCE_DATE_EPOCH) in another folder', async () => {
    const again = await bookProject(root);
    const second = await publish(again);
    assert.equal(second.code, 0, second.stderr);
    for (const ext of ['html', 'pdf', 'epub']) {
      const a = await readFile(path.join(out, `digest.${ext}`));
      const b = await readFile(path.join(again, 'output', `digest.${ext}`));
      assert.ok(a.equals(b), `digest.${ext} is byte-identical`);
    }
  });

  it('is one document for incremental builds: up to date until book.yaml, a chapter or a picture changes', async () => {
    const skipped = (json: JsonReport): boolean[] => json.documents.flatMap((d) => d.outputs.map((o) => o.skipped === true));
    const noop = report(await publish(project, ['--json']));
    assert.equal(noop.documents.length, 1);
    assert.deepEqual(skipped(noop), [true, true, true], 'nothing changed: every output up to date');
    assert.equal(noop.browserLaunched, false);
    assert.equal(noop.totals.warnings, 11, 'the chapters\' warnings are reported again');

    const dir = path.join(project, 'content', 'digest');
    await writeFile(path.join(dir, '02-harbour.md'), `${await readFile(path.join(dir, '02-harbour.md'), 'utf8')}\n追记：本文有改动。\n`);
    assert.deepEqual(skipped(report(await publish(project, ['--json', '--format', 'html']))), [false], 'a chapter changed');
    assert.deepEqual(skipped(report(await publish(project, ['--json', '--format', 'html']))), [true]);
    await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 10, g: 160, b: 60 } } }).png().toFile(path.join(dir, 'images', 'nets.png'));
    assert.deepEqual(skipped(report(await publish(project, ['--json', '--format', 'html']))), [false], 'a chapter\'s picture changed');
    await writeFile(path.join(dir, 'book.yaml'), (await readFile(path.join(dir, 'book.yaml'), 'utf8')).replace('第一期', '第二期'));
    assert.deepEqual(skipped(report(await publish(project, ['--json', '--format', 'html']))), [false], 'book.yaml changed');
    await writeFile(path.join(dir, '04-new.md'), '# 新的一篇\n\n正文。\n');
    assert.deepEqual(skipped(report(await publish(project, ['--json', '--format', 'html']))), [true], 'a Markdown file book.yaml does not list is no chapter');
  });
});

describe('a book without book.recto', () => {
  let root: string;
  let texts: string[] = [];
  let labels: string[] = [];
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'imprint-book-'));
    const project = await bookProject(root);
    const yaml = path.join(project, 'content', 'digest', 'book.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace(/book:\n {2}recto: true\n/, ''));
    const run = await publish(project, ['--format', 'pdf']);
    assert.equal(run.code, 0, run.stderr);
    const pdf = path.join(project, 'output', 'digest.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(await tool('pdfinfo', [pdf]))?.[1] ?? 0);
    texts = await pageTexts(pdf, pages);
    labels = await pageLabels(pdf);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('has no blank pages: the contents follow the title page, each chapter the page after the last one', () => {
    const blank = texts.map((t, i) => (squash(t) === '' ? i + 1 : 0)).filter(Boolean);
    assert.deepEqual(blank, []);
    assert.match(squash(texts[1] ?? ''), /^目录/);
    const starts = CHAPTERS.map((chapter) => texts.findIndex((text) => squash(text).startsWith(squash(chapter.title))) + 1);
    assert.equal(starts[0], 3);
    const entries = contentsEntries(texts[1] ?? '');
    assert.deepEqual(entries.map((e) => e.number), starts.map((s) => Number(labels[s - 1])), 'the contents\' numbers are the starting pages\' labels');
    assert.deepEqual(entries.map((e) => e.number), starts.map((s) => s - 2), 'numbered from the first chapter');
  });
});

describe('book.yaml problems', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'imprint-book-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('are errors at their line and column with a code frame, like the configuration\'s; nothing is written', async () => {
    const project = await bookProject(root);
    const yaml = path.join(project, 'content', 'digest', 'book.yaml');
    await writeFile(yaml, 'title: 周刊\ntitel: 拼错\nchapters:\n  - 01-summit.md\n  - 99-missing.md\n');
    const bad = await publish(project);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /^ {2}content\/digest\/book\.yaml:2:1 error unknown key "titel" \(did you mean "title"\?\).* book-yaml$/m);
    assert.match(bad.stderr, /^ {4}> 2 \| titel: 拼错$/m, 'with a code frame');
    assert.doesNotMatch(bad.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
    await writeFile(yaml, 'title: 周刊\nchapters:\n  - 01-summit.md\n  - 99-missing.md\n');
    const missing = await publish(project);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /book\.yaml:4:5 error chapters\[1\]: "99-missing\.md" does not exist .* book-chapters$/m);
    assert.match(missing.stderr, /^ {4}> 4 \| {3}- 99-missing\.md$/m);
    await assert.rejects(readdir(path.join(project, 'output')), 'no output folder: nothing written');
  });

  it('a chapter that cannot be parsed fails the book, at the chapter\'s own line', async () => {
    const project = await bookProject(root);
    await writeFile(path.join(project, 'content', 'digest', '02-harbour.md'), '---\ntitle: [broken\n---\n\n正文。\n');
    const bad = await publish(project, ['--format', 'html']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^ {2}content\/digest\/02-harbour\.md:\d+:\d+ error Invalid YAML front matter/m);
    assert.match(bad.stderr, /^✖ content\/digest\/book\.yaml/m);
  });

  it('a chapter with nothing to publish fails the book, at the chapter\'s own position; nothing is written', async () => {
    const project = await bookProject(root);
    await writeFile(path.join(project, 'content', 'digest', '02-harbour.md'), '');
    const bad = await publish(project, ['--format', 'html']);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /^ {2}content\/digest\/02-harbour\.md:1:1 error Nothing to publish: the article is empty article-empty$/m);
    assert.match(bad.stderr, /^✖ content\/digest\/book\.yaml/m);
    await assert.rejects(readdir(path.join(project, 'output')), 'no output folder: nothing written');
  });
});

describe('imprint init --book', () => {
  it('starts a book that publishes', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'imprint-book-'));
    try {
      const made = await runCli(['init', '--book', 'Reading List', '--lang', 'en'], { cwd: root });
      assert.equal(made.code, 0, made.stderr);
      const yaml = await readFile(path.join(root, 'content', 'reading-list', 'book.yaml'), 'utf8');
      assert.match(yaml, /^title: Reading List$/m);
      await readFile(path.join(root, 'content', 'reading-list', '01-chapter.md'), 'utf8');
      const again = await runCli(['init', '--book', 'Reading List'], { cwd: root });
      assert.equal(again.code, 2, 'an existing book is not overwritten');
      const published = await runCli(['publish', '--format', 'html', '--json'], { cwd: root });
      const json = report(published);
      assert.deepEqual(json.documents.map((d) => [d.source, d.outputs.map((o) => o.path)]), [['content/reading-list/book.yaml', ['output/reading-list.html']]]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
