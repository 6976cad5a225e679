/**
 * The `imprint` command line, run as a user runs it: the real bin as a child process, in a
 * throw-away project folder with its own content/ and output folder.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { VFile } from 'vfile';
import { configFields, describeField } from '../src/config/reference.js';
import { updateDocs } from '../src/cli/docs.js';
import { createProgram } from '../src/cli/program.js';
import { resolveConfig } from '../src/config/schema.js';
import { articleConfig } from '../src/config/merge.js';
import { repoRoot } from './helpers/paths.js';
import { epubcheck, pdfinfo, runCli, type CliResult } from './helpers/tools.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?\n/;
const packageVersion = (JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

const temps: string[] = [];
after(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** A project folder with the given files (paths relative to it). */
async function project(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imprint-cli-'));
  temps.push(dir);
  await mkdir(path.join(dir, 'content'), { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), body);
  }
  return dir;
}

const article = (title: string, body: string, extra = ''): string => `---\ntitle: ${title}\nlang: en\n${extra}---\n\n${body}\n`;

/** Page size in points from pdfinfo ("594.96 x 841.92 pts (A4)"). */
async function pageSize(file: string): Promise<{ width: number; height: number }> {
  const [width, height] = ((await pdfinfo(file))['Page size'] ?? '').split(/\s*x\s*|\s+pts/).map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}

const near = (actual: { width: number; height: number }, width: number, height: number): boolean =>
  Math.abs(actual.width - width) < 1.5 && Math.abs(actual.height - height) < 1.5;
// ISO A4 210 × 297 mm, A5 148 × 210 mm, US Letter 8.5 × 11 in, in points.
const A4 = [595.28, 841.89] as const;
const A5 = [419.53, 595.28] as const;
const LETTER = [612, 792] as const;

describe('imprint --help and --version', () => {
  it('--help lists the commands, the publish options with the config descriptions, and the exit codes', async () => {
    const run = await runCli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const command of ['publish', 'preview', 'init', 'check', 'config']) assert.match(run.stdout, new RegExp(`^\\s+${command}\\b`, 'm'));
    for (const flag of ['--format', '--out', '--theme', '--page-size', '--offline', '--concurrency', '--json', '--quiet', '--verbose', '--help', '--version']) {
      assert.ok(run.stdout.includes(flag), `help mentions ${flag}`);
    }
    // Flags that set a config field are described by the schema's own description.
    const offline = describeField(['offline']) ?? '';
    assert.ok(offline.length > 0);
    // Help text is wrapped to the terminal's width: compare with the white space folded.
    const folded = run.stdout.replace(/\s+/g, ' ').toLowerCase();
    assert.ok(folded.includes(offline.toLowerCase().replace(/\.$/, '')), 'the --offline help is the schema description');
    assert.match(run.stdout, /Exit codes: 0 .*1 .*2 /);
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), packageVersion);
  });

  it('each command has its own help', async () => {
    const run = await runCli(['preview', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Usage: imprint preview/);
    assert.match(run.stdout, /--port <n>/);
  });
});

