/**
 * PDF post-processing: the PDF/UA structure and artifacts (src/pdf/accessible.ts), document
 * information, XMP, /Lang, trim and bleed boxes, and a trailer /ID derived from the content, so
 * that two builds of the same input are byte-identical. Nothing here depends on the clock.
 *
 * The file is written anew (src/pdf/incremental.ts, writeWholeFile) rather than updated in place:
 * every page's content stream changes, and an appended update would keep the old, untagged ones
 * (a third of a long article's bytes) as a dead revision. Objects that do not change — fonts,
 * images — are copied byte for byte without being read; Chromium's old document information (the
 * clock time and the browser's user agent) and its old structure tree are left behind.
 */
import { createHash } from 'node:crypto';
import { makeAccessible } from './accessible.js';
import { objectDict, objectValue, readPdf, writeWholeFile, PdfUpdateError, type PdfFile, type UpdatedObject } from './incremental.js';
import type { LinkRewrite } from './links.js';
import type { TagPlan } from './tag-plan.js';
import { arrayItems, decodeText, parseNumber, parseRef, readDict, writeDict, writeNumber, writeRef, writeText, type PdfDict, type PdfRef } from './incremental-syntax.js';

export interface PdfMetadata {
  title: string;
  author?: string | undefined;
  /** The article's description. */
  subject?: string | undefined;
  keywords: readonly string[];
  /** BCP 47 language tag for /Lang and dc:language. */
  lang: string;
  creator: string;
  /** Creation and modification date: the article's (documentDate); left out when undefined (never the current time). */
  date?: Date | undefined;
  /**
   * With bleed: the finished page size and the bleed on every side, in PDF points. Each page then
   * gets a TrimBox of exactly that size, centred on the sheet, and a BleedBox around it.
   */
  trim?: { width: number; height: number; bleed: number } | undefined;
  /** Page labels (a book: roman for the front matter, arabic from the first chapter); none: the viewer numbers pages 1, 2, … */
  pageLabels?: readonly PageLabelRange[] | undefined;
}

/** Pages from `start` (0-based) on are labelled `prefix` + their number in `style`, counting from `first`. */
export interface PageLabelRange {
  start: number;
  /** D: 1, 2, 3; r: i, ii, iii; none: the prefix alone. */
  style?: 'D' | 'r' | undefined;
  prefix?: string | undefined;
  first?: number | undefined;
}

/** The catalog's /PageLabels number tree (one flat /Nums array). */
export function pageLabelsDict(ranges: readonly PageLabelRange[]): string {
  const nums = ranges.map((range) => {
    const entries: string[] = [];
    if (range.style) entries.push(`/S /${range.style}`);
    if (range.prefix) entries.push(`/P ${writeText(range.prefix)}`);
    if (range.first !== undefined && range.first !== 1) entries.push(`/St ${range.first}`);
    return `${range.start} <<${entries.join(' ')}>>`;
  });
  return `<</Nums [${nums.join(' ')}]>>`;
}

/**
 * The PDF's date: the article's own (front matter, or the date its dateline states), the same the
 * colophon prints, the HTML and the EPUB's dc:date carry. Undefined when the article has none: the
 * PDF then carries no date rather than the build's (the build time belongs to the EPUB's
 * dcterms:modified alone).
 */
export function documentDate(articleDate: string | undefined): Date | undefined {
  if (!articleDate) return undefined;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(articleDate.trim());
  const parsed = dateOnly ? new Date(Date.UTC(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3]))) : new Date(articleDate);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

