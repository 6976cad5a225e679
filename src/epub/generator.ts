/**
 * epub-gen-memory, Imprint's EPUB generator, run in memory on Imprint's data.
 *
 * Imprint hands the library the book — its chapters (each one's content as XHTML), metadata,
 * style sheet, cover (a File, in memory) and fonts — and the theme's four EJS templates as the
 * library's `contentOPF`, `tocNCX`, `tocXHTML` and `chapterXHTML` options, with the data those
 * templates use beyond the library's own (`book`, see metadata.ts; chapter fields such as
 * `bodyClass`). The library renders the package: META-INF/container.xml, OEBPS/content.opf,
 * toc.xhtml, toc.ncx, every chapter, style.css, images/, fonts/ and cover.<ext>.
 *
 * Nothing is fetched. The library fetches each <img src>, font URL and cover URL it is given
 * (node-fetch, or fs.readFile for file:// URLs). The sources Imprint gives are keys into the
 * book's resources in memory, and the library's loading hooks — its protected downloadAllImages,
 * downloadAllFonts and makeCover, overridden below — store those bytes; a source that is not one
 * of those keys fails the build (OfflineGeneratorError) and is never fetched.
 *
 * The library is patched (patches/epub-gen-memory+1.1.2.patch, applied by patch-package when
 * npm installs the packages; see the README for which guarantee needs which change):
 *   - `xhtmlContent`: chapter content is kept as Imprint wrote it (no attribute dropped, text not
 *     re-encoded as &#x…; entities, nothing serialized again): an XML parser only finds the
 *     images, whose sources are rewritten in place;
 *   - an image's id and file name come from its source's file name (img-1.jpeg → images/img-1.jpeg)
 *     instead of a random UUID;
 *   - `ejsOptions`: the templates' values are escaped with Imprint's escapeXml (UTF-8 text,
 *     characters XML does not allow dropped) rather than EJS's default.
 *
 * Not the library's job, and so here: the hooks, and reading the rendered files from the
 * library's in-memory zip object. Its own compression step (genEpub) is never run: Imprint zips
 * the book once, reproducibly (src/epub/zip.ts).
 */
import { EPub, optionsDefaults, type Chapter, type Options } from 'epub-gen-memory';
import type { TemplateBook } from './metadata.js';
import { escapeXml } from './xhtml.js';

export class OfflineGeneratorError extends Error {
  constructor(what: string) {
    super(`epub-gen-memory was about to fetch ${what}; Imprint only hands it data in memory`);
    this.name = 'OfflineGeneratorError';
  }
}

/** The theme's package templates (EJS), as epub-gen-memory's options name them. */
export interface EpubTemplates {
  contentOPF: string;
  tocNCX: string;
  tocXHTML: string;
  chapterXHTML: string;
}

/** One content document: epub-gen-memory's chapter fields, and what Imprint's templates add. */
export interface GeneratorChapter {
  /** Manifest id (an XML name). */
  id: string;
  /** File name without extension (the library adds .xhtml). */
  filename: string;
  title: string;
  lang: string;
  /** The content of <body>, as XHTML. */
  content: string;
  /** Manifest properties of the document (svg, mathml). */
  properties: string[];
  bodyClass: string;
  /** epub:type of <body> ('' for none). */
  epubType: string;
  author: string[];
  /** The chapter's source (epub-gen-memory's `url`), '' for none. */
  url: string;
  /** The chapter's rights statement, '' for none. */
  rights: string;
}

export interface GeneratorImage {
  bytes: Uint8Array;
  /** Sniffed from the bytes; must be what the library reads from the key's extension. */
  mediaType: string;
}

export interface GeneratorInput {
  title: string;
  lang: string;
  authors: string[];
  publisher: string;
  description: string;
  /** ISO date-time. */
  date: string;
  css: string;
  tocTitle: string;
  templates: EpubTemplates;
  /** Template data beyond the library's own. */
  book: TemplateBook;
  /** In reading order. */
  chapters: readonly GeneratorChapter[];
  /** Images by the key the chapters give as their <img src>. */
  images: ReadonlyMap<string, GeneratorImage>;
  /** Font files by file name. */
  fonts: ReadonlyMap<string, Uint8Array>;
  /** The cover image; `name` is cover.<ext> with the extension the library gives its type. */
  cover?: { name: string; bytes: Uint8Array; mediaType: string } | undefined;
}

interface Resources {
  images: ReadonlyMap<string, GeneratorImage>;
  fonts: ReadonlyMap<string, Uint8Array>;
}

class ImprintEPub extends EPub {
  readonly #resources: Resources;
  /** What the hooks stored, by path: taken as it is by files(), not read back through JSZip. */
  readonly #stored = new Map<string, Uint8Array>();

  constructor(options: Options, content: readonly Chapter[], resources: Resources) {
    super(options, content);
    this.#resources = resources;
  }

