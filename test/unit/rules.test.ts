/**
 * The rule registry (src/diagnostics/rules.ts): every diagnostic of Imprint goes through it, so
 * its severity comes from one place, and docs/rules.md is generated from it.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { updateDocs } from '../../src/cli/docs.js';
import { diagnose, RULES, type RuleId } from '../../src/diagnostics/rules.js';
import { repoRoot } from '../helpers/paths.js';

const srcDir = path.join(repoRoot, 'src');

/** Every TypeScript file under src/, with its text. */
async function sources(): Promise<Array<{ file: string; text: string }>> {
  const entries = await readdir(srcDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (file) => ({ file: path.relative(repoRoot, file).split(path.sep).join('/'), text: await readFile(file, 'utf8') })));
}

describe('the rule registry', () => {
  it('gives every rule a severity and one line of documentation', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `${id} is a kebab-case rule id`);
      assert.ok(['error', 'warning', 'info'].includes(rule.severity), `${id} has a severity`);
      assert.match(rule.doc, /^\S.*[.)]$/, `${id} has one line that ends a sentence`);
      assert.doesNotMatch(rule.doc, /\n/, `${id}: one line`);
    }
  });

  it('diagnose() reports a rule with its severity, keeping place, rule id and source', () => {
    const file = new VFile({ path: 'content/a.md', value: 'x' });
    const place = { line: 3, column: 2 };
    const repair = diagnose(file, 'credit-split', 'Split a credit', place);
    assert.equal(repair.fatal, undefined, 'a repair is info');
    const warning = diagnose(file, 'image-uncached', 'Image x is not in the cache', place);
    assert.equal(warning.fatal, false, 'a warning is a message');
    assert.throws(
      () => diagnose(file, 'front-matter-yaml', 'Invalid YAML', place),
      (error: unknown) => error instanceof VFileMessage && error.fatal === true && error.ruleId === 'front-matter-yaml',
      'an error fails the file',
    );
    assert.deepEqual(
      file.messages.map((m) => [m.ruleId, m.source, m.line, m.column, m.reason]),
      [
        ['credit-split', 'imprint', 3, 2, 'Split a credit'],
        ['image-uncached', 'imprint', 3, 2, 'Image x is not in the cache'],
        ['front-matter-yaml', 'imprint', 3, 2, 'Invalid YAML'],
      ],
    );
  });

  it('knows every rule id that src/ names (the types check this too; this also covers strings)', async () => {
    // A rule id appears as `ruleId: '…'`, as the first argument of diagnose/checkProblem/ImageProblem
    // (or a choice of two: `unsafe ? 'unsafe-link' : 'link-scheme'`), as the last of DocumentError or
    // of the front matter's fail(), or in a RuleIds<'…' | '…'> list.
    const patterns = [
      /ruleId:\s*(?:[^\n?,`]*\?\s*)?'([a-z0-9-]+)'(?:\s*:\s*'([a-z0-9-]+)')?/g,
      /\b(?:diagnose\([^,]+,|checkProblem\(|ImageProblem\()\s*(?:[^\n?,`]*\?\s*)?'([a-z0-9-]+)'(?:\s*:\s*'([a-z0-9-]+)')?/g,
      /(?:new DocumentError|\bfail)\((?:[^()]|\([^()]*\))*?,\s*'([a-z0-9-]+)'\)/g,
    ];
    const named = new Map<string, string>();
    for (const { file, text } of await sources()) {
      if (file === 'src/diagnostics/rules.ts') continue;
      for (const pattern of patterns) {
        for (const match of text.matchAll(pattern)) for (const id of match.slice(1)) if (id) named.set(id, file);
      }
      for (const list of text.matchAll(/RuleIds<([^>]+)>/g)) {
        for (const id of list[1]?.matchAll(/'([a-z0-9-]+)'/g) ?? []) if (id[1]) named.set(id[1], file);
      }
    }
    assert.ok(named.size >= 40, `found the rule ids of src/ (${named.size})`);
    for (const [id, file] of named) assert.ok(Object.hasOwn(RULES, id), `${file} names ${id}, which is not in RULES`);
    const unused = Object.keys(RULES).filter((id) => !named.has(id));
    assert.deepEqual(unused, [], 'every rule of the registry is reported somewhere');
  });

  it('is the only way a message reaches a file: no module calls vfile’s message, info or fail itself', async () => {
    // Replaying stored messages (parse worker, build cache) copies their severity as recorded.
    const replay = new Set(['src/diagnostics/rules.ts', 'src/parse/transfer.ts', 'src/cache/build-cache.ts']);
    for (const { file, text } of await sources()) {
      if (replay.has(file)) continue;
      assert.doesNotMatch(text, /\bfile\.(message|info|fail)\(/, `${file} reports through diagnose()`);
    }
  });
});

describe('docs/rules.md', () => {
  it('lists every rule under its severity, with its line', async () => {
    const docs = await readFile(path.join(repoRoot, 'docs', 'rules.md'), 'utf8');
    const headings = { error: '### Errors', warning: '### Warnings', info: '### Repairs' } as const;
    const checkAt = docs.indexOf('### `imprint check`');
    assert.ok(checkAt > 0, 'a section for imprint check');
    for (const [id, rule] of Object.entries(RULES) as Array<[RuleId, (typeof RULES)[RuleId]]>) {
      const at = docs.indexOf(`| \`${id}\` |`);
      assert.ok(at > 0, `docs/rules.md lists ${id}`);
      assert.ok(docs.includes(rule.doc), `docs/rules.md has the line of ${id}`);
      if ('check' in rule) {
        assert.ok(at > checkAt && docs.slice(at).startsWith(`| \`${id}\` | ${rule.severity} |`), `${id} is listed with imprint check as ${rule.severity}`);
      } else {
        const section = Object.entries(headings).filter(([, heading]) => docs.indexOf(heading) < at).at(-1)?.[0];
        assert.equal(section, rule.severity, `${id} is listed under its severity`);
      }
    }
  });

  it('its generated section is up to date (run npm run docs)', async () => {
    const docs = await readFile(path.join(repoRoot, 'docs', 'rules.md'), 'utf8');
    assert.ok(updateDocs(docs, 'rules.md') === docs, 'docs/rules.md is out of date: run `npm run docs`');
  });
});