describe('publish command lines as commander reads them', () => {
  const sink = { write: (): boolean => true };
  type Read = { files: string[]; flags: Record<string, unknown> };

  /** The files and flags the publish action receives for `argv`. */
  async function publishReads(argv: readonly string[]): Promise<Read | undefined> {
    const { program } = createProgram({ cwd: process.cwd(), env: {}, stdout: sink, stderr: sink, version: '0.0.0' });
    let read: Read | undefined;
    const publish = program.commands.find((c) => c.name() === 'publish');
    assert.ok(publish);
    publish.action((files: string[], flags: Record<string, unknown>) => {
      read = { files, flags: { ...flags } };
    });
    await program.parseAsync([...argv], { from: 'user' });
    return read;
  }

  const cases: Array<[string[], Read]> = [
    [[], { files: [], flags: {} }],
    [['publish'], { files: [], flags: {} }],
    [['publish', '--offline'], { files: [], flags: { offline: true } }],
    [['--offline'], { files: [], flags: { offline: true } }],
    [['a.md'], { files: ['a.md'], flags: {} }],
    [['a.md', 'notes/b.md', '--offline'], { files: ['a.md', 'notes/b.md'], flags: { offline: true } }],
    [['--offline', 'a.md', 'content'], { files: ['a.md', 'content'], flags: { offline: true } }],
    [['publish', 'a.md', '-f', 'pdf,epub', '--out', 'dist'], { files: ['a.md'], flags: { format: ['pdf', 'epub'], out: 'dist' } }],
    [['--format=html', '--out=public', '--theme', 'classic'], { files: [], flags: { format: ['html'], out: 'public', theme: 'classic' } }],
    [['-f', 'PDF, html ,pdf'], { files: [], flags: { format: ['pdf', 'html'] } }],
    [['-o', 'x', '-t', 'classic', '-c', '3', '--json'], { files: [], flags: { out: 'x', theme: 'classic', concurrency: 3, json: true } }],
    [['--page-size', 'a4'], { files: [], flags: { pageSize: 'A4' } }],
    [['--page-size=150mmx220mm', '--offline', '--preview'], { files: [], flags: { pageSize: { width: '150mm', height: '220mm' }, offline: true, preview: true } }],
    [['--browser-endpoint', 'ws://127.0.0.1:9222/devtools/browser/abc'], { files: [], flags: { browserEndpoint: 'ws://127.0.0.1:9222/devtools/browser/abc' } }],
    [['--config', 'other.config.yaml', '-q'], { files: [], flags: { config: 'other.config.yaml', quiet: true } }],
    [['-v', 'a.md'], { files: ['a.md'], flags: { verbose: true } }],
    [['--out', 'a', '--out', 'b'], { files: [], flags: { out: 'b' } }],
    [['--out='], { files: [], flags: { out: '' } }],
    [['publish', '--quiet', '--json', 'x.md'], { files: ['x.md'], flags: { quiet: true, json: true } }],
  ];
  for (const [argv, expected] of cases) {
    it(`reads \`imprint ${argv.join(' ')}\``, async () => {
      assert.deepEqual(await publishReads(argv), expected);
    });
  }
});

describe('usage errors exit with 2 and show the usage line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['--bogus'], /unknown option '--bogus'/],
    ['an unknown format', ['publish', '--format', 'html,docx'], /unknown format "docx"/],
    ['a concurrency of 0', ['publish', '--concurrency', '0'], /from 1 to 32/],
    ['a bad page size', ['publish', '--page-size', 'A3'], /A4, A5, B5, Letter or WIDTHxHEIGHT/],
    ['init without a name', ['init'], /missing required argument 'name'/],
    ['a file that is not Markdown', ['publish', 'notes.txt'], /notes\.txt/],
    ['a theme that does not exist', ['publish', '--theme', 'nope'], /theme "nope" not found/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const cwd = await project({ 'content/a.md': article('A', 'Text.'), 'notes.txt': 'x' });
      const run = await runCli(args, { cwd });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: imprint/);
      assert.doesNotMatch(run.stderr, STACK_TRACE);
      assert.equal(await stat(path.join(cwd, 'output')).catch(() => undefined), undefined, 'nothing published');
    });
  }

  it('--json still prints JSON for a usage error', async () => {
    const cwd = await project({ 'content/a.md': article('A', 'Text.') });
    const run = await runCli(['--json', '--format', 'docx'], { cwd });
    assert.equal(run.code, 2, run.stderr);
    const report = JSON.parse(run.stdout) as { ok: boolean; exitCode: number; error: { kind: string } };
    assert.deepEqual([report.ok, report.exitCode, report.error.kind], [false, 2, 'usage']);
  });
});

describe('an invalid config file', () => {
  it('YAML: exits 2 with the file, line, column and a code frame, and publishes nothing', async () => {
    const config = ['formats: [html]', 'page:', '  size: A3', 'themee: classic', ''].join('\n');
    const cwd = await project({ 'content/a.md': article('A', 'Text.'), 'imprint.config.yaml': config });
    const run = await runCli(['--out', 'out'], { cwd });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /imprint\.config\.yaml:3:9 error page\.size: "A3" is not valid/);
    assert.match(run.stderr, /> 3 \|   size: A3\n\s+\|\s+\^/, 'a code frame with a caret under the value');
    assert.match(run.stderr, /imprint\.config\.yaml:4:1 error unknown key "themee" \(did you mean "theme"\?\)/);
    assert.doesNotMatch(run.stderr, STACK_TRACE);
    assert.equal(await stat(path.join(cwd, 'out')).catch(() => undefined), undefined);
  });

  it('JSON with a syntax error points at it', async () => {
    const cwd = await project({ 'content/a.md': article('A', 'Text.'), 'imprint.config.json': '{\n  "out": "o",\n  "formats": ["html",]\n}\n' });
    const run = await runCli([], { cwd });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /imprint\.config\.json:3:\d+ error invalid JSON/);
    assert.match(run.stderr, /> 3 \|/);
  });

  it('--json reports it as JSON with its position', async () => {
    const cwd = await project({ 'content/a.md': article('A', 'Text.'), 'imprint.config.json': '{\n  "out": 5\n}\n' });
    const run = await runCli(['--json'], { cwd });
    assert.equal(run.code, 2, run.stderr);
    const report = JSON.parse(run.stdout) as { error: { kind: string; file: string; line: number; column: number } };
    assert.deepEqual(report.error, { ...report.error, kind: 'config', file: 'imprint.config.json', line: 2, column: 10 });
  });

  it('a TS config is compiled and checked too (defineConfig from imprint)', async () => {
    const config = "import { defineConfig } from 'imprint';\nexport default defineConfig({\n  out: 'ts-out',\n  formats: ['html', 'docx' as 'pdf'],\n});\n";
    const cwd = await project({ 'content/a.md': article('A', 'Text.'), 'imprint.config.ts': config });
    const run = await runCli([], { cwd });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /imprint\.config\.ts:4:\d+ error formats\[1\]: "docx" is not one of "html", "pdf", "epub"/);
  });
});