  /** The library's image hook: the bytes of each image its chapters name, from memory. */
  protected override async downloadAllImages(): Promise<void> {
    if (this.images.length === 0) return;
    const folder = this.zip.folder('OEBPS')!.folder('images')!;
    for (const image of this.images) {
      const resource = this.#resources.images.get(image.url);
      if (!resource) throw new OfflineGeneratorError(`the image ${JSON.stringify(image.url)}`);
      if (resource.mediaType !== image.mediaType) {
        throw new Error(`epub-gen-memory took ${image.url} for ${image.mediaType ?? 'an unknown type'}; its bytes are ${resource.mediaType}`);
      }
      const name = `${image.id}.${image.extension ?? ''}`;
      folder.file(name, resource.bytes);
      this.#stored.set(`OEBPS/images/${name}`, resource.bytes);
    }
  }

  /** The library's font hook: the bytes of each font, from memory. */
  protected override async downloadAllFonts(): Promise<void> {
    if (this.options.fonts.length === 0) return;
    const folder = this.zip.folder('OEBPS')!.folder('fonts')!;
    for (const font of this.options.fonts) {
      const bytes = this.#resources.fonts.get(font.url);
      if (!bytes) throw new OfflineGeneratorError(`the font ${JSON.stringify(font.url)}`);
      if (font.filename !== font.url) throw new Error(`epub-gen-memory renamed the font ${font.url} to ${font.filename}`);
      folder.file(font.filename, bytes);
      this.#stored.set(`OEBPS/fonts/${font.filename}`, bytes);
    }
  }

  /** The library stores a cover given as a File from memory; a cover given as a URL would be fetched. */
  protected override async makeCover(): Promise<void> {
    if (typeof this.options.cover === 'string') throw new OfflineGeneratorError(`the cover ${JSON.stringify(this.options.cover)}`);
    return super.makeCover();
  }

  /**
   * The rendered files by path (folders left out), read from the library's zip object,
   * uncompressed. What the hooks stored is taken as they stored it (reading each image back
   * through JSZip's stream workers costs tens of microseconds a file); the rest is read as Node
   * buffers, viewed as plain Uint8Arrays (JSZip's 'uint8array' output copies byte by byte).
   */
  async files(): Promise<Map<string, Uint8Array>> {
    const entries = new Map<string, Uint8Array>();
    for (const [path, file] of Object.entries(this.zip.files)) {
      if (file.dir) continue;
      const stored = this.#stored.get(path);
      if (stored) {
        entries.set(path, stored);
        continue;
      }
      const buffer = await file.async('nodebuffer');
      entries.set(path, new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    }
    return entries;
  }
}

/** Fails early, with the fix, when the packages were installed without the patch. */
function assertPatched(): void {
  if (optionsDefaults().xhtmlContent !== false) {
    throw new Error('epub-gen-memory is installed without Imprint\'s patch (patches/epub-gen-memory+1.1.2.patch): run `npm ci` or `node scripts/setup.mjs`');
  }
}

/**
 * Runs epub-gen-memory on in-memory data only (templates rendered, resources stored from memory,
 * nothing fetched, nothing compressed); returns its files by path. A warning of the library
 * (an attribute it would drop, a type it cannot tell) fails the build: Imprint's data never
 * causes one.
 */
export async function generateEpub(input: GeneratorInput): Promise<Map<string, Uint8Array>> {
  assertPatched();
  const warnings: string[] = [];
  const options: Options & { book: TemplateBook } = {
    title: input.title,
    author: input.authors,
    publisher: input.publisher,
    description: input.description,
    lang: input.lang,
    date: input.date,
    css: input.css,
    tocTitle: input.tocTitle,
    fonts: [...input.fonts.keys()].map((file) => ({ filename: file, url: file })),
    ...(input.cover ? { cover: new File([new Uint8Array(input.cover.bytes)], input.cover.name, { type: input.cover.mediaType }) } : {}),
    ...input.templates,
    version: 3,
    prependChapterTitles: false,
    numberChaptersInTOC: false,
    tocInTOC: false,
    ignoreFailedDownloads: false,
    xhtmlContent: true,
    ejsOptions: { escape: escapeXml },
    verbose: (type, ...args: unknown[]) => {
      if (type === 'warn') warnings.push(args.map(String).join(' '));
    },
    book: input.book,
  };
  const chapters: Array<Chapter & Omit<GeneratorChapter, keyof Chapter>> = input.chapters.map((chapter) => ({ ...chapter, beforeToc: false, excludeFromToc: false }));
  const book = new ImprintEPub(options, chapters, { images: input.images, fonts: input.fonts });
  await book.render();
  if (warnings.length > 0) throw new Error(`epub-gen-memory: ${warnings.join('; ')}`);
  const files = await book.files();
  for (const path of ['mimetype', 'META-INF/container.xml', 'OEBPS/content.opf', ...(input.cover ? [`OEBPS/${input.cover.name}`] : [])]) {
    if (!files.has(path)) throw new Error(`epub-gen-memory did not write ${path}`);
  }
  return files;
}
