/**
 * Imprint's document model: the typed values that the stages hand to each other.
 *
 *   read  →  parse (unified: remark → rehype)  →  resolve images  →  render HTML
 *         →  print PDF  →  build EPUB  →  write
 *
 * The unified plugins record what they learn in `file.data` (see the `DataMap`
 * augmentation at the bottom); the parse stage turns that into an `Article`.
 */
import type { Root as HastRoot, ElementContent } from 'hast';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import type { RuleId } from './diagnostics/rules.js';

/** Metadata of one article. Front matter always wins over anything inferred. */
export interface ArticleMeta {
  title: string;
  subtitle?: string;
  author?: string;
  publisher?: string;
  /**
   * The article's one date, ISO 8601 (YYYY-MM-DD or a full date-time): from the front matter, or
   * the date its dateline states with its year (rehype-dateline). Every output shows this date and
   * no other (HTML meta, PDF metadata and colophon, EPUB dc:date); undefined when the article has
   * none, and then no output makes one up. The build time appears only as the EPUB's
   * dcterms:modified (SOURCE_DATE_EPOCH when set).
   */
  date?: string;
  /** BCP 47 language tag, e.g. zh-CN, zh-TW, ja, ko, en. Always set (detected when missing). */
  lang: string;
  /** Original URL of the article. */
  source?: string;
  /** Rights statement, e.g. the clipping's closing copyright notice. */
  rights?: string;
  description?: string;
  keywords: string[];
  /** Cover image path or URL as written in front matter. */
  cover?: string;
}

/** Front matter as written by the editor (all optional, validated). */
export type FrontMatter = Partial<Omit<ArticleMeta, 'keywords'>> & {
  keywords?: string[];
  /** Per-article overrides of the configuration (e.g. pageSize). */
  [key: string]: unknown;
};

/**
 * One numbered note. Sources (figure credits and image URLs, external link URLs)
 * and GFM footnotes share one numbering, in order of first reference.
 *
 * In the tree, a reference is rendered as
 *   <sup class="noteref"><a id="noteref-N" href="#note-N" role="doc-noteref">N</a></sup>
 * (a second reference to the same note gets id "noteref-N-2", …).
 * The note bodies live here, not in the tree: each output renders them its own way
 * (end notes in HTML, page-bottom footnotes in the PDF, pop-up asides in EPUB).
 */
export interface Note {
  /** Stable id, "note-N". */
  id: string;
  number: number;
  kind: 'source' | 'footnote';
  /** Ids of the references to this note in the tree ("noteref-N", "noteref-N-2"). */
  refIds: string[];
  /** Flow content of the note (usually one <p>), without back-links. */
  content: ElementContent[];
}

/**
 * An image referenced by the article. In the tree every image is an
 * `<img data-image-id="img-N" src="<original url>" alt="…">`.
 */
export interface ImageRef {
  /** "img-N", in document order. */
  id: string;
  /** URL or path exactly as written (after wrapped-URL repair). */
  url: string;
  alt: string;
  /**
   * What describes the image to a reader who cannot see it (rehype-image-alt): its alt text, its
   * figure's caption, or nothing (its alternative is only "Image n").
   */
  description?: 'alt' | 'caption' | 'none';
  /** Where the image stands in the Markdown, for diagnostics. */
  position?: Position;
}

/** An image that could be had: bytes and facts sniffed from the bytes. */
export interface ImageAsset {
  kind: 'image';
  id: string;
  /** Media type sniffed from the bytes, e.g. image/jpeg. */
  mediaType: string;
  /** File extension matching mediaType, without dot (jpg, png, gif, webp, svg). */
  ext: string;
  /** Original bytes (kept for print). */
  bytes: Uint8Array;
  width: number;
  height: number;
  /** Bytes for screen and EPUB: scaled down and converted when needed (same as bytes otherwise). */
  screen?: { bytes: Uint8Array; mediaType: string; ext: string; width: number; height: number };
}

/**
 * Why an image could not be had, in a word each output can say to its reader: unreachable (a
 * missing file, a DNS or HTTP error, a timeout), refused by the address policy, not downloaded
 * (offline, not in the cache), damaged or not an image, too large.
 */
export type PlaceholderCause = 'unreachable' | 'refused' | 'uncached' | 'invalid' | 'too-large';

/** An image that could not be had: rendered as a framed placeholder that keeps its caption and note. */
export interface ImagePlaceholder {
  kind: 'placeholder';
  id: string;
  /** Short reason shown to the editor, e.g. "unreachable (ENOTFOUND)". */
  reason: string;
  /** The kind of reason, for the reader; unknown when left out. */
  cause?: PlaceholderCause;
  width?: number;
  height?: number;
}

export type ResolvedImage = ImageAsset | ImagePlaceholder;

/** The resolved asset set shared by all three outputs, keyed by ImageRef id. */
export type AssetSet = Map<string, ResolvedImage>;

/**
 * The documents published together: one run of `imprint publish`, a preview session, the
 * chapters of a book (with the run's other documents). A relative link from one of them to
 * another stays a link, to that document's output of the same format — within a book, to the
 * other chapter in the book's own output (src/html/book.ts, src/stages/build-epub.ts); any other
 * relative link becomes text.
 */
