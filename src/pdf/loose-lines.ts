/**
 * The last resort for a justified line that would stretch too far.
 *
 * Chromium breaks lines one at a time and justifies each: when the next word (or a URL's next
 * part) does not fit and cannot be hyphenated, the line's word spaces stretch — in Latin text to
 * several times their width, in Chinese and Japanese text between every two characters
 * ("年 计 划 交 付"). Hyphenation points and URL break points (rehype-hyphenate, rehype-url-breaks)
 * make this rare; for what is left, a line whose word spaces would be over `maxSpaceRatio` times
 * their natural width, or whose CJK characters would stand more than `maxCjkGap` em apart, is
 * ended with a forced line break at the point where it already breaks, so it is set flush left
 * instead (a line ended by a forced break is not justified). Nothing after it moves. A line that
 * ended at a soft hyphen keeps its hyphen as a character. A paragraph's last line is not justified
 * — except where a page break splits the paragraph: its head's last line is, and once the pages
 * are made (scope 'pages') it is set flush left when it would be loose.
 *
 * Runs inside the print page before the page layout (page.evaluate; self-contained). Each line is
 * measured at its word spaces, every third CJK character and every full-width punctuation mark:
 * justification adds the same amount at every opportunity of a line, so a few are enough (a
 * character wider than 1 em carries the stretch).
 */

export interface LooseLineParams {
  /** Width of the page's content box, CSS px: lines are measured as the pages will set them. */
  width: number;
  /**
   * 'article' before the page layout, 'pages' after it: the last line of a paragraph that a page
   * break splits is justified (text-align-last), and can only be judged once the pages are made.
   */
  scope: 'article' | 'pages';
  /** Largest word space, as a multiple of the font's own space. */
  maxSpaceRatio: number;
  /** Largest gap between two CJK characters, in em. */
  maxCjkGap: number;
}

export interface LooseLineResult {
  /** Lines set flush left. */
  relieved: number;
  ms: number;
}

