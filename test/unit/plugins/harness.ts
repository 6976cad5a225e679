/**
 * Fixture runner for the plugin tests: each case is a folder
 * test/fixtures/<plugin>/<case>/ with input.md and the expected output:
 *   expected.html  body tree after the whole parse pipeline (rehype-stringify)
 *   expected.json  { meta?, notes?, images?, descriptions?, accessibility?, messages?, headings? }
 *                  (each optional; meta is a subset)
 * messages are "line:column rule-id" strings that must all be reported.
 * URL break points (<wbr>, rehype-url-breaks) are compared only in that plugin's own fixtures.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'hast';
import { VFile } from 'vfile';
import type { Article } from '../../../src/model.js';
import { parseArticle, treeToHtml } from '../../../src/parse/article.js';
import { fixturesDir } from '../../helpers/paths.js';

export interface Expected {
  meta?: Record<string, unknown>;
  notes?: Array<{ kind: 'source' | 'footnote'; refIds: string[]; html: string }>;
  images?: Array<{ id: string; url: string; alt: string }>;
  headings?: Array<{ depth: number; id: string; text: string }>;
  /** What describes each image, in order (alt, caption or none). */
  descriptions?: string[];
  accessibility?: { undescribedImages: number; contentProblems: number };
  messages?: string[];
  /** Rule ids that must not be reported. */
  absent?: string[];
}

export function fixtureCases(plugin: string): string[] {
  const dir = path.join(fixturesDir, plugin);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function runFixture(plugin: string, name: string): Article {
  const dir = path.join(fixturesDir, plugin, name);
  const file = new VFile({ path: `test/fixtures/${plugin}/${name}/input.md`, value: readFileSync(path.join(dir, 'input.md'), 'utf8') });
  return parseArticle(file, { name, path: file.path });
}

export function html(tree: Root): string {
  return treeToHtml(tree).trim();
}
const toHtml = html;

export function checkFixture(plugin: string, name: string): Article {
  const dir = path.join(fixturesDir, plugin, name);
  const article = runFixture(plugin, name);
  const html = (tree: Root): string => (plugin === 'rehype-url-breaks' ? toHtml(tree) : toHtml(tree).replace(/<wbr>/g, ''));
  const htmlPath = path.join(dir, 'expected.html');
  const jsonPath = path.join(dir, 'expected.json');
  assert.ok(existsSync(htmlPath) || existsSync(jsonPath), `${plugin}/${name} has an expected output`);
  if (existsSync(htmlPath)) {
    const expected = readFileSync(htmlPath, 'utf8').trim();
    assert.equal(html(article.tree), plugin === 'rehype-url-breaks' ? expected : expected.replace(/<wbr>/g, ''), `${plugin}/${name}: body HTML`);
  }
  if (existsSync(jsonPath)) {
    const expected = JSON.parse(readFileSync(jsonPath, 'utf8')) as Expected;
    if (expected.meta) {
      for (const [key, value] of Object.entries(expected.meta)) {
        assert.deepEqual((article.meta as unknown as Record<string, unknown>)[key], value, `${plugin}/${name}: meta.${key}`);
      }
    }
    if (expected.notes) {
      assert.deepEqual(
        article.notes.map((note) => ({ kind: note.kind, refIds: note.refIds, html: html({ type: 'root', children: note.content }) })),
        expected.notes,
        `${plugin}/${name}: notes`,
      );
    }
    if (expected.images) {
      assert.deepEqual(article.images.map(({ id, url, alt }) => ({ id, url, alt })), expected.images, `${plugin}/${name}: images`);
    }
    if (expected.headings) assert.deepEqual(article.headings, expected.headings, `${plugin}/${name}: headings`);
    if (expected.descriptions) assert.deepEqual(article.images.map((image) => image.description), expected.descriptions, `${plugin}/${name}: image descriptions`);
    if (expected.accessibility) assert.deepEqual(article.accessibility, expected.accessibility, `${plugin}/${name}: accessibility facts`);
    const reported = article.file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`);
    for (const message of expected.messages ?? []) {
      assert.ok(reported.includes(message), `${plugin}/${name}: reports ${message} (got ${reported.join(', ')})`);
    }
    for (const rule of expected.absent ?? []) {
      assert.ok(!article.file.messages.some((m) => m.ruleId === rule), `${plugin}/${name}: does not report ${rule}`);
    }
  }
  for (const message of article.file.messages) {
    assert.equal(message.source, 'imprint');
    assert.ok((message.line ?? 0) > 0, `${plugin}/${name}: ${message.ruleId} has a position`);
  }
  return article;
}
