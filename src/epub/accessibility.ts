/**
 * EPUB Accessibility metadata (schema.org properties in the package), stated from what the book
 * actually contains, and the conformance claim, written only when Imprint can stand by it.
 *
 * The claim ("EPUB Accessibility 1.1 - WCAG 2.2 Level AA") rests on two things:
 *   - Imprint's own markup and style sheet: the test suite runs Ace by DAISY (axe-core) on the
 *     EPUBs of the sample, an English essay, a book of notes, task lists and hostile inputs, and
 *     requires 0 violations (test/accessibility.test.ts);
 *   - the author's content, which no test can vouch for, checked while parsing: every image is
 *     described by its alt text or its caption (rehype-image-alt), no link is without text, no
 *     heading is empty or skips a level, no table header is empty (rehype-audit-accessibility),
 *     every chapter has a language, no raw HTML was let through (`html.allowRawHtml`), and no
 *     image may flash (a GIF or an animated PNG; Imprint does not inspect frames).
 * When any of these fails, or a chapter was not parsed by Imprint (its facts are unknown), the
 * book states its metadata without a claim. The evaluator named is Imprint's automated check:
 * nobody has reviewed the book, and the summary says so.
 *
 * Not the library's job: epub-gen-memory writes no accessibility metadata; what a book's images
 * and notes allow a reader is known only from Imprint's chapters.
 */
import type { ChapterFacts } from './chapter.js';
import type { EpubImage } from './images.js';
import type { EpubLabels } from './labels.js';
import type { Accessibility } from './metadata.js';

/** The conformance the book claims when every condition holds. */
export const CONFORMS_TO = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';
/** Who evaluated it: Imprint's checks at build time, not a person. */
export const CERTIFIED_BY = 'Imprint (automated checks at build time, not reviewed by a person)';

/** What the book's chapters hold, summed over its chapters. */
export interface BookFacts extends ChapterFacts {
  /** Images stored in the book (placeholders of missing images are text, not pictures). */
  pictures: number;
  /** Every chapter was parsed by Imprint, so its content's accessibility facts are known. */
  factsKnown: boolean;
  /** Links without text, empty headings, skipped heading levels, empty table headers. */
  contentProblems: number;
  /** Every chapter's language is a language tag (not "und"). */
  languagesKnown: boolean;
  /** Raw HTML from the Markdown was kept (sanitized): markup Imprint did not write. */
  rawHtml: boolean;
}

/** An animated PNG: an acTL chunk before the first image data. */
function isAnimatedPng(bytes: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.byteLength, 1 << 16)));
  const actl = text.indexOf('acTL');
  const idat = text.indexOf('IDAT');
  return actl >= 0 && (idat < 0 || actl < idat);
}

/** Images that could flash: a GIF (Imprint does not count its frames) or an animated PNG. */
export function mayFlash(images: Iterable<EpubImage>): boolean {
  return [...images].some((image) => image.mediaType === 'image/gif' || (image.mediaType === 'image/png' && isAnimatedPng(image.bytes)));
}

/** Why the book claims no conformance, or [] when it does. */
export function conformanceGaps(facts: BookFacts, flashing: boolean): string[] {
  const gaps: string[] = [];
  if (!facts.factsKnown) gaps.push('a chapter was not parsed by Imprint');
  if (facts.imagesWithoutDescription > 0) gaps.push(`${facts.imagesWithoutDescription} image(s) without alt text or caption`);
  if (facts.contentProblems > 0) gaps.push(`${facts.contentProblems} link(s), heading(s) or table header(s) without text or out of order`);
  if (!facts.languagesKnown) gaps.push('a chapter without a language');
  if (facts.rawHtml) gaps.push('raw HTML kept (html.allowRawHtml)');
  if (flashing) gaps.push('an image that may flash');
  return gaps;
}

export function accessibilityMetadata(facts: BookFacts, images: Iterable<EpubImage>, labels: EpubLabels): Accessibility {
  const flashing = mayFlash(images);
  const described = facts.imagesWithoutDescription === 0;
  const conforms = conformanceGaps(facts, flashing).length === 0;
  const pictures = facts.pictures > 0;
  return {
    accessModes: pictures ? ['textual', 'visual'] : ['textual'],
    // Text alone suffices when every image has a real description (its alt text or caption).
    sufficient: !pictures ? ['textual'] : described ? ['textual', 'textual,visual'] : ['textual,visual'],
    features: [
      'structuralNavigation',
      'tableOfContents',
      'readingOrder',
      'displayTransformability',
      ...(pictures && described ? ['alternativeText'] : []),
    ],
    hazards: flashing ? ['unknown'] : ['none'],
    summary: labels.summary({
      images: facts.pictures,
      missing: Math.max(0, facts.images - facts.pictures),
      undescribed: facts.imagesWithoutDescription,
      notes: facts.notes,
      conforms,
    }),
    summaryLang: labels.summaryLang,
    ...(conforms ? { conformsTo: CONFORMS_TO, certifiedBy: CERTIFIED_BY } : {}),
  };
}