describe('publishing', () => {
  it('a valid TS config is used: defineConfig, its out folder and formats', async () => {
    const config = "import { defineConfig } from 'imprint';\nexport default defineConfig({ out: 'ts-out', formats: ['html'] });\n";
    const cwd = await project({ 'content/a.md': article('Typed config', 'Text.'), 'imprint.config.ts': config });
    const run = await runCli([], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readdir(path.join(cwd, 'ts-out')), ['a.html']);
    assert.deepEqual((await readdir(cwd)).filter((f) => f.endsWith('.mjs')), [], 'no compiled config left behind');
  });

  it('--json prints a report that parses, with outputs, sizes, warnings with positions and timings', async () => {
    const cwd = await project({
      'content/clean.md': article('Clean', 'Nothing to repair here.'),
      'content/warned.md': article('Warned', 'First paragraph.\n\n![A photo](images/missing.png)\n\nLast paragraph.'),
    });
    const run = await runCli(['--format', 'html', '--out', 'out', '--json', '--offline'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      exitCode: number;
      documents: Array<{ name: string; source: string; ok: boolean; outputs: Array<{ format: string; path: string; bytes: number }>; warnings: Array<{ file: string; line?: number; column?: number; ruleId?: string; reason: string }>; timings: Array<{ stage: string; ms: number }> }>;
      totals: { documents: number; failed: number; outputs: number; warnings: number };
    };
    assert.equal(report.ok, true);
    assert.equal(report.exitCode, 0);
    assert.deepEqual(report.documents.map((d) => d.source).sort(), ['content/clean.md', 'content/warned.md']);
    for (const doc of report.documents) {
      assert.deepEqual(doc.outputs.map((o) => o.format), ['html']);
      const output = doc.outputs[0];
      assert.ok(output);
      assert.equal(output.path, `out/${doc.name}.html`);
      assert.equal(output.bytes, (await stat(path.join(cwd, output.path))).size, 'size is the size on disk');
      assert.ok(doc.timings.some((t) => t.stage === 'parse' && t.ms >= 0));
    }
    const warned = report.documents.find((d) => d.name === 'warned');
    const image = warned?.warnings.find((w) => w.reason.includes('images/missing.png'));
    assert.ok(image, JSON.stringify(warned?.warnings));
    // The image is on line 8 of the file (4 lines of front matter, a blank line, a paragraph, a blank line).
    assert.deepEqual([image.file, image.line, image.column], ['content/warned.md', 8, 1]);
    assert.match(image.ruleId ?? '', /^[a-z]+(-[a-z]+)*$/);
    assert.equal(report.totals.documents, 2);
    assert.equal(report.totals.warnings, report.documents.reduce((n, d) => n + d.warnings.length, 0));
    assert.equal(run.stderr, '', 'nothing but JSON is printed');
  });

  it('prints warnings grouped by file with positions, then the table of outputs', async () => {
    const cwd = await project({ 'content/warned.md': article('Warned', 'First.\n\n![A photo](images/missing.png)') });
    const run = await runCli(['--format', 'html', '--out', 'out', '--offline'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^content\/warned\.md: \d+ warnings?$/m);
    assert.match(run.stderr, /^ {2}content\/warned\.md:8:1 warning .*images\/missing\.png.* [a-z]+(-[a-z]+)*$/m);
    assert.match(run.stderr, /Output\s+Size\s+Pages\s+Warnings\s+Repairs\s+Time/);
    assert.match(run.stderr, /out\/warned\.html\s+[\d.]+ (B|KB)/);
    assert.match(run.stderr, /1 document, 0 failed, 1 output/);
  });

  it('--quiet prints only the errors: not the warnings, the repairs or the table', async () => {
    const cwd = await project({
      'content/broken.md': '---\ntitle: [Broken\n---\n\nText.\n',
      // A missing image (a warning), the title repeated as a heading and an image made a figure (two repairs).
      'content/warned.md': article('Warned', '# Warned\n\nFirst.\n\n![A photo](images/missing.png)'),
    });
    const run = await runCli(['--format', 'html', '--out', 'out', '--offline', '--quiet'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /^content\/broken\.md: 1 error$/m);
    assert.match(run.stderr, /^ {2}content\/broken\.md:2:\d+ error Invalid YAML front matter: .* front-matter-yaml$/m);
    assert.doesNotMatch(run.stderr, /warned\.md/, 'nothing about the article that was published');
    assert.doesNotMatch(run.stderr, / (warning|info) |Output\s+Size/);
    // Without --quiet the same run shows the warning, counts the repair, and prints the table.
    const loud = await runCli(['--format', 'html', '--out', 'out', '--offline'], { cwd });
    assert.match(loud.stderr, /^ {2}content\/warned\.md:10:1 warning .*images\/missing\.png.* image-unreachable$/m);
    assert.match(loud.stderr, /^✔ content\/warned\.md \([\d.]+ m?s, 1 warning, 2 repairs\)$/m);
  });

  it('--format epub writes only the EPUB, and it passes epubcheck', async () => {
    const cwd = await project({ 'content/book.md': article('Only an EPUB', 'A paragraph for the reader.\n\nAnother one.') });
    const run = await runCli(['--format', 'epub', '--out', 'out', '--offline'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readdir(path.join(cwd, 'out')), ['book.epub']);
    const check = await epubcheck(path.join(cwd, 'out', 'book.epub'));
    assert.equal(check.fatals + check.errors, 0, check.output);
  });

  it('a document that fails makes the exit code 1; the others are still published', async () => {
    const cwd = await project({
      'content/good.md': article('Good', 'Fine text.'),
      'content/broken.md': new Uint8Array([0x61, 0x00, 0x62]),
    });
    const run = await runCli(['--format', 'html', '--out', 'out'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /content\/broken\.md error .*binary/);
    assert.deepEqual(await readdir(path.join(cwd, 'out')), ['good.html']);
    assert.doesNotMatch(run.stderr, STACK_TRACE);
  });
});

describe('imprint init, then publish and check', () => {
  let cwd: string;
  let init: CliResult;
  let published: CliResult;
  before(async () => {
    cwd = await project();
    init = await runCli(['init', 'My First Article', '--author', 'Ann Example'], { cwd });
    published = await runCli(['publish', '--format', 'html,pdf', '--out', 'out', '--offline'], { cwd });
  });

  it('init writes content/<slug>.md with front matter', async () => {
    assert.equal(init.code, 0, init.stderr);
    const text = await readFile(path.join(cwd, 'content', 'my-first-article.md'), 'utf8');
    assert.match(text, /^---\ntitle: My First Article\nauthor: Ann Example\ndate: \d{4}-\d{2}-\d{2}\n/);
  });

  it('init refuses to overwrite an article (exit 2) unless --force', async () => {
    const again = await runCli(['init', 'My First Article'], { cwd });
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /already exists/);
    const forced = await runCli(['init', 'My First Article', '--force', '--title', 'Renamed', '--json'], { cwd: await project() });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((JSON.parse(forced.stdout) as { created: string }).created, 'content/my-first-article.md');
  });

  it('publish turns the new article into a web page and a PDF with its title', async () => {
    assert.equal(published.code, 0, published.stderr);
    const html = await readFile(path.join(cwd, 'out', 'my-first-article.html'), 'utf8');
    assert.match(html, /<title>My First Article<\/title>/);
    assert.match(html, /<meta name="author" content="Ann Example">/);
    assert.equal((await pdfinfo(path.join(cwd, 'out', 'my-first-article.pdf')))['Title'], 'My First Article');
  });

  it('check passes the PDF it wrote (fonts embedded, title, tagged)', async () => {
    const run = await runCli(['check', '--out', 'out'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /✔ out\/my-first-article\.pdf .*fonts embedded, tagged, title “My First Article”/);
  });
});

describe('imprint check', () => {
  it('fails a PDF with a font that is not embedded, no title and no tags (exit 1)', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage([420, 595]).drawText('Hello', { x: 50, y: 500, font, size: 12 });
    const cwd = await project({ 'out/plain.pdf': await pdf.save() });
    const run = await runCli(['check', 'out/plain.pdf', '--json'], { cwd });
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as { outputs: Array<{ status: string; problems: Array<{ ruleId: string }> }> };
    const rules = report.outputs[0]?.problems.map((p) => p.ruleId) ?? [];
    assert.equal(report.outputs[0]?.status, 'failed');
    for (const rule of ['pdf-font-not-embedded', 'pdf-no-title', 'pdf-not-tagged']) assert.ok(rules.includes(rule), `${rule} in ${rules.join(', ')}`);
  });

  it('without outputs to check it is a usage error', async () => {
    const run = await runCli(['check', '--out', 'nothing-here'], { cwd: await project() });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /no PDF, EPUB or HTML files/);
  });
});

describe('precedence: defaults < config file < front matter < flags', () => {
  let cwd: string;
  before(async () => {
    cwd = await project({
      'imprint.config.yaml': 'formats: [pdf]\npage:\n  size: A5\n',
      'content/own-size.md': article('Own size', 'This article asks for A4.', 'pageSize: A4\n'),
      'content/configured.md': article('Configured', 'This article takes the configured size.'),
    });
  });

  it('the config file sets the size, and front matter overrides it per article', async () => {
    const run = await runCli(['--out', 'out', '--offline'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(near(await pageSize(path.join(cwd, 'out', 'configured.pdf')), ...A5), 'config file: A5');
    assert.ok(near(await pageSize(path.join(cwd, 'out', 'own-size.pdf')), ...A4), 'front matter: A4');
  });

  it('a flag overrides both', async () => {
    const run = await runCli(['--out', 'flagged', '--offline', '--page-size', 'Letter'], { cwd });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(near(await pageSize(path.join(cwd, 'flagged', 'configured.pdf')), ...LETTER), 'flag over config');
    assert.ok(near(await pageSize(path.join(cwd, 'flagged', 'own-size.pdf')), ...LETTER), 'flag over front matter');
  });

  it('articleConfig merges front matter over the config and flags over both', () => {
    const config = resolveConfig({ page: { size: 'A5', cover: false } });
    const fromFront = articleConfig(config, { pageSize: 'A4', page: { cover: true } });
    assert.equal(fromFront.page.size, 'A4');
    assert.equal(fromFront.page.cover, true);
    assert.deepEqual(fromFront.page.margin, config.page.margin, 'untouched settings stay');
    const flagged = articleConfig(config, { pageSize: 'A4' }, { flags: { page: { size: 'Letter' } } });
    assert.equal(flagged.page.size, 'Letter');
    assert.equal(flagged.page.cover, false);
  });

  it('front matter cannot change anything but the page, and a bad value is a warning at its line', () => {
    const config = resolveConfig({});
    const untouched = articleConfig(config, { out: '/etc', images: { allowHosts: ['10.0.0.1'] }, limits: { maxImages: 1e9 } });
    assert.equal(untouched.out, 'output');
    assert.deepEqual(untouched.images.allowHosts, []);
    const file = new VFile({ path: 'content/x.md', value: '---\ntitle: X\npageSize: A3\n---\n\nText.\n' });
    const kept = articleConfig(config, { title: 'X', pageSize: 'A3' }, { file });
    assert.equal(kept.page.size, config.page.size);
    const warning = file.messages[0];
    assert.equal(warning?.ruleId, 'front-matter-config');
    assert.equal(warning.line, 3);
    assert.match(warning.reason, /"A3" is not valid/);
  });
});

describe('docs/cli.md', () => {
  it('documents every config field and every option of every command', async () => {
    const docs = await readFile(path.join(repoRoot, 'docs', 'cli.md'), 'utf8');
    for (const field of configFields()) assert.ok(docs.includes(`\`${field.path}\``), `docs/cli.md documents ${field.path}`);
    const sink = { write: () => true };
    const { program } = createProgram({ cwd: repoRoot, env: {}, stdout: sink, stderr: sink, version: '' });
    for (const command of program.commands.filter((c) => c.name() !== 'help')) {
      assert.ok(docs.includes(`imprint ${command.name()} `), `docs/cli.md documents imprint ${command.name()}`);
      for (const option of command.options) assert.ok(docs.includes(`\`${option.flags}\``), `docs/cli.md documents ${command.name()} ${option.flags}`);
    }
  });

  it('its generated sections are up to date (run npm run docs)', async () => {
    const docs = await readFile(path.join(repoRoot, 'docs', 'cli.md'), 'utf8');
    assert.ok(updateDocs(docs) === docs, 'docs/cli.md is out of date: run `npm run docs`');
  });
});
