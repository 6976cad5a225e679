/**
 * Page-bottom footnotes, laid out by Chromium's own fragmentation engine.
 *
 * `paginate` runs inside the page (page.evaluate; it is serialized, so it must not use anything
 * from this module's scope). It turns the print document's single <article> into explicit page
 * divs, each holding one page of text and, at its foot, the notes whose marks it holds:
 *
 *  1. The end-notes list is taken out of the document and every note is built as a footnote;
 *     all footnotes are measured once, at the page's width.
 *  2. The flow (the article header and the body's blocks, with their wrappers) is fed, a few blocks
 *     at a time, into a multicolumn measuring box whose column is the page's content box. Chromium
 *     fragments it exactly as it would print it: break-inside, break-after: avoid, orphans, widows.
 *  3. For each page: find the first content in column 2 (the break), the note marks before it, and
 *     the height of their notes; shrink the column by that height and repeat until stable (a mark
 *     that no longer fits moves to the next page with its note).
 *  4. Cut the flow at the break with Range.extractContents (split paragraphs, lists and tables
 *     become a head and a continuation; the continuation gets no new indent or top margin) and
 *     emit the page div: page text + the footnotes under a short rule.
 *
 * The measuring box only ever holds about one page and a half, so the cost per page is constant.
 */

export interface PaginateParams {
  /** Width of the content box, CSS px. */
  width: number;
  /** Height of a page div (the content box, less a rounding allowance), CSS px. */
  height: number;
  /** Room kept free between the text and the footnotes against rounding, CSS px. */
  safety: number;
  /** Height the text of a page never shrinks below to make room for notes, in lines of body text. */
  minTextLines: number;
  /** Known pixel sizes of missing images (by image id): their placeholders get the size the image would have had. */
  placeholders: Record<string, { width: number; height: number }>;
  /** Most pages the layout makes before it gives up (a guard against a layout that does not progress). */
  maxPages: number;
}

export interface PaginateResult {
  /** Number of page divs (pages of the article, without cover and colophon). */
  pages: number;
  /** For each page (index 0 = first page of the article), the numbers of the notes at its foot. */
  pageNotes: number[][];
  /** 1-based pages whose text and notes did not fit (they were clipped). */
  overflows: number[];
  /** Notes without a mark in the text (set at the foot of the last page). */
  unreferenced: number[];
  /** How many times the measuring box was laid out. */
  layouts: number;
  /** Time spent in the page, and the part of it spent waiting for web fonts. */
  ms: number;
  fontMs: number;
}

