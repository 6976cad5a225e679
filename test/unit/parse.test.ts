import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Element, Nodes, Root } from 'hast';
import { selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { createProcessor, parseArticle } from '../../src/parse/article.js';
import { sampleArticle } from '../helpers/paths.js';

const CJK = '[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u3000-\\u303f\\uff00-\\uffef]';
const CJK_GAP = new RegExp(`(${CJK})(\\s+)(${CJK})`, 'gu');

function parseSample() {
  const source = readFileSync(sampleArticle, 'utf8');
  const file = new VFile({ path: 'content/biden-xi-summit.md', value: source });
  return { source, article: parseArticle(file, { name: 'biden-xi-summit', path: 'content/biden-xi-summit.md' }) };
}

function textNodes(node: Nodes, out: string[] = []): string[] {
  if (node.type === 'text') out.push(node.value);
  if (node.type === 'element' || node.type === 'root') for (const child of node.children) textNodes(child, out);
  return out;
}

describe('parseArticle on the sample clipping', () => {
  const { source, article } = parseSample();
  const tree = article.tree;

  it('leaves the title out of the body: no h1 (the renderer prints meta.title)', () => {
    assert.equal(selectAll('h1', tree).length, 0);
    assert.equal(article.meta.title, '拜登谈中美会晤目标：希望中美关系重回正轨，危机时刻也能保持联系');
    assert.ok(article.file.messages.some((m) => m.ruleId === 'duplicate-title' && m.line === 8));
  });

  it('puts 7 images in 7 figures, 4 of them with captions and credits (an image paragraph is a figure of its own)', () => {
    assert.equal(selectAll('img', tree).length, 7);
    assert.equal(selectAll('figure.figure', tree).length, 7);
    assert.equal(selectAll('figure.figure-group', tree).length, 0);
    assert.equal(selectAll('figure img', tree).length, 7);
    assert.equal(selectAll('figcaption > span.caption', tree).length, 4);
    const credits = selectAll('figcaption > span.credit', tree).map((node) => toString(node));
    // The three uncaptioned figures carry the label of their source note ("原图²"), not a lone number.
    assert.deepEqual(credits, ['图自IC Photo', '原图', '新华社记者姚大伟 摄', '原图', '图自CGTN、旧金山当地媒体', '原图', '图自CGTN、旧金山媒体']);
    // The captions stand under the images of their own paragraphs: the 1st, 3rd, 5th and 7th.
    assert.deepEqual(
      selectAll('figure', tree).map((figure) => selectAll('span.caption', figure).length),
      [1, 0, 1, 0, 1, 0, 1],
    );
  });

  it('lists every image with its repaired URL, in order', () => {
    assert.deepEqual(article.images.map((image) => image.id), ['img-1', 'img-2', 'img-3', 'img-4', 'img-5', 'img-6', 'img-7']);
    for (const image of article.images) {
      assert.match(image.url, /^https:\/\/inews\.gtimg\.com\/om_bt\/[A-Za-z0-9_-]+\/1000$/);
      const img = selectAll(`img[data-image-id="${image.id}"]`, tree)[0];
      assert.equal(img?.properties['src'], image.url);
    }
    // The clipping gives no alt text of its own: a captioned image points to its caption, the three
    // uncaptioned ones are only numbered (and warned about, image-no-alt).
    assert.ok(article.images.every((image) => image.alt.length > 0), 'every image has a text alternative');
    assert.deepEqual(article.images.map((image) => image.description), ['caption', 'none', 'caption', 'none', 'caption', 'none', 'caption']);
    // The three URLs the clipper broke after a hyphen are whole again.
    assert.ok(article.images.some((image) => image.url.endsWith('q-G09TPO72IE-EYISzieAVEMkAA/1000')));
    assert.ok(article.images.some((image) => image.url.endsWith('85wcJ--5wAA/1000')));
    assert.ok(article.images.some((image) => image.url.endsWith('FbR-lEGAYLcouncAA/1000')));
    assert.equal(article.file.messages.filter((m) => m.ruleId === 'wrapped-url').length, 3);
  });

  it('has complete metadata: author, publisher, rights, date, lang', () => {
    assert.equal(article.meta.author, '熊超然');
    assert.equal(article.meta.publisher, '观察者网');
    assert.equal(article.meta.rights, '本文系观察者网独家稿件，未经授权，不得转载。');
    assert.equal(article.meta.date, '2023-11-15');
    assert.equal(article.meta.lang, 'zh-CN');
    assert.deepEqual(article.meta.keywords, ['中美关系', '元首会晤', 'APEC']);
    assert.ok(article.meta.description?.startsWith('全球瞩目的中美元首会晤'));
  });

  it('styles the byline and the rights notice', () => {
    const byline = selectAll('p.byline', tree);
    assert.equal(byline.length, 1);
    assert.equal(toString(selectAll('.byline .author', tree)[0] as Element), '熊超然');
    assert.equal(toString(selectAll('.byline .publisher', tree)[0] as Element), '观察者网');
    const first = tree.children.find((node) => node.type === 'element');
    assert.equal(first, byline[0], 'the byline stands first');
    const rights = selectAll('p.rights', tree);
    assert.equal(rights.length, 1);
    assert.equal(toString(rights[0] as Element), '本文系观察者网独家稿件，未经授权，不得转载。');
    assert.equal(selectAll('p.rights strong', tree).length, 0);
  });

  it('gives each figure a numbered source note with its credit and original URLs', () => {
    assert.equal(article.notes.length, 7);
    article.notes.forEach((note, i) => {
      assert.equal(note.id, `note-${i + 1}`);
      assert.equal(note.kind, 'source');
      assert.deepEqual(note.refIds, [`noteref-${i + 1}`]);
      const ref = selectAll(`a#noteref-${i + 1}`, tree)[0];
      assert.equal(ref?.properties['href'], `#note-${i + 1}`);
      assert.equal(ref?.properties['role'], 'doc-noteref');
    });
    const first = toString({ type: 'root', children: article.notes[0]?.content ?? [] });
    assert.equal(first, '图自IC Photo。原图：https://inews.gtimg.com/om_bt/OYgVGsx5N3RytZBy0M3lt00AJC3w1hTY7bUx4eoJIYEgMAA/1000');
    const linked = article.notes.flatMap((note) => selectAll('a', { type: 'root', children: note.content }).map((a) => a.properties['href']));
    assert.deepEqual(linked, article.images.map((image) => image.url));
  });

  it('shows no Markdown or URL fragments in the text', () => {
    const text = textNodes(tree).join('');
    assert.ok(!text.includes(']('), 'no ](');
    assert.ok(!text.includes('!['), 'no ![');
    assert.ok(!/https?:|www\.|gtimg|\/1000\b/.test(text), 'no URL or URL fragment');
    assert.ok(!/[A-Za-z0-9]{12,}/.test(text), 'no long token that looks like a URL piece');
  });

  it('has no whitespace between CJK characters, except real spaces the source had on one line', () => {
    const lines = source.split('\n');
    for (const value of textNodes(tree)) {
      for (const match of value.matchAll(CJK_GAP)) {
        assert.ok(!match[2]?.includes('\n'), `no line break between CJK characters: ${JSON.stringify(match[0])}`);
        assert.ok(lines.some((line) => line.includes(match[0])), `gap ${JSON.stringify(match[0])} is on one line in the source`);
      }
    }
    // Every soft break between CJK characters is gone, also in captions and credits.
    assert.ok(!textNodes(tree).some((value) => /\n/.test(value.trim()) && new RegExp(`${CJK}\\s*\\n\\s*${CJK}`, 'u').test(value)));
    // Alt text too.
    for (const img of selectAll('img', tree)) assert.doesNotMatch(String(img.properties['alt']), CJK_GAP);
  });

  it('keeps a space where a break separated two Latin words', () => {
    assert.ok(toString(tree).includes('约翰·柯比（John Kirby）'));
  });

  it('reports every repair with a position in the Markdown', () => {
    const rules = new Set(article.file.messages.map((m) => m.ruleId));
    for (const rule of ['duplicate-title', 'byline', 'rights-notice', 'wrapped-url', 'figure-caption', 'credit-split', 'cjk-line-break']) {
      assert.ok(rules.has(rule), `reports ${rule}`);
    }
    // The only warnings are the three images that nothing describes (no alt text, no caption).
    assert.deepEqual(
      article.file.messages.filter((m) => m.fatal === false).map((m) => `${m.line}:${m.ruleId}`),
      ['30:image-no-alt', '41:image-no-alt', '55:image-no-alt'],
    );
    for (const message of article.file.messages) {
      assert.equal(message.source, 'imprint');
      // A repair is info (vfile's `info`: fatal undefined), not a warning the user must act on.
      if (message.ruleId !== 'image-no-alt') assert.equal(message.fatal, undefined, `${message.ruleId} is reported as a repair (info)`);
      assert.ok(typeof message.line === 'number' && message.line > 0, `${message.ruleId} has a line`);
      assert.ok(typeof message.column === 'number' && message.column > 0, `${message.ruleId} has a column`);
    }
    assert.deepEqual(
      article.file.messages.filter((m) => m.ruleId === 'wrapped-url').map((m) => m.line).sort((a, b) => (a ?? 0) - (b ?? 0)),
      [41, 55, 58],
    );
  });

  it('has no footnote section or raw remark-rehype footnote ids left', () => {
    assert.equal(selectAll('section', tree).length, 0);
    assert.equal(selectAll('[data-footnote-ref]', tree).length, 0);
  });
});

describe('parseArticle on front matter', () => {
  const parse = (value: string) => parseArticle(new VFile({ path: 'content/t.md', value }), { name: 't', path: 'content/t.md' });

  it('throws a fatal message with line and column for broken YAML', () => {
    assert.throws(
      () => parse('---\ntitle: ok\nauthor: [unclosed\n---\n\nText.\n'),
      (error: unknown) => {
        assert.ok(error instanceof VFileMessage);
        assert.equal(error.fatal, true);
        assert.equal(error.ruleId, 'front-matter-yaml');
        assert.ok((error.line ?? 0) >= 3, `line ${error.line} is in the front matter`);
        assert.ok((error.column ?? 0) >= 1);
        return true;
      },
    );
  });

  it('throws a fatal message at the value for a wrong type', () => {
    assert.throws(
      () => parse('---\ndate: 2024-01-02\ntitle:\n  - a\n  - b\n---\n\nText.\n'),
      (error: unknown) => {
        assert.ok(error instanceof VFileMessage);
        assert.equal(error.ruleId, 'front-matter-type');
        assert.match(error.reason, /title/);
        assert.equal(error.line, 4);
        assert.equal(error.column, 3);
        return true;
      },
    );
    assert.throws(() => parse('---\ndate: next tuesday\n---\n\nText.\n'), (error: unknown) => error instanceof VFileMessage && error.line === 2);
    assert.throws(() => parse('---\nkeywords: {a: 1}\n---\n\nText.\n'), (error: unknown) => error instanceof VFileMessage && error.line === 2);
  });

  it('falls back to the file name for the title and detects the language', () => {
    const article = parse('Just some English text here.\n');
    assert.equal(article.meta.title, 't');
    assert.equal(article.meta.lang, 'en');
    assert.deepEqual(article.meta.keywords, []);
  });

  it('createProcessor gives a reusable remark → rehype processor', () => {
    const processor = createProcessor();
    const file = new VFile({ value: '# 标题\n\n正文\n第二行。\n' });
    const tree: Root = processor.runSync(processor.parse(file), file);
    assert.equal(toString(tree).trim(), '正文第二行。');
    assert.equal(file.data.meta?.title, '标题');
  });
});
