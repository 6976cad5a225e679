/**
 * The print document's accessibility roles, set in the page after the footnote layout
 * (src/pdf/paginate.ts) and before Chromium prints, and what the PDF's structure tree then needs
 * from Imprint that Chromium cannot express (src/pdf/accessible.ts applies it).
 *
 * Chromium builds the PDF's tags from the accessibility tree: an element it ignores
 * (role="none") leaves its kids to its parent, role="group" becomes /Div, role="article" /Art,
 * role="complementary" /Aside, role="paragraph" /P, and aria-hidden content is
 * printed untagged (an artifact once the PDF is finished). So the page wrappers of the layout
 * disappear from the tree except one /Div per page of text and one /Aside per page of notes, which
 * the finishing step dissolves with what is recorded here: which blocks of a page continue a block
 * of the page before (a paragraph split by the page break), and which notes each page holds.
 */
import { stringsFor } from '../html/strings.js';

export interface TagPlanNote {
  /** The note's element id ("note-3"), also its link target; empty for the rest of a note begun on an earlier page. */
  id: string;
  /** The rest of the note before it in the document (a note split between pages). */
  continued: boolean;
  /** Tag names of the note's blocks continued from that earlier part, outermost first. */
  continues: string[];
}

export interface TagPlanPage {
  /** Tag names of the blocks that continue the previous page's last block, outermost first ([] when the page starts a new block). */
  continues: string[];
  /** How many blocks (floats set at the top of the page) come before the one that continues. */
  lead: number;
  /** The notes at the page's foot, in order. */
  notes: TagPlanNote[];
}

export interface TagPlan {
  /** One entry per page of the article (a book: of its chapters, and the blank pages between them; cover, front matter and colophon excluded), in order. */
  pages: TagPlanPage[];
  /** What a link to an element id is for ("Note 3", "Back to the text"), for the link annotation's /Contents. */
  linkTargets: Record<string, string>;
  /** The colophon (the group after the article) opens with a paragraph that is its heading. */
  colophonHeading: boolean;
}

/** The words the roles and descriptions use, in the document's language. */
export interface TagLabels {
  /** A note, "{n}" for its number. */
  note: string;
  backToText: string;
  /** An image whose caption describes it, "{n}" for its number in the document. */
  image: string;
  imageUnavailable: string;
}

export function tagLabelsFor(lang: string): TagLabels {
  const tag = lang.toLowerCase();
  // The image words are the ones the article's tree already uses (rehype-image-alt), so the PDF,
  // the web page and the EPUB name an image alike.
  const { imageInCaption: image, imageUnavailable } = stringsFor(lang);
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return { note: '註釋 {n}', backToText: '返回正文', image, imageUnavailable };
  if (tag.startsWith('zh')) return { note: '注释 {n}', backToText: '返回正文', image, imageUnavailable };
  if (tag.startsWith('ja')) return { note: '注 {n}', backToText: '本文へ戻る', image, imageUnavailable };
  if (tag.startsWith('ko')) return { note: '주석 {n}', backToText: '본문으로', image, imageUnavailable };
  return { note: 'Note {n}', backToText: 'Back to the text', image, imageUnavailable };
}

