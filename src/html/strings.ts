import type { PlaceholderCause } from '../model.js';

/** The few words Imprint itself prints into a document, per language. */
export interface Strings {
  notes: string;
  imageUnavailable: string;
  /** Why an image is not shown, after imageUnavailable ("Image unavailable: refused by policy"). */
  imageCause: Record<PlaceholderCause, string>;
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
  /** The text alternative of an image that has neither alt text nor a caption, "{n}" for its number. */
  imageNumbered: string;
  /** The text alternative of an image whose caption describes it, "{n}" for its number (the caption is then read once). */
  imageInCaption: string;
}

const ZH_HANS: Strings = {
  notes: '注释',
  imageUnavailable: '图片无法获取',
  imageCause: { unreachable: '无法访问', refused: '被安全策略拒绝', uncached: '未下载（离线）', invalid: '文件损坏或不是图片', 'too-large': '文件过大' },
  backToText: '返回正文',
  source: '原文',
  rights: '版权',
  contents: '目录',
  cover: '封面',
  editedBy: '{names} 编',
  nameSeparator: '、',
  chapters: '收录文章',
  imageNumbered: '图 {n}',
  imageInCaption: '图 {n}（见图注）',
};
const ZH_HANT: Strings = {
  notes: '註釋',
  imageUnavailable: '圖片無法取得',
  imageCause: { unreachable: '無法連線', refused: '被安全政策拒絕', uncached: '未下載（離線）', invalid: '檔案損壞或不是圖片', 'too-large': '檔案過大' },
  backToText: '返回正文',
  source: '原文',
  rights: '版權',
  contents: '目錄',
  cover: '封面',
  editedBy: '{names} 編',
  nameSeparator: '、',
  chapters: '收錄文章',
  imageNumbered: '圖 {n}',
  imageInCaption: '圖 {n}（見圖說）',
};
const JA: Strings = {
  notes: '注',
  imageUnavailable: '画像を取得できません',
  imageCause: { unreachable: '接続できません', refused: 'ポリシーにより拒否', uncached: '未ダウンロード（オフライン）', invalid: '破損しているか画像ではありません', 'too-large': 'サイズが大きすぎます' },
  backToText: '本文へ戻る',
  source: '出典',
  rights: '著作権',
  contents: '目次',
  cover: '表紙',
  editedBy: '{names} 編',
  nameSeparator: '、',
  chapters: '収録作品',
  imageNumbered: '図 {n}',
  imageInCaption: '図 {n}（キャプション参照）',
};
const KO: Strings = {
  notes: '주석',
  imageUnavailable: '이미지를 불러올 수 없습니다',
  imageCause: { unreachable: '연결할 수 없음', refused: '정책에 의해 거부됨', uncached: '내려받지 않음(오프라인)', invalid: '손상되었거나 이미지가 아님', 'too-large': '크기가 너무 큼' },
  backToText: '본문으로',
  source: '원문',
  rights: '저작권',
  contents: '목차',
  cover: '표지',
  editedBy: '{names} 엮음',
  nameSeparator: ', ',
  chapters: '수록 글',
  imageNumbered: '그림 {n}',
  imageInCaption: '그림 {n} (캡션 참조)',
};
const EN: Strings = {
  notes: 'Notes',
  imageUnavailable: 'Image unavailable',
  imageCause: { unreachable: 'unreachable', refused: 'refused by policy', uncached: 'not downloaded (offline)', invalid: 'damaged or not an image', 'too-large': 'too large' },
  backToText: 'Back to text',
  source: 'Source',
  rights: 'Rights',
  contents: 'Contents',
  cover: 'Cover',
  editedBy: 'Edited by {names}',
  nameSeparator: ', ',
  chapters: 'Chapters',
  imageNumbered: 'Image {n}',
  imageInCaption: 'Image {n}, described in its caption',
};

export function stringsFor(lang: string): Strings {
  const tag = lang.toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return ZH_HANT;
  if (tag.startsWith('zh')) return ZH_HANS;
  if (tag.startsWith('ja')) return JA;
  if (tag.startsWith('ko')) return KO;
  return EN;
}
