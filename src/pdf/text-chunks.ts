/**
 * Cuts long text nodes into short ones, before anything in the print page measures the text.
 *
 * Chromium finds the box of one character (a Range's client rect) in the shaping result of its
 * text node's piece of the line, at a cost that grows with the node's length; and a change anywhere
 * in a node lays out all of it again. The loose-line pass (loose-lines.ts) measures every third
 * character and the page layout (paginate.ts) moves text between pages, so one long node made both
 * quadratic: one paragraph of 20 000 Chinese characters took 45 s in the loose-line pass alone, and
 * 100 000 ran past the time budget. In nodes of at most 200 characters, 100 000 characters in one
 * paragraph are measured as fast as in 500 paragraphs (0.73 s against 1.30 s, in one run). Cut
 * between two words or two CJK ideographs (never at punctuation), the text renders the same: the
 * line breaker and justification run across the text nodes of one element.
 *
 * Runs inside the print page (page.evaluate; self-contained: no imports, no module helpers).
 */

/** Text nodes longer than twice this are cut into pieces about this long. */
export const TEXT_CHUNK = 100;

export interface TextChunkParams {
  /** Longest text node left whole is twice this; cuts fall about this far apart. */
  chunk: number;
}

/** Runs in the page; returns how many cuts it made. */
export function cutLongTextNodes(params: TextChunkParams): number {
  const { chunk } = params;
  const ideograph = (c: number): boolean => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
  /** The first place at or after `at` between a space and a word or between two ideographs, or -1. */
  const safeCut = (data: string, at: number): number => {
    for (let p = at; p < Math.min(data.length - 1, at + 200); p++) {
      const before = data.charCodeAt(p - 1);
      const after = data.charCodeAt(p);
      if (before === 0x20 || (ideograph(before) && ideograph(after))) return p;
    }
    return -1;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const long: Text[] = [];
  for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
    if (t.data.length > 2 * chunk && !t.parentElement?.closest('style, script')) long.push(t);
  }
  let made = 0;
  for (const text of long) {
    const data = text.data;
    const cuts: number[] = [];
    for (let at = chunk; at < data.length - chunk / 2; at += chunk) {
      const cut = safeCut(data, Math.max(at, (cuts[cuts.length - 1] ?? 0) + 1));
      if (cut > 0) cuts.push(cut);
    }
    for (let i = cuts.length - 1; i >= 0; i--) text.splitText(cuts[i] as number);
    made += cuts.length;
  }
  return made;
}
