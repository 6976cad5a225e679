/**
 * Reading a PDF by its cross-reference table (ISO 32000-1, 7.5.4, incremental updates included)
 * without parsing it: the trailer, single objects by their offsets, where each object's bytes lie;
 * and writing the file anew with some objects replaced or left out, the others copied byte for
 * byte.
 *
 * Only classic cross-reference tables are read (Chromium's Skia writes one); a file with
 * cross-reference streams or encryption is refused with a PdfUpdateError.
 */
import { readDict, skipSpace, valueEnd, writeDict, type PdfDict, type PdfRef } from './incremental-syntax.js';

/** The input cannot be updated safely (broken, encrypted, or written with cross-reference streams). */
export class PdfUpdateError extends Error {
  constructor(reason: string) {
    super(`Cannot update this PDF in place: ${reason}`);
    this.name = 'PdfUpdateError';
  }
}

interface XrefEntry {
  offset: number;
  gen: number;
}

export interface PdfFile {
  readonly bytes: Uint8Array;
  /** Offset of the newest cross-reference section (the last startxref). */
  readonly startxref: number;
  /** The newest trailer's entries. */
  readonly trailer: PdfDict;
  /** The trailer's /Size: one more than the highest object number in use. */
  readonly size: number;
  /** Objects in use: number → offset and generation of the newest version. */
  readonly xref: ReadonlyMap<number, XrefEntry>;
  /** Sorted offsets of every object and cross-reference section, and the file's length: an object's text ends at the next. */
  readonly boundaries: Float64Array;
}

const latin1 = (bytes: Uint8Array, from: number, to: number): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, to - from)).toString('latin1');

function integer(value: string | undefined, what: string): number {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) throw new PdfUpdateError(`${what} is not a whole number (${value ?? 'missing'})`);
  return Number(value);
}

const isSpace = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;

/** A small cursor over bytes for the cross-reference table (regular expressions are slow on thousands of rows). */
function byteReader(bytes: Uint8Array, at: number) {
  let i = at;
  return {
    get at(): number {
      return i;
    },
    skipSpace(): void {
      while (isSpace(bytes[i])) i++;
    },
    /** A non-negative integer after optional whitespace, or undefined (cursor unmoved) when there is none. */
    integer(): number | undefined {
      let j = i;
      while (isSpace(bytes[j])) j++;
      const start = j;
      let n = 0;
      for (let b = bytes[j]; b !== undefined && b >= 0x30 && b <= 0x39; b = bytes[++j]) n = n * 10 + (b - 0x30);
      if (j === start) return undefined;
      i = j;
      return n;
    },
    startsWith(word: string): boolean {
      for (let k = 0; k < word.length; k++) if (bytes[i + k] !== word.charCodeAt(k)) return false;
      return true;
    },
    take(): number | undefined {
      return bytes[i++];
    },
    skip(count: number): void {
      i += count;
    },
  };
}

/** One cross-reference table, into `entries` where they have no newer entry yet (free ones as null); returns its trailer. */
function readXrefSection(bytes: Uint8Array, at: number, entries: Map<number, XrefEntry | null>): PdfDict {
  const reader = byteReader(bytes, at);
  reader.skipSpace();
  if (!reader.startsWith('xref')) {
    if (/^\d+\s+\d+\s+obj\b/.test(latin1(bytes, reader.at, reader.at + 40))) throw new PdfUpdateError('it uses a cross-reference stream (only classic xref tables are supported)');
    throw new PdfUpdateError(`no cross-reference table at offset ${at}`);
  }
  reader.skip(4);
  for (;;) {
    reader.skipSpace();
    if (reader.startsWith('trailer')) break;
    const first = reader.integer();
    const count = reader.integer();
    if (first === undefined || count === undefined) throw new PdfUpdateError(`malformed cross-reference table at offset ${reader.at}`);
    for (let k = 0; k < count; k++) {
      const offset = reader.integer();
      const gen = reader.integer();
      reader.skipSpace();
      const kind = reader.take();
      if (offset === undefined || gen === undefined || (kind !== 0x6e && kind !== 0x66)) throw new PdfUpdateError(`malformed cross-reference entry at offset ${reader.at}`);
      if (!entries.has(first + k)) entries.set(first + k, kind === 0x6e ? { offset, gen } : null);
    }
  }
  const trailerAt = reader.at + 'trailer'.length;
  try {
    return readDict(latin1(bytes, trailerAt, bytes.length), 0).dict;
  } catch (error) {
    throw new PdfUpdateError(`unreadable trailer at offset ${trailerAt} (${(error as Error).message})`);
  }
}

