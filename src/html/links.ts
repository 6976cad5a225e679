/**
 * Links to the documents published together (see Publication in src/model.ts): in the tree they
 * are `<a data-document="name" data-fragment="…">` without an href, and each output points them
 * at that document's output of its own format:
 *
 *   html  name.html#fragment  (the pages lie side by side in the output folder)
 *   pdf   name.pdf            (the print HTML links there; src/pdf/links.ts turns the link
 *                              Chromium writes into a go-to-file action on the PDF's first page)
 *   epub  in a book, the other chapter (its file, and the fragment's element once every chapter
 *         is built: linkChapterFragments in src/stages/build-epub.ts); between separate EPUB
 *         files none: a link from one EPUB into another is not valid EPUB (epubcheck RSC-007)
 *         and no reading system follows it, so the text stays.
 *
 * A link that gets no href is unwrapped: its text stays.
 */
import type { Element, Root } from 'hast';
import { unwrapLinks } from '../plugins/lib/hast.js';
import type { Format } from '../model.js';

/** The href of document `name`'s output of `format`, or undefined when that output cannot link to it. */
export function documentHref(name: string, fragment: string | undefined, format: Format): string | undefined {
  const file = encodeURIComponent(name);
  switch (format) {
    case 'html':
      return `${file}.html${fragment === undefined ? '' : `#${encodeURIComponent(fragment)}`}`;
    case 'pdf':
      return `${file}.pdf`;
    case 'epub':
      return undefined;
  }
}

/**
 * Gives every document link of `tree` its href for `format`, or unwraps it; in place. `within`
 * gives the href of a document that is part of the same output (a chapter of the same EPUB):
 * such a link keeps its fragment as data-fragment, for the book to resolve once all its chapters
 * have their ids.
 */
export function resolveDocumentLinks(tree: Root | Element, format: Format, within?: (name: string) => string | undefined): void {
  unwrapLinks(tree, (link) => {
    const name = link.properties['dataDocument'];
    if (typeof name !== 'string') return false;
    const fragment = link.properties['dataFragment'];
    const inside = within?.(name);
    const href = inside ?? documentHref(name, typeof fragment === 'string' ? fragment : undefined, format);
    delete link.properties['dataDocument'];
    if (inside === undefined) delete link.properties['dataFragment'];
    if (href === undefined) return true;
    link.properties['href'] = href;
    return false;
  });
}