/** Runs in the page (page.evaluate): self-contained, no imports or helpers from module scope. */
export function tagPrintDocument(labels: TagLabels): TagPlan {
  const doc = document;
  const fill = (template: string, n: number | string): string => template.replace('{n}', String(n));
  // Soft hyphens (the print copy's hyphenation points) are not part of what a text says.
  const plain = (text: string | null): string => (text ?? '').replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
  const hasContent = (el: Element): boolean => plain(el.textContent) !== '' || el.querySelector('img, svg, [role="img"]') !== null;

  // The page wrappers leave the structure: one Art (per chapter of a book) holds one Div per page
  // of text and one Aside per page of notes.
  for (const pagesBox of Array.from(doc.querySelectorAll('.imprint-pages'))) pagesBox.setAttribute('role', 'article');
  // A book's title page is a Div with its H1; its contents a Div with their heading and list (the
  // pages they are set on leave the structure).
  for (const part of Array.from(doc.querySelectorAll('.book-title-page, nav.book-contents'))) part.setAttribute('role', 'group');
  for (const page of Array.from(doc.querySelectorAll('.imprint-contents-page'))) page.setAttribute('role', 'none');
  for (const page of Array.from(doc.querySelectorAll('.imprint-page'))) page.setAttribute('role', 'none');
  for (const shell of Array.from(doc.querySelectorAll('.imprint-page-body article, .imprint-page-body .article-body'))) shell.setAttribute('role', 'none');
  const bodies = Array.from(doc.querySelectorAll('.imprint-page-body'));
  for (const body of bodies) body.setAttribute('role', 'group');
  for (const box of Array.from(doc.querySelectorAll('aside.imprint-footnotes'))) box.setAttribute('role', 'complementary');

  // A table's header repeated on the page it continues on is printed again, not read again.
  for (const thead of Array.from(doc.querySelectorAll('table.imprint-continued > thead'))) thead.setAttribute('aria-hidden', 'true');

  /**
   * The chain of continued elements under `parent`, outermost first: the layout marks each
   * element it split with imprint-continued on the later side. A level whose earlier side (the
   * last element of `before`) holds nothing is no continuation (that side is not printed).
   */
  const chain = (parent: Element, before: Element | undefined): string[] => {
    const tags: string[] = [];
    let here: Element | undefined = parent;
    let there = before;
    for (;;) {
      const next: Element | undefined = Array.from(here.children).find((c) => c.classList.contains('imprint-continued'));
      if (!next) break;
      const head: Element | undefined = there ? Array.from(there.children).filter((c) => c.tagName === next.tagName).at(-1) : undefined;
      if (!head || !hasContent(head)) break;
      tags.push(next.tagName.toLowerCase());
      here = next;
      there = head;
    }
    return tags;
  };
  const contentOf = (body: Element): Element => {
    let el = body;
    for (;;) {
      const shell: Element | undefined = Array.from(el.children).find((c) => c.matches('article, .article-body') && c.getAttribute('role') === 'none');
      if (!shell) return el;
      // The body shell holds the blocks; the article shell holds the header and the body shell.
      const bodyShell = Array.from(shell.children).find((c) => c.matches('.article-body') && c.getAttribute('role') === 'none');
      if (bodyShell) return bodyShell;
      el = shell;
    }
  };

  const pages: TagPlanPage[] = [];
  let previousContent: Element | undefined;
  let previousNote: Element | undefined;
  for (const page of Array.from(doc.querySelectorAll('.imprint-page'))) {
    const body = page.querySelector(':scope > .imprint-page-body');
    const content = body ? contentOf(body) : undefined;
    const continues = content && previousContent && hasContent(content) ? chain(content, previousContent) : [];
    // Floats set at the top of the page come before the block it continues.
    const lead = content && continues.length > 0 ? Math.max(0, Array.from(content.children).findIndex((c) => c.classList.contains('imprint-continued'))) : 0;
    if (content && hasContent(content)) previousContent = content;
    const notes: TagPlanNote[] = [];
    for (const note of Array.from(page.querySelectorAll(':scope > aside.imprint-footnotes > .imprint-footnote'))) {
      const continued = note.classList.contains('imprint-footnote-continued');
      notes.push({ id: continued ? '' : note.id, continued, continues: continued && previousNote ? chain(note, previousNote) : [] });
      previousNote = note;
    }
    pages.push({ continues, lead, notes });
  }

  // Figures: a group of images and their caption. An image's alternative text that only repeats
  // the caption is replaced by a short label, so that the caption is read once. (The article's
  // tree already follows this rule, rehype-image-alt; this keeps the PDF right for any other.)
  let images = 0;
  const figures = Array.from(doc.querySelectorAll('figure'));
  const captionOf = (figure: Element): string => plain(figure.querySelector('figcaption .caption')?.textContent ?? figure.querySelector('figcaption')?.textContent ?? '');
  figures.forEach((figure, i) => {
    figure.setAttribute('role', 'group');
    // A group of images split by a page break has its caption in its last part.
    let caption = captionOf(figure);
    for (let j = i + 1; caption === '' && j < figures.length && (figures[j - 1] as Element).classList.contains('imprint-split-head'); j++) {
      if ((figures[j] as Element).classList.contains('imprint-continued')) caption = captionOf(figures[j] as Element);
    }
    for (const image of Array.from(figure.querySelectorAll('img, [role="img"]'))) {
      images++;
      const isPlaceholder = image.tagName !== 'IMG';
      const prefix = `${labels.imageUnavailable}: `;
      let alt = plain(isPlaceholder ? image.getAttribute('aria-label') : image.getAttribute('alt'));
      if (isPlaceholder && alt.startsWith(prefix.trim())) alt = plain(alt.slice(prefix.trim().length).replace(/^[:：]/, ''));
      const repeats = alt === '' || (caption !== '' && (caption.includes(alt) || alt.includes(caption)));
      const text = repeats ? fill(labels.image, images) : alt;
      if (isPlaceholder) image.setAttribute('aria-label', `${prefix}${text}`);
      else image.setAttribute('alt', text);
    }
  });

  // Inline elements in another language keep their /Lang only as elements of their own.
  for (const el of Array.from(doc.querySelectorAll('body [lang]'))) {
    if (!el.hasAttribute('role') && getComputedStyle(el).display.startsWith('inline')) el.setAttribute('role', 'generic');
  }

  // Cover and colophon: a Div each; the colophon's title is its heading, each fact a paragraph.
  for (const box of Array.from(doc.querySelectorAll('.imprint-cover, .imprint-colophon'))) box.setAttribute('role', 'group');
  // The colophon's title is its heading in the tags only: as a heading here it would also become a
  // second bookmark with the article's title.
  const colophonTitle = doc.querySelector('.imprint-colophon .colophon-title');
  const colophonHeading = colophonTitle !== null && !/^H[1-6]$/.test(colophonTitle.tagName) && hasContent(colophonTitle);
  for (const list of Array.from(doc.querySelectorAll('.imprint-colophon dl'))) list.setAttribute('role', 'none');
  for (const fact of Array.from(doc.querySelectorAll('.imprint-colophon .colophon-fact'))) fact.setAttribute('role', 'paragraph');

  // What each internal link is for.
  const linkTargets: Record<string, string> = {};
  for (const link of Array.from(doc.querySelectorAll('a[href^="#"]'))) {
    const id = decodeURIComponent((link.getAttribute('href') ?? '').slice(1));
    if (id === '' || id in linkTargets) continue;
    const target = doc.getElementById(id);
    if (!target) continue;
    const number = /(\d+)$/.exec(id)?.[1];
    if (target.matches('.imprint-footnote, [role="doc-footnote"], li.note') && number) linkTargets[id] = fill(labels.note, number);
    else if (target.matches('[role="doc-noteref"], sup.noteref, sup.noteref *')) linkTargets[id] = labels.backToText;
    else {
      const text = plain(target.textContent);
      if (text) linkTargets[id] = text.length > 120 ? `${text.slice(0, 119)}…` : text;
    }
  }
  return { pages, linkTargets, colophonHeading };
}
