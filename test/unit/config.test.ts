/**
 * The configuration schema (src/config/schema.ts) is the one source of every setting: the
 * defaults handed out, the limits the parser applies, the checks of the command-line flags and
 * their descriptions all come from it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConcurrency, parseFormats, parsePageSize } from '../../src/cli/options.js';
import { configFields, describeField } from '../../src/config/reference.js';
import { configSchema, PAGE_SIZES, resolveConfig } from '../../src/config/schema.js';
import { FORMATS } from '../../src/model.js';
import { effectiveLimits } from '../../src/parse/limits.js';

describe('the configuration schema', () => {
  it('hands out copies: changing one resolved configuration leaves the next alone', () => {
    const pristine = structuredClone(resolveConfig({}));
    const first = resolveConfig({});
    first.page.margin.top = '99mm';
    first.formats.push('html');
    first.images.allowHosts.push('10.0.0.1');
    first.limits.maxDepth = 1;
    assert.deepEqual(resolveConfig({}), pristine);
  });

  it('describes every setting with a line of its own', () => {
    const fields = configFields();
    assert.ok(fields.length > 30);
    for (const field of fields) {
      const own = describeField(field.path.split('.'));
      assert.ok(own && own.length > 0, `${field.path} has a description of its own`);
      assert.equal(field.description, own);
    }
  });

  it('gives the parser its default limits, and a limit given overrides only itself', () => {
    const defaults = resolveConfig({}).limits;
    assert.deepEqual(effectiveLimits(undefined), defaults);
    assert.deepEqual(effectiveLimits({ maxDepth: 50 }), { ...defaults, maxDepth: 50 });
    assert.throws(() => effectiveLimits({ maxDepth: -5 }));
  });
});

describe('command-line flags read with the schema’s fields', () => {
  const accepts = (read: () => unknown): boolean => {
    try {
      read();
      return true;
    } catch {
      return false;
    }
  };

  it('--concurrency takes exactly the numbers the `concurrency` setting takes', () => {
    for (let n = -1; n <= 40; n++) {
      assert.equal(accepts(() => parseConcurrency(String(n))), configSchema.safeParse({ concurrency: n }).success, `--concurrency ${n}`);
    }
    assert.throws(() => parseConcurrency('0'), /from 1 to 32/);
  });

  it('--page-size takes every named size of the schema (in any case) and WIDTHxHEIGHT in the schema’s CSS lengths', () => {
    for (const name of Object.keys(PAGE_SIZES)) assert.equal(parsePageSize(name.toLowerCase()), name);
    for (const [width, height] of [['150mm', '220mm'], ['6in', '9.5in'], ['150', '220mm'], ['150mm', '22em'], ['1.5cm', '3pt']] as const) {
      const schema = configSchema.safeParse({ page: { size: { width, height } } }).success;
      assert.equal(accepts(() => parsePageSize(`${width}x${height}`)), schema, `--page-size ${width}x${height}`);
    }
    assert.throws(() => parsePageSize('A3'), new RegExp(`use ${Object.keys(PAGE_SIZES).join(', ')} or WIDTHxHEIGHT`));
  });

  it('--format takes the formats of the schema', () => {
    assert.deepEqual(parseFormats(FORMATS.join(',')), [...FORMATS]);
    assert.ok(configSchema.safeParse({ formats: [...FORMATS] }).success);
    assert.throws(() => parseFormats('docx'), /unknown format "docx"/);
  });
});
