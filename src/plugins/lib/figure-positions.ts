/**
 * Positions a figure group's caption names for its images: “左：…；右：…”, “（上）…（下）…”,
 * “左上…右下…”, “Left: … Right: …”, “(top) … (bottom) …”. The caption is written for a
 * layout, so the group is laid out that way: side by side for left/right, one above the other
 * for top/bottom, two by two for the four corners. The images take the positions in reading
 * order (the first image is the left or top one), as they do in the article.
 *
 * Only clearly positional words count: a position in brackets, or followed by a colon, 为/是 or
 * 图/侧/边 (“左图为…”, “图右：…”). 上 and 下 alone are too common in running text to count.
 */

export type FigureLayout = 'row' | 'column' | 'grid';

type Position = 'left' | 'center' | 'right' | 'top' | 'middle' | 'bottom' | 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

const CHINESE: Record<string, Position> = {
  左上: 'top-left',
  右上: 'top-right',
  左下: 'bottom-left',
  右下: 'bottom-right',
  左: 'left',
  中: 'center',
  右: 'right',
  上: 'top',
  下: 'bottom',
};
const ENGLISH: Record<string, Position> = {
  'top left': 'top-left',
  'top right': 'top-right',
  'bottom left': 'bottom-left',
  'bottom right': 'bottom-right',
  'upper left': 'top-left',
  'upper right': 'top-right',
  'lower left': 'bottom-left',
  'lower right': 'bottom-right',
  left: 'left',
  right: 'right',
  center: 'center',
  centre: 'center',
  middle: 'middle',
  top: 'top',
  above: 'top',
  bottom: 'bottom',
  below: 'bottom',
};

const ZH_WORD = '(左上|右上|左下|右下|左|中|右|上|下)';
const ZH_PATTERNS = [
  // （左）, 【右上】, (下)
  new RegExp(`[（(【\\[]\\s*${ZH_WORD}(?:图|侧|边|方)?\\s*[）)】\\]]`, 'g'),
  // 左：, 左图：, 图右为, 左侧是, 上图：… at the start of the caption, after punctuation, or after a
  // label's number or letters (“图1上：”, with or without the space the article's spacing leaves)
  new RegExp(`(?:^|[\\s，,；;。、：:）)】\\]0-9A-Za-z])图?${ZH_WORD}(?:图|侧|边|方)?\\s*(?:[：:]|为|是)`, 'g'),
];
const EN_WORD = '(top left|top right|bottom left|bottom right|upper left|upper right|lower left|lower right|left|right|center|centre|middle|top|above|bottom|below)';
const EN_PATTERNS = [new RegExp(`\\(\\s*${EN_WORD}\\s*\\)`, 'gi'), new RegExp(`(?:^|[.;,:)]\\s*|\\s)${EN_WORD}\\s*:`, 'gi')];

/** The positions a caption names, in the order it names them (each once). */
export function namedPositions(caption: string): Position[] {
  const found: { at: number; position: Position }[] = [];
  for (const pattern of ZH_PATTERNS) {
    for (const match of caption.matchAll(pattern)) {
      const word = match[1];
      const position = word ? CHINESE[word] : undefined;
      if (position) found.push({ at: match.index, position });
    }
  }
  for (const pattern of EN_PATTERNS) {
    for (const match of caption.matchAll(pattern)) {
      const word = match[1]?.toLowerCase();
      const position = word ? ENGLISH[word] : undefined;
      if (position) found.push({ at: match.index, position });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const positions: Position[] = [];
  for (const { position } of found) if (!positions.includes(position)) positions.push(position);
  return positions;
}

/**
 * The layout a group of `images` images takes from its caption, or undefined when the caption
 * names no positions, or names positions that do not fit the number of images.
 */
export function figureLayout(caption: string, images: number): FigureLayout | undefined {
  if (images < 2) return undefined;
  const named = new Set(namedPositions(caption));
  if (named.size === 0) return undefined;
  const has = (...list: Position[]): boolean => list.every((p) => named.has(p));
  const only = (...list: Position[]): boolean => [...named].every((p) => list.includes(p));
  if (images === 4 && has('top-left', 'top-right', 'bottom-left', 'bottom-right') && only('top-left', 'top-right', 'bottom-left', 'bottom-right')) return 'grid';
  const across = has('left', 'right') && only('left', 'right', 'center', 'middle');
  if (across && images === (named.has('center') || named.has('middle') ? 3 : 2)) return 'row';
  const down = has('top', 'bottom') && only('top', 'bottom', 'middle', 'center');
  if (down && images === (named.has('middle') || named.has('center') ? 3 : 2)) return 'column';
  return undefined;
}
