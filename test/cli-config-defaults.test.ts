/**
 * The command line resolves the usual configuration (defaults, command-line flags, simple config
 * files) without the zod schema (src/config-defaults.ts). Whatever it accepts must be exactly what
 * the schema gives; whatever the schema would reject (or it does not know) it must leave to the
 * schema, so bad settings still get the schema's clear errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFields } from '../src/config/reference.js';
import { configSchema, resolveConfig, type UserConfig } from '../src/config/schema.js';
import { CONFIG_DESCRIPTIONS, defaultConfig, mergeConfig, resolveSimpleConfig } from '../src/config/defaults.js';

/** Values of every kind, good and bad, for each setting the fast path reads. */
const CANDIDATES: Record<string, unknown[]> = {
  content: ['content', 'articles/2024', '', 5, null, true, ['a']],
  out: ['output', 'public', '', 0, false, {}],
  formats: [['html'], ['pdf', 'epub'], [], ['html', 'html'], ['docx'], ['HTML'], 'html', [1], null],
  theme: ['default', 'classic', '', 3, null],
  offline: [true, false, 'true', 1, null],
  concurrency: [1, 4, 32, 0, 33, 2.5, -1, '4', Number.NaN, Number.POSITIVE_INFINITY, null],
  browserEndpoint: ['ws://127.0.0.1:9222/devtools/browser/x', '', 9222, null],
  page: [
    {},
    { size: 'A4' },
    { size: 'Letter' },
    { size: 'a4' },
    { size: 'A3' },
    { size: { width: '150mm', height: '220mm' } },
    { size: { width: '6in', height: '9.5in' } },
    { size: { width: '150', height: '220mm' } },
    { size: { width: '150mm' } },
    { size: { width: '150mm', height: '220mm', depth: '1mm' } },
    { size: 'A5', cover: true },
    { margin: { top: '1mm', right: '1mm', bottom: '1mm', left: '1mm' } },
    'A4',
    null,
  ],
};

describe('resolving the configuration without the schema', () => {
  it('with nothing set gives the schema’s defaults, in the schema’s key order', () => {
    assert.equal(JSON.stringify(resolveSimpleConfig({})), JSON.stringify(resolveConfig({})));
    assert.equal(JSON.stringify(defaultConfig()), JSON.stringify(resolveConfig({})));
  });

  it('gives exactly the schema’s result for every setting it accepts, and leaves the rest to the schema', () => {
    let accepted = 0;
    let left = 0;
    for (const [key, values] of Object.entries(CANDIDATES)) {
      for (const value of values) {
        const input = { [key]: value } as UserConfig;
        const fast = resolveSimpleConfig(input);
        const schema = configSchema.safeParse(input);
        if (fast === undefined) {
          left++;
          continue;
        }
        accepted++;
        assert.ok(schema.success, `the schema accepts ${JSON.stringify(input)} too`);
        assert.equal(JSON.stringify(fast), JSON.stringify(schema.data), JSON.stringify(input));
      }
    }
    assert.ok(accepted > 20 && left > 20, `both cases are exercised (${accepted} accepted, ${left} left)`);
  });

  it('reads the settings every command-line flag sets, together', () => {
    const flags: UserConfig = {
      formats: ['pdf'],
      out: 'dist',
      theme: 'classic',
      page: { size: { width: '150mm', height: '220mm' } },
      offline: true,
      concurrency: 3,
      browserEndpoint: 'ws://127.0.0.1:9222/devtools/browser/x',
    };
    const user = mergeConfig({ content: 'articles', formats: ['html'] }, flags);
    const fast = resolveSimpleConfig(user);
    assert.ok(fast);
    assert.equal(JSON.stringify(fast), JSON.stringify(resolveConfig(user)));
  });

  it('leaves unknown keys, other settings and strange objects to the schema', () => {
    const inputs: unknown[] = [
      { themee: 'classic' },
      { theme: 'classic', extra: undefined },
      { images: { fetch: false } },
      { limits: {} },
      { html: { selfContained: false } },
      { epub: { embedFonts: true } },
      JSON.parse('{"__proto__": {"out": "x"}}'),
      { constructor: 'x' },
      Object.assign(Object.create(null) as object, { out: 'x' }),
      null,
      ['out'],
    ];
    for (const input of inputs) assert.equal(resolveSimpleConfig(input as UserConfig), undefined, JSON.stringify(input));
  });

  it('hands out copies: changing one resolved configuration leaves the next alone', () => {
    const first = resolveSimpleConfig({});
    assert.ok(first);
    first.page.margin.top = '99mm';
    first.formats.push('html');
    assert.deepEqual(resolveSimpleConfig({}), resolveConfig({}));
  });

  it('describes every setting of the schema, and only those (the schema takes its descriptions from there)', () => {
    const fields = configFields();
    assert.deepEqual(fields.map((f) => f.path).sort(), Object.keys(CONFIG_DESCRIPTIONS).sort());
    for (const field of fields) assert.equal(field.description, CONFIG_DESCRIPTIONS[field.path as keyof typeof CONFIG_DESCRIPTIONS]);
  });
});
