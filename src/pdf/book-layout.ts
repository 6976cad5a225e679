/**
 * A book's pages around its chapters, set in the page once every chapter is laid out
 * (src/pdf/paginate.ts, one call per chapter): the blank left-hand pages that make each chapter
 * start on a right-hand page (`book.recto`), the page numbers and dot leaders of the contents, the
 * contents set on pages of their own, and the page counter that numbers the chapters from 1.
 *
 * Page numbers: the front matter (title page, contents, their blank pages) prints none and is
 * numbered i, ii, … in the PDF's page labels; the chapters are numbered 1, 2, … from the first
 * chapter's first page on. A chapter's number in the contents is therefore known from the pages of
 * the chapters before it alone, whatever the length of the contents.
 *
 * Left and right are the sheet's: page 1 of the PDF is a right-hand page. With `recto`, the cover
 * (if printed) and the title page have a blank page behind them, and the contents end on a left-hand
 * page, so the first chapter opens on the right.
 *
 * `layoutBook` runs in the page (page.evaluate): self-contained, nothing from module scope.
 */

export interface BookLayoutParams {
  /** Height of a page box (as paginate's page divs), CSS px. */
  height: number;
  /** Chapters start on right-hand pages. */
  recto: boolean;
  /** A cover page is printed before the title page. */
  cover: boolean;
}

export interface BookChapterPages {
  /** The chapter's first page number (arabic, as printed and in the contents). */
  start: number;
  /** Its pages of text. */
  pages: number;
  /** Blank pages after it (so that the next chapter starts on the right). */
  blanks: number;
}

export interface BookLayoutResult {
  /** Pages before the title page: the cover and its blank back. */
  coverPages: number;
  /** Pages from the title page to the first chapter (title page, contents, blank pages). */
  frontPages: number;
  /** Pages the contents take. */
  contentsPages: number;
  chapters: BookChapterPages[];
}

/** Runs in the page. Self-contained: no imports, no helpers from module scope. */
export function layoutBook(params: BookLayoutParams): BookLayoutResult {
  const doc = document;
  const H = params.height;
  const blankPage = (className: string): HTMLElement => {
    const page = doc.createElement('div');
    page.className = className;
    page.setAttribute('aria-hidden', 'true');
    return page;
  };

  // Chapters: the number each starts on, and a blank page where the next would start on the left.
  const boxes = Array.from(doc.querySelectorAll<HTMLElement>('.imprint-pages'));
  const chapters: BookChapterPages[] = [];
  let next = 1;
  boxes.forEach((box, index) => {
    const pages = box.querySelectorAll(':scope > .imprint-page').length;
    const start = next;
    next = start + pages;
    let blanks = 0;
    if (params.recto && index < boxes.length - 1 && next % 2 === 0) {
      box.appendChild(blankPage('imprint-page imprint-page-blank'));
      blanks = 1;
      next++;
    }
    chapters.push({ start, pages, blanks });
  });

  // The contents: page numbers, then dot leaders that run from the text to the number.
  const nav = doc.querySelector<HTMLElement>('nav.book-contents');
  let contentsPages = 0;
  if (nav) {
    const entries = Array.from(nav.querySelectorAll<HTMLElement>('.contents-entry'));
    entries.forEach((entry, index) => {
      const number = entry.querySelector('.contents-page');
      if (number) number.textContent = String(chapters[index]?.start ?? '');
    });
    // A leader runs on the entry's last line, from the end of its text to the number, which
    // stands in the entry's right padding: as many dots as fit there.
    const probe = doc.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:pre';
    for (const entry of entries) {
      const leader = entry.querySelector<HTMLElement>('.contents-leader');
      const box = leader?.parentElement;
      if (!leader || !box) continue;
      leader.textContent = '';
      leader.appendChild(probe);
      probe.textContent = '.'.repeat(40);
      const advance = probe.getBoundingClientRect().width / 40;
      probe.remove();
      const leaderStyle = getComputedStyle(leader);
      const end = box.getBoundingClientRect().right - Number.parseFloat(getComputedStyle(box).paddingRight) - Number.parseFloat(leaderStyle.paddingRight);
      // Half a dot to spare: the dots and what they follow are one unbreakable run, which must
      // not be pushed to a line of its own by a rounding difference when Chromium prints.
      const dots = (): number => {
        const start = Array.from(leader.getClientRects()).at(-1)?.left ?? 0;
        const room = end - start - Number.parseFloat(leaderStyle.paddingLeft);
        return advance > 0 ? Math.max(0, Math.floor((room - advance / 2 - 1) / advance)) : 0;
      };
      let count = dots();
      // Text that ends at the number leaves no room for a leader: the leader and the number go to a line of their own.
      if (count < 3) {
        leader.before(doc.createElement('br'));
        count = dots();
      }
      leader.textContent = '.'.repeat(count);
    }

    // Pages of their own: the heading and as many entries as fit, then the rest on the next.
    const heading = nav.querySelector(':scope > .contents-title');
    const list = nav.querySelector<HTMLElement>(':scope > .contents-list');
    const newPage = (): { page: HTMLElement; list: HTMLElement } => {
      const page = doc.createElement('div');
      page.className = 'imprint-contents-page';
      const part = (list?.cloneNode(false) ?? doc.createElement('ol')) as HTMLElement;
      page.appendChild(part);
      nav.appendChild(page);
      contentsPages++;
      return { page, list: part };
    };
    let current = newPage();
    if (heading) current.page.insertBefore(heading, current.list);
    for (const entry of entries) {
      current.list.appendChild(entry);
      const top = current.page.getBoundingClientRect().top;
      if (entry.getBoundingClientRect().bottom - top > H && current.list.children.length > 1) {
        current = newPage();
        current.list.classList.add('imprint-continued');
        current.list.appendChild(entry);
      }
    }
    list?.remove();
  }

  // Blank backs of the cover and the title page, and a blank page before the first chapter.
  const cover = doc.querySelector('.imprint-cover');
  const coverPages = params.cover && cover ? (params.recto ? 2 : 1) : 0;
  if (coverPages === 2 && cover) cover.after(blankPage('imprint-cover-blank'));
  const title = doc.querySelector('.book-title-page');
  let frontPages = 1 + contentsPages;
  if (params.recto && title) {
    title.after(blankPage('imprint-front-blank'));
    frontPages++;
  }
  if (params.recto && frontPages % 2 === 1) {
    (nav ?? title)?.after(blankPage('imprint-front-blank'));
    frontPages++;
  }

  // The counter: the title page takes it to 1 - frontPages, so that the first chapter's first
  // page is page 1 (the front matter prints no number).
  const style = doc.createElement('style');
  style.textContent = `@page imprint-title { counter-increment: page ${1 - frontPages}; }`;
  doc.head.appendChild(style);
  return { coverPages, frontPages, contentsPages, chapters };
}