/** Reads the cross-reference sections (following /Prev) and the trailer; the objects themselves stay unread. */
export function readPdf(bytes: Uint8Array): PdfFile {
  if (latin1(bytes, 0, 5) !== '%PDF-') throw new PdfUpdateError('no %PDF- header');
  const end = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length);
  const m = /startxref\s+(\d+)\s*%%EOF\s*$/.exec(end);
  if (!m) throw new PdfUpdateError('no startxref and %%EOF at the end of the file');
  const startxref = Number(m[1]);

  const entries = new Map<number, XrefEntry | null>();
  const sections: number[] = [];
  let newest: PdfDict | undefined;
  for (let at: number | undefined = startxref; at !== undefined; ) {
    if (sections.includes(at) || at >= bytes.length) throw new PdfUpdateError(`bad /Prev chain at offset ${at}`);
    sections.push(at);
    const trailer = readXrefSection(bytes, at, entries);
    if (trailer.has('/XRefStm')) throw new PdfUpdateError('it is a hybrid file with cross-reference streams');
    newest ??= trailer;
    const prev = trailer.get('/Prev');
    at = prev === undefined ? undefined : integer(prev, 'trailer /Prev');
  }
  if (!newest) throw new PdfUpdateError('no trailer');
  if (newest.has('/Encrypt')) throw new PdfUpdateError('it is encrypted');

  const xref = new Map<number, XrefEntry>();
  for (const [num, entry] of entries) {
    if (!entry) continue;
    if (entry.offset >= bytes.length) throw new PdfUpdateError(`object ${num} lies beyond the end of the file`);
    xref.set(num, entry);
  }
  const boundaries = new Float64Array(xref.size + sections.length + 1);
  let k = 0;
  for (const entry of xref.values()) boundaries[k++] = entry.offset;
  for (const at of sections) boundaries[k++] = at;
  boundaries[k] = bytes.length;
  boundaries.sort();
  return { bytes, startxref, trailer: newest, size: integer(newest.get('/Size'), 'trailer /Size'), xref, boundaries };
}

function nextBoundary(pdf: PdfFile, offset: number): number {
  let lo = 0;
  let hi = pdf.boundaries.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((pdf.boundaries[mid] ?? 0) > offset) hi = mid;
    else lo = mid + 1;
  }
  return pdf.boundaries[lo] ?? pdf.bytes.length;
}

/** One object's text up to the next object, and where its value starts in that text. */
function objectText(pdf: PdfFile, ref: PdfRef): { text: string; offset: number; valueAt: number } {
  const entry = pdf.xref.get(ref.num);
  if (!entry || entry.gen !== ref.gen) throw new PdfUpdateError(`object ${ref.num} ${ref.gen} R is not in the cross-reference table`);
  const text = latin1(pdf.bytes, entry.offset, nextBoundary(pdf, entry.offset));
  const head = /^\s*(\d+)\s+(\d+)\s+obj/.exec(text);
  if (!head || Number(head[1]) !== ref.num || Number(head[2]) !== ref.gen) throw new PdfUpdateError(`the cross-reference offset of object ${ref.num} does not point at it`);
  return { text, offset: entry.offset, valueAt: skipSpace(text, head[0].length) };
}

/** The raw text of an object's value (a dictionary, an array, a number…). For a stream, its dictionary. */
export function objectValue(pdf: PdfFile, ref: PdfRef): string {
  const { text, valueAt } = objectText(pdf, ref);
  try {
    return text.slice(valueAt, valueEnd(text, valueAt));
  } catch (error) {
    throw new PdfUpdateError(`object ${ref.num} is unreadable (${(error as Error).message})`);
  }
}

/** An object's dictionary, with the byte offsets of its "<<" and just after its ">>" in the file. */
export function objectDict(pdf: PdfFile, ref: PdfRef): { dict: PdfDict; start: number; end: number } {
  const { text, offset, valueAt } = objectText(pdf, ref);
  try {
    const { dict, end } = readDict(text, valueAt);
    return { dict, start: offset + valueAt, end: offset + end };
  } catch (error) {
    throw new PdfUpdateError(`object ${ref.num} is not a readable dictionary (${(error as Error).message})`);
  }
}

/** Byte offsets of a stream's data (between "stream" + EOL and /Length bytes later); /Length may be direct or a reference. */
export function streamData(pdf: PdfFile, ref: PdfRef): { dict: PdfDict; start: number; end: number } {
  const { dict, end } = objectDict(pdf, ref);
  const lengthValue = dict.get('/Length');
  const lengthRef = lengthValue === undefined ? undefined : parseLengthRef(lengthValue);
  const length = integer(lengthRef ? objectValue(pdf, lengthRef) : lengthValue, `/Length of stream ${ref.num}`);
  const after = latin1(pdf.bytes, end, Math.min(pdf.bytes.length, end + 32));
  const keyword = /^\s*stream(\r\n|\n)/.exec(after);
  if (!keyword) throw new PdfUpdateError(`object ${ref.num} is not a stream`);
  const start = end + keyword[0].length;
  if (start + length > pdf.bytes.length) throw new PdfUpdateError(`stream ${ref.num} runs past the end of the file`);
  return { dict, start, end: start + length };
}

function parseLengthRef(value: string): PdfRef | undefined {
  const m = /^\s*(\d+)\s+(\d+)\s+R\s*$/.exec(value);
  return m ? { num: Number(m[1]), gen: Number(m[2]) } : undefined;
}

/**
 * Where an object's text lies in the file: from "N G obj" to just after its "endobj". Streams are
 * not read: their data is skipped by /Length.
 */