export interface Publication {
  /** The article's own path, written like the paths of `documents`. */
  path: string;
  /** Every document's path, relative to the project root with forward slashes (the article's own included). */
  documents: readonly string[];
}

/**
 * A relative link of an article, resolved against the article's path. In the tree, a link to a
 * document published together is `<a data-document="name" data-fragment="…">` without an href:
 * each output gives it the href of that document's output in its own format (src/html/links.ts).
 */
export interface RelativeLink {
  /** The path it points at, relative to the project root, without query or fragment. */
  target: string;
  /** The output name of the document published together that it found; undefined when none. */
  document?: string;
}

/** The parsed, repaired article that all outputs share. */
export interface Article {
  /** Base name: content/<name>.md → output/<name>.{html,pdf,epub}. */
  name: string;
  /** Path of the Markdown file. */
  path: string;
  meta: ArticleMeta;
  /** Body content: no title heading (renderers add it from meta), figures, byline, notice, note refs. */
  tree: HastRoot;
  notes: Note[];
  images: ImageRef[];
  /** Headings for navigation (bookmarks, EPUB nav), in order. */
  headings: Heading[];
  /** What the content means for its accessibility; unknown (and no conformance claimed) when absent. */
  accessibility?: AccessibilityFacts;
  /** Its relative links, resolved (see Publication); none when absent. */
  relativeLinks?: RelativeLink[];
  /** The vfile carrying source text and diagnostics. */
  file: VFile;
}

export interface Heading {
  depth: number;
  id: string;
  text: string;
}

/**
 * The metadata of a book (content/<folder>/book.yaml). A book has authors or editors (or both):
 * a weekly digest has an editor, a columnist's collection an author.
 */
export interface BookMeta {
  title: string;
  subtitle?: string;
  authors: string[];
  editors: string[];
  publisher?: string;
  /** ISO 8601 date. */
  date?: string;
  /** BCP 47 tag: book.yaml's, else the language most chapters are in. */
  lang: string;
  /** Cover image as written in book.yaml (relative to the book's folder, or a URL). */
  cover?: string;
  description?: string;
  rights?: string;
  keywords: string[];
}

/**
 * A book: many articles, one volume (content/<folder>/ with a book.yaml). Each chapter is an
 * article with everything Imprint does to one; a single article is published as itself, not as
 * a book of one chapter, but the EPUB renders both through the same path.
 */
export interface Book {
  /** The folder's name: content/<name>/ → output/<name>.{html,pdf,epub}. */
  name: string;
  /** Path of book.yaml as shown to the user. */
  path: string;
  meta: BookMeta;
  /** In reading order (at least one). */
  chapters: Article[];
  /** book.yaml: its text and the diagnostics of the book as a whole. */
  file: VFile;
}

/** What an article's content means for its accessibility, as the parse stage found it. */
export interface AccessibilityFacts {
  /** Images with neither alt text nor a caption (rehype-image-alt). */
  undescribedImages: number;
  /**
   * Other content that assistive technology cannot convey as written: links without text, empty
   * headings, skipped heading levels, empty table headers (rehype-audit-accessibility).
   */
  contentProblems: number;
}

/** Output formats, in the order outputs are made and listed. */
export const FORMATS = ['html', 'pdf', 'epub'] as const;
export type Format = (typeof FORMATS)[number];

/** Timing of one stage for one document. */
export interface StageTiming {
  stage: string;
  ms: number;
}

export interface OutputFile {
  format: Format;
  path: string;
  bytes: number;
  pages?: number;
  /** True when the output was up to date and not rebuilt. */
  skipped?: boolean;
}

/** What publishing one document produced. */
export interface DocumentResult {
  name: string;
  path: string;
  ok: boolean;
  outputs: OutputFile[];
  timings: StageTiming[];
  file: VFile;
  /** Set when the document failed: a one-line reason without a stack trace. */
  error?: string;
  /** The rule of that failure, when Imprint named one (DocumentError). */
  errorRuleId?: RuleId;
  /**
   * A book's chapter files: the sources of the diagnostics `file` carries for them (each such
   * message names its chapter in its `file`), for code frames.
   */
  parts?: VFile[];
}

/** A 1-based line/column position, as used by vfile messages. */
export type { Point, Position };

declare module 'vfile' {
  interface DataMap {
    /** Parsed front matter (remark-front-matter-meta). */
    frontMatter: FrontMatter;
    /** Metadata inferred or read so far (title, byline, rights, lang, …). */
    meta: Partial<ArticleMeta>;
    /** Images in document order (rehype-figures / remark plugins). */
    images: ImageRef[];
    /** Numbered notes (rehype-source-notes). */
    notes: Note[];
    /** Headings with ids (rehype-headings). */
    headings: Heading[];
    /** The article's spacing between CJK and Latin text (rehype-cjk-latin-spacing). */
    cjkLatinSpacing: 'space' | 'none';
    /** What the content means for accessibility (rehype-image-alt, rehype-audit-accessibility). */
    accessibility: AccessibilityFacts;
    /** The documents published with this one (set by the parse stage). */
    publication: Publication;
    /** Relative links, resolved (rehype-document-links). */
    relativeLinks: RelativeLink[];
  }
}
