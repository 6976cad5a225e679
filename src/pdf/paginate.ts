/**
 * The page layout of the PDF: page floats, page-bottom footnotes and keeps, laid out by Chromium's
 * own fragmentation engine. Written by hand because no library lays out a whole book page in
 * Chromium: the print engine has no page floats, no footnotes and no table or list keeps, and the
 * paged-media polyfills (Paged.js, Vivliostyle) bring their own layout engines and runtimes.
 * The rules and why each exists are in docs/page-layout.md.
 *
 * `paginate` runs inside the page (page.evaluate; it is serialized, so it must not use anything
 * from this module's scope). It turns the print document's single <article> into explicit page
 * divs, each holding one page of text and, at its foot, the notes whose marks it holds:
 *
 *  1. The end-notes list is taken out of the document and every note is built as a footnote;
 *     all footnotes are measured once, at the page's width, after the number gutter is set to the
 *     widest note number.
 *  2. Figure groups get their layout: side by side when the caption says so (figure-row/-grid) or
 *     when both images of a pair are landscape and stay readable at half the width, each row sized
 *     to one height. (Very long text nodes were cut into short ones before: text-chunks.ts.)
 *  3. The flow (the article header and the body's blocks) is fed, a few blocks at a time, into a
 *     multicolumn measuring box whose column is the page's content box. Chromium fragments it
 *     exactly as it would print it (break-inside, break-after: avoid, orphans, widows). A block
 *     longer than a few pages goes in as a prefix that is topped up page by page: Chromium breaks
 *     lines greedily, so a prefix's lines are the full block's lines but its last one, and the box
 *     never holds more than about two pages — the cost of a page does not grow with the article.
 *     (The PDF stage loads the article on unbroken lines, so loading costs no line breaking either.)
 *  4. Page floats. Every body-level figure (and table shorter than a third of the page) is a float:
 *     when the page breaks right before it (it does not fit in the rest of the page), it is taken
 *     out of the flow into a queue and the text after it fills the page. Queued floats are set at
 *     the top of the next pages, in order (a later float never passes an earlier one), never on a
 *     page before their place in the text, and all before the rights notice that ends the article.
 *     A float taller than a page is scaled to fit; the float that ends the article is scaled into
 *     the last page of text rather than leave a hole there; a page of floats alone may shrink its
 *     last one a little so that the text can start under it. A top float the page cannot hold with
 *     the notes of its text waits again; floats left when the text is used up share pages two by two.
 *  5. For each page: the break (first content in column 2), then the keeps Chromium does not know:
 *     a widow line, a heading with fewer than two lines after it, a list that would leave one item
 *     alone, a table that would leave fewer than two rows on a side or is short enough to go whole.
 *  6. Notes: the marks in the column and where their lines are; the most marks whose lines and notes
 *     fit together (the page then ends before the next mark's line); a note taller than a page is
 *     split between lines and continues at the foot of the next page.
 *  7. Cut the flow at the break with Range.extractContents (split paragraphs, lists and tables
 *     become a head and a continuation) and emit the page div: page text + footnotes.
 *  8. Once every page is made: a page that ends short of its foot (a keep moved lines on) gets the
 *     difference spread over the space between its blocks, most above headings and around figures;
 *     a page of floats alone has them in its middle.
 *
 * It stops when its time budget runs out and reports the page it was making.
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
  /** Milliseconds the layout may take; when they run out it stops and says where it was. */
  budgetMs: number;
}

export interface ScaledFigure {
  /** 1-based page of the article. */
  page: number;
  /** Factor its images were scaled by (0–1). */
  scale: number;
  /** The start of its caption. */
  caption: string;
  /** Taller than a page, or made smaller to end the article on the page of its place in the text. */
  why: 'page' | 'end';
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
  /** Floats set on a later page than the one their place in the text is on. */
  deferred: number;
  /** Figures scaled down to fit a page. */
  scaled: ScaledFigure[];
  /** Set when the time budget ran out: the page being laid out and the start of its text. */
  stopped: { page: number; text: string } | null;
  /** How many times the measuring box was laid out. */
  layouts: number;
  /** Time spent in the page, and the part of it spent waiting for web fonts. */
  ms: number;
  fontMs: number;
}

