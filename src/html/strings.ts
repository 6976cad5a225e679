/** The few words Imprint itself prints into a document, per language. */
export interface Strings {
  notes: string;
  imageUnavailable: string;
  backToText: string;
  source: string;
  rights: string;
  contents: string;
  cover: string;
  /** A book's editors: "{names}" for the names. */
  editedBy: string;
  /** Between names in a list. */
  nameSeparator: string;
  /** The colophon's list of a book's chapters with their authors, sources and rights. */
  chapters: string;
}

const ZH_HANS: Strings = {
  notes: '注释',
  imageUnavailable: '图片无法获取',
  backToText: '返回正文',
  source: '原文',
  rights: '版权',
  contents: '目录',
  cover: '封面',
  editedBy: '{names} 编',
  nameSeparator: '、',
  chapters: '收录文章',
};
const ZH_HANT: Strings = {
  notes: '註釋',
  imageUnavailable: '圖片無法取得',
  backToText: '返回正文',
  source: '原文',
  rights: '版權',
  contents: '目錄',
  cover: '封面',
  editedBy: '{names} 編',
  nameSeparator: '、',
  chapters: '收錄文章',
};
const JA: Strings = {
  notes: '注',
  imageUnavailable: '画像を取得できません',
  backToText: '本文へ戻る',
  source: '出典',
  rights: '著作権',
  contents: '目次',
  cover: '表紙',
  editedBy: '{names} 編',
  nameSeparator: '、',
  chapters: '収録作品',
};
const KO: Strings = {
  notes: '주석',
  imageUnavailable: '이미지를 불러올 수 없습니다',
  backToText: '본문으로',
  source: '원문',
  rights: '저작권',
  contents: '목차',
  cover: '표지',
  editedBy: '{names} 엮음',
  nameSeparator: ', ',
  chapters: '수록 글',
};
const EN: Strings = {
  notes: 'Notes',
  imageUnavailable: 'Image unavailable',
  backToText: 'Back to text',
  source: 'Source',
  rights: 'Rights',
  contents: 'Contents',
  cover: 'Cover',
  editedBy: 'Edited by {names}',
  nameSeparator: ', ',
  chapters: 'Chapters',
};

export function stringsFor(lang: string): Strings {
  const tag = lang.toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return ZH_HANT;
  if (tag.startsWith('zh')) return ZH_HANS;
  if (tag.startsWith('ja')) return JA;
  if (tag.startsWith('ko')) return KO;
  return EN;
}