export function objectExtent(pdf: PdfFile, num: number): { start: number; end: number } {
  const entry = pdf.xref.get(num);
  if (!entry) throw new PdfUpdateError(`object ${num} is not in the cross-reference table`);
  const limit = nextBoundary(pdf, entry.offset);
  // Usually the object runs up to the next one and ends with "endobj" (and a line end).
  let tail = limit;
  while (tail > entry.offset && isSpace(pdf.bytes[tail - 1])) tail--;
  if (latin1(pdf.bytes, tail - 6, tail) === 'endobj') return { start: entry.offset, end: tail };
  // Otherwise (something lies between objects) find its end by reading it.
  const ref = { num, gen: entry.gen };
  const text = latin1(pdf.bytes, entry.offset, limit);
  const head = /^\s*(\d+)\s+(\d+)\s+obj/.exec(text);
  if (!head || Number(head[1]) !== num) throw new PdfUpdateError(`the cross-reference offset of object ${num} does not point at it`);
  const valueEnd_ = valueEnd(text, skipSpace(text, head[0].length));
  let from = entry.offset + valueEnd_;
  if (/^\s*stream(\r\n|\n)/.test(text.slice(valueEnd_, valueEnd_ + 16))) from = streamData(pdf, ref).end;
  const found = Buffer.from(pdf.bytes.buffer, pdf.bytes.byteOffset, pdf.bytes.length).indexOf('endobj', from, 'latin1');
  if (found < 0 || found + 6 > limit) throw new PdfUpdateError(`object ${num} has no endobj`);
  return { start: entry.offset, end: found + 6 };
}

/** A new version of an object: its value (dictionary text, or dictionary + "stream…endstream") as bytes. */
export interface UpdatedObject {
  ref: PdfRef;
  body: Uint8Array;
}

export interface WrittenFile {
  bytes: Buffer;
  /** Offset of each written object's body (just after "N G obj\n"). */
  bodies: Map<number, number>;
  /** Offset of the trailer dictionary's "<<". */
  trailerAt: number;
}

/**
 * A whole new file: the header for `version`, every object of `pdf` in number order (copied byte
 * for byte, without reading it) except those in `objects` (their new versions) and `drop` (left
 * out, listed as free), one cross-reference table, and a trailer with `trailer`'s entries and
 * /Size. Old revisions, free objects and anything between objects are left behind.
 */
export function writeWholeFile(pdf: PdfFile, objects: readonly UpdatedObject[], drop: ReadonlySet<number>, trailer: PdfDict, version: string): WrittenFile {
  const replaced = new Map<number, UpdatedObject>();
  for (const object of objects) {
    if (replaced.has(object.ref.num)) throw new Error(`object ${object.ref.num} written twice`);
    replaced.set(object.ref.num, object);
  }
  let size = pdf.size;
  for (const num of replaced.keys()) size = Math.max(size, num + 1);
  const chunks: Uint8Array[] = [];
  let position = 0;
  const write = (chunk: string | Uint8Array): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    chunks.push(bytes);
    position += bytes.length;
  };
  write(`%PDF-${version}\n%\xE2\xE3\xCF\xD3\n`);
  const offsets: Array<XrefEntry | undefined> = new Array(size);
  const bodies = new Map<number, number>();
  for (let num = 1; num < size; num++) {
    const object = replaced.get(num);
    if (object) {
      offsets[num] = { offset: position, gen: object.ref.gen };
      write(`${num} ${object.ref.gen} obj\n`);
      bodies.set(num, position);
      write(object.body);
      write('\nendobj\n');
      continue;
    }
    const entry = pdf.xref.get(num);
    if (!entry || drop.has(num)) continue;
    const { start, end } = objectExtent(pdf, num);
    offsets[num] = { offset: position, gen: entry.gen };
    write(pdf.bytes.subarray(start, end));
    write('\n');
  }
  const xrefAt = position;
  // Free entries form a list from object 0 through every unused number back to 0.
  const free: number[] = [];
  for (let num = 1; num < size; num++) if (!offsets[num]) free.push(num);
  const rows: string[] = [`xref\n0 ${size}\n${String(free[0] ?? 0).padStart(10, '0')} 65535 f \n`];
  let nextFree = 1;
  for (let num = 1; num < size; num++) {
    const entry = offsets[num];
    if (entry) rows.push(`${String(entry.offset).padStart(10, '0')} ${String(entry.gen).padStart(5, '0')} n \n`);
    else rows.push(`${String(free[nextFree++] ?? 0).padStart(10, '0')} 00001 f \n`);
  }
  write(rows.join(''));
  const entries: PdfDict = new Map([['/Size', String(size)]]);
  for (const [key, value] of trailer) if (key !== '/Size' && key !== '/Prev') entries.set(key, value);
  write('trailer\n');
  const trailerAt = position;
  write(`${writeDict(entries)}\nstartxref\n${xrefAt}\n%%EOF\n`);
  return { bytes: Buffer.concat(chunks), bodies, trailerAt };
}
