import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFixture, fixtureCases } from './harness.js';
import { detectLang } from '../../../src/plugins/lib/detect-lang.js';

describe('rehype-detect-lang fixtures', () => {
  for (const name of fixtureCases('rehype-detect-lang')) {
    it(name, () => {
      checkFixture('rehype-detect-lang', name);
    });
  }
});



describe('detectLang', () => {
  it('tells the scripts apart', () => {
    assert.equal(detectLang('中华人民共和国是一个国家。'), 'zh-CN');
    assert.equal(detectLang('臺灣的學校與醫院都很現代。'), 'zh-TW');
    assert.equal(detectLang('これは日本語の文章です。'), 'ja');
    assert.equal(detectLang('日本'), 'zh-CN', 'Han alone cannot be told from Chinese');
    assert.equal(detectLang('한국어 문장입니다.'), 'ko');
    assert.equal(detectLang('Plain English text.'), 'en');
    assert.equal(detectLang(''), 'en');
  });
});