const xmlEscape = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
/** Strips characters XML 1.0 does not allow. */
// eslint-disable-next-line no-control-regex
const xmlText = (text: string): string => xmlEscape(text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A deterministic XMP packet mirroring the document information. */
export function xmpPacket(meta: PdfMetadata, producer: string, documentId: string): string {
  const alt = (value: string): string => `<rdf:Alt><rdf:li xml:lang="x-default">${xmlText(value)}</rdf:li></rdf:Alt>`;
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(meta.title)}</dc:title>`,
  ];
  if (meta.author) lines.push(`<dc:creator><rdf:Seq><rdf:li>${xmlText(meta.author)}</rdf:li></rdf:Seq></dc:creator>`);
  if (meta.subject) lines.push(`<dc:description>${alt(meta.subject)}</dc:description>`);
  if (meta.keywords.length > 0) {
    lines.push(`<dc:subject><rdf:Bag>${meta.keywords.map((k) => `<rdf:li>${xmlText(k)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>`);
    lines.push(`<pdf:Keywords>${xmlText(meta.keywords.join(', '))}</pdf:Keywords>`);
  }
  lines.push(`<dc:language><rdf:Bag><rdf:li>${xmlText(meta.lang)}</rdf:li></rdf:Bag></dc:language>`);
  lines.push(`<pdf:Producer>${xmlText(producer)}</pdf:Producer>`, `<xmp:CreatorTool>${xmlText(meta.creator)}</xmp:CreatorTool>`);
  if (meta.date) {
    const when = xmpDate(meta.date);
    lines.push(`<xmp:CreateDate>${when}</xmp:CreateDate>`, `<xmp:ModifyDate>${when}</xmp:ModifyDate>`, `<xmp:MetadataDate>${when}</xmp:MetadataDate>`);
  }
  // The file claims PDF/UA-1 (ISO 14289-1); src/check/pdf-ua.ts checks the structure rules it can.
  lines.push('<pdfuaid:part>1</pdfuaid:part>');
  lines.push(`<xmpMM:DocumentID>uuid:${documentId}</xmpMM:DocumentID>`, `<xmpMM:InstanceID>uuid:${documentId}</xmpMM:InstanceID>`);
  lines.push('</rdf:Description>', '</rdf:RDF>', '</x:xmpmeta>', '<?xpacket end="r"?>');
  return lines.join('\n');
}