/** Runs in the page. Self-contained: no imports, no helpers from module scope. */
export async function paginate(params: PaginateParams): Promise<PaginateResult> {
  const started = performance.now();
  const deadline = started + params.budgetMs;
  const doc = document;
  const W = params.width;
  const H = params.height;
  // The first article not laid out yet: a book's chapters are laid out one call each, in order.
  const article = Array.from(doc.querySelectorAll('article.article')).find((a) => !a.closest('.imprint-pages')) ?? null;
  if (!article || !article.parentNode) throw new Error('print document has no <article class="article"> left to lay out');
  let layouts = 0;
  // The article leaves the unbroken lines it was loaded on (articles still waiting keep them).
  article.setAttribute('data-imprint-layout', '');

  // ---- 1. Notes → footnotes ---------------------------------------------------------------
  const footnotes = new Map<number, HTMLElement>();
  const noteOrder: number[] = [];
  // Ids may carry a book chapter's prefix: #note-3, #c2-note-3.
  const noteNumber = (href: string | null): number | undefined => {
    const m = /#(?:[\w-]*-)?note-(\d+)$/.exec(href ?? '');
    return m?.[1] ? Number(m[1]) : undefined;
  };
  for (const section of Array.from(article.querySelectorAll('section.notes'))) {
    for (const li of Array.from(section.querySelectorAll('li.note'))) {
      const n = Number(li.getAttribute('value') ?? /(\d+)$/.exec(li.id)?.[1] ?? NaN);
      if (!Number.isFinite(n) || footnotes.has(n)) continue;
      let refHref = `#noteref-${n}`;
      for (const back of Array.from(li.querySelectorAll('a.backlink, [role="doc-backlink"]'))) {
        refHref = back.getAttribute('href') ?? refHref;
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
      marker.setAttribute('href', refHref);
      marker.textContent = String(n);
      while (li.firstChild) note.appendChild(li.firstChild);
      const first = note.firstElementChild;
      if (first && first.tagName === 'P' && note.firstChild === first) first.insertBefore(marker, first.firstChild);
      else note.insertBefore(marker, note.firstChild);
      // The number and the text are apart in the text layer too: a real space after the number,
      // in a box of no width (the number hangs in its gutter; the space must not move the text).
      const separator = doc.createElement('span');
      separator.className = 'imprint-separator';
      separator.textContent = ' ';
      marker.after(separator);
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
  let noteOverhead = 0;
  let fontMs = 0;
  const heights = new Map<Element, number>();
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
  const blockHeight = (notes: readonly Element[]): number => {
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

  // A note mark never starts a line: it is kept with the character before it in a nowrap span —
  // with the element before it when that is short (a credit), else with the last character of that
  // element, split off into a copy of it. No invisible joiner goes into the text.
  const glueOf = (mark: Element, parent: Node): HTMLElement => {
    const glue = doc.createElement('span');
    glue.className = 'imprint-nobreak';
    parent.insertBefore(glue, mark);
    return glue;
  };
  const splitLastChar = (text: Text): Text | undefined => {
    const data = text.data;
    if (data === '' || /\s$/.test(data)) return undefined;
    const low = data.charCodeAt(data.length - 1);
    const size = low >= 0xdc00 && low <= 0xdfff && data.length > 1 ? 2 : 1;
    return size < data.length ? text.splitText(data.length - size) : text;
  };
  for (const mark of Array.from(article.querySelectorAll('sup.noteref'))) {
    const before = mark.previousSibling;
    const parent = mark.parentNode;
    if (!before || !parent) continue;
    if (before.nodeType === Node.TEXT_NODE) {
      const last = splitLastChar(before as Text);
      if (last) glueOf(mark, parent).append(last, mark);
    } else if (before.nodeType === Node.ELEMENT_NODE) {
      const element = before as Element;
      if ((element.textContent ?? '').length <= 24 || element.lastChild?.nodeType !== Node.TEXT_NODE) {
        glueOf(mark, parent).append(element, mark);
        continue;
      }
      const last = splitLastChar(element.lastChild as Text);
      if (!last) continue;
      const tail = element.cloneNode(false) as Element;
      tail.removeAttribute('id');
      tail.append(last);
      glueOf(mark, parent).append(tail, mark);
    }
  }

  // ---- 2. Figure groups side by side; long text nodes cut short --------------------------------
  const IMAGES = 'img, .image-placeholder';
  /** Width ÷ height of an image or placeholder, when known. */
  const aspectOf = (el: Element): number | undefined => {
    if (el.tagName === 'IMG') {
      const img = el as HTMLImageElement;
      const w = Number(img.getAttribute('width')) || img.naturalWidth;
      const h = Number(img.getAttribute('height')) || img.naturalHeight;
      return w > 0 && h > 0 ? w / h : undefined;
    }
    const m = /([\d.]+)\s*\/\s*([\d.]+)/.exec(getComputedStyle(el).aspectRatio);
    const w = Number(m?.[1]);
    const h = Number(m?.[2]);
    return w > 0 && h > 0 ? w / h : undefined;
  };
  // Side by side, each image keeps 1.5 % of the width free on either side (print.css).
  const GUTTER = 0.03;
  /** Height of a row of images of these ratios filling the width (at most 45 % of the page high). */
  const rowHeight = (ratios: readonly number[]): number => Math.min((W * (1 - GUTTER * ratios.length) - 2) / ratios.reduce((a, b) => a + b, 0), 0.45 * H);
  /** Sizes a group's images in rows of `counts` images, each row to one height that fills the width. */
  const setRows = (figure: HTMLElement, images: HTMLElement[], ratios: number[], counts: readonly number[]): void => {
    let at = 0;
    counts.forEach((count, r) => {
      const row = images.slice(at, at + count);
      const height = rowHeight(ratios.slice(at, at + count));
      row.forEach((el, i) => {
        el.style.width = `${Math.floor((ratios[at + i] as number) * height)}px`;
        el.style.maxWidth = 'none';
      });
      if (r > 0 && row[0]) figure.insertBefore(doc.createElement('br'), row[0]);
      at += count;
    });
  };
  /** Every way to set n images in consecutive rows of one to three. */
  const compositions = (n: number): number[][] => {
    if (n === 0) return [[]];
    const out: number[][] = [];
    for (let first = 1; first <= Math.min(3, n); first++) for (const rest of compositions(n - first)) out.push([first, ...rest]);
    return out;
  };
  for (const figure of Array.from(article.querySelectorAll<HTMLElement>('figure.figure-group'))) {
    const images = Array.from(figure.children).filter((c): c is HTMLElement => c.matches(IMAGES));
    const ratios = images.map(aspectOf);
    if (ratios.some((r) => r === undefined)) continue;
    const known = ratios as number[];
    const sum = known.reduce((a, b) => a + b, 0);
    if (figure.classList.contains('figure-row')) setRows(figure, images, known, [images.length]);
    else if (figure.classList.contains('figure-grid')) setRows(figure, images, known, [2, 2]);
    else if (figure.classList.contains('figure-column')) continue;
    else if (images.length === 2 && known.every((r) => r >= 1.15) && Math.min(...known) / sum >= 0.33 && (W * Math.min(...known)) / sum >= 150) {
      // Two landscape images side by side when the narrower stays readable (a third of the width or more).
      figure.classList.add('figure-row');
      setRows(figure, images, known, [2]);
    } else if (images.length <= 8 && known.reduce((h, r) => h + Math.min(W / r, 0.4 * H), 0) > 0.75 * H) {
      // Stacked, the group would take most of a page or more: the rows (in order) that keep every
      // image a quarter of the width or wider, take no more than three quarters of the page and
      // give the pictures the most area.
      let best: { counts: number[]; area: number } | undefined;
      for (const counts of compositions(images.length)) {
        if (counts.every((c) => c === 1)) continue;
        let at = 0;
        let height = 0;
        let area = 0;
        let narrowest = Infinity;
        for (const count of counts) {
          const row = known.slice(at, at + count);
          const h = rowHeight(row);
          height += h;
          for (const r of row) {
            area += r * h * h;
            narrowest = Math.min(narrowest, r * h);
          }
          at += count;
        }
        if (height <= 0.75 * H && narrowest >= 0.25 * W && (!best || area > best.area)) best = { counts, area };
      }
      if (best) {
        figure.classList.add('figure-grid');
        setRows(figure, images, known, best.counts);
      }
    }
  }

  // Text nodes are short: print-pdf.ts cut long ones before the loose-line pass measured them
  // (text-chunks.ts). CHUNK sizes the pieces a long inline element is measured in, and safeCut
  // finds where text may be cut.
  const CHUNK = 800;
  const safeCut = (data: string, at: number): number => {
    const ideograph = (c: number): boolean => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff);
    for (let p = at; p < Math.min(data.length - 1, at + 200); p++) {
      const before = data.charCodeAt(p - 1);
      const after = data.charCodeAt(p);
      if (before === 0x20 || (ideograph(before) && ideograph(after))) return p;
    }
    return -1;
  };
  // ---- 3. The flow -----------------------------------------------------------------------
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
  // The article is out of the document now (it is laid out piece by piece from here on). The PDF
  // stage set the margin-box text in every Imprint face (see fontWarmupHtml), so its web-font
  // slices loaded with the document. Take it out, and wait for whatever the new boxes (footnote
  // numbers) still need.
  for (const warm of Array.from(doc.querySelectorAll('.imprint-font-warmup'))) warm.remove();
  void doc.body.getBoundingClientRect();
  layouts++;
  const fontStart = performance.now();
  await doc.fonts.ready;
  fontMs = performance.now() - fontStart;
  // Note numbers sit on one line in a gutter as wide as the widest of them (the theme's gutter
  // when they all fit in it), with the note's text hanging after it.
  let widestNumber = 0;
  let numberBox = Infinity;
  for (const n of noteOrder) {
    const number = (footnotes.get(n) as HTMLElement).querySelector('.imprint-footnote-number');
    if (!number) continue;
    widestNumber = Math.max(widestNumber, number.scrollWidth);
    numberBox = Math.min(numberBox, number.clientWidth);
  }
  if (widestNumber > numberBox) doc.documentElement.style.setProperty('--imprint-note-number-width', `${Math.ceil(widestNumber) + 1}px`);
  noteOverhead = emptyBox.getBoundingClientRect().height;
  for (const n of noteOrder) {
    const note = footnotes.get(n) as HTMLElement;
    heights.set(note, note.getBoundingClientRect().height);
  }
  const pagesBox = doc.createElement('div');
  pagesBox.className = 'imprint-pages';
  // A book's chapter: its language and number stay with its pages.
  for (const name of ['lang', 'data-imprint-chapter']) {
    const value = article.getAttribute(name);
    if (value !== null) pagesBox.setAttribute(name, value);
  }

  const measure = doc.createElement('div');
  measure.className = 'imprint-measure';
  doc.body.appendChild(measure);
  const setHeight = (h: number): void => {
    measure.style.height = `${Math.max(h, 1)}px`;
  };

  // Floats: body-level figures, and tables short enough never to split (a third of the page).
  // Tables are measured once, in the measuring box at the page's width.
  const FLOAT = 'data-imprint-float';
  let floatCount = 0;
  /** Height of each body-level table, whole (split, Chromium repeats its header). */
  const tableHeights = new Map<Element, number>();
  if (bodySource) {
    const probe = (bodySource as Element).cloneNode(false) as Element;
    const shell = article.cloneNode(false) as Element;
    shell.appendChild(probe);
    measure.appendChild(shell);
    const tables = units.filter((u) => u.inBody && u.node.nodeType === Node.ELEMENT_NODE && (u.node as Element).tagName === 'TABLE');
    for (const unit of tables) probe.appendChild(unit.node);
    setHeight(1e6);
    for (const unit of tables) tableHeights.set(unit.node as Element, (unit.node as Element).getBoundingClientRect().height);
    const short = new Set(tables.filter((u) => (tableHeights.get(u.node as Element) ?? 0) < H / 3).map((u) => u.node));
    shell.remove();
    for (const unit of units) {
      if (!unit.inBody || unit.node.nodeType !== Node.ELEMENT_NODE) continue;
      const el = unit.node as Element;
      if (el.matches('figure.figure') || short.has(el)) el.setAttribute(FLOAT, String(floatCount++));
    }
  }
  const isFloat = (node: Node | null): node is HTMLElement => node !== null && node.nodeType === Node.ELEMENT_NODE && (node as Element).hasAttribute(FLOAT);
  const floatIndex = (el: Element): number => Number(el.getAttribute(FLOAT));
  /** The rights notice ends the article: no float is set after it. */
  const isBarrier = (node: Node): boolean => node.nodeType === Node.ELEMENT_NODE && (node as Element).matches('p.rights');

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
    const body = (bodySource ?? article).cloneNode(false) as Element;
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
  const shellFor = (unit: { inBody: boolean }): Element => (unit.inBody ? bodyShell() : articleShell());

  let next = 0;
  const unitWeight = (node: Node): number => {
    let weight = (node.textContent ?? '').length;
    if (node.nodeType === Node.ELEMENT_NODE) {
      const el = node as Element;
      weight += 400 * el.querySelectorAll('img, .image-placeholder, svg').length;
      if (el.matches('img, .image-placeholder, svg')) weight += 400;
      weight += 30 * el.querySelectorAll('li, tr, br').length;
      if (el.tagName === 'PRE') weight += 30 * ((el.textContent ?? '').match(/\n/g) ?? []).length;
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

  // -- Long blocks go in as prefixes: `pending.owner` is in the measuring box, `pending.rest` waits.
  // Both halves of an element cut at a seam carry SEAM; topping up merges them again.
  const SEAM = 'data-imprint-seam';
  const INLINE = /^(A|ABBR|B|BDI|BDO|BR|CITE|CODE|DATA|DEL|DFN|EM|I|IMG|INPUT|INS|KBD|MARK|MATH|Q|RUBY|S|SAMP|SMALL|SPAN|STRONG|SUB|SUP|SVG|TIME|U|VAR|WBR)$/;
  /** Inline elements a seam may cut through (plain formatting, long enough to matter). */
  const CUTTABLE_INLINE = /^(A|B|BDI|BDO|CITE|CODE|DEL|DFN|EM|I|INS|KBD|MARK|Q|S|SAMP|SMALL|SPAN|STRONG|U|VAR)$/;
  const SPLITTABLE = /^(P|UL|OL|DL|TABLE|TBODY|BLOCKQUOTE|PRE|DIV|SECTION|ASIDE|LI|DD|DT)$/;
  let pending: { owner: Element; rest: Element; inBody: boolean } | undefined;
  const indexIn = (node: Node): number => Array.prototype.indexOf.call((node.parentNode as Node).childNodes, node) as number;
  /**
   * Takes the first `budget` characters or so of `el` (a block outside the document) into a copy
   * of it, returned; `el` keeps the rest. Null when there is no seam worth making.
   */
  const takePrefix = (el: Element, budget: number): Element | null => {
    let acc = 0;
    let seam: { node: Node; offset: number } | null = null;
    const visit = (node: Node): boolean => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === Node.TEXT_NODE) {
          const text = child as Text;
          if (acc + text.data.length >= budget) {
            const at = safeCut(text.data, Math.max(1, budget - acc));
            seam = at > 0 ? { node: text, offset: at } : { node, offset: indexIn(child) + 1 };
            return true;
          }
          acc += text.data.length;
          continue;
        }
        if (child.nodeType !== Node.ELEMENT_NODE) continue;
        const e = child as Element;
        const weight = unitWeight(e);
        const atomic =
          e.tagName === 'TR' || e.hasAttribute(FLOAT) || /^H[1-6]$/.test(e.tagName) || (INLINE.test(e.tagName) && !(CUTTABLE_INLINE.test(e.tagName) && !e.classList.contains('imprint-nobreak') && weight > 2 * CHUNK));
        if (atomic || acc + weight < budget) {
          if (acc + weight >= budget && acc > budget / 4) {
            seam = { node, offset: indexIn(child) };
            return true;
          }
          acc += weight;
          continue;
        }
        if (/^(LI|DT|DD)$/.test(e.tagName)) acc += 30;
        if (visit(e)) return true;
      }
      return false;
    };
    if (!visit(el) || !seam) return null;
    const at = seam as { node: Node; offset: number };
    for (let n: Node | null = at.node.nodeType === Node.TEXT_NODE ? at.node.parentNode : at.node; n && n !== el; n = n.parentNode) (n as Element).setAttribute(SEAM, '');
    el.setAttribute(SEAM, '');
    const cut = doc.createRange();
    cut.setStart(el, 0);
    cut.setEnd(at.node, at.offset);
    const head = el.cloneNode(false) as Element;
    head.appendChild(cut.extractContents());
    if ((head.textContent ?? '').trim() === '' && !head.querySelector('img, .image-placeholder, tr, li')) {
      while (head.firstChild) el.insertBefore(head.lastChild as Node, el.firstChild);
      return null;
    }
    el.removeAttribute('id');
    for (const withId of Array.from(el.querySelectorAll(`[${SEAM}][id]`))) withId.removeAttribute('id');
    return head;
  };
  /** Appends `piece` (the next part of a block cut at seams) to `into`, joining the elements a seam cut in two. */
  const merge = (into: Element, piece: Element): void => {
    const first = piece.firstChild;
    const last = into.lastChild;
    if (
      first && last && first.nodeType === Node.ELEMENT_NODE && last.nodeType === Node.ELEMENT_NODE &&
      (first as Element).hasAttribute(SEAM) && (last as Element).hasAttribute(SEAM) && (first as Element).tagName === (last as Element).tagName
    ) {
      merge(last as Element, first as Element);
      first.remove();
    }
    while (piece.firstChild) into.appendChild(piece.firstChild);
  };
  /** Tops up the block in the measuring box from its rest; false when nothing is pending any more. */
  const topUp = (): boolean => {
    if (!pending) return false;
    const budget = 0.6 * charsPerPage;
    if (!measure.contains(pending.owner)) {
      // The page took the whole prefix: what is left continues as a block of its own.
      const rest = pending.rest;
      rest.classList.add('imprint-continued');
      const head = takePrefix(rest, budget);
      if (head) {
        shellFor(pending).appendChild(head);
        pending.owner = head;
      } else {
        shellFor(pending).appendChild(rest);
        pending = undefined;
      }
      return true;
    }
    const piece = takePrefix(pending.rest, budget);
    if (piece) merge(pending.owner, piece);
    else {
      merge(pending.owner, pending.rest);
      pending = undefined;
    }
    return true;
  };

  /** Floats waiting for a page, in the order of the text. */
  const queue: HTMLElement[] = [];
  let deferred = 0;
  const blocked = (): boolean => queue.length > 0 && next < units.length && isBarrier((units[next] as Unit).node);

  let charsPerPage = Math.max(200, Math.round((W * H) / (16 * 16 * 1.8)));
  /** Appends blocks until some of them no longer fit in column 1 (or the flow is used up). */
  const fill = (): void => {
    for (let guard = 0; guard < 10_000; guard++) {
      if (pending) {
        if (unitWeight(pending.owner) < 1.2 * charsPerPage || !overflowing()) {
          topUp();
          continue;
        }
        return;
      }
      if (next >= units.length) return;
      // What is left from the last page is laid out only when it may fill a page by itself; else
      // blocks go in up to about a page and a third before the box is laid out again.
      const held = unitWeight(measure);
      if (held > charsPerPage && overflowing()) return;
      let budget = Math.max(100, Math.round(Math.max(charsPerPage / 2, 1.3 * charsPerPage - held)));
      do {
        if (blocked()) return;
        const unit = units[next++] as Unit;
        const weight = unitWeight(unit.node);
        if (weight > 5 * charsPerPage && unit.node.nodeType === Node.ELEMENT_NODE && SPLITTABLE.test((unit.node as Element).tagName) && !isFloat(unit.node)) {
          const head = takePrefix(unit.node as Element, 3 * charsPerPage);
          if (head) {
            shellFor(unit).appendChild(head);
            pending = { owner: head, rest: unit.node as Element, inBody: unit.inBody };
            break;
          }
        }
        shellFor(unit).appendChild(unit.node);
        budget -= weight;
      } while (next < units.length && budget > 0);
      if (!pending && overflowing()) return;
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

  // ---- 4. Finding the break --------------------------------------------------------------
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
        // Right after a line that ends at a soft hyphen, Chromium counts the drawn hyphen's box with
        // the next character: that character is past column 1 although a rect of it is not.
        if (offset >= 2 && text.data[offset - 2] === '\u00ad') {
          const own = Array.from(textRects(text, offset - 1, offset)).at(-1);
          if (own && !inFirstColumn(own)) offset--;
        }

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
  const isFlowEnd = (pos: Pos): boolean => pos.node === measure && pos.offset >= measure.childNodes.length;
  const before = (node: Node): Pos => normalize({ node: node.parentNode as Node, offset: indexIn(node) });
  /** Set when the page being broken holds something taller than its column (it will be clipped). */
  let tooTall = false;
  let columnBottom = 0;
  /** The break for the current column height; always takes at least one block onto the page. */
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

  // -- Keeps ------------------------------------------------------------------------------
  /** -1: pos is before the node, 0: inside it (or at either end), 1: after it. */
  const whereIs = (pos: Pos, node: Node): number => {
    const span = doc.createRange();
    span.selectNode(node);
    return span.comparePoint(pos.node, pos.offset);
  };
  /** The node has content before pos (on the page being made). */
  const startsBefore = (pos: Pos, node: Node): boolean => {
    const point = doc.createRange();
    point.setStartBefore(node);
    return point.comparePoint(pos.node, pos.offset) > 0;
  };
  /** The node has content after pos (on the next page). */
  const endsAfter = (pos: Pos, node: Node): boolean => {
    const point = doc.createRange();
    point.setStartAfter(node);
    return point.comparePoint(pos.node, pos.offset) < 0;
  };
  const ancestors = (pos: Pos, test: (el: Element) => boolean): Element[] => {
    const found: Element[] = [];
    for (let n: Node | null = pos.node; n && n !== measure; n = n.parentNode) if (n.nodeType === Node.ELEMENT_NODE && test(n as Element)) found.push(n as Element);
    return found;
  };
  /** Height of an element across columns. */
  const extent = (el: Element): number => {
    let h = 0;
    for (const r of Array.from(el.getClientRects())) h += r.height;
    return h;
  };
  /** A table split leaves two rows or more on each side; a table shorter than a third of the page goes whole. */
  const tableKeep = (pos: Pos): Pos | null => {
    const table = ancestors(pos, (el) => el.tagName === 'TABLE')[0];
    if (!table) return null;
    const rows = Array.from(table.querySelectorAll(':scope > tbody > tr, :scope > tr, :scope > tfoot > tr'));
    if (rows.length === 0) return null;
    const onPage = rows.filter((row) => startsBefore(pos, row)).length;
    const overleaf = rows.filter((row) => endsAfter(pos, row)).length;
    if ((tableHeights.get(table) ?? extent(table)) < H / 3 || onPage < 2) return before(table);
    if (overleaf < 2) {
      const at = rows.length - 2;
      return at >= 2 ? before(rows[at] as Element) : before(table);
    }
    return null;
  };
  /** A list split leaves no item alone (whole) on either page. */
  const listKeep = (pos: Pos): Pos | null => {
    for (const list of ancestors(pos, (el) => el.tagName === 'UL' || el.tagName === 'OL')) {
      const items = Array.from(list.children).filter((c) => c.tagName === 'LI');
      if (items.length < 2) continue;
      const onPage = items.filter((item) => startsBefore(pos, item));
      const overleaf = items.filter((item) => endsAfter(pos, item));
      // One whole item alone (an item split between lines is a paragraph split: widows and orphans rule).
      if (onPage.length === 1 && !endsAfter(pos, onPage[0] as Element)) return before(list);
      if (overleaf.length === 1 && !startsBefore(pos, overleaf[0] as Element)) {
        const at = items.length - 2;
        return at >= 2 ? before(items[at] as Element) : before(list);
      }
    }
    return null;
  };
  /** A heading has at least two lines of what follows it on its page. */
  const headingKeep = (pos: Pos, lineHeight: number): Pos | null => {
    const headings = Array.from(measure.querySelectorAll('h1, h2, h3, h4, h5, h6'));
    let heading: Element | undefined;
    for (const h of headings) {
      if (whereIs(pos, h) === 1) heading = h;
      else break;
    }
    if (!heading) return null;
    const span = doc.createRange();
    span.setStartAfter(heading);
    span.setEnd(pos.node, pos.offset);
    let top = Infinity;
    let bottom = -Infinity;
    for (const r of Array.from(span.getClientRects())) {
      if (r.height <= 0 || r.width <= 0 || !inFirstColumn(r)) continue;
      top = Math.min(top, r.top);
      bottom = Math.max(bottom, r.bottom);
    }
    if (bottom - top >= 1.5 * lineHeight) return null;
    // The heading goes over, with any heading right before it.
    let first: Element = heading;
    for (let prev = first.previousElementSibling; prev && /^H[1-6]$/.test(prev.tagName); prev = prev.previousElementSibling) first = prev;
    return before(first);
  };
  const applyKeeps = (pos: Pos): Pos => {
    if (atFlowStart(pos) || isFlowEnd(pos)) return pos;
    for (let round = 0; round < 6; round++) {
      const moved = tableKeep(pos) ?? listKeep(pos) ?? headingKeep(pos, lineHeight);
      if (!moved || atFlowStart(moved) || (moved.node === pos.node && moved.offset === pos.offset)) break;
      pos = moved;
    }
    return pos;
  };

  /** The break for the current column height, with the keeps; always takes at least one block onto the page. */
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
    return applyKeeps(pos);
  };

  const NOTEREFS = 'a[role="doc-noteref"], sup.noteref > a';
  const refsBefore = (pos: Pos, placed: Set<number>): number[] => {
    const span = doc.createRange();
    span.setStart(measure, 0);
    span.setEnd(pos.node, pos.offset);
    const numbers: number[] = [];
    for (const ref of Array.from(measure.querySelectorAll(NOTEREFS))) {
      const n = noteNumber(ref.getAttribute('href'));
      if (n === undefined || placed.has(n) || numbers.includes(n) || !footnotes.has(n)) continue;
      if (span.isPointInRange(ref, 0)) numbers.push(n);
    }
    return numbers;
  };
  /** The marks before pos, in order, with the top and bottom of their lines (from the column's top). */
  const marksBefore = (pos: Pos, placed: Set<number>): { n: number; top: number; bottom: number }[] => {
    const span = doc.createRange();
    span.setStart(measure, 0);
    span.setEnd(pos.node, pos.offset);
    const top = measure.getBoundingClientRect().top;
    const marks: { n: number; top: number; bottom: number }[] = [];
    const seen = new Set<number>();
    for (const ref of Array.from(measure.querySelectorAll(NOTEREFS))) {
      const n = noteNumber(ref.getAttribute('href'));
      if (n === undefined || placed.has(n) || seen.has(n) || !footnotes.has(n)) continue;
      if (!span.isPointInRange(ref, 0)) break;
      seen.add(n);
      const rect = Array.from((ref.closest('.imprint-nobreak') ?? ref).getClientRects()).find((r) => r.height > 0 && inFirstColumn(r));
      if (!rect) continue;
      const half = Math.max(0, (lineHeight - rect.height) / 2);
      marks.push({ n, top: rect.top - half - top, bottom: rect.bottom + half - top });
    }
    return marks;
  };

  // ---- 5. Cutting and emitting pages ---------------------------------------------------------
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
    // A page that ends at a soft hyphen shows the hyphen it drew: as a character, since the head
    // of the split paragraph ends there (a soft hyphen at the end of a block is not drawn).
    if (pos.node.nodeType === Node.TEXT_NODE && pos.offset >= 1 && (pos.node as Text).data[pos.offset - 1] === '\u00ad') (pos.node as Text).replaceData(pos.offset - 1, 1, '-');
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
    // Cutting inside a long block changes its text: out of the layout tree, Chromium does not
    // update that block's line layout on each of the changes (it is laid out again once, next).
    const hide = pending !== undefined && pending.owner.contains(pos.node);
    if (hide) measure.style.display = 'none';
    const fragment = span.extractContents();
    if (hide) measure.style.display = '';
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
  const scaled: ScaledFigure[] = [];
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
  const notesOf = (numbers: readonly number[]): HTMLElement[] => numbers.map((n) => footnotes.get(n) as HTMLElement);
  const refsIn = (el: Element): number[] => {
    const numbers: number[] = [];
    for (const ref of Array.from(el.querySelectorAll(NOTEREFS))) {
      const n = noteNumber(ref.getAttribute('href'));
      if (n !== undefined && footnotes.has(n) && !placed.has(n) && !numbers.includes(n)) numbers.push(n);
    }
    return numbers;
  };
  const captionOf = (figure: Element): string => (figure.querySelector('figcaption .caption')?.textContent ?? '').replace(/\u2060/g, '').trim().slice(0, 40);

  // -- Floats -------------------------------------------------------------------------------
  /** Floats set at the top of the page being made. */
  let topFloats: HTMLElement[] = [];
  /** Bottom of an element's margin box, from the column's top, as if it were all in column 1. */
  const bottomOf = (el: Element): number => {
    const rects = Array.from(el.getClientRects());
    const first = rects[0];
    if (!first) return 0;
    const margin = Number.parseFloat(getComputedStyle(el).marginBottom) || 0;
    return first.top + extent(el) + margin - measure.getBoundingClientRect().top;
  };
  /**
   * Scales the images of a figure so that it is at most `target` px tall (with its caption and
   * margins). Returns the factor (1: it already fits).
   */
  const scaleFigure = (figure: HTMLElement, target: number): number => {
    const images = Array.from(figure.querySelectorAll<HTMLElement>(IMAGES));
    const outer = (): number => {
      const style = getComputedStyle(figure);
      return extent(figure) + (Number.parseFloat(style.marginTop) || 0) + (Number.parseFloat(style.marginBottom) || 0);
    };
    let height = outer();
    let factor = 1;
    for (let tries = 0; tries < 4 && height > target && images.length > 0; tries++) {
      let top = Infinity;
      let bottom = -Infinity;
      for (const image of images) {
        const r = image.getBoundingClientRect();
        top = Math.min(top, r.top);
        bottom = Math.max(bottom, r.bottom);
      }
      const pictures = bottom - top;
      if (pictures <= 0) break;
      const s = Math.max(0.05, Math.min(0.99, (target - (height - pictures)) / pictures));
      for (const image of images) {
        const width = image.getBoundingClientRect().width;
        image.style.width = `${Math.floor(width * s)}px`;
        image.style.height = 'auto';
        image.style.maxHeight = 'none';
      }
      factor *= s;
      height = outer();
    }
    return factor;
  };
  /** Remembers the size of a figure's images; the function returned puts it back. */
  const saveImages = (figure: HTMLElement): (() => void) => {
    const images = Array.from(figure.querySelectorAll<HTMLElement>(IMAGES));
    const styles = images.map((image) => image.getAttribute('style'));
    return () =>
      images.forEach((image, i) => {
        const style = styles[i];
        if (style === null || style === undefined) image.removeAttribute('style');
        else image.setAttribute('style', style);
      });
  };
  /**
   * Scales the floats of a page by one factor, from 90 % down to 60 %, until the last of them ends
   * above the notes; true when they then fit (their factors recorded), else they are restored.
   */
  const sharePage = (floats: HTMLElement[], notes: number): boolean => {
    const last = floats[floats.length - 1] as HTMLElement;
    const heights = floats.map((float) => {
      const style = getComputedStyle(float);
      return extent(float) + (Number.parseFloat(style.marginTop) || 0) + (Number.parseFloat(style.marginBottom) || 0);
    });
    const restores = floats.map(saveImages);
    for (const factor of [0.9, 0.8, 0.7, 0.6]) {
      floats.forEach((float, i) => scaleFigure(float, (heights[i] as number) * factor));
      layouts++;
      if (bottomOf(last) + notes + params.safety + 2 <= fullColumn) {
        for (const float of floats) scaled.push({ page: pageBodies.length + 1, scale: factor, caption: captionOf(float), why: 'end' });
        return true;
      }
    }
    for (const restore of restores) restore();
    return false;
  };
  /** Sets the waiting floats that fit at the top of the page (the first one always, scaled if need be). */
  const placeTopFloats = (): HTMLElement[] => {
    const top: HTMLElement[] = [];
    if (queue.length === 0) return top;
    // Nothing but floats left to set (the text is used up, or only the rights notice waits).
    const floatsOnly = !pending && !hasContent(measure) && units.slice(next).every((unit) => isBarrier(unit.node));
    const body = bodyShell();
    let anchor: Node | null = body.firstChild;
    while (anchor && anchor.nodeType === Node.TEXT_NODE && (anchor.textContent ?? '').trim() === '') anchor = anchor.nextSibling;
    setHeight(fullColumn);
    while (queue.length > 0) {
      const float = queue[0] as HTMLElement;
      body.insertBefore(float, anchor);
      if (top.length === 0) float.classList.add('imprint-page-top');
      layouts++;
      splitX = measure.getBoundingClientRect().left + 1.5 * W;
      const notes = blockHeight([...carried, ...notesOf([...top, float].flatMap(refsIn))]);
      if (bottomOf(float) + notes <= fullColumn) {
        top.push(queue.shift() as HTMLElement);
        continue;
      }
      if (top.length === 0) {
        const factor = scaleFigure(float, fullColumn - notes - (float.getBoundingClientRect().top - measure.getBoundingClientRect().top) - 2);
        if (factor < 1) scaled.push({ page: pageBodies.length + 1, scale: factor, caption: captionOf(float), why: 'page' });
        top.push(queue.shift() as HTMLElement);
        continue;
      }
      // With no text left to fill the page, the floats that end the article share it two by two,
      // both made smaller by one factor (to no less than 60 %), rather than stand one to a page in
      // the middle of a hole.
      if (floatsOnly && top.length === 1 && sharePage([...top, float], notes)) {
        top.push(queue.shift() as HTMLElement);
        continue;
      }
      float.remove();
      break;
    }
    return top;
  };
  /** The block a break between blocks hands to the next page (null for a break inside a block). */
  const blockAfter = (pos: Pos): Element | null => {
    if (pos.node !== measure && !isShell(pos.node)) return null;
    let node: Node | null = pos.node.childNodes[pos.offset] ?? null;
    for (;;) {
      while (node && node.nodeType !== Node.ELEMENT_NODE) {
        if ((node.textContent ?? '').trim() !== '') return null;
        node = node.nextSibling;
      }
      if (!node) return null;
      if (isShell(node)) {
        node = node.firstChild;
        continue;
      }
      return node as Element;
    }
  };
  const keepsWithNext = (el: Element): boolean => /^H[1-6]$/.test(el.tagName) || /avoid/.test(getComputedStyle(el).breakAfter);
  /**
   * The float the page breaks in front of, if any. A float that a heading (or another block kept
   * with what follows it) stands right before is not taken out of the flow: it would be set at the
   * top of a later page, above the heading that introduces it whenever the heading is carried to
   * that page too (as when more floats or headings follow). The two go to the next page together,
   * the keep rule ending this page; only where the heading already starts the page does the float
   * wait alone (it is too tall to stand under it).
   */
  const floatAtBreak = (pos: Pos): HTMLElement | null => {
    const first = blockAfter(pos);
    let el = first;
    while (el && !isFloat(el) && keepsWithNext(el)) el = el.nextElementSibling;
    if (!el || !isFloat(el) || topFloats.includes(el)) return null;
    return el === first || (first !== null && startsPage(first)) ? el : null;
  };
  /** True when nothing but top floats comes before `el` (a body-level block) on the page. */
  const startsPage = (el: Element): boolean => {
    const blank = (node: Node): boolean => node.nodeType !== Node.ELEMENT_NODE && (node.textContent ?? '').trim() === '';
    for (let prev = el.previousSibling; prev; prev = prev.previousSibling) if (!blank(prev) && !topFloats.includes(prev as HTMLElement)) return false;
    const shell = el.parentNode;
    if (!shell || !isShell(shell)) return false;
    for (let prev = shell.previousSibling; prev; prev = prev.previousSibling) if (!blank(prev)) return false;
    return true;
  };

  // -- Notes ----------------------------------------------------------------------------------
  interface PageState {
    pos: Pos;
    notes: number[];
    need: number;
    /** Room left under the text for notes. */
    room: number;
    tooTall: boolean;
  }
  /**
   * The page's break and notes, from its break at full height: as much text as fits with the notes
   * of the marks it holds.
   */
  const notesFor = (pos: Pos): PageState => {
    const base = carried;
    const needOf = (notes: readonly number[]): number => blockHeight([...base, ...notesOf(notes)]);
    const at = (room: number, column = fullColumn - room): PageState => {
      setHeight(column);
      const pos = pageBreak();
      const notes = refsBefore(pos, placed);
      return { pos, notes, need: needOf(notes), room, tooTall };
    };
    const marks = marksBefore(pos, placed);
    if (marks.length === 0) {
      const need = needOf([]);
      return need === 0 ? { pos, notes: [], need, room: 0, tooTall } : at(Math.min(need, fullColumn - minText));
    }
    // The most marks whose lines fit above their notes; the page ends before the next mark's line.
    let k = marks.length;
    while (k > 0 && (marks[k - 1] as { bottom: number }).bottom + needOf(marks.slice(0, k).map((m) => m.n)) + params.safety > fullColumn) k--;
    const cap = fullColumn - minText;
    let room = needOf(marks.slice(0, k).map((m) => m.n));
    if (k === 0 && room === 0 && needOf([(marks[0] as { n: number }).n]) > cap) {
      // The first mark's note is taller than a page can hold beside a few lines of text: it is split.
      return at(cap);
    }
    if (room > cap) return at(cap);
    const nextMark = marks[k];
    let state = at(room, nextMark ? Math.min(fullColumn - room, nextMark.top + 1) : fullColumn - room);
    for (let tries = 0; tries < 6 && state.need > state.room + 0.5; tries++) {
      room = Math.min(state.need, cap);
      state = at(room);
      if (room >= cap) break;
    }
    return state;
  };

  /** Where each float taken out of the flow stood: the page being made then, and its place. */
  const anchors = new Map<HTMLElement, { page: number; parent: Node; prev: Node | null }>();
  /**
   * Takes out of the flow the float the page breaks in front of, and any float before the break
   * that comes after one already waiting (floats keep their order). A float the page starts with
   * that does not fit is taller than a page: it is scaled where it stands. True when the flow changed.
   */
  const deferFloats = (pos: Pos): boolean => {
    // A top float after the first that the break leaves off the page (with the notes of the text
    // under it, it no longer fits) waits again, with those after it: the text fills the page instead.
    const after = blockAfter(pos);
    const back = after ? topFloats.indexOf(after as HTMLElement) : -1;
    if (back > 0) {
      for (const float of topFloats.slice(back).reverse()) {
        float.remove();
        queue.unshift(float);
      }
      topFloats = topFloats.slice(0, back);
      return true;
    }
    const span = doc.createRange();
    span.setStart(measure, 0);
    span.setEnd(pos.node, pos.offset);
    const waiting = queue.length > 0 ? floatIndex(queue[0] as HTMLElement) : Infinity;
    const defer = waiting === Infinity ? [] : Array.from(measure.querySelectorAll<HTMLElement>(`[${FLOAT}]`)).filter((f) => !topFloats.includes(f) && floatIndex(f) > waiting && span.intersectsNode(f));
    const at = floatAtBreak(pos);
    if (at && !defer.includes(at)) {
      if (startsPage(at) && topFloats.length === 0) {
        if (at.hasAttribute('data-imprint-scaled')) return false;
        at.setAttribute('data-imprint-scaled', '');
        const notes = blockHeight([...carried, ...notesOf(refsIn(at))]);
        const factor = scaleFigure(at, fullColumn - notes - 2);
        if (factor < 1) scaled.push({ page: pageBodies.length + 1, scale: factor, caption: captionOf(at), why: 'page' });
        return factor < 1;
      }
      defer.push(at);
    }
    for (const float of defer) {
      anchors.set(float, { page: pageBodies.length, parent: float.parentNode as Node, prev: float.previousSibling });
      float.remove();
      queue.push(float);
      deferred++;
    }
    queue.sort((a, b) => floatIndex(a) - floatIndex(b));
    return defer.length > 0;
  };

  /**
   * Lays the page out again with the images of `float` at a factor of their present width: `at`
   * gives the page's state when `accepts` takes it; `restore` puts the images back as they were.
   */
  const resizing = (float: HTMLElement, accepts: (trial: PageState) => boolean): { at: (factor: number) => PageState | undefined; restore: () => void } => {
    const images = Array.from(float.querySelectorAll<HTMLElement>(IMAGES));
    const widths = images.map((image) => image.getBoundingClientRect().width);
    const restore = saveImages(float);
    const at = (factor: number): PageState | undefined => {
      images.forEach((image, i) => {
        image.style.width = `${Math.floor((widths[i] as number) * factor)}px`;
        image.style.height = 'auto';
        image.style.maxHeight = 'none';
      });
      setHeight(fullColumn);
      const trial = notesFor(pageBreak());
      return accepts(trial) ? trial : undefined;
    };
    return { at, restore };
  };
  /** The largest factor between `lo` (which fits, giving `fit`) and 1, found in `steps` halvings, and the page at it. */
  const largestFit = (lo: number, fit: PageState, steps: number, at: (factor: number) => PageState | undefined): { factor: number; state: PageState } => {
    let hi = 1;
    let best = fit;
    for (let step = 0; step < steps; step++) {
      const mid = (lo + hi) / 2;
      const trial = at(mid);
      if (trial) {
        lo = mid;
        best = trial;
      } else hi = mid;
    }
    return { factor: lo, state: at(lo) ?? best };
  };

  setHeight(fullColumn);
  markPageTop();
  let stopped: { page: number; text: string } | null = null;
  for (let guard = 0; ; guard++) {
    if (guard > params.maxPages) throw new Error(`the layout stopped after ${params.maxPages} pages without reaching the end`);
    if (performance.now() > deadline) {
      const upcoming = (measure.textContent ?? '').trim() || ((units[next]?.node.textContent ?? '').trim());
      stopped = { page: pageBodies.length + 1, text: upcoming.replace(/\s+/g, ' ').slice(0, 30) };
      break;
    }
    setHeight(fullColumn);
    topFloats = placeTopFloats();
    markPageTop();
    fill();
    if (next >= units.length && !pending && queue.length === 0 && !unreferencedQueued) {
      // The rest of the text is in the measuring box: notes without marks go with the last notes.
      unreferencedQueued = true;
      for (const n of unreferenced) {
        carried.push(footnotes.get(n) as HTMLElement);
        placed.add(n);
      }
    }
    let text = hasContent(measure);
    if (!text && carried.length === 0 && queue.length === 0) break;

    let state: PageState = { pos: flowEnd(), notes: [], need: blockHeight(carried), room: fullColumn, tooTall: false };
    for (let tries = 0; text && tries < 500; tries++) {
      // Floats are taken out of the flow at the break at full height first (what they free is
      // filled), then at the break that leaves room for the notes.
      setHeight(fullColumn);
      const full = pageBreak();
      if (deferFloats(full)) {
        fill();
        text = hasContent(measure);
        continue;
      }
      state = notesFor(full);
      if (!deferFloats(state.pos)) break;
      fill();
      text = hasContent(measure);
    }
    if (!text) state = { pos: flowEnd(), notes: [], need: blockHeight(carried), room: fullColumn, tooTall: false };

    // A page of top floats alone, with room left that the text after them could not use (two lines
    // of a paragraph, two rows of a table): the last float gives up some of its height — to no less
    // than 85 % — when that lets the text start on this page.
    const lastTop = topFloats[topFloats.length - 1];
    if (text && lastTop && !isFlowEnd(state.pos) && blockAfter(state.pos) !== null) {
      const after = blockAfter(state.pos);
      let onlyFloats = true;
      for (let prev = after?.previousSibling ?? null; prev; prev = prev.previousSibling) {
        if (prev.nodeType === Node.ELEMENT_NODE ? !topFloats.includes(prev as HTMLElement) : (prev.textContent ?? '').trim() !== '') onlyFloats = false;
      }
      const free = fullColumn - state.need - bottomOf(lastTop);
      if (onlyFloats && after && free > 0.05 * H) {
        const { at, restore } = resizing(lastTop, (trial) => blockAfter(trial.pos) !== after && !trial.tooTall);
        const fit = at(0.85);
        if (fit) {
          state = largestFit(0.85, fit, 4, at).state;
        } else {
          restore();
          setHeight(fullColumn);
          state = notesFor(pageBreak());
        }
      }
    }

    // The last page of text, with floats still waiting and room to spare: the first of them, if it
    // was anchored on this page (and is the last one), is scaled into the room — to no less than
    // 40 % — rather than leave a hole here and stand alone after the text.
    const first = queue[0];
    const anchor = first ? anchors.get(first) : undefined;
    const rest = units.slice(next);
    if (
      first && queue.length === 1 && anchor && anchor.page === pageBodies.length && anchor.prev?.parentNode === anchor.parent && measure.contains(anchor.parent) &&
      isFlowEnd(state.pos) && (next >= units.length || blocked()) && !pending && !rest.some((unit) => isFloat(unit.node))
    ) {
      const all = doc.createRange();
      all.selectNodeContents(measure);
      const top = measure.getBoundingClientRect().top;
      let contentBottom = 0;
      for (const r of Array.from(all.getClientRects())) if (r.height > 0) contentBottom = Math.max(contentBottom, r.bottom - top);
      if (fullColumn - state.need - contentBottom > 0.1 * H) {
        anchor.parent.insertBefore(first, (anchor.prev as Node).nextSibling);
        queue.shift();
        // What waited for the float (the rights notice) follows it now.
        const from = next;
        for (const unit of rest) shellFor(unit).appendChild(unit.node);
        next = units.length;
        const { at, restore } = resizing(first, (trial) => isFlowEnd(trial.pos) && !trial.tooTall);
        let fit = at(0.4);
        const takeBack = (): void => {
          for (let i = from; i < next; i++) (units[i] as Unit).node.parentNode?.removeChild((units[i] as Unit).node);
          next = from;
        };
        if (!fit && next > from) {
          // Not with the rights notice: the notice may go over to a page of its own.
          takeBack();
          fit = at(0.4);
        }
        if (fit) {
          // The largest size (within 2 %) at which everything still ends on this page.
          const best = largestFit(0.4, fit, 6, at);
          deferred--;
          if (best.factor < 1) scaled.push({ page: pageBodies.length + 1, scale: best.factor, caption: captionOf(first), why: 'end' });
          state = best.state;
        } else {
          restore();
          first.remove();
          queue.unshift(first);
          takeBack();
          setHeight(fullColumn);
          state = notesFor(pageBreak());
        }
      }
    }

    // The footnotes of this page; when they are taller than the room under the text, the note
    // that crosses the limit is split between lines and the rest is carried to the next page.
    const queueNotes = [...carried, ...notesOf(state.notes)];
    for (const n of state.notes) placed.add(n);
    carried = [];
    const notes: HTMLElement[] = [];
    let clipped = state.tooTall;
    const limit = Math.max(state.room, text ? 0 : fullColumn);
    if (state.need <= limit + 0.5) notes.push(...queueNotes);
    else {
      let used = noteOverhead;
      for (let i = 0; i < queueNotes.length; i++) {
        const note = queueNotes[i] as HTMLElement;
        const h = heightOf(note);
        if (used + h <= limit) {
          notes.push(note);
          used += h;
          continue;
        }
        const part = splitNote(note, limit - used);
        if (part) notes.push(part);
        carried = queueNotes.slice(i);
        if (notes.length === 0 && !text) {
          // Not even one line fits on an empty page: place the note whole (it will be clipped).
          notes.push(note);
          clipped = true;
          carried = queueNotes.slice(i + 1);
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
    topFloats = [];
    markPageTop();
  }
  probePage.remove();
  measure.remove();
  (holder.parentNode as Node).replaceChild(pagesBox, holder);
  // The note-number gutter is this article's: a book's next chapter sets its own.
  const gutter = doc.documentElement.style.getPropertyValue('--imprint-note-number-width');
  if (gutter) {
    pagesBox.style.setProperty('--imprint-note-number-width', gutter);
    doc.documentElement.style.removeProperty('--imprint-note-number-width');
  }

  // ---- 6. Pages that end short: the difference spread between their blocks ---------------------
  if (!stopped) justifyPages(pageBodies.slice(0, -1), lineHeight);
  for (const el of Array.from(pagesBox.querySelectorAll(`[data-imprint-flow], [${SEAM}], [${FLOAT}], [data-imprint-scaled]`))) {
    el.removeAttribute('data-imprint-flow');
    el.removeAttribute(SEAM);
    el.removeAttribute(FLOAT);
    el.removeAttribute('data-imprint-scaled');
  }

  return {
    pages: pageBodies.length,
    pageNotes,
    overflows,
    unreferenced,
    deferred,
    scaled,
    stopped,
    layouts,
    ms: Math.round(performance.now() - started),
    fontMs: Math.round(fontMs),
  };

  /**
   * Vertical justification: a page whose text ends more than half a line above its foot (or its
   * notes) gets the difference as extra space between its blocks — up to two lines above a heading,
   * a line and a half around figures, tables, lists and quotes, a line between paragraphs — and,
   * a little (a quarter of a line each), between the items of its lists and the rows of its tables.
   * A page of floats alone has them in its middle. Reads every page first, then writes, so the
   * document is laid out twice in all.
   */
  function justifyPages(pages: { page: HTMLElement; body: HTMLElement }[], line: number): void {
    /** A place that can take extra space: it grows by up to `cap`. */
    interface Gap {
      cap: number;
      grow: (extra: number) => void;
    }
    const plans: { gaps: Gap[]; slack: number }[] = [];
    const px = (value: number): string => `${value.toFixed(2)}px`;
    for (const { page, body } of pages) {
      const top = page.getBoundingClientRect().top;
      const notes = page.querySelector(':scope > .imprint-footnotes');
      const limit = (notes ? notes.getBoundingClientRect().top : top + H) - top;
      const blocks: HTMLElement[] = [];
      const flatten = (el: Element): void => {
        for (const child of Array.from(el.children)) {
          if (child.hasAttribute('data-imprint-flow')) flatten(child);
          else blocks.push(child as HTMLElement);
        }
      };
      flatten(body);
      const boxes = blocks.map((b) => b.getBoundingClientRect());
      const last = boxes[boxes.length - 1];
      if (!last) continue;
      const slack = limit - (last.bottom - top) - 1;
      if (slack < line / 2) continue;
      const gaps: Gap[] = [];
      if (blocks.every((b) => b.hasAttribute(FLOAT))) {
        // A page of floats alone: they stand in the middle of it, the space shared out around them.
        blocks.forEach((el, i) => {
          const gap = i > 0 ? Math.max(0, (boxes[i] as DOMRect).top - (boxes[i - 1] as DOMRect).bottom) : 0;
          gaps.push({ cap: slack, grow: (extra) => el.style.setProperty('margin-top', px(gap + extra), 'important') });
        });
        gaps.push({ cap: slack, grow: () => undefined });
        plans.push({ gaps, slack });
        continue;
      }
      if (slack > H / 2) continue;
      const display = /^(FIGURE|TABLE|BLOCKQUOTE|PRE|UL|OL|DL|HR|HEADER)$/;
      blocks.forEach((cur, i) => {
        const prev = blocks[i - 1];
        if (prev) {
          const gap = (boxes[i] as DOMRect).top - (boxes[i - 1] as DOMRect).bottom;
          const cap = /^H[1-6]$/.test(cur.tagName) ? 2 * line : display.test(cur.tagName) || display.test(prev.tagName) ? 1.5 * line : line;
          if (gap >= 0) gaps.push({ cap, grow: (extra) => prev.style.setProperty('margin-bottom', px(gap + extra), 'important') });
        }
        if (cur.tagName === 'UL' || cur.tagName === 'OL') {
          const items = Array.from(cur.children).filter((c): c is HTMLElement => c.tagName === 'LI');
          for (const item of items.slice(0, -1)) {
            const margin = Number.parseFloat(getComputedStyle(item).marginBottom) || 0;
            gaps.push({ cap: line / 4, grow: (extra) => item.style.setProperty('margin-bottom', px(margin + extra), 'important') });
          }
        } else if (cur.tagName === 'TABLE') {
          const rows = Array.from(cur.querySelectorAll<HTMLElement>(':scope > tbody > tr, :scope > tr'));
          for (const row of rows) {
            const cells = Array.from(row.children).filter((c): c is HTMLElement => c.tagName === 'TD' || c.tagName === 'TH');
            const paddings = cells.map((cell) => Number.parseFloat(getComputedStyle(cell).paddingBottom) || 0);
            gaps.push({ cap: line / 4, grow: (extra) => cells.forEach((cell, k) => cell.style.setProperty('padding-bottom', px((paddings[k] as number) + extra), 'important')) });
          }
        }
      });
      if (gaps.length > 0) plans.push({ gaps, slack });
    }
    for (const { gaps, slack } of plans) {
      const capacity = gaps.reduce((sum, g) => sum + g.cap, 0);
      const share = capacity > 0 ? Math.min(1, slack / capacity) : 0;
      for (const gap of gaps) gap.grow(gap.cap * share);
    }
  }
}
