/**
 * PDF post-processing with pdf-lib: document information, XMP, /Lang, trim and bleed boxes,
 * and a trailer /ID derived from the content, so that two builds of the same input are
 * byte-identical. Nothing here depends on the clock.
 */
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString, ParseSpeeds } from 'pdf-lib';

export interface PdfMetadata {
  title: string;
  author?: string | undefined;
  /** The article's description. */
  subject?: string | undefined;
  keywords: readonly string[];
  /** BCP 47 language tag for /Lang and dc:language. */
  lang: string;
  creator: string;
  /** Creation and modification date; left out when undefined (never the current time). */
  date?: Date | undefined;
  /**
   * With bleed: the finished page size and the bleed on every side, in PDF points. Each page then
   * gets a TrimBox of exactly that size, centred on the sheet, and a BleedBox around it.
   */
  trim?: { width: number; height: number; bleed: number } | undefined;
}

/**
 * The date a build is stamped with: SOURCE_DATE_EPOCH (seconds) when set, else the article's date.
 * Undefined when neither is known, so the PDF carries no date rather than a changing one.
 */
export function documentDate(articleDate: string | undefined, sourceDateEpoch: number | undefined): Date | undefined {
  if (sourceDateEpoch !== undefined && Number.isFinite(sourceDateEpoch)) return new Date(sourceDateEpoch * 1000);
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
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
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
  lines.push(`<xmpMM:DocumentID>uuid:${documentId}</xmpMM:DocumentID>`, `<xmpMM:InstanceID>uuid:${documentId}</xmpMM:InstanceID>`);
  lines.push('</rdf:Description>', '</rdf:RDF>', '</x:xmpmeta>', '<?xpacket end="r"?>');
  return lines.join('\n');
}

function uuidFrom(hash: Buffer): string {
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Placeholders for the trailer /ID and the XMP document id, replaced after saving by a hash of the saved file. */
const ID_PLACEHOLDER = 'F00DFACE'.repeat(4);
const UUID_PLACEHOLDER = 'f00dface-f00d-face-f00d-facef00dface';

/** What Chromium's PDF says produced it ("Skia/PDF m156"), for the Producer entry. */
function chromiumProducer(doc: PDFDocument): string | undefined {
  try {
    return doc.getProducer() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites Chromium's PDF with Imprint's metadata. Deterministic: the same input bytes
 * (apart from Chromium's own dates and ids, which are replaced) give the same output bytes.
 */
export async function finishPdf(raw: Uint8Array, meta: PdfMetadata): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.load(raw, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  const context = doc.context;
  const engine = chromiumProducer(doc);
  const producer = engine ? `Imprint (${engine}, pdf-lib)` : 'Imprint (pdf-lib)';

  // A fresh information dictionary: Chromium's holds the clock time and the browser's user agent.
  const oldInfo = context.trailerInfo.Info;
  if (oldInfo instanceof PDFRef) context.delete(oldInfo);
  context.trailerInfo.Info = context.register(context.obj({}));
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author) doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  const info = context.lookup(context.trailerInfo.Info, PDFDict);
  if (meta.keywords.length > 0) info.set(PDFName.of('Keywords'), PDFHexString.fromText(meta.keywords.join(', ')));
  doc.setCreator(meta.creator);
  doc.setProducer(producer);
  if (meta.date) {
    doc.setCreationDate(meta.date);
    doc.setModificationDate(meta.date);
  }
  doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.lang));

  if (meta.trim && meta.trim.bleed > 0) {
    const { width: trimWidth, height: trimHeight, bleed } = meta.trim;
    for (const page of doc.getPages()) {
      // Chromium rounds the sheet a little; the trim box keeps the exact finished size.
      const media = page.getMediaBox();
      const x = media.x + (media.width - trimWidth) / 2;
      const y = media.y + (media.height - trimHeight) / 2;
      const round = (v: number): number => Math.round(v * 1000) / 1000;
      page.setTrimBox(round(x), round(y), round(trimWidth), round(trimHeight));
      const bx = Math.max(media.x, x - bleed);
      const by = Math.max(media.y, y - bleed);
      page.setBleedBox(round(bx), round(by), round(Math.min(media.x + media.width, x + trimWidth + bleed) - bx), round(Math.min(media.y + media.height, y + trimHeight + bleed) - by));
    }
  }

  // The XMP document id and the trailer /ID are placeholders until the file's hash is known.
  const xmp = context.stream(new TextEncoder().encode(xmpPacket(meta, producer, UUID_PLACEHOLDER)), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), context.register(xmp));

  const placeholder = PDFHexString.of(ID_PLACEHOLDER);
  context.trailerInfo.ID = PDFArray.withContext(context);
  (context.trailerInfo.ID as PDFArray).push(placeholder);
  (context.trailerInfo.ID as PDFArray).push(placeholder);

  // Without object streams: saving is several times faster (no re-compression) and the file keeps
  // Chromium's own layout of objects.
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
  return { bytes: withContentId(bytes), pages: doc.getPageCount() };
}

function findAll(buffer: Buffer, needle: Buffer): number[] {
  const positions: number[] = [];
  for (let at = buffer.indexOf(needle); at >= 0; at = buffer.indexOf(needle, at + needle.length)) positions.push(at);
  return positions;
}

/**
 * Replaces the placeholders with ids taken from the SHA-256 of the file (as saved with the
 * placeholders): the trailer's two /ID entries and the XMP DocumentID/InstanceID.
 */
function withContentId(bytes: Uint8Array): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idNeedle = Buffer.from(`<${ID_PLACEHOLDER}>`, 'latin1');
  const uuidNeedle = Buffer.from(`uuid:${UUID_PLACEHOLDER}`, 'latin1');
  const idAt = findAll(buffer, idNeedle);
  const uuidAt = findAll(buffer, uuidNeedle);
  if (idAt.length !== 2 || uuidAt.length !== 2) throw new Error('PDF id placeholders not found where expected');
  const hash = createHash('sha256').update(buffer).digest();
  const id = Buffer.from(`<${hash.subarray(0, 16).toString('hex').toUpperCase()}>`, 'latin1');
  const uuid = Buffer.from(`uuid:${uuidFrom(hash)}`, 'latin1');
  for (const at of idAt) id.copy(buffer, at);
  for (const at of uuidAt) uuid.copy(buffer, at);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
