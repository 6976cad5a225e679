/**
 * What a new user's articles must not show, checked in all three outputs of a real `imprint
 * publish` on fixture projects of their own (test/fixtures/fidelity/<case>/): notes that name
 * sources, not files; no link a reader cannot follow; relative links between the documents
 * published together; placeholders that say what is missing; one date from the article; figure
 * groups of one paragraph; empty articles refused; front-matter errors shown where YAML finds them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { resolveConfig } from '../src/config/schema.js';
import { parseArticle } from '../src/parse/article.js';
import { createImageResolver, unlinkRefusedSources } from '../src/stages/resolve-images.js';
import { hrefs, markupText, publishFixture, readOutputs, squash, type Outputs, type Project } from './helpers/outputs.js';

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
