/**
 * EPUB Accessibility metadata (schema.org properties in the package), stated from what the book
 * actually contains: no conformance is claimed, as nobody has certified it.
 *
 * Not the library's job: epub-gen-memory writes no accessibility metadata; what a book's images
 * and notes allow a reader is known only from Imprint's chapters.
 */
import type { ChapterFacts } from './chapter.js';
import type { EpubImage } from './images.js';
import type { EpubLabels } from './labels.js';
import type { Accessibility } from './metadata.js';

export function accessibilityMetadata(facts: ChapterFacts, images: Iterable<EpubImage>, labels: EpubLabels): Accessibility {
  // An animated GIF could flash; Imprint does not inspect frames, so it does not claim "none".
  const mayFlash = [...images].some((image) => image.mediaType === 'image/gif');
  const hasImages = facts.images > 0;
  return {
    accessModes: hasImages ? ['textual', 'visual'] : ['textual'],
    // Text alone suffices when every image has a real description (its alt text or caption).
    sufficient: !hasImages ? ['textual'] : facts.imagesWithoutDescription === 0 ? ['textual', 'textual,visual'] : ['textual,visual'],
    features: ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability', ...(hasImages ? ['alternativeText'] : [])],
    hazards: mayFlash ? ['unknown'] : ['none'],
    summary: labels.summary({ images: facts.images, notes: facts.notes }),
    summaryLang: labels.summaryLang,
  };
}
