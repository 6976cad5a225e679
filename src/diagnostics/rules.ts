/**
 * Every rule Imprint reports, with its severity and one line of documentation. The severity of a
 * diagnostic comes from here and nowhere else:
 *
 *   error    the document fails (no outputs are written for it; the run goes on), or for a rule of
 *            `imprint check`, the output does not pass;
 *   warning  something the user should act on: an image that could not be had, content removed
 *            for safety, a page that overflows;
 *   info     a routine repair Imprint made to the article: counted in the summary as a repair,
 *            listed with --verbose.
 *
 * `diagnose()` reports a rule on a file (vfile's fail, message or info, by the rule's severity);
 * a rule id that is not in RULES is a compile error. docs/rules.md is generated from RULES
 * (`npm run docs`).
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

export type Severity = 'error' | 'warning' | 'info';

export interface Rule {
  readonly severity: Severity;
  /** One line for docs/rules.md: what the rule reports, and what Imprint did about it. */
  readonly doc: string;
  /** A rule of `imprint check` (about a finished output, not an article). */
  readonly check?: boolean;
}

export const RULES = {
  // Reading the article
  'input-missing': { severity: 'error', doc: 'The Markdown file does not exist or is not a regular file.' },
  'input-too-large': { severity: 'error', doc: 'The file is larger than `limits.maxInputBytes`.' },
  'input-binary': { severity: 'error', doc: 'The file contains NUL bytes: it is not Markdown text.' },
  'input-encoding': { severity: 'error', doc: 'The file is not valid UTF-8.' },

  'article-empty': { severity: 'error', doc: 'Nothing to publish: the article is empty, whitespace or front matter only. No output is written for it.' },

  // Front matter
  'front-matter-yaml': { severity: 'error', doc: 'The front matter is not valid YAML.' },
  'front-matter-type': { severity: 'error', doc: 'A front-matter key has a value of the wrong type (e.g. a `date` that is not an ISO 8601 date).' },
  'front-matter-config': { severity: 'warning', doc: 'A page setting in the front matter is not valid; the configured page settings are used.' },
  'front-matter-empty': { severity: 'info', doc: 'A front-matter key has no value and was ignored.' },

  // Books
  'book-yaml': { severity: 'error', doc: 'book.yaml is not valid YAML, or a key has a value of the wrong type, or is not a key book.yaml knows.' },
  'book-chapters': { severity: 'error', doc: 'A chapter listed in book.yaml is missing, not Markdown, outside the content folder or listed twice, or the book has no chapters.' },

  // Limits for untrusted input
  'limit-depth': { severity: 'error', doc: 'The article nests blocks, emphasis or links deeper than `limits.maxDepth`.' },
  'limit-images': { severity: 'error', doc: 'The article has more images than `limits.maxImages`.' },
  'limit-notes': { severity: 'error', doc: 'The article has more notes (footnotes and sources) than `limits.maxNotes`.' },
  'limit-time': { severity: 'error', doc: 'Parsing took longer than `limits.timeBudgetMs`.' },
  'limit-memory': { severity: 'error', doc: 'Parsing needed more memory than the parser is given.' },
  'time-budget': { severity: 'error', doc: 'The document took longer than `limits.timeBudgetMs` as a whole.' },
  'parse-failed': { severity: 'error', doc: 'The parser stopped unexpectedly.' },
  cancelled: { severity: 'error', doc: 'The document’s work was stopped (its time budget ran out) before an output was written.' },

  // Repairs of clipped articles
  'duplicate-title': { severity: 'info', doc: 'Dropped a heading that repeats the title.' },
  'heading-demoted': { severity: 'info', doc: 'Demoted a second top-level heading: the article has one title.' },
  byline: { severity: 'info', doc: 'Recognised a byline such as 【文/观察者网 熊超然】: author and publisher go to the metadata.' },
  'wrapped-url': { severity: 'info', doc: 'Joined a link or image URL that the clipper broke across lines.' },
  'cjk-line-break': { severity: 'info', doc: 'Joined soft line breaks between CJK characters, which must not become spaces.' },
  'cjk-latin-spacing': { severity: 'info', doc: 'Made the spacing between CJK and Latin text follow the article’s own convention (a space, or none) everywhere, soft line breaks included.' },
  figure: { severity: 'info', doc: 'Made an image that stands alone into a figure without a caption.' },
  'figure-caption': { severity: 'info', doc: 'Made an image and its italic caption line (or its title) into a figure with a caption.' },
  'alt-from-caption': { severity: 'info', doc: 'Gave an image with empty alt text in a captioned figure an alternative that points to its caption (“Image 3, described in its caption”), so that screen readers read the caption once; the web page, the PDF and the EPUB say the same.' },
  'alt-repeats-caption': { severity: 'info', doc: 'Replaced alt text that only repeats the figure’s caption with an alternative that points to the caption, so that screen readers read the caption once.' },
  'credit-split': { severity: 'info', doc: 'Split an image credit (图自…, …摄, Photo: …) out of a caption into the figure’s credit and note.' },
  'linked-image': { severity: 'info', doc: 'Unwrapped the link around an image in a figure; its URL goes to the figure’s note.' },
  'date-from-text': { severity: 'info', doc: 'Took the article’s date from a dateline it states with its year (2023-11-16 07:32 来源：…, Published November 15, 2023), as the front matter gives none.' },
  'rights-notice': { severity: 'info', doc: 'Recognised a closing copyright line: it becomes the rights statement.' },

  // Accessibility of what the author wrote (the EPUB then claims no conformance)
  'image-no-alt': { severity: 'warning', doc: 'An image has neither alt text nor a caption: its alternative is only “Image 3”. Write `![what it shows](…)` or a caption.' },
  'link-no-text': { severity: 'warning', doc: 'A link has no text (`[](https://…)`): a screen reader can only read its address.' },
  'heading-empty': { severity: 'warning', doc: 'A heading has no text.' },
  'heading-skipped': { severity: 'warning', doc: 'A heading is more than one level below the heading before it (`##` then `####`; the title is level 1).' },
  'table-header-empty': { severity: 'warning', doc: 'A table header cell has no text: its column has no name.' },

  // HTML and links
  'raw-html': { severity: 'warning', doc: 'Removed raw HTML from the Markdown (`html.allowRawHtml` is off); the content of script-like elements goes with it.' },
  'unsafe-html': { severity: 'warning', doc: 'Removed an element or attribute that could run code or load something (script, event handler, style, unsafe URL).' },
  'unsafe-link': { severity: 'warning', doc: 'Removed a link with an unsafe URL (javascript:, file:, data:, …); its text is kept.' },
  'link-relative': { severity: 'warning', doc: 'Removed a relative link that points at no document published in the same run (a local file, a page of the clipped site); its text is kept.' },
  'link-private': { severity: 'warning', doc: 'Removed a link to a loopback, private or link-local address or a local name (localhost, *.local): a reader cannot follow it; its text is kept.' },
  'link-scheme': { severity: 'warning', doc: 'Removed a link whose scheme is not http, https or mailto; its text is kept.' },
  'html-unwrapped': { severity: 'info', doc: 'Removed a tag an article may not have (with `html.allowRawHtml`), keeping its content.' },
  'html-attribute': { severity: 'info', doc: 'Removed attributes an article may not carry (classes, ids, presentation attributes).' },

  // Images
  'image-unreachable': { severity: 'warning', doc: 'An image could not be had (missing file, DNS error, HTTP error, timeout): shown as a placeholder.' },
  'image-uncached': { severity: 'warning', doc: 'A remote image is not in the download cache while downloads are off (`--offline`, `images.fetch`): shown as a placeholder.' },
  'image-refused': { severity: 'warning', doc: 'An image address was refused (a private or loopback address, a path outside the content folder, an unsupported scheme): shown as a placeholder.' },
  'image-invalid': { severity: 'warning', doc: 'An image is damaged or not an image: shown as a placeholder.' },
  'image-too-large': { severity: 'warning', doc: 'An image is over the size or pixel limit: shown as a placeholder.' },
  'image-converted': { severity: 'info', doc: 'Converted an image to a format the outputs can show (SVG rasterized to PNG, TIFF or BMP converted, a copy of an AVIF for HTML and EPUB).' },
  'image-scaled': { severity: 'info', doc: 'Scaled a very large image down for HTML and EPUB; the PDF keeps the original.' },

  // Outputs
  'pdf-page-overflow': { severity: 'warning', doc: 'A PDF page is too full (a note or block taller than the page) and was clipped.' },
  'pdf-figure-scaled': { severity: 'warning', doc: 'A figure was printed at less than half its size in the PDF: it is taller than a page, or it ends the article and was made to fit beside the last text.' },
  'pdf-time-budget': { severity: 'error', doc: 'The PDF page layout did not finish within `limits.timeBudgetMs`; the message names the page and text it stopped at.' },
  'pdf-unreferenced-note': { severity: 'warning', doc: 'Footnotes with no mark in the text; the PDF prints them at the foot of the last page.' },
  'pdf-tags': { severity: 'warning', doc: 'Part of the PDF’s accessibility structure could not be built as planned (e.g. a block split by a page break that does not match the tags); the PDF stays tagged but may not conform to PDF/UA-1.' },
  'epub-cover-unusable': { severity: 'warning', doc: 'The front-matter cover cannot be stored in the EPUB; a cover is generated instead.' },
  'epub-duplicate-title': { severity: 'info', doc: 'Dropped a title heading at the start of the EPUB body (the EPUB adds its own title).' },

  // imprint check
  'pdf-invalid': { severity: 'error', check: true, doc: 'The file is not a readable PDF.' },
  'pdf-font-not-embedded': { severity: 'error', check: true, doc: 'A font of the PDF is not embedded.' },
  'pdf-font-type3': { severity: 'error', check: true, doc: 'A font of the PDF is a Type 3 font (outlines, not real text).' },
  'pdf-no-title': { severity: 'error', check: true, doc: 'The PDF has no title in its metadata.' },
  'pdf-no-lang': { severity: 'warning', check: true, doc: 'The PDF declares no language (`/Lang`).' },
  'pdf-not-tagged': { severity: 'error', check: true, doc: 'The PDF is not tagged (no structure tree, or `/MarkInfo /Marked` is not true).' },
  'pdf-article-structure': { severity: 'error', check: true, doc: 'The structure tree is not one Document holding one Art, or for a book one Art per chapter each opening with its title (e.g. one fragment per page).' },
  'pdfua-version': { severity: 'error', check: true, doc: 'PDF/UA-1: the file is older than PDF 1.7.' },
  'pdfua-identification': { severity: 'error', check: true, doc: 'PDF/UA-1: the XMP metadata is missing, has no `dc:title`, or does not say `pdfuaid:part` 1.' },
  'pdfua-display-title': { severity: 'error', check: true, doc: 'PDF/UA-1: `/ViewerPreferences /DisplayDocTitle` is not true.' },
  'pdfua-lang': { severity: 'error', check: true, doc: 'PDF/UA-1: no document `/Lang`, or a `/Lang` that is not a language tag.' },
  'pdfua-suspects': { severity: 'error', check: true, doc: 'PDF/UA-1: `/MarkInfo /Suspects` is true.' },
  'pdfua-untagged-content': { severity: 'error', check: true, doc: 'PDF/UA-1: content painted neither as tagged content nor as an artifact.' },
  'pdfua-artifact-nesting': { severity: 'error', check: true, doc: 'PDF/UA-1: tagged content inside an artifact, or an artifact inside tagged content.' },
  'pdfua-mcid': { severity: 'error', check: true, doc: 'PDF/UA-1: marked content and the structure tree (or its parent tree) disagree.' },
  'pdfua-structure-type': { severity: 'error', check: true, doc: 'PDF/UA-1: a structure type that is not standard and not role-mapped, or a standard type remapped.' },
  'pdfua-figure-alt': { severity: 'error', check: true, doc: 'PDF/UA-1: a Figure without `/Alt`, or one whose `/Alt` repeats its caption.' },
  'pdfua-note-id': { severity: 'error', check: true, doc: 'PDF/UA-1: a Note without `/ID`, or an ID used twice.' },
  'pdfua-link': { severity: 'error', check: true, doc: 'PDF/UA-1: a link annotation without `/Contents`, or outside a Link element.' },
  'pdfua-tabs': { severity: 'error', check: true, doc: 'PDF/UA-1: a page with annotations has no `/Tabs /S`.' },
  'pdfua-list': { severity: 'error', check: true, doc: 'PDF/UA-1: a list not made of LI, or a list item not made of Lbl and LBody.' },
  'pdfua-table': { severity: 'error', check: true, doc: 'PDF/UA-1: a table not made of rows, or a cell outside a row.' },
  'pdfua-headings': { severity: 'error', check: true, doc: 'PDF/UA-1: numbered headings that skip a level or do not start at H1, or H mixed with H1–H6.' },
  'epubcheck-run': { severity: 'error', check: true, doc: 'The epubcheck tool could not run, or did not finish.' },
  'ace-run': { severity: 'error', check: true, doc: 'Ace by DAISY could not run on the EPUB, or did not finish. (Each violation Ace reports is an error named after its rule: `ace-color-contrast`, …)' },
  'axe-run': { severity: 'error', check: true, doc: 'axe-core could not run on the web page. (Each violation axe reports is an error named after its rule, `axe-color-contrast`, …, with the width and colour scheme it was found at.)' },
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

/** The rule ids of one severity (or several). */
export type RuleIdOf<S extends Severity> = { [Id in RuleId]: (typeof RULES)[Id]['severity'] extends S ? Id : never }[RuleId];

export type ErrorRuleId = RuleIdOf<'error'>;

/** A checked list of rule ids: `RuleIds<'image-invalid' | 'image-refused'>` (a misspelt id does not compile). */
export type RuleIds<Ids extends RuleId> = Ids;

/** What every diagnostic of Imprint carries as its `source`. */
export const RULE_SOURCE = 'imprint';

export function severityOf<Id extends RuleId>(ruleId: Id): (typeof RULES)[Id]['severity'] {
  return RULES[ruleId].severity;
}

type Place = Point | Position | null | undefined;

/**
 * Reports `ruleId` on `file` at `place` with the rule's severity: an error throws (vfile's
 * `fail`), a warning is a `message`, a repair an `info`.
 */
export function diagnose(file: VFile, ruleId: ErrorRuleId, reason: string, place?: Place): never;
export function diagnose(file: VFile, ruleId: RuleId, reason: string, place?: Place): VFileMessage;
export function diagnose(file: VFile, ruleId: RuleId, reason: string, place?: Place): VFileMessage {
  const options = { place: place ?? null, ruleId, source: RULE_SOURCE };
  switch (RULES[ruleId].severity) {
    case 'error':
      return file.fail(reason, options);
    case 'warning':
      return file.message(reason, options);
    case 'info':
      return file.info(reason, options);
  }
}
