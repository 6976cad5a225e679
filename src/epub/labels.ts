/**
 * The words the EPUB adds (navigation, landmarks, accessibility summary), per language.
 *
 * Not the library's job: epub-gen-memory's only word is its table of contents' title, given by
 * the caller (Imprint passes labels.contents).
 */
import { stringsFor, type Strings } from '../html/strings.js';

export interface EpubLabels extends Strings {
  /** Landmark for the article text. */
  text: string;
  landmarks: string;
  colophon: string;
  author: string;
  publisher: string;
  date: string;
  producedWith: string;
  /** Accessibility summary, and the language it is written in. */
  summary: (facts: { images: number; notes: number }) => string;
  summaryLang: string;
}

function zhHans(facts: { images: number; notes: number }): string {
  const parts = ['本书为可重排文本，带有按标题层级组织的目录和导航地标。'];
  if (facts.images > 0) parts.push('所有图片都有替代文字（未提供时取自图注）。');
  if (facts.notes > 0) parts.push('注释与正文双向链接，支持的阅读器以弹出框显示。');
  return parts.join('');
}

function zhHant(facts: { images: number; notes: number }): string {
  const parts = ['本書為可重排文字，附有依標題層級組織的目錄與導覽地標。'];
  if (facts.images > 0) parts.push('所有圖片皆有替代文字（未提供時取自圖說）。');
  if (facts.notes > 0) parts.push('註釋與正文雙向連結，支援的閱讀器以彈出框顯示。');
  return parts.join('');
}

function en(facts: { images: number; notes: number }): string {
  const parts = ['Reflowable text with a table of contents that follows the heading structure, and navigation landmarks.'];
  if (facts.images > 0) parts.push('Every image has a text alternative (taken from its caption when none was given).');
  if (facts.notes > 0) parts.push('Notes link to and from the text; reading systems that support it show them as pop-ups.');
  return parts.join(' ');
}

export function labelsFor(lang: string): EpubLabels {
  const strings = stringsFor(lang);
  const tag = lang.toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return { ...strings, text: '正文', landmarks: '地標', colophon: '版權資訊', author: '作者', publisher: '出版', date: '日期', producedWith: '以 Imprint 製作', summary: zhHant, summaryLang: 'zh-Hant' };
  if (tag.startsWith('zh')) return { ...strings, text: '正文', landmarks: '地标', colophon: '版权信息', author: '作者', publisher: '出版', date: '日期', producedWith: '由 Imprint 制作', summary: zhHans, summaryLang: 'zh-Hans' };
  if (tag.startsWith('ja')) return { ...strings, text: '本文', landmarks: 'ランドマーク', colophon: '奥付', author: '著者', publisher: '発行', date: '日付', producedWith: 'Imprint で制作', summary: en, summaryLang: 'en' };
  if (tag.startsWith('ko')) return { ...strings, text: '본문', landmarks: '랜드마크', colophon: '판권', author: '저자', publisher: '발행', date: '날짜', producedWith: 'Imprint로 제작', summary: en, summaryLang: 'en' };
  return { ...strings, text: 'Text', landmarks: 'Landmarks', colophon: 'Colophon', author: 'Author', publisher: 'Publisher', date: 'Date', producedWith: 'Made with Imprint', summary: en, summaryLang: 'en' };
}