/** Runs in the page. Self-contained: no imports, no helpers from module scope. */
export function relieveLooseLines(params: LooseLineParams): LooseLineResult {
  const started = performance.now();
  const doc = document;
  const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  // Full-width punctuation takes the stretch of a line too (an opening bracket before a URL).
  const CJK_PUNCTUATION = /[\u3001-\u303f\uff01-\uff60]/u;
  const range = doc.createRange();
  const canvas = doc.createElement('canvas').getContext('2d');
  const spaceWidths = new Map<string, number>();
  const styleOf = new Map<Element, { space: number; size: number }>();
  const metrics = (element: Element): { space: number; size: number } => {
    let found = styleOf.get(element);
    if (found) return found;
    const style = getComputedStyle(element);
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    let space = spaceWidths.get(font);
    if (space === undefined) {
      if (canvas) canvas.font = font;
      space = canvas ? canvas.measureText(' ').width : 0;
      spaceWidths.set(font, space);
    }
    found = { space: space + (Number.parseFloat(style.wordSpacing) || 0), size: Number.parseFloat(style.fontSize) || 16 };
    styleOf.set(element, found);
    return found;
  };

  interface Sample {
    node: Text;
    index: number;
    /** Vertical middle of the character's box: a character below it is on a later line. */
    middle: number;
    bottom: number;
  }
  interface Line {
    last: Sample;
    loose: boolean;
  }

  let relieved = 0;
  // The article the page layout is about to set: the first not laid out yet (a book's chapters are set one by one).
  const article = params.scope === 'article' ? (Array.from(doc.querySelectorAll<HTMLElement>('article.article')).find((a) => !a.closest('.imprint-pages')) ?? null) : null;
  if (params.scope === 'article' && !article) return { relieved, ms: performance.now() - started };
  // The article at the width of the pages' text (the page layout sets it so; before it, the body
  // is as wide as the sheet).
  const saved = article?.style.cssText ?? '';
  if (article) {
    article.style.boxSizing = 'content-box';
    article.style.width = `${params.width}px`;
    article.style.paddingLeft = '0';
    article.style.paddingRight = '0';
  }
  const blocks = Array.from(article ? article.querySelectorAll(':is(p, li, dd, figcaption)') : doc.querySelectorAll('.imprint-page :is(p, li, dd, figcaption)'));
  for (const block of blocks) {
    if (getComputedStyle(block).textAlign !== 'justify') continue;
    // The block's own text, in order (nested blocks are measured on their own).
    const texts: Text[] = [];
    const walker = doc.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('p, li, dd, figcaption, pre') !== block) continue;
      texts.push(node as Text);
    }
    const lines: Line[] = [];
    let cjkCount = 0;
    for (const node of texts) {
      const data = node.data;
      const parent = node.parentElement as Element;
      for (let i = 0; i < data.length; i++) {
        const char = data[i] as string;
        const space = char === ' ';
        const cjk = !space && ((CJK.test(char) && cjkCount++ % 3 === 0) || CJK_PUNCTUATION.test(char));
        if (!space && !cjk) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0 && rect.height === 0) continue;
        const sample: Sample = { node, index: i, middle: (rect.top + rect.bottom) / 2, bottom: rect.bottom };
        const current = lines[lines.length - 1];
        if (!current || rect.top > current.last.middle) lines.push({ last: sample, loose: false });
        const line = lines[lines.length - 1] as Line;
        line.last = sample;
        const { space: normal, size } = metrics(parent);
        if (space ? normal > 0 && rect.width > params.maxSpaceRatio * normal : rect.width - size > params.maxCjkGap * size) line.loose = true;
      }
    }
    // The last line of a paragraph a page break splits is justified too: set flush left when loose.
    const last = lines[lines.length - 1];
    if (last?.loose && lines.length > 0 && getComputedStyle(block).textAlignLast === 'justify') {
      (block as HTMLElement).style.textAlignLast = 'auto';
      relieved++;
    }
    // Where each loose line breaks, found while the layout is still the one measured: a change to
    // the text lays out the whole paragraph again before the next measurement, so a paragraph
    // of many loose lines would be laid out once per line.
    const breaks: Array<{ node: Text; index: number }> = [];
    for (let l = lines.length - 2; l >= 0; l--) {
      const line = lines[l] as Line;
      if (!line.loose) continue;
      // Where the line breaks: the first character after its last sample that starts a new line.
      let at: { node: Text; index: number } | undefined;
      let t = texts.indexOf(line.last.node);
      let i = line.last.index + 1;
      for (let scanned = 0; t < texts.length && !at && scanned < 400; ) {
        const node = texts[t] as Text;
        if (i >= node.data.length) {
          t++;
          i = 0;
          continue;
        }
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        // The character's own box: right after a break at a soft hyphen, Chromium also gives the
        // hyphen's box on the line before.
        const rects = range.getClientRects();
        const rect = rects[rects.length - 1];
        if (rect && (rect.width > 0 || rect.height > 0) && rect.top > line.last.middle && node.data[i] !== ' ') at = { node, index: i };
        i++;
        scanned++;
      }
      if (at) breaks.push(at);
    }
    // Then the breaks, from the end, so that splitting a text node leaves the earlier offsets valid.
    for (const at of breaks) {
      const br = doc.createElement('br');
      br.className = 'imprint-loose-break';
      const before = at.index > 0 ? at.node.data[at.index - 1] : undefined;
      const tail = at.node.splitText(at.index);
      if (before === ' ' || before === '\u00ad') {
        // The space that ended the line goes; a soft hyphen there becomes the hyphen it showed.
        at.node.data = at.node.data.slice(0, -1) + (before === '\u00ad' ? '-' : '');
      }
      tail.parentNode?.insertBefore(br, tail);
      relieved++;
    }
  }
  if (article) article.style.cssText = saved;
  return { relieved, ms: performance.now() - started };
}