function uuidFrom(hash: Buffer): string {
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function pdfDate(date: Date): string {
  return `(D:${date.toISOString().replace(/\.\d{3}Z$/, '').replace(/[-:T]/g, '')}Z)`;
}

const latin1 = (text: string): Uint8Array => Buffer.from(text, 'latin1');

/** The value itself when it is direct, else the referenced object's value. */
function resolve(pdf: PdfFile, value: string): string {
  const ref = parseRef(value);
  return ref ? objectValue(pdf, ref) : value;
}

/** A dictionary value, direct or referenced, as entries. */
function objectDictOf(pdf: PdfFile, value: string): PdfDict {
  const ref = parseRef(value);
  return ref ? objectDict(pdf, ref).dict : readDict(value, 0).dict;
}

interface Page {
  ref: PdfRef;
  dict: PdfDict;
  /** The page's MediaBox, its own or inherited from the page tree. */
  media: string;
}

/** The leaves of the page tree, in order. */
function pageList(pdf: PdfFile, catalog: PdfDict): Page[] {
  const root = parseRef(catalog.get('/Pages'));
  if (!root) throw new PdfUpdateError('the catalog has no /Pages reference');
  const pages: Page[] = [];
  const seen = new Set<number>();
  let count: string | undefined;
  const stack: Array<{ ref: PdfRef; media: string | undefined }> = [{ ref: root, media: undefined }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (seen.has(node.ref.num)) throw new PdfUpdateError(`the page tree visits object ${node.ref.num} twice`);
    seen.add(node.ref.num);
    const { dict } = objectDict(pdf, node.ref);
    if (node.ref === root) count = dict.get('/Count');
    const media = dict.get('/MediaBox') ?? node.media;
    const kids = dict.get('/Kids');
    const type = dict.get('/Type');
    if (type === '/Page' || (type === undefined && kids === undefined)) {
      if (media === undefined) throw new PdfUpdateError(`page ${node.ref.num} has no /MediaBox`);
      pages.push({ ref: node.ref, dict, media });
      continue;
    }
    if (kids === undefined) throw new PdfUpdateError(`page tree node ${node.ref.num} has no /Kids`);
    const refs = arrayItems(resolve(pdf, kids)).map((kid) => parseRef(kid));
    for (const ref of refs.reverse()) {
      if (!ref) throw new PdfUpdateError(`a /Kids entry of object ${node.ref.num} is not a reference`);
      stack.push({ ref, media });
    }
  }
  if (count !== undefined && Number(count) !== pages.length) throw new PdfUpdateError(`the page tree says /Count ${count} but holds ${pages.length} pages`);
  return pages;
}

/** Same arithmetic as pdf-lib's setTrimBox/setBleedBox did: the finished size centred on the sheet, bleed around it. */
function withBoxes(page: Page, pdf: PdfFile, trim: { width: number; height: number; bleed: number }): PdfDict {
  const [llx, lly, urx, ury] = arrayItems(resolve(pdf, page.media)).map(parseNumber);
  if (llx === undefined || lly === undefined || urx === undefined || ury === undefined) throw new PdfUpdateError(`page ${page.ref.num} has no rectangle for /MediaBox`);
  const media = { x: llx, y: lly, width: urx - llx, height: ury - lly };
  // Chromium rounds the sheet a little; the trim box keeps the exact finished size.
  const x = media.x + (media.width - trim.width) / 2;
  const y = media.y + (media.height - trim.height) / 2;
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  const rect = (rx: number, ry: number, width: number, height: number): string => `[${[rx, ry, rx + width, ry + height].map(writeNumber).join(' ')}]`;
  const bx = Math.max(media.x, x - trim.bleed);
  const by = Math.max(media.y, y - trim.bleed);
  const dict: PdfDict = new Map(page.dict);
  dict.set('/TrimBox', rect(round(x), round(y), round(trim.width), round(trim.height)));
  dict.set('/BleedBox', rect(round(bx), round(by), round(Math.min(media.x + media.width, x + trim.width + trim.bleed) - bx), round(Math.min(media.y + media.height, y + trim.height + trim.bleed) - by)));
  return dict;
}

function infoDict(meta: PdfMetadata, producer: string): PdfDict {
  const info: PdfDict = new Map([['/Title', writeText(meta.title)]]);
  if (meta.author) info.set('/Author', writeText(meta.author));
  if (meta.subject) info.set('/Subject', writeText(meta.subject));
  if (meta.keywords.length > 0) info.set('/Keywords', writeText(meta.keywords.join(', ')));
  info.set('/Creator', writeText(meta.creator));
  info.set('/Producer', writeText(producer));
  if (meta.date) {
    info.set('/CreationDate', pdfDate(meta.date));
    info.set('/ModDate', pdfDate(meta.date));
  }
  return info;
}

function xmpStream(xmp: string): Uint8Array {
  const data = Buffer.from(xmp, 'utf8');
  return Buffer.concat([latin1(`<</Type /Metadata\n/Subtype /XML\n/Length ${data.length}>>\nstream\n`), data, latin1('\nendstream')]);
}

export interface FinishedPdf {
  bytes: Uint8Array;
  pages: number;
  /** What could not be made to conform to PDF/UA-1's structure rules, in words (empty when all went to plan). */
  problems: string[];
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Writes Chromium's PDF again as an accessible, reproducible file: Imprint's metadata and XMP
 * (with the PDF/UA identification), PDF 1.7, trim and bleed boxes, the tags and artifacts of
 * src/pdf/accessible.ts, and a trailer /ID derived from the content. Objects that do not change
 * (fonts, images) are copied byte for byte; Chromium's old information dictionary (the clock time
 * and the browser's user agent) and its old structure tree are left out. Deterministic: the same
 * input bytes (apart from Chromium's own dates) and plan give the same output bytes. Throws a
 * PdfUpdateError for a file it cannot read safely (cross-reference streams, encryption).
 */
export async function finishPdf(raw: Uint8Array, meta: PdfMetadata, plan?: TagPlan, options: { relink?: LinkRewrite | undefined } = {}): Promise<FinishedPdf> {
  const pdf = readPdf(raw);
  const rootRef = parseRef(pdf.trailer.get('/Root'));
  if (!rootRef) throw new PdfUpdateError('the trailer has no /Root reference');
  const infoValue = pdf.trailer.get('/Info');
  const infoRef = infoValue === undefined ? undefined : parseRef(infoValue);
  if (infoValue !== undefined && !infoRef) throw new PdfUpdateError('the trailer /Info is not a reference');
  const oldInfo = infoRef ? objectDict(pdf, infoRef) : undefined;
  const catalog = objectDict(pdf, rootRef).dict;
  const pages = pageList(pdf, catalog);

  // What Chromium's PDF says produced it ("Skia/PDF m156").
  const engineValue = oldInfo?.dict.get('/Producer');
  const engine = engineValue === undefined ? '' : decodeText(engineValue).trim();
  const producer = engine ? `Imprint (${engine})` : 'Imprint';

  let next = pdf.size;
  const allocate = (): PdfRef => ({ num: next++, gen: 0 });
  // Chromium's information dictionary and any earlier XMP packet are replaced, not copied.
  const infoTarget = infoRef ?? allocate();
  const xmpRef = parseRef(catalog.get('/Metadata')) ?? allocate();

  // Links Chromium resolved against the page server are rewritten there too (src/pdf/links.ts).
  const tagged = await makeAccessible(pdf, catalog, pages, { plan, allocate, relink: options.relink });

  const newCatalog: PdfDict = new Map(catalog);
  newCatalog.delete('/Version');
  newCatalog.set('/Lang', writeText(meta.lang));
  if (meta.pageLabels && meta.pageLabels.length > 0) newCatalog.set('/PageLabels', pageLabelsDict(meta.pageLabels));
  newCatalog.set('/Metadata', writeRef(xmpRef));
  const preferences = catalog.get('/ViewerPreferences');
  const viewer: PdfDict = preferences === undefined ? new Map() : objectDictOf(pdf, preferences);
  viewer.set('/DisplayDocTitle', 'true');
  newCatalog.set('/ViewerPreferences', writeDict(viewer));
  const markInfo = catalog.get('/MarkInfo');
  const marks: PdfDict = markInfo === undefined ? new Map() : objectDictOf(pdf, markInfo);
  marks.set('/Marked', 'true');
  marks.delete('/Suspects');
  newCatalog.set('/MarkInfo', writeDict(marks));

  const objects: UpdatedObject[] = [
    { ref: infoTarget, body: latin1(writeDict(infoDict(meta, producer))) },
    { ref: rootRef, body: latin1(writeDict(newCatalog)) },
    ...tagged.objects,
  ];
  const trim = meta.trim;
  for (const page of pages) {
    const changed = tagged.pages.get(page.ref.num);
    if (trim && trim.bleed > 0) objects.push({ ref: page.ref, body: latin1(writeDict(withBoxes({ ...page, dict: changed ?? page.dict }, pdf, trim))) });
    else if (changed) objects.push({ ref: page.ref, body: latin1(writeDict(changed)) });
  }
  const xmpBody = xmpStream(xmpPacket(meta, producer, ZERO_UUID));
  objects.push({ ref: xmpRef, body: xmpBody });

  // The trailer /ID and the XMP document id come from the SHA-256 of the file written with zeros in their place.
  const zeroId = `<${'0'.repeat(32)}>`;
  const trailer: PdfDict = new Map([['/Root', writeRef(rootRef)], ['/Info', writeRef(infoTarget)], ['/ID', `[${zeroId} ${zeroId}]`]]);
  const written = writeWholeFile(pdf, objects, tagged.drop, trailer, '1.7');
  const out = written.bytes;
  const hash = createHash('sha256').update(out).digest();
  const id = hash.subarray(0, 16).toString('hex').toUpperCase();
  const xmpAt = written.bodies.get(xmpRef.num) as number;
  for (let at = out.indexOf(`uuid:${ZERO_UUID}`, xmpAt, 'latin1'); at >= 0 && at < xmpAt + xmpBody.length; at = out.indexOf(`uuid:${ZERO_UUID}`, at + 1, 'latin1')) {
    out.write(`uuid:${uuidFrom(hash)}`, at, 'latin1');
  }
  for (let at = out.indexOf(zeroId, written.trailerAt, 'latin1'); at >= 0; at = out.indexOf(zeroId, at + 1, 'latin1')) out.write(`<${id}>`, at, 'latin1');
  return { bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength), pages: pages.length, problems: tagged.problems };
}
