/**
 * Stage: the EPUB 3. epub-gen-memory generates the book from in-memory data only (no image, font or
 * cover URL is ever handed to it, see src/epub/generator.ts); Imprint then rewrites what it gets
 * wrong — package metadata, navigation, content documents — adds the images, the cover and the
 * fonts from memory, and zips the result once, deterministically.
 *
 * The library is handed the book's chapters (titles, file names, order) but not the article's
 * text: every content document it renders is replaced by Imprint's own, and having it parse and
 * re-serialize the whole article only to discard the result was most of this stage's time.
 *
 *   OEBPS/content.opf      package: real metadata, accessibility, manifest, spine (cover first)
 *   OEBPS/toc.xhtml        navigation: nested table of contents + landmarks
 *   OEBPS/toc.ncx          the same outline for EPUB 2 reading systems
 *   OEBPS/cover.xhtml      the cover page
 *   OEBPS/article.xhtml    the article with its notes as pop-up footnotes
 *   OEBPS/colophon.xhtml   author, publisher, date, original URL, rights
 *   OEBPS/css/style.css    embedded fonts' @font-face rules, the theme's base.css, then epub.css
 *   OEBPS/images/…         cover and article images (sniffed media types)
 *   OEBPS/fonts/…          woff2 slices (epub.embedFonts)
 */
import { stat } from 'node:fs/promises';
import type { Browser } from 'puppeteer-core';
import type { Config } from '../config/schema.js';
import { accessibilityMetadata } from '../epub/accessibility.js';
import { buildChapter } from '../epub/chapter.js';
import { colophonPage, colophonSection } from '../epub/colophon.js';
import { coverPage, renderCover } from '../epub/cover.js';
import { collectText, embedFonts, emptyTextByFace, type EmbeddedFonts } from '../epub/embed-fonts.js';
import { containerOf, generateWithLibrary } from '../epub/generator.js';
import { bookIdentifier, modifiedDate, modifiedStamp, publicationDate } from '../epub/identity.js';
import { epubImages, storableImage, type StoredImage } from '../epub/images.js';
import { labelsFor } from '../epub/labels.js';
import { navDocument, ncxDocument, outline, type Landmark } from '../epub/nav.js';
import { packageDocument, type ManifestItem, type SpineItem } from '../epub/opf.js';
import { xhtmlDocument, type XhtmlFeatures } from '../epub/xhtml.js';
import { zipEpub, type ZipEntry } from '../epub/zip.js';
import { isCjkLang } from '../theme/fonts.js';
import type { Article, AssetSet, ImageAsset } from '../model.js';
import type { Theme } from '../theme/theme.js';
import { diagnose } from '../diagnostics/rules.js';

export interface BuildEpubOptions {
  config: Config;
  theme: Theme;
  article: Article;
  assets: AssetSet;
  /** Front-matter cover, resolved. */
  cover?: ImageAsset | undefined;
  /** Draws the generated cover (see generateCover); only called when there is no usable front-matter cover. */
  generatedCover: () => Promise<StoredImage>;
  sourceDateEpoch?: number | undefined;
}

/** Where the library puts the package, and so where everything of the book lives. */
const OEBPS = 'OEBPS';
const CHAPTER = 'article.xhtml';
const COVER_PAGE = 'cover.xhtml';
const COLOPHON = 'colophon.xhtml';
const NAV = 'toc.xhtml';
const NCX = 'toc.ncx';
const STYLESHEET = 'css/style.css';

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** The generated cover of an article without one (a PNG drawn in Chromium from the theme's cover.html). */
export function generateCover(browser: Browser, theme: Theme, meta: Article['meta']): Promise<StoredImage> {
  return renderCover(browser, theme, meta, languageTag(meta.lang));
}

/** A well-formed BCP 47 tag for dc:language and xml:lang ("und" when the article's is not one). */
export function languageTag(lang: string): string {
  const tag = lang.trim().replace(/_/g, '-');
  return /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(tag) ? tag : 'und';
}

/** Body classes choosing the style sheet's script rules. */
export function scriptClasses(lang: string): string[] {
  if (!isCjkLang(lang)) return ['latin'];
  const tag = lang.toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(tag)) return ['cjk', 'zh-hant'];
  if (tag.startsWith('zh')) return ['cjk', 'zh-hans'];
  if (tag.startsWith('ja')) return ['cjk', 'ja'];
  return ['cjk', 'ko'];
}

