import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findCredit } from '../../../src/plugins/lib/credit.js';
import { checkFixture, fixtureCases } from './harness.js';

describe('rehype-figure-credits fixtures', () => {
  for (const name of fixtureCases('rehype-figure-credits')) {
    it(name, () => {
      checkFixture('rehype-figure-credits', name);
    });
  }
});

describe('findCredit', () => {
  const split = (caption: string) => {
    const found = findCredit(caption);
    return found && [caption.slice(0, found.captionEnd), caption.slice(found.creditStart, found.creditEnd)];
  };

  it('splits the credit forms off the end of a caption', () => {
    const cases: Array<[string, string, string]> = [
      ['港口的清晨。图自视觉中国', '港口的清晨。', '图自视觉中国'],
      ['港口的清晨 图源：新华网', '港口的清晨', '图源：新华网'],
      ['港口的清晨，摄影：李四', '港口的清晨', '摄影：李四'],
      ['港口的清晨。来源：东方网', '港口的清晨。', '来源：东方网'],
      ['港口的清晨。记者 王五 摄', '港口的清晨。', '记者 王五 摄'],
      ['港口的清晨（图/人民视觉）', '港口的清晨', '图/人民视觉'],
      ['港口的清晨。资料图：央视新闻', '港口的清晨。', '资料图：央视新闻'],
      ['Boats at dawn. Photo: Ann Lee', 'Boats at dawn.', 'Photo: Ann Lee'],
      ['Boats at dawn. Source: Port Authority', 'Boats at dawn.', 'Source: Port Authority'],
      ['Boats at dawn (Photo by Ann Lee)', 'Boats at dawn', 'Photo by Ann Lee'],
      ['Boats at dawn. Courtesy of the museum', 'Boats at dawn.', 'Courtesy of the museum'],
      ['東京の夜景。写真：共同通信', '東京の夜景。', '写真：共同通信'],
      ['서울의 밤 사진=연합뉴스', '서울의 밤', '사진=연합뉴스'],
    ];
    for (const [caption, text, credit] of cases) assert.deepEqual(split(caption), [text, credit], caption);
  });

  it('finds no credit in an ordinary caption', () => {
    for (const caption of ['雨后的街道，来源不明的光斑映在水洼里', 'A photo of the harbour at night', '写真は東京駅の様子', '摄影爱好者在湖边拍照。', 'The source of the river']) {
      assert.equal(findCredit(caption), undefined, caption);
    }
  });
});
