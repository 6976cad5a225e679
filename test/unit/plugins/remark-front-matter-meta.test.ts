import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { normaliseDate } from '../../../src/plugins/remark-front-matter-meta.js';
import { parseArticle } from '../../../src/parse/article.js';
import { checkFixture, fixtureCases } from './harness.js';

const parse = (value: string) => parseArticle(new VFile({ path: 'content/fm.md', value }), { name: 'fm', path: 'content/fm.md' });

function fatalAt(value: string, line: number, column: number, ruleId: string): void {
  assert.throws(
    () => parse(value),
    (error: unknown) => {
      assert.ok(error instanceof VFileMessage, 'a VFileMessage');
      assert.equal(error.fatal, true);
      assert.equal(error.ruleId, ruleId);
      assert.equal(error.source, 'imprint');
      assert.equal(error.line, line, `line (${error.reason})`);
      assert.equal(error.column, column, `column (${error.reason})`);
      return true;
    },
  );
}

describe('remark-front-matter-meta fixtures', () => {
  for (const name of fixtureCases('remark-front-matter-meta')) {
    it(name, () => {
      checkFixture('remark-front-matter-meta', name);
    });
  }
});

describe('remark-front-matter-meta', () => {
  it('keeps unknown keys (configuration overrides) in frontMatter', () => {
    const article = parse('---\ntitle: T\npage:\n  size: A4\n---\n\nText.\n');
    assert.deepEqual(article.file.data.frontMatter?.['page'], { size: 'A4' });
  });

  it('fails on broken YAML, at its line in the Markdown file', () => {
    // The tab-indented key on line 3 of the file is invalid YAML.
    fatalAt('---\ntitle: T\n\tauthor: X\n---\n', 3, 1, 'front-matter-yaml');
  });

  it('places an error about something left open where it opens, not where the parser gave up', () => {
    // An unclosed `[` on line 2, column 8: YAML notices it on the next line.
    fatalAt('---\ntitle: [unclosed\nlang: en\n---\n\nText.\n', 2, 8, 'front-matter-yaml');
    fatalAt('---\nkeywords: [a, b\n---\n', 2, 11, 'front-matter-yaml');
    // The innermost open one: the `{` inside the `[`.
    fatalAt('---\ntitle: x\nkeywords: [a, {b: c\nlang: en\n---\n', 3, 15, 'front-matter-yaml');
    // Quotes, an escaped quote inside included.
    fatalAt('---\ntitle: "abc\nlang: en\n---\n', 2, 8, 'front-matter-yaml');
    fatalAt("---\ntitle: 'abc\nlang: en\n---\n", 2, 8, 'front-matter-yaml');
    fatalAt('---\nlang: en\ntitle: "a \\" b\n---\n', 3, 8, 'front-matter-yaml');
    // In a block list.
    fatalAt('---\ntags:\n  - [a, b\n  - c\n---\n', 3, 5, 'front-matter-yaml');
  });

  it('fails on a wrong type, pointing at the value', () => {
    fatalAt('---\ntitle: {a: 1}\n---\n', 2, 8, 'front-matter-type');
    fatalAt('---\nauthor: true\n---\n', 2, 9, 'front-matter-type');
    fatalAt('---\nlang: Chinese (simplified)\n---\n', 2, 7, 'front-matter-type');
    fatalAt('---\ndate: 15/11/2023\n---\n', 2, 7, 'front-matter-type');
    fatalAt('---\nkeywords:\n  - a\n  - [b]\n---\n', 3, 3, 'front-matter-type');
    fatalAt('---\n- a\n- b\n---\n', 2, 1, 'front-matter-type');
  });

  it('ignores an empty key with a warning', () => {
    const article = parse('---\ntitle:\n---\n\nText.\n');
    assert.equal(article.meta.title, 'fm');
    assert.ok(article.file.messages.some((m) => m.ruleId === 'front-matter-empty' && m.line === 2));
  });

  it('accepts keywords as a comma-separated string and numbers as strings', () => {
    const article = parse('---\ntitle: 1984\nkeywords: 小说、反乌托邦, Orwell\n---\n\nText.\n');
    assert.equal(article.meta.title, '1984');
    assert.deepEqual(article.meta.keywords, ['小说', '反乌托邦', 'Orwell']);
  });

  it('normalises dates to ISO strings', () => {
    assert.equal(normaliseDate('2023-11-15'), '2023-11-15');
    assert.equal(normaliseDate(new Date(Date.UTC(2023, 10, 15))), '2023-11-15');
    assert.equal(normaliseDate(new Date(Date.UTC(2023, 10, 15, 8, 30))), '2023-11-15T08:30:00.000Z');
    assert.equal(normaliseDate('2023-11-15 08:30'), '2023-11-15T08:30');
    assert.equal(normaliseDate('2023-13-45'), undefined);
    assert.equal(normaliseDate('yesterday'), undefined);
    assert.equal(normaliseDate(20231115), undefined);
  });
});
