/**
 * The package document (OPF): the article's real metadata, accessibility metadata, manifest and
 * spine. Nothing is made up: a field the article does not have is left out.
 */
import type { ArticleMeta } from '../model.js';
import { escapeAttribute, escapeText } from './xhtml.js';

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties?: readonly string[];
}

export interface SpineItem {
  idref: string;
  linear?: boolean;
}

export interface Accessibility {
  /** schema:accessMode values (textual, visual). */
  accessModes: readonly string[];
  /** schema:accessModeSufficient values, each a comma-separated set. */
  sufficient: readonly string[];
  features: readonly string[];
  hazards: readonly string[];
  summary: string;
  summaryLang: string;
}

export interface PackageOptions {
  identifier: string;
  meta: ArticleMeta;
  /** Language tag for dc:language and the package's xml:lang. */
  lang: string;
  /** dc:date (W3CDTF). */
  date: string;
  /** dcterms:modified, CCYY-MM-DDThh:mm:ssZ. */
  modified: string;
  manifest: readonly ManifestItem[];
  spine: readonly SpineItem[];
  /** Manifest id of the cover image (for the EPUB 2 `<meta name="cover">` hint). */
  coverImageId?: string | undefined;
  accessibility: Accessibility;
  /** Tells Apple Books to use the book's fonts. */
  specifiedFonts: boolean;
}

const line = (indent: number, text: string): string => `${' '.repeat(indent)}${text}`;

function dc(name: string, value: string, id?: string): string {
  return line(4, `<dc:${name}${id ? ` id="${id}"` : ''}>${escapeText(value)}</dc:${name}>`);
}

function meta(property: string, value: string, extra = ''): string {
  return line(4, `<meta property="${property}"${extra}>${escapeText(value)}</meta>`);
}

const clean = (value: string | undefined): string | undefined => {
  const trimmed = value?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : undefined;
};

export function packageDocument(options: PackageOptions): string {
  const m = options.meta;
  const metadata: string[] = [];
  metadata.push(dc('identifier', options.identifier, 'uid'));
  metadata.push(dc('title', clean(m.title) ?? m.title, 'title'));
  metadata.push(meta('title-type', 'main', ' refines="#title"'));
  const subtitle = clean(m.subtitle);
  if (subtitle) {
    metadata.push(dc('title', subtitle, 'subtitle'));
    metadata.push(meta('title-type', 'subtitle', ' refines="#subtitle"'));
  }
  const author = clean(m.author);
  if (author) {
    metadata.push(dc('creator', author, 'author'));
    metadata.push(meta('role', 'aut', ' refines="#author" scheme="marc:relators"'));
  }
  const publisher = clean(m.publisher);
  if (publisher) metadata.push(dc('publisher', publisher));
  metadata.push(dc('date', options.date));
  metadata.push(meta('dcterms:modified', options.modified));
  metadata.push(dc('language', options.lang));
  const source = clean(m.source);
  if (source) metadata.push(dc('source', source));
  const rights = clean(m.rights);
  if (rights) metadata.push(dc('rights', rights));
  const description = clean(m.description);
  if (description) metadata.push(dc('description', description));
  for (const keyword of m.keywords) {
    const subject = clean(keyword);
    if (subject) metadata.push(dc('subject', subject));
  }
  const a11y = options.accessibility;
  for (const mode of a11y.accessModes) metadata.push(meta('schema:accessMode', mode));
  for (const set of a11y.sufficient) metadata.push(meta('schema:accessModeSufficient', set));
  for (const feature of a11y.features) metadata.push(meta('schema:accessibilityFeature', feature));
  for (const hazard of a11y.hazards) metadata.push(meta('schema:accessibilityHazard', hazard));
  metadata.push(meta('schema:accessibilitySummary', a11y.summary, ` xml:lang="${escapeAttribute(a11y.summaryLang)}"`));
  if (options.coverImageId) metadata.push(line(4, `<meta name="cover" content="${escapeAttribute(options.coverImageId)}"/>`));
  if (options.specifiedFonts) metadata.push(meta('ibooks:specified-fonts', 'true'));

  const manifest = options.manifest.map((item) => {
    const properties = item.properties && item.properties.length > 0 ? ` properties="${item.properties.join(' ')}"` : '';
    return line(4, `<item id="${escapeAttribute(item.id)}" href="${escapeAttribute(item.href)}" media-type="${escapeAttribute(item.mediaType)}"${properties}/>`);
  });
  const spine = options.spine.map((item) => line(4, `<itemref idref="${escapeAttribute(item.idref)}"${item.linear === false ? ' linear="no"' : ''}/>`));
  const hasNcx = options.manifest.some((item) => item.mediaType === 'application/x-dtbncx+xml');
  const ncxId = options.manifest.find((item) => item.mediaType === 'application/x-dtbncx+xml')?.id;

  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${escapeAttribute(options.lang)}" prefix="ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/">`,
    line(2, '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'),
    ...metadata,
    line(2, '</metadata>'),
    line(2, '<manifest>'),
    ...manifest,
    line(2, '</manifest>'),
    line(2, `<spine${hasNcx && ncxId ? ` toc="${escapeAttribute(ncxId)}"` : ''}>`),
    ...spine,
    line(2, '</spine>'),
    '</package>',
    '',
  ].join('\n');
}