async function fileDate(file: string): Promise<Date> {
  const info = await stat(file).catch(() => undefined);
  return info?.mtime ?? new Date();
}

const documentProperties = (features: XhtmlFeatures, extra: string[] = []): string[] => [
  ...extra,
  ...(features.svg ? ['svg'] : []),
  ...(features.mathml ? ['mathml'] : []),
];

export async function buildEpub(options: BuildEpubOptions): Promise<Uint8Array> {
  const { config, theme, article, assets } = options;
  const meta = article.meta;
  const lang = languageTag(meta.lang);
  const labels = labelsFor(lang);
  const cjk = isCjkLang(lang);
  // The file date, the article's images and the front-matter cover (conversions run side by side).
  const [fallbackDate, images, storedCover] = await Promise.all([
    fileDate(article.path),
    epubImages(article, assets),
    options.cover ? storableImage(options.cover) : undefined,
  ]);
  const modified = modifiedDate(article, options.sourceDateEpoch, () => fallbackDate);
  const identifier = bookIdentifier(article);

  // Content: the article (images and notes in place) and the cover.
  const chapter = buildChapter({ article, assets, images, labels, file: article.file });
  let cover: StoredImage | undefined = storedCover;
  if (options.cover && !cover) {
    diagnose(article.file, 'epub-cover-unusable', 'The cover image cannot be stored in the EPUB; a cover is generated instead');
  }
  cover ??= await options.generatedCover();
  const coverHref = `images/cover.${cover.ext}`;

  // Navigation.
  const points = outline({
    title: meta.title,
    chapterHref: CHAPTER,
    headings: article.headings,
    ids: chapter.ids,
    notes: chapter.notesId ? { label: labels.notes, id: chapter.notesId } : undefined,
    cover: { label: labels.cover, href: COVER_PAGE },
  });
  points.push({ label: labels.colophon, href: COLOPHON, children: [] });
  const landmarks: Landmark[] = [
    { type: 'cover', label: labels.cover, href: COVER_PAGE },
    { type: 'bodymatter', label: labels.text, href: CHAPTER },
    { type: 'colophon', label: labels.colophon, href: COLOPHON },
  ];

  const colophon = colophonSection({ meta, lang, labels });

  // Fonts (epub.embedFonts): the slices covering the text of the chapter, colophon and navigation.
  let fonts: EmbeddedFonts | undefined;
  if (config.epub.embedFonts) {
    const text = emptyTextByFace();
    collectText(chapter.body, text, cjk);
    collectText([colophon], text, cjk);
    for (const label of [labels.contents, ...flatten(points)]) collectText([{ type: 'text', value: label }], text, cjk);
    collectText([{ type: 'text', value: labels.contents }], text, cjk, true);
    fonts = embedFonts(lang, text);
    if (fonts.fonts.length === 0) fonts = undefined;
  }
  // One style sheet: the embedded fonts' @font-face rules, the theme's base.css, then epub.css.
  const css = [
    ...(fonts ? [`/* Embedded font slices (epub.embedFonts) */\n${fonts.css}`] : []),
    `/* base.css */\n${theme.files['base.css'].trim()}`,
    `/* epub.css */\n${theme.files['epub.css'].trim()}`,
  ].join('\n\n') + '\n';
  const stylesheets = [STYLESHEET];

  // Documents.
  const chapterDoc = xhtmlDocument({
    lang,
    title: meta.title,
    stylesheets,
    bodyProperties: { className: ['article-page', ...scriptClasses(lang)], 'epub:type': 'bodymatter' },
    body: chapter.body,
  });
  const colophonDoc = colophonPage({ meta, lang, labels, bodyClasses: scriptClasses(lang), stylesheets }, colophon);
  const coverLabel = cjk ? `${labels.cover}：${meta.title}` : `${labels.cover}: ${meta.title}`;
  const coverDoc = coverPage({ lang, title: labels.cover, label: coverLabel, image: { href: coverHref, width: cover.width, height: cover.height }, stylesheets });
  const navDoc = navDocument({ lang, title: labels.contents, tocLabel: labels.contents, landmarksLabel: labels.landmarks, points, landmarks, stylesheets });
  const ncx = ncxDocument({ identifier, title: meta.title, lang, points });

  // epub-gen-memory: the container and package layout, from in-memory data only. Chapter contents
  // are left empty: Imprint writes every content document itself (above).
  const generated = await generateWithLibrary({
    title: meta.title,
    author: meta.author,
    publisher: meta.publisher,
    description: meta.description,
    lang,
    date: modified.toISOString(),
    css: '',
    tocTitle: labels.contents,
    chapters: [
      { title: labels.cover, filename: 'cover', content: '', beforeToc: true },
      { title: meta.title, filename: 'article', content: '' },
      { title: labels.colophon, filename: 'colophon', content: '' },
    ],
  });
  const container = containerOf(generated, `${OEBPS}/content.opf`);

  // Manifest, spine, package.
  const manifest: ManifestItem[] = [
    { id: 'nav', href: NAV, mediaType: 'application/xhtml+xml', properties: ['nav'] },
    { id: 'ncx', href: NCX, mediaType: 'application/x-dtbncx+xml' },
    { id: 'cover', href: COVER_PAGE, mediaType: 'application/xhtml+xml', properties: documentProperties(coverDoc.features) },
    { id: 'article', href: CHAPTER, mediaType: 'application/xhtml+xml', properties: documentProperties(chapterDoc.features) },
    { id: 'colophon', href: COLOPHON, mediaType: 'application/xhtml+xml' },
    { id: 'css', href: STYLESHEET, mediaType: 'text/css' },
    { id: 'cover-image', href: coverHref, mediaType: cover.mediaType, properties: ['cover-image'] },
    ...[...images.values()].map((image) => ({ id: image.id.replace(/[^\w-]/g, '_'), href: image.href, mediaType: image.mediaType })),
    ...(fonts?.fonts ?? []).map((font, i) => ({ id: `font-${i + 1}`, href: font.href, mediaType: 'font/woff2' })),
  ];
  const spine: SpineItem[] = [{ idref: 'cover' }, { idref: 'article' }, { idref: 'colophon' }];
  const accessibility = accessibilityMetadata(chapter.facts, images.values(), labels);
  const opf = packageDocument({
    identifier,
    meta,
    lang,
    date: publicationDate(article, modified),
    modified: modifiedStamp(modified),
    manifest,
    spine,
    coverImageId: 'cover-image',
    accessibility,
    specifiedFonts: true,
  });

  const entries: ZipEntry[] = [
    { path: 'META-INF/container.xml', bytes: container },
    { path: `${OEBPS}/content.opf`, bytes: utf8(opf) },
    { path: `${OEBPS}/${NAV}`, bytes: utf8(navDoc.text) },
    { path: `${OEBPS}/${NCX}`, bytes: utf8(ncx) },
    { path: `${OEBPS}/${COVER_PAGE}`, bytes: utf8(coverDoc.text) },
    { path: `${OEBPS}/${CHAPTER}`, bytes: utf8(chapterDoc.text) },
    { path: `${OEBPS}/${COLOPHON}`, bytes: utf8(colophonDoc.text) },
    { path: `${OEBPS}/${STYLESHEET}`, bytes: utf8(css) },
    { path: `${OEBPS}/${coverHref}`, bytes: cover.bytes },
    ...[...images.values()].map((image) => ({ path: `${OEBPS}/${image.href}`, bytes: image.bytes })),
    ...(fonts?.fonts ?? []).map((font) => ({ path: `${OEBPS}/${font.href}`, bytes: font.bytes })),
  ];
  return zipEpub(entries, modified);
}

function flatten(points: ReturnType<typeof outline>): string[] {
  return points.flatMap((point) => [point.label, ...flatten(point.children)]);
}
