/**
 * epub-gen-memory, used strictly in memory.
 *
 * The library fetches every <img src>, font URL and cover given to it (node-fetch for http(s),
 * fs.readFile for file:// URLs). Imprint never hands it a URL or a path: chapters reach it without
 * images, without fonts and without a cover, and this subclass turns every download step into a
 * hard failure should anything slip through. Images, fonts and the cover are added by the
 * post-processing (build-epub) from the resolved, in-memory asset set.
 *
 * What Imprint keeps from its output: the OCF container (`mimetype`, META-INF/container.xml) and
 * the package layout (OEBPS/…). The package document, navigation and content documents fall short
 * (empty dc:description, xml:lang="en", a made-up "All rights reserved", random identifier,
 * build-time dates, a prepended duplicate title, text escaped as &#x…; entities, attributes such as
 * epub:type kept but width/height/data-* dropped) and are rewritten by Imprint.
 *
 * The library renders its files into its in-memory zip object and Imprint reads them from there:
 * its compression step (`genEpub`: deflate level 9 in pure JS) is never run, since Imprint zips
 * the book itself (src/epub/zip.ts) and would only have inflated it again.
 */
import { EPub, type Chapter, type Options } from 'epub-gen-memory';

export class OfflineGeneratorError extends Error {
  constructor(what: string) {
    super(`epub-gen-memory was about to fetch ${what}; Imprint only hands it in-memory data`);
    this.name = 'OfflineGeneratorError';
  }
}

class InMemoryEPub extends EPub {
  protected override async downloadAllImages(): Promise<void> {
    if (this.images.length > 0) throw new OfflineGeneratorError(`${this.images.length} image(s)`);
  }

  protected override async downloadAllFonts(): Promise<void> {
    if (this.options.fonts.length > 0) throw new OfflineGeneratorError(`${this.options.fonts.length} font(s)`);
  }

  protected override async makeCover(): Promise<void> {
    if (this.cover) throw new OfflineGeneratorError('a cover');
  }

  /** The rendered files by path (directories left out), as stored in the library's zip object, uncompressed. */
  async files(): Promise<Map<string, Uint8Array>> {
    const entries = new Map<string, Uint8Array>();
    for (const [path, file] of Object.entries(this.zip.files)) {
      if (!file.dir) entries.set(path, await file.async('uint8array'));
    }
    return entries;
  }
}

export interface GeneratorChapter {
  title: string;
  /** File name without extension (the library adds .xhtml). */
  filename: string;
  /** XHTML body content, without <img> (the library would fetch them). */
  content: string;
  beforeToc?: boolean;
}

export interface GeneratorInput {
  title: string;
  author?: string | undefined;
  publisher?: string | undefined;
  description?: string | undefined;
  lang: string;
  /** ISO date-time. */
  date: string;
  css: string;
  tocTitle: string;
  chapters: readonly GeneratorChapter[];
}

/**
 * Runs epub-gen-memory on in-memory data only (templates rendered, nothing fetched, nothing
 * compressed); returns its files by path (directories left out).
 */
export async function generateWithLibrary(input: GeneratorInput): Promise<Map<string, Uint8Array>> {
  for (const chapter of input.chapters) {
    if (/<img\b/i.test(chapter.content)) throw new OfflineGeneratorError(`resources of chapter "${chapter.filename}"`);
  }
  const options: Options = {
    title: input.title,
    lang: input.lang,
    date: input.date,
    css: input.css,
    tocTitle: input.tocTitle,
    prependChapterTitles: false,
    numberChaptersInTOC: false,
    tocInTOC: false,
    version: 3,
    fonts: [],
    verbose: false,
    ignoreFailedDownloads: false,
    ...(input.author ? { author: input.author } : {}),
    ...(input.publisher ? { publisher: input.publisher } : {}),
    ...(input.description ? { description: input.description } : {}),
  };
  const chapters: Chapter[] = input.chapters.map((chapter) => ({
    title: chapter.title,
    filename: chapter.filename,
    content: chapter.content,
    beforeToc: chapter.beforeToc ?? false,
  }));
  const book = await new InMemoryEPub(options, chapters).render();
  return book.files();
}

/** The library's META-INF/container.xml, checked to point at the package document Imprint writes. */
export function containerOf(entries: ReadonlyMap<string, Uint8Array>, packagePath: string): Uint8Array {
  const container = entries.get('META-INF/container.xml');
  const mimetype = entries.get('mimetype');
  if (!container || !new TextDecoder().decode(container).includes(`full-path="${packagePath}"`)) {
    throw new Error(`epub-gen-memory did not write a META-INF/container.xml pointing at ${packagePath}`);
  }
  if (!mimetype || new TextDecoder().decode(mimetype) !== 'application/epub+zip') {
    throw new Error('epub-gen-memory did not write the mimetype entry');
  }
  return container;
}