/** Runs in the page. Self-contained: no imports, no helpers from module scope. */
export async function paginate(params: PaginateParams): Promise<PaginateResult> {
  const started = performance.now();
  const doc = document;
  const W = params.width;
  const H = params.height;
  const article = doc.querySelector('article.article');
  if (!article || !article.parentNode) throw new Error('print document has no <article class="article">');
  let layouts = 0;

  // ---- 1. Notes → footnotes ---------------------------------------------------------------
  const footnotes = new Map<number, HTMLElement>();
  const noteOrder: number[] = [];
  const noteNumber = (href: string | null): number | undefined => {
    const m = /#note-(\d+)$/.exec(href ?? '');
    return m?.[1] ? Number(m[1]) : undefined;
  };
  for (const section of Array.from(article.querySelectorAll('section.notes'))) {
    for (const li of Array.from(section.querySelectorAll('li.note'))) {
      const n = Number(li.getAttribute('value') ?? /(\d+)$/.exec(li.id)?.[1] ?? NaN);
      if (!Number.isFinite(n) || footnotes.has(n)) continue;
      for (const back of Array.from(li.querySelectorAll('a.backlink, [role="doc-backlink"]'))) {
        const prev = back.previousSibling;
        if (prev && prev.nodeType === Node.TEXT_NODE) prev.textContent = (prev.textContent ?? '').replace(/\s+$/, '');
        back.remove();
      }
      const note = doc.createElement('div');
      note.className = 'imprint-footnote';
      for (const cls of Array.from(li.classList)) if (cls !== 'note' && cls.startsWith('note-')) note.classList.add(`imprint-footnote-${cls.slice(5)}`);
      note.id = li.id || `note-${n}`;
      note.setAttribute('role', 'doc-footnote');
      const marker = doc.createElement('a');
      marker.className = 'imprint-footnote-number';
      marker.setAttribute('href', `#noteref-${n}`);
      marker.textContent = String(n);
      while (li.firstChild) note.appendChild(li.firstChild);
      const first = note.firstElementChild;
      if (first && first.tagName === 'P' && note.firstChild === first) first.insertBefore(marker, first.firstChild);
      else note.insertBefore(marker, note.firstChild);
      footnotes.set(n, note);
      noteOrder.push(n);
    }
    section.remove();
  }

  // Every footnote waits in a page-like probe box at the page's width until it is placed, so it
  // can be measured (once) and, if a note is taller than a page can hold, split between lines.
  const probePage = doc.createElement('div');
  probePage.className = 'imprint-page imprint-measure-notes';
  const emptyBox = doc.createElement('aside');
  emptyBox.className = 'imprint-footnotes';
  const probeBox = doc.createElement('aside');
  probeBox.className = 'imprint-footnotes';
  for (const n of noteOrder) probeBox.appendChild(footnotes.get(n) as HTMLElement);
  probePage.append(emptyBox, probeBox);
  doc.body.appendChild(probePage);
  // The PDF stage set the margin-box text in every Imprint face (see fontWarmupHtml), so its
  // web-font slices loaded with the document. Take it out, and wait for whatever the new boxes
  // (footnote numbers) still need.
  for (const warm of Array.from(doc.querySelectorAll('.imprint-font-warmup'))) warm.remove();
  void doc.body.getBoundingClientRect();
  layouts++;
  const fontStart = performance.now();
  await doc.fonts.ready;
  const fontMs = performance.now() - fontStart;
  const noteOverhead = emptyBox.getBoundingClientRect().height;
  const heights = new Map<Element, number>();
  for (const n of noteOrder) {
    const note = footnotes.get(n) as HTMLElement;
    heights.set(note, note.getBoundingClientRect().height);
  }
  const heightOf = (note: Element): number => {
    let h = heights.get(note);
    if (h === undefined) {
      if (note.parentNode !== probeBox) probeBox.appendChild(note);
      h = note.getBoundingClientRect().height;
      heights.set(note, h);
    }
    return h;
  };
  /** Height of a footnote block holding these notes (0 for none). */
  const blockHeight = (notes: Element[]): number => {
    if (notes.length === 0) return 0;
    let sum = noteOverhead;
    for (const note of notes) sum += heightOf(note);
    return Math.ceil(sum);
  };

  /**
   * Splits a footnote (in the probe box) after its last line that fits in `room` px: returns the
   * part that fits (with the number), and leaves the rest in `note`, marked as continued.
   * Undefined when not even one line fits.
   */
  const splitNote = (note: HTMLElement, room: number): HTMLElement | undefined => {
    if (note.parentNode !== probeBox) probeBox.appendChild(note);
    const limit = note.getBoundingClientRect().top + room;
    const walker = doc.createTreeWalker(note, NodeFilter.SHOW_TEXT);
    const span = doc.createRange();
    const fits = (text: Text, from: number): boolean => {
      span.setStart(text, from);
      span.setEnd(text, text.data.length);
      for (const r of Array.from(span.getClientRects())) if (r.height > 0 && r.bottom <= limit + 0.5) return true;
      return false;
    };
    let at: { node: Node; offset: number } | undefined;
    for (let text = walker.nextNode() as Text | null; text && !at; text = walker.nextNode() as Text | null) {
      if (text.data.length === 0) continue;
      span.selectNodeContents(text);
      const rects = Array.from(span.getClientRects()).filter((r) => r.height > 0);
      if (rects.length === 0 || rects.every((r) => r.bottom <= limit + 0.5)) continue;
      if (!fits(text, 0)) {
        at = { node: text, offset: 0 };
        break;
      }
      let lo = 0;
      let hi = text.data.length;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (fits(text, mid)) lo = mid;
        else hi = mid;
      }
      at = { node: text, offset: hi };
    }
    if (!at) return undefined;
    const head = doc.createRange();
    head.setStart(note, 0);
    head.setEnd(at.node, at.offset);
    const probe = head.cloneContents();
    if ((probe.textContent ?? '').trim() === '') return undefined;
    const split: Element[] = [];
    for (let n: Node | null = at.node.parentNode; n && n !== note; n = n.parentNode) split.push(n as Element);
    const part = note.cloneNode(false) as HTMLElement;
    part.appendChild(head.extractContents());
    for (const el of split) el.classList.add('imprint-continued');
    note.removeAttribute('id');
    note.classList.add('imprint-footnote-continued');
    heights.delete(note);
    probeBox.appendChild(part);
    heights.set(part, part.getBoundingClientRect().height);
    return part;
  };

  // Notes no mark in the text points to (they are printed after the last page's notes).
  const referenced = new Set<number>();
  for (const ref of Array.from(article.querySelectorAll('a[role="doc-noteref"], sup.noteref > a'))) {
    const n = noteNumber(ref.getAttribute('href'));
    if (n !== undefined) referenced.add(n);
  }
  const unreferenced = noteOrder.filter((n) => !referenced.has(n));

  // A missing image's frame takes the size the image would have had (as far as it is known).
  for (const frame of Array.from(article.querySelectorAll<HTMLElement>('.image-placeholder[data-image-id]'))) {
    const size = params.placeholders[frame.getAttribute('data-image-id') ?? ''];
    if (!size || size.width <= 0 || size.height <= 0) continue;
    const maxHeight = Number.parseFloat(getComputedStyle(frame).maxHeight);
    const limit = Number.isFinite(maxHeight) ? (maxHeight * size.width) / size.height : Infinity;
    frame.style.width = `${Math.min(size.width, W, limit)}px`;
    frame.style.maxHeight = 'none';
    frame.style.aspectRatio = `${size.width} / ${size.height}`;
  }

  // A note mark never starts a line: it is kept with the character before it (in a nowrap span
  // when that is plain text, else with U+2060 WORD JOINER).
  for (const mark of Array.from(article.querySelectorAll('sup.noteref'))) {
    const before = mark.previousSibling;
    const parent = mark.parentNode;
    if (!before || !parent) continue;
    if (before.nodeType === Node.TEXT_NODE) {
      const text = before as Text;
      const data = text.data;
      if (data === '' || /\s$/.test(data)) continue;
      const low = data.charCodeAt(data.length - 1);
      const size = low >= 0xdc00 && low <= 0xdfff && data.length > 1 ? 2 : 1;
      const last = size < data.length ? text.splitText(data.length - size) : text;
      const glue = doc.createElement('span');
      glue.className = 'imprint-nobreak';
      parent.insertBefore(glue, mark);
      glue.append(last, mark);
    } else if (before.nodeType === Node.ELEMENT_NODE) {
      parent.insertBefore(doc.createTextNode('\u2060'), mark);
    }
  }

  // ---- 2. The flow -----------------------------------------------------------------------
  interface Unit {
    node: Node;
    inBody: boolean;
  }
  const units: Unit[] = [];
  let bodySource: Element | null = null;
  for (const child of Array.from(article.childNodes)) {
    if (child.nodeType === Node.ELEMENT_NODE && (child as Element).classList.contains('article-body')) {
      bodySource = child as Element;
      for (const block of Array.from(child.childNodes)) units.push({ node: block, inBody: true });
    } else if (child.nodeType === Node.ELEMENT_NODE || (child.textContent ?? '').trim() !== '') {
      units.push({ node: child, inBody: false });
    }
  }
  const holder = doc.createComment('imprint-pages');
  article.parentNode.replaceChild(holder, article);
  const pagesBox = doc.createElement('div');
  pagesBox.className = 'imprint-pages';

  const measure = doc.createElement('div');
  measure.className = 'imprint-measure';
  doc.body.appendChild(measure);
  const setHeight = (h: number): void => {
    measure.style.height = `${Math.max(h, 1)}px`;
  };

  let shellCount = 0;
  let bodyShellCount = 0;
  const articleShell = (): Element => {
    const existing = measure.firstElementChild;
    if (existing) return existing;
    const shell = article.cloneNode(false) as Element;
    shell.setAttribute('data-imprint-flow', 'article');
    if (shellCount++ > 0) {
      shell.removeAttribute('id');
      shell.classList.add('imprint-continued');
    }
    measure.appendChild(shell);
    return shell;
  };
  const bodyShell = (): Element => {
    const shell = articleShell();
    const last = shell.lastElementChild;
    if (last && last.getAttribute('data-imprint-flow') === 'body') return last;
    const body = (bodySource as Element).cloneNode(false) as Element;
    body.setAttribute('data-imprint-flow', 'body');
    if (bodyShellCount++ > 0) {
      body.removeAttribute('id');
      body.classList.add('imprint-continued');
    }
    shell.appendChild(body);
    return body;
  };
  const isShell = (node: Node): boolean =>
    node.nodeType === Node.ELEMENT_NODE && (node as Element).hasAttribute('data-imprint-flow');

  let next = 0;
  const unitWeight = (node: Node): number => {
    let weight = (node.textContent ?? '').length;
    if (node.nodeType === Node.ELEMENT_NODE) {
      const el = node as Element;
      weight += 400 * el.querySelectorAll('img, .image-placeholder, svg').length;
      if (el.matches('img, .image-placeholder, svg')) weight += 400;
      weight += 30 * el.querySelectorAll('li, tr, br').length;
    }
    return weight;
  };

  // Column 2 begins at 2W (the column gap is W); anything starting right of 1.5W is past column 1.
  let splitX = 0;
  const inFirstColumn = (r: DOMRect): boolean => r.left < splitX;
  /** 0: no boxes, 1: all in column 1, 2: none in column 1, 3: both. */
  const classify = (rects: DOMRectList): number => {
    if (rects.length === 0) return 0;
    let first = 0;
    let later = 0;
    for (const r of Array.from(rects)) {
      if (inFirstColumn(r)) first++;
      else later++;
    }
    return later === 0 ? 1 : first === 0 ? 2 : 3;
  };
  const lastLeaf = (): Element | null => {
    let el = measure.lastElementChild;
    while (el && isShell(el) && el.lastElementChild) el = el.lastElementChild;
    return el && !isShell(el) ? el : null;
  };
  const overflowing = (): boolean => {
    layouts++;
    splitX = measure.getBoundingClientRect().left + 1.5 * W;
    const leaf = lastLeaf();
    if (!leaf) return false;
    const rects = leaf.getClientRects();
    const last = rects[rects.length - 1];
    return last !== undefined && !inFirstColumn(last);
  };

  let charsPerPage = Math.max(200, Math.round((W * H) / (16 * 16 * 1.8)));
  /** Appends blocks until some of them no longer fit in column 1 (or the flow is used up). */
  const fill = (): void => {
    if (next >= units.length) return;
    // What is left from the last page is laid out only when it may fill a page by itself.
    if (unitWeight(measure) > charsPerPage && overflowing()) return;
    while (next < units.length) {
      let budget = Math.max(100, Math.round(charsPerPage * 0.75));
      do {
        const unit = units[next++] as Unit;
        (unit.inBody ? bodyShell() : articleShell()).appendChild(unit.node);
        budget -= unitWeight(unit.node);
      } while (next < units.length && budget > 0);
      if (overflowing()) return;
    }
  };

  const hasContent = (node: Node): boolean => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        if ((child.textContent ?? '').trim() !== '') return true;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (!isShell(child) || hasContent(child)) return true;
      }
    }
    return false;
  };

  // ---- 3. Finding the break --------------------------------------------------------------
  interface Pos {
    node: Node;
    offset: number;
  }
  const range = doc.createRange();
  const textRects = (text: Text, from: number, to: number): DOMRectList => {
    range.setStart(text, from);
    range.setEnd(text, to);
    return range.getClientRects();
  };
  const ATOMIC = /^(IMG|SVG|VIDEO|PICTURE|CANVAS|IFRAME|OBJECT|EMBED|TR|H1|H2|H3|H4|H5|H6|MATH)$/;
  const isAtomic = (el: Element, rects: DOMRectList): boolean => {
    // What is taller than a whole page breaks anyway: better where it stands than on a new page.
    let height = 0;
    for (const r of Array.from(rects)) height += r.height;
    if (height > H) return false;
    if (ATOMIC.test(el.tagName.toUpperCase()) || el.classList.contains('image-placeholder')) return true;
    const avoid = getComputedStyle(el).breakInside;
    return avoid === 'avoid' || avoid === 'avoid-page' || avoid === 'avoid-column';
  };
  const indexIn = (node: Node): number => Array.prototype.indexOf.call((node.parentNode as Node).childNodes, node) as number;

  /** The first position whose content lies past column 1, or null when everything fits. */
  const findBreak = (parent: Node, force: boolean): Pos | null => {
    const kids = parent.childNodes;
    for (let i = 0; i < kids.length; i++) {
      const child = kids[i] as Node;
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child as Text;
        const length = text.data.length;
        if (length === 0) continue;
        const kind = classify(textRects(text, 0, length));
        if (kind <= 1) continue;
        if (kind === 2) return { node: parent, offset: i };
        // Smallest offset from which the rest of the text lies past column 1.
        let lo = 0;
        let hi = length;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          const rects = textRects(text, mid, length);
          let before = false;
          for (const r of Array.from(rects)) if (inFirstColumn(r)) before = true;
          if (before) lo = mid;
          else hi = mid;
        }
        let offset = hi;
        const code = text.data.charCodeAt(offset);
        if (code >= 0xdc00 && code <= 0xdfff) offset++;
        return { node: text, offset };
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const el = child as Element;
      const rects = el.getClientRects();
      const kind = classify(rects);
      if (kind === 1) {
        // Something that cannot break (an image, a table row) taller than the rest of the page.
        for (const r of Array.from(rects)) if (r.bottom > columnBottom + 1) tooTall = true;
        continue;
      }
      if (kind === 2) return { node: parent, offset: i };
      if (kind === 3 && !force && isAtomic(el, rects)) return { node: parent, offset: i };
      const inner = findBreak(el, force);
      if (inner) return inner;
    }
    return null;
  };

  /** A table's header and caption alone are no progress: a break after them is a break before the table. */
  const HEADER = /^(THEAD|CAPTION|COLGROUP|COL)$/;
  const blankBefore = (parent: Node, offset: number): boolean => {
    for (let i = 0; i < offset; i++) {
      const c = parent.childNodes[i] as Node;
      if (c.nodeType === Node.ELEMENT_NODE) {
        if ((parent as Element).tagName === 'TABLE' && HEADER.test((c as Element).tagName)) continue;
        return false;
      }
      if (c.nodeType === Node.TEXT_NODE && (c.textContent ?? '').trim() !== '') return false;
    }
    return true;
  };
  /** Lifts a break at the very start or end of a node to its parent. */
  const normalize = (pos: Pos): Pos => {
    let { node, offset } = pos;
    while (node !== measure && node.parentNode) {
      const length = node.nodeType === Node.TEXT_NODE ? (node as Text).data.length : node.childNodes.length;
      const atStart = node.nodeType === Node.TEXT_NODE ? offset === 0 : blankBefore(node, offset);
      if (atStart) {
        offset = indexIn(node);
        node = node.parentNode;
      } else if (offset >= length) {
        offset = indexIn(node) + 1;
        node = node.parentNode;
      } else break;
    }
    return { node, offset };
  };
  const atFlowStart = (pos: Pos): boolean => pos.node === measure && blankBefore(measure, pos.offset);
  const flowEnd = (): Pos => ({ node: measure, offset: measure.childNodes.length });
  /** The break for the current column height; always takes at least one block onto the page. */
  /** Set when the page being broken holds something taller than its column (it will be clipped). */
  let tooTall = false;
  let columnBottom = 0;
  const naturalBreak = (): Pos => {
    layouts++;
    const box = measure.getBoundingClientRect();
    splitX = box.left + 1.5 * W;
    columnBottom = box.bottom;
    tooTall = false;
    const found = findBreak(measure, false);
    if (!found) return flowEnd();
    let pos = normalize(found);
    if (!atFlowStart(pos)) return pos;
    const forced = findBreak(measure, true);
    pos = forced ? normalize(forced) : flowEnd();
    if (!atFlowStart(pos)) return pos;
    // Nothing fits (e.g. one image taller than the page): take the first block whole.
    tooTall = true;
    let first: Node | null = measure.firstChild;
    while (first && isShell(first) && first.firstChild) first = first.firstChild;
    while (first && first.nodeType === Node.TEXT_NODE && first.nextSibling) first = first.nextSibling;
    return first ? normalize({ node: first.parentNode as Node, offset: indexIn(first) + 1 }) : flowEnd();
  };

  /** Lines of a block in column 1, column 2 and beyond, and the tops of its column-1 lines. */
  const lineCounts = (el: Element): { first: number[]; second: number; more: number } => {
    const span = doc.createRange();
    span.selectNodeContents(el);
    const columns: { top: number; bottom: number }[][] = [[], [], []];
    const rects = Array.from(span.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    rects.sort((a, b) => a.top - b.top);
    for (const r of rects) {
      const column = r.left < splitX ? 0 : r.left < splitX + 2 * W ? 1 : 2;
      const lines = columns[column] as { top: number; bottom: number }[];
      const last = lines[lines.length - 1];
      if (last && r.top < last.bottom - 1) last.bottom = Math.max(last.bottom, r.bottom);
      else lines.push({ top: r.top, bottom: r.bottom });
    }
    return { first: (columns[0] ?? []).map((l) => l.top), second: (columns[1] ?? []).length, more: (columns[2] ?? []).length };
  };

  /**
   * Chromium keeps orphans but lets a widow through when a paragraph is too short for both
   * (a 3-line paragraph breaks 2 + 1). How much shorter the column must be to carry enough
   * lines over; 0 when the break is fine.
   */
  const isInline = (node: Node | undefined): boolean =>
    node !== undefined && (node.nodeType === Node.TEXT_NODE || (node.nodeType === Node.ELEMENT_NODE && getComputedStyle(node as Element).display.startsWith('inline')));
  const widowDeficit = (pos: Pos): number => {
    // Only a break between two lines of text counts, not one between blocks.
    if (pos.node.nodeType !== Node.TEXT_NODE && !isInline(pos.node.childNodes[pos.offset])) return 0;
    let node: Node | null = pos.node.nodeType === Node.TEXT_NODE ? pos.node.parentNode : pos.node;
    while (node && node !== measure && node.nodeType === Node.ELEMENT_NODE && getComputedStyle(node as Element).display.startsWith('inline')) node = node.parentNode;
    if (!node || node === measure || node.nodeType !== Node.ELEMENT_NODE || isShell(node)) return 0;
    const block = node as Element;
    const { first, second, more } = lineCounts(block);
    if (first.length === 0 || second === 0 || more > 0) return 0;
    const style = getComputedStyle(block);
    const widows = Number.parseInt(style.widows, 10) || 2;
    if (second >= widows) return 0;
    const pitch = first.length >= 2 ? ((first[first.length - 1] as number) - (first[0] as number)) / (first.length - 1) : Number.parseFloat(style.lineHeight) || 20;
    return (widows - second) * pitch;
  };

  /** The break for the current column height; always takes at least one block onto the page. */
  const pageBreak = (): Pos => {
    let pos = naturalBreak();
    for (let tries = 0; tries < 3; tries++) {
      const deficit = widowDeficit(pos);
      if (deficit <= 0) break;
      const height = Number.parseFloat(measure.style.height) - deficit;
      if (height < 1) break;
      setHeight(height);
      pos = naturalBreak();
    }
    return pos;
  };

  const refsBefore = (pos: Pos, placed: Set<number>): number[] => {
    const span = doc.createRange();
    span.setStart(measure, 0);
    span.setEnd(pos.node, pos.offset);
    const numbers: number[] = [];
    for (const ref of Array.from(measure.querySelectorAll('a[role="doc-noteref"], sup.noteref > a'))) {
      const n = noteNumber(ref.getAttribute('href'));
      if (n === undefined || placed.has(n) || numbers.includes(n) || !footnotes.has(n)) continue;
      if (span.isPointInRange(ref, 0)) numbers.push(n);
    }
    return numbers;
  };

  // ---- 4. Cutting and emitting pages ---------------------------------------------------------
  const markPageTop = (): void => {
    let node: Node | null = measure.firstChild;
    while (node) {
      while (node && node.nodeType !== Node.ELEMENT_NODE && (node.textContent ?? '').trim() === '') node = node.nextSibling;
      if (!node || node.nodeType !== Node.ELEMENT_NODE) return;
      (node as Element).classList.add('imprint-page-top');
      node = node.firstChild;
    }
  };

  const cut = (pos: Pos): DocumentFragment => {
    const split: Element[] = [];
    for (let n: Node | null = pos.node.nodeType === Node.TEXT_NODE ? pos.node.parentNode : pos.node; n && n !== measure; n = n.parentNode) {
      const el = n as Element;
      const style = getComputedStyle(el);
      el.setAttribute('data-imprint-split', style.textAlign === 'justify' && style.display !== 'inline' ? 'justify' : '');
      split.push(el);
    }
    const span = doc.createRange();
    span.setStart(measure, 0);
    span.setEnd(pos.node, pos.offset);
    const fragment = span.extractContents();
    const heads = Array.from(fragment.querySelectorAll('[data-imprint-split]'));
    heads.forEach((head, i) => {
      const original = split[split.length - 1 - i];
      if (head.getAttribute('data-imprint-split') === 'justify') (head as HTMLElement).style.textAlignLast = 'justify';
      head.removeAttribute('data-imprint-split');
      head.classList.add('imprint-split-head');
      if (!original) return;
      original.removeAttribute('data-imprint-split');
      original.removeAttribute('id');
      original.classList.add('imprint-continued');
      const tag = original.tagName.toUpperCase();
      if (tag === 'OL' && !original.hasAttribute('reversed')) {
        const start = Number(head.getAttribute('start') ?? '1') || 1;
        const headItems = head.querySelectorAll(':scope > li').length;
        const firstItem = original.querySelector(':scope > li');
        const carried = firstItem?.classList.contains('imprint-continued') ? 1 : 0;
        original.setAttribute('start', String(start + headItems - carried));
      } else if (tag === 'TR') {
        // Cells that are wholly on one page get empty stand-ins on the other, so columns line up.
        const isCell = (c: Element): boolean => c.tagName === 'TD' || c.tagName === 'TH';
        const headCells = Array.from(head.children).filter(isCell);
        const splitAt = headCells.findIndex((c) => c.hasAttribute('data-imprint-split'));
        const whollyBefore = splitAt >= 0 ? headCells.slice(0, splitAt) : headCells;
        const restCells = Array.from(original.children).filter(isCell);
        const whollyAfter = splitAt >= 0 ? restCells.slice(1) : restCells;
        const blank = (cell: Element): Element => {
          const copy = cell.cloneNode(false) as Element;
          copy.removeAttribute('id');
          return copy;
        };
        original.prepend(...whollyBefore.map(blank));
        head.append(...whollyAfter.map(blank));
      } else if (tag === 'TABLE' && !original.querySelector(':scope > thead')) {
        const thead = head.querySelector(':scope > thead');
        if (thead) {
          const copy = thead.cloneNode(true) as Element;
          for (const withId of Array.from(copy.querySelectorAll('[id]'))) withId.removeAttribute('id');
          const caption = original.querySelector(':scope > caption');
          original.insertBefore(copy, caption ? caption.nextSibling : original.firstChild);
        }
      }
    });
    for (const stale of Array.from(measure.querySelectorAll('[data-imprint-split]'))) stale.removeAttribute('data-imprint-split');
    return fragment;
  };

  const pageNotes: number[][] = [];
  const pageBodies: { page: HTMLElement; body: HTMLElement }[] = [];
  /** 1-based pages that hold something taller than the page (clipped when printed). */
  const overflows: number[] = [];
  const placed = new Set<number>();
  const lineHeight = (() => {
    const shell = article.cloneNode(false) as Element;
    const body = (bodySource ?? article).cloneNode(false) as Element;
    const probe = doc.createElement('p');
    probe.textContent = 'X';
    body.appendChild(probe);
    shell.appendChild(body);
    measure.appendChild(shell);
    const h = probe.getBoundingClientRect().height || 24;
    shell.remove();
    return h;
  })();
  const minText = Math.min(H / 2, params.minTextLines * lineHeight);
  const fullColumn = H - params.safety;
  /** Notes (or the rest of a split note) that did not fit at the foot of the page of their marks. */
  let carried: HTMLElement[] = [];
  let unreferencedQueued = false;
  const numberOf = (note: Element): number => Number(/(\d+)$/.exec(note.id)?.[1] ?? NaN);

  setHeight(fullColumn);
  markPageTop();
  for (let guard = 0; ; guard++) {
    if (guard > params.maxPages) throw new Error(`the layout stopped after ${params.maxPages} pages without reaching the end`);
    setHeight(fullColumn);
    fill();
    const text = hasContent(measure);
    if (next >= units.length && !unreferencedQueued) {
      // The rest of the text is in the measuring box: notes without marks go with the last notes.
      unreferencedQueued = true;
      for (const n of unreferenced) {
        carried.push(footnotes.get(n) as HTMLElement);
        placed.add(n);
      }
    }
    if (!text && carried.length === 0) break;

    // Shrink the column until the notes of the marks it holds fit under it.
    const cap = text ? fullColumn - minText : fullColumn;
    const at = (noteRoom: number): { pos: Pos; notes: number[]; need: number; tooTall: boolean } => {
      if (!text) return { pos: flowEnd(), notes: [], need: blockHeight(carried), tooTall: false };
      setHeight(fullColumn - noteRoom);
      const pos = pageBreak();
      const notes = refsBefore(pos, placed);
      return { pos, notes, need: blockHeight([...carried, ...notes.map((n) => footnotes.get(n) as HTMLElement)]), tooTall };
    };
    let room = 0;
    let state = at(0);
    while (state.need > room && room < cap) {
      room = Math.min(state.need, cap);
      state = at(room);
    }
    if (state.need < room) {
      // The last step pushed a mark away: see whether the smaller note block lets more text in.
      const tighter = at(state.need);
      if (tighter.need <= state.need) state = tighter;
      else state = at(room);
    }

    // The footnotes of this page; when they are taller than the page allows, the note that
    // crosses the limit is split between lines and the rest is carried to the next page.
    const queue = [...carried, ...state.notes.map((n) => footnotes.get(n) as HTMLElement)];
    for (const n of state.notes) placed.add(n);
    carried = [];
    const notes: HTMLElement[] = [];
    let clipped = state.tooTall;
    if (state.need <= cap) notes.push(...queue);
    else {
      let used = noteOverhead;
      for (let i = 0; i < queue.length; i++) {
        const note = queue[i] as HTMLElement;
        const h = heightOf(note);
        if (used + h <= cap) {
          notes.push(note);
          used += h;
          continue;
        }
        const part = splitNote(note, cap - used);
        if (part) notes.push(part);
        carried = queue.slice(i);
        if (notes.length === 0 && !text) {
          // Not even one line fits on an empty page: place the note whole (it will be clipped).
          notes.push(note);
          clipped = true;
          carried = queue.slice(i + 1);
        }
        break;
      }
    }

    const fragment = cut(state.pos);
    charsPerPage = Math.max(200, Math.round(0.5 * charsPerPage + 0.5 * (fragment.textContent ?? '').length));
    const page = doc.createElement('div');
    page.className = pageNotes.length === 0 ? 'imprint-page imprint-page-first' : 'imprint-page';
    const body = doc.createElement('div');
    body.className = 'imprint-page-body';
    body.appendChild(fragment);
    page.appendChild(body);
    if (notes.length > 0) {
      const box = doc.createElement('aside');
      box.className = 'imprint-footnotes';
      for (const note of notes) box.appendChild(note);
      page.appendChild(box);
    }
    pagesBox.appendChild(page);
    pageNotes.push(notes.map(numberOf).filter((n, i, all) => Number.isFinite(n) && all.indexOf(n) === i));
    pageBodies.push({ page, body });
    if (clipped) overflows.push(pageBodies.length);
    markPageTop();
  }
  probePage.remove();
  measure.remove();
  for (const el of Array.from(pagesBox.querySelectorAll('[data-imprint-flow]'))) el.removeAttribute('data-imprint-flow');
  (holder.parentNode as Node).replaceChild(pagesBox, holder);

  return { pages: pageBodies.length, pageNotes, overflows, unreferenced, layouts, ms: Math.round(performance.now() - started), fontMs: Math.round(fontMs) };
}
