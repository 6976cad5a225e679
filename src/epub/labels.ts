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
  summary: (facts: SummaryFacts) => string;
  summaryLang: string;
}

/** What the accessibility summary says: the book's images and notes, and whether it claims conformance. */
export interface SummaryFacts {
  /** Pictures stored in the book. */
  images: number;
  /** Images that could not be had: a placeholder stands in for each. */
  missing: number;
  /** Images with neither alt text nor a caption. */
  undescribed: number;
  notes: number;
  conforms: boolean;
}

function zhHans(facts: SummaryFacts): string {
  const parts = ['本书为可重排文本，带有按标题层级组织的目录和导航地标，文字颜色由阅读器决定。'];
  if (facts.images > 0 && facts.undescribed === 0) parts.push('所有图片都有替代文字或描述它的图注。');
  if (facts.undescribed > 0) parts.push(`有 ${facts.undescribed} 张图片既无替代文字也无图注，只标为“图 n”。`);
  if (facts.missing > 0) parts.push(`有 ${facts.missing} 张图片未能收入，以“图片无法获取”标出，图注保留。`);
  if (facts.notes > 0) parts.push('注释与正文双向链接，支持的阅读器以弹出框显示。');
  parts.push(facts.conforms ? '经 Imprint 自动检查符合 EPUB Accessibility 1.1 与 WCAG 2.2 AA，未经人工审核。' : '本书未声明符合任何无障碍标准。');
  return parts.join('');
}

function zhHant(facts: SummaryFacts): string {
  const parts = ['本書為可重排文字，附有依標題層級組織的目錄與導覽地標，文字顏色由閱讀器決定。'];
  if (facts.images > 0 && facts.undescribed === 0) parts.push('所有圖片皆有替代文字或描述它的圖說。');
  if (facts.undescribed > 0) parts.push(`有 ${facts.undescribed} 張圖片既無替代文字也無圖說，只標為「圖 n」。`);
  if (facts.missing > 0) parts.push(`有 ${facts.missing} 張圖片未能收入，以「圖片無法取得」標出，圖說保留。`);
  if (facts.notes > 0) parts.push('註釋與正文雙向連結，支援的閱讀器以彈出框顯示。');
  parts.push(facts.conforms ? '經 Imprint 自動檢查符合 EPUB Accessibility 1.1 與 WCAG 2.2 AA，未經人工審核。' : '本書未聲明符合任何無障礙標準。');
  return parts.join('');
}

function en(facts: SummaryFacts): string {
  const parts = ['Reflowable text with a table of contents that follows the heading structure, and navigation landmarks; text colours are the reading system\'s.'];
  if (facts.images > 0 && facts.undescribed === 0) parts.push('Every image has a text alternative, or a caption that describes it.');
  if (facts.undescribed > 0) parts.push(`${facts.undescribed === 1 ? 'One image has' : `${facts.undescribed} images have`} neither a text alternative nor a caption and ${facts.undescribed === 1 ? 'is' : 'are'} only labelled "Image n".`);
  if (facts.missing > 0) parts.push(`${facts.missing === 1 ? 'One image' : `${facts.missing} images`} could not be included; ${facts.missing === 1 ? 'it is' : 'each is'} marked as unavailable and keeps ${facts.missing === 1 ? 'its' : 'their'} caption.`);
  if (facts.notes > 0) parts.push('Notes link to and from the text; reading systems that support it show them as pop-ups.');
  parts.push(facts.conforms ? 'Meets EPUB Accessibility 1.1 and WCAG 2.2 Level AA by Imprint\'s automated checks; not reviewed by a person.' : 'No conformance to an accessibility standard is claimed.');
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
