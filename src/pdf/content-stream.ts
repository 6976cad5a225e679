/**
 * Page content streams (ISO 32000-1, 7.8.2 and 14.6): the operators of a stream, what each
 * marked-content sequence paints, and a rewrite that makes every piece of untagged content an
 * artifact (14.8.2.2) and turns chosen tagged sequences into artifacts.
 *
 * Written by hand: the npm libraries that read PDFs either render (pdf.js) or parse whole files
 * into objects and write content only as new streams (pdf-lib); none tokenizes an existing stream
 * and writes it back with a few operators inserted, byte for byte elsewhere. The tokenizer below
 * knows only what an operator's span needs: numbers and words, names, strings, arrays,
 * dictionaries, comments and inline images. Operands are kept as byte ranges, not parsed.
 */

/** One operator and the byte range of its operands and itself. */
export interface Operation {
  op: string;
  /** Offset of its first operand (of the operator when it has none). */
  start: number;
  /** Offset just after the operator. */
  end: number;
  /** Offset of the operator itself. */
  at: number;
}

/** Byte classes: 1 whitespace, 2 delimiter, 0 regular. */
const CLASS = new Uint8Array(256);
for (const b of [0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00]) CLASS[b] = 1;
// ( ) < > [ ] { } / %
for (const b of [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]) CLASS[b] = 2;
const isWhite = (b: number): boolean => CLASS[b] === 1;
const isDelimiter = (b: number): boolean => CLASS[b] === 2;

/** True for a regular-character token that is an operand (number, true, false, null), not an operator. */
function isOperandWord(data: Uint8Array, from: number, to: number): boolean {
  const first = data[from] as number;
  if ((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e) return true;
  // true, false, null
  const length = to - from;
  if (first === 0x74) return length === 4 && data[from + 1] === 0x72 && data[from + 2] === 0x75 && data[from + 3] === 0x65;
  if (first === 0x66) return length === 5 && data[from + 1] === 0x61 && data[from + 2] === 0x6c && data[from + 3] === 0x73 && data[from + 4] === 0x65;
  if (first === 0x6e) return length === 4 && data[from + 1] === 0x75 && data[from + 2] === 0x6c && data[from + 3] === 0x6c;
  return false;
}

/** Operator names are a few letters: one string per distinct operator, not one per occurrence. */
const operatorNames = new Map<number, string>();
function operatorName(data: Uint8Array, from: number, to: number): string {
  if (to - from > 3) return String.fromCharCode(...data.subarray(from, to));
  let key = to - from;
  for (let i = from; i < to; i++) key = key * 256 + (data[i] as number);
  let name = operatorNames.get(key);
  if (name === undefined) {
    name = String.fromCharCode(...data.subarray(from, to));
    operatorNames.set(key, name);
  }
  return name;
}

const PATH_START = new Set(['m', 're']);
const PATH_PAINT = new Set(['S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n']);
const TEXT_SHOW = new Set(['Tj', 'TJ', "'", '"']);

const KEPT = new Set(['BDC', 'BMC', 'EMC', 'q', 'Q', 'BT', 'ET', 'Do', 'BI', 'sh', ...PATH_START, ...PATH_PAINT, ...TEXT_SHOW]);

/** Offset just after the end of an inline image's data: the "EI" that follows whitespace and precedes whitespace or the end. */
function inlineImageEnd(data: Uint8Array, from: number): number {
  for (let i = from; i + 1 < data.length; i++) {
    if (data[i] === 0x45 && data[i + 1] === 0x49 && isWhite(data[i - 1] ?? 0x20) && (i + 2 >= data.length || isWhite(data[i + 2] as number) || isDelimiter(data[i + 2] as number))) return i + 2;
  }
  throw new SyntaxError('PDF content: inline image without EI');
}

/**
 * The operators that matter for marked content, in order: marked content (BDC, BMC, EMC), state
 * (q, Q), text objects (BT, ET), and every operator that paints (path construction starts and
 * painting, text showing, XObjects, inline images, shadings). Other operators (colours, fonts,
 * positions…) are read past, except those named in `also`. Throws a SyntaxError on an unterminated
 * string or inline image.
 */
export function operations(data: Uint8Array, also?: ReadonlySet<string>): Operation[] {
  const ops: Operation[] = [];
  const n = data.length;
  let operandStart = -1;
  let i = 0;
  while (i < n) {
    const b = data[i] as number;
    const kind = CLASS[b];
    if (kind === 1) {
      i++;
      continue;
    }
    if (b === 0x25) {
      while (i < n && data[i] !== 0x0a && data[i] !== 0x0d) i++;
      continue;
    }
    const tokenStart = i;
    if (b === 0x28) {
      // Literal string: balanced parentheses, backslash escapes.
      let depth = 0;
      for (; i < n; i++) {
        const c = data[i];
        if (c === 0x5c) i++;
        else if (c === 0x28) depth++;
        else if (c === 0x29 && --depth === 0) break;
      }
      if (i >= n) throw new SyntaxError(`PDF content: unterminated string at ${tokenStart}`);
      i++;
    } else if (b === 0x3c && data[i + 1] === 0x3c) {
      i += 2; // "<<": its entries are tokens of their own; ">>" closes it below.
    } else if (b === 0x3e && data[i + 1] === 0x3e) {
      i += 2;
    } else if (b === 0x3c) {
      while (i < n && data[i] !== 0x3e) i++;
      if (i >= n) throw new SyntaxError(`PDF content: unterminated hex string at ${tokenStart}`);
      i++;
    } else if (b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d || b === 0x29 || b === 0x3e) {
      i++;
    } else if (b === 0x2f) {
      i++;
      while (i < n && CLASS[data[i] as number] === 0) i++;
    } else {
      while (i < n && CLASS[data[i] as number] === 0) i++;
      if (!isOperandWord(data, tokenStart, i)) {
        const op = operatorName(data, tokenStart, i);
        const start = operandStart >= 0 ? operandStart : tokenStart;
        if (op === 'BI') {
          // An inline image is one operation: BI … ID <data> EI.
          let j = i;
          for (;;) {
            while (j < n && isWhite(data[j] as number)) j++;
            if (j >= n) throw new SyntaxError('PDF content: inline image without ID');
            if (data[j] === 0x49 && data[j + 1] === 0x44 && (j + 2 >= n || isWhite(data[j + 2] as number))) break;
            j++;
          }
          const end = inlineImageEnd(data, j + 3);
          ops.push({ op, start, at: tokenStart, end });
          i = end;
        } else if (KEPT.has(op) || also?.has(op)) {
          ops.push({ op, start, at: tokenStart, end: i });
        }
        operandStart = -1;
        continue;
      }
    }
    if (operandStart < 0) operandStart = tokenStart;
  }
  return ops;
}

const latin1 = (data: Uint8Array, from: number, to: number): string => Buffer.from(data.buffer, data.byteOffset + from, to - from).toString('latin1');

/** The operand text of an operation (everything before the operator). */
export const operandText = (data: Uint8Array, op: Operation): string => latin1(data, op.start, op.at);

/** The tag and the MCID of a BDC/BMC operation ("/P <</MCID 3>> BDC" → P, 3). */
export function markedContentTag(data: Uint8Array, op: Operation): { tag: string; mcid?: number } {
  const text = operandText(data, op);
  const tag = /^\s*\/([^\s/<[(]+)/.exec(text)?.[1] ?? '';
  const mcid = /\/MCID\s+(\d+)/.exec(text)?.[1];
  return mcid === undefined ? { tag } : { tag, mcid: Number(mcid) };
}

/** What a marked-content sequence paints. */
export interface Painted {
  text: boolean;
  /** XObjects (images or forms) and inline images. */
  image: boolean;
  /** Path objects (clips included) and shadings. */
  graphics: boolean;
}

/** Where in the stream a painting operation is, for reports: its operator and index. */
export interface Uncovered {
  op: string;
  index: number;
}

export interface ContentScan {
  ops: Operation[];
  /** What each tagged sequence paints (an MCID used twice merges both). */
  mcids: Map<number, Painted & { topLevel: boolean; nestedMcid: boolean }>;
  /** Painting operations in no tagged and no artifact sequence. */
  uncovered: Uncovered[];
  /** MCIDs opened inside an artifact sequence. */
  mcidsInArtifacts: number[];
  /** Artifact sequences opened inside a tagged sequence. */
  artifactsInTagged: number;
  /** Marked-content operators that do not balance (EMC without a sequence, or sequences left open). */
  unbalanced: number;
}

type Frame = { kind: 'tagged'; mcid: number } | { kind: 'artifact' } | { kind: 'other' };

/** Which operations paint and which marked content covers them. */
export function scanContent(data: Uint8Array, ops: Operation[] = operations(data)): ContentScan {
  const mcids: ContentScan['mcids'] = new Map();
  const uncovered: Uncovered[] = [];
  const mcidsInArtifacts: number[] = [];
  let artifactsInTagged = 0;
  let unbalanced = 0;
  const stack: Frame[] = [];
  let tagged = 0;
  let artifacts = 0;
  let inPath = false;
  const paint = (kind: keyof Painted, index: number, op: string): void => {
    if (tagged > 0) {
      for (const frame of stack) if (frame.kind === 'tagged') (mcids.get(frame.mcid) as Painted)[kind] = true;
    } else if (artifacts === 0) uncovered.push({ op, index });
  };
  for (let index = 0; index < ops.length; index++) {
    const operation = ops[index] as Operation;
    const { op } = operation;
    if (op === 'BDC' || op === 'BMC') {
      const { tag, mcid } = markedContentTag(data, operation);
      if (tag === 'Artifact') {
        if (tagged > 0) artifactsInTagged++;
        stack.push({ kind: 'artifact' });
        artifacts++;
      } else if (mcid !== undefined) {
        if (artifacts > 0) mcidsInArtifacts.push(mcid);
        for (const frame of stack) if (frame.kind === 'tagged') (mcids.get(frame.mcid) as { nestedMcid: boolean }).nestedMcid = true;
        const entry = mcids.get(mcid);
        if (entry) entry.topLevel &&= stack.length === 0;
        else mcids.set(mcid, { text: false, image: false, graphics: false, topLevel: stack.length === 0, nestedMcid: false });
        stack.push({ kind: 'tagged', mcid });
        tagged++;
      } else stack.push({ kind: 'other' });
    } else if (op === 'EMC') {
      const frame = stack.pop();
      if (frame === undefined) unbalanced++;
      else if (frame.kind === 'tagged') tagged--;
      else if (frame.kind === 'artifact') artifacts--;
    } else if (PATH_START.has(op)) {
      if (!inPath) paint('graphics', index, op);
      inPath = true;
    } else if (PATH_PAINT.has(op)) {
      if (!inPath) paint('graphics', index, op);
      inPath = false;
    } else if (TEXT_SHOW.has(op)) paint('text', index, op);
    else if (op === 'Do' || op === 'BI') paint('image', index, op);
    else if (op === 'sh') paint('graphics', index, op);
  }
  unbalanced += stack.length;
  return { ops, mcids, uncovered, mcidsInArtifacts, artifactsInTagged, unbalanced };
}

const ARTIFACT = Buffer.from('\n/Artifact BMC\n', 'latin1');
const END = Buffer.from('\nEMC\n', 'latin1');

/**
 * The stream with every painting operation that no tagged or artifact sequence covers wrapped in
 * "/Artifact BMC … EMC", and the tagged sequences of `toArtifacts` (MCIDs of top-level
 * sequences) turned into artifacts. An artifact opens before a graphics object (a path, a text
 * object, an XObject, an inline image, a shading) and closes before the next marked-content
 * operator, before the Q that restores the state it opened in, and inside a text object before
 * its ET, so that it nests with both. Returns the input itself when nothing changes.
 */
export function markArtifacts(data: Uint8Array, scan: ContentScan, toArtifacts: ReadonlySet<number> = new Set()): Uint8Array {
  const { ops } = scan;
  if (scan.uncovered.length === 0 && toArtifacts.size === 0) return data;
  // Text objects holding marked content are entered without an artifact; their show operators get their own.
  const textWithMarks = new Set<number>();
  let bt = -1;
  ops.forEach((o, index) => {
    if (o.op === 'BT') bt = index;
    else if (o.op === 'ET') bt = -1;
    else if (bt >= 0 && (o.op === 'BDC' || o.op === 'BMC' || o.op === 'EMC')) textWithMarks.add(bt);
  });

  const chunks: Uint8Array[] = [];
  let copied = 0;
  const copyTo = (offset: number): void => {
    if (offset > copied) chunks.push(data.subarray(copied, offset));
    copied = Math.max(copied, offset);
  };
  let open: { q: number; inText: boolean } | undefined;
  const stack: Frame['kind'][] = [];
  let q = 0;
  let inText = false;
  let inPath = false;
  const covered = (): boolean => open !== undefined || stack.some((k) => k !== 'other');
  const close = (at: number): void => {
    if (!open) return;
    copyTo(at);
    chunks.push(END);
    open = undefined;
  };
  const start = (at: number): void => {
    copyTo(at);
    chunks.push(ARTIFACT);
    open = { q, inText };
  };
  ops.forEach((o, index) => {
    switch (o.op) {
      case 'BDC':
      case 'BMC': {
        close(o.start);
        const { tag, mcid } = markedContentTag(data, o);
        if (mcid !== undefined && toArtifacts.has(mcid) && stack.length === 0) {
          copyTo(o.start);
          chunks.push(Buffer.from('/Artifact BMC', 'latin1'));
          copied = o.end;
          stack.push('artifact');
        } else stack.push(tag === 'Artifact' ? 'artifact' : mcid !== undefined ? 'tagged' : 'other');
        break;
      }
      case 'EMC':
        close(o.start);
        stack.pop();
        break;
      case 'q':
        q++;
        break;
      case 'Q':
        if (open && open.q === q) close(o.start);
        q--;
        break;
      case 'BT':
        if (open && textWithMarks.has(index)) close(o.start);
        if (!covered() && !textWithMarks.has(index)) start(o.start);
        inText = true;
        break;
      case 'ET':
        if (open?.inText) close(o.start);
        inText = false;
        break;
      default:
        if (PATH_START.has(o.op)) {
          if (!inPath && !covered()) start(o.start);
          inPath = true;
        } else if (PATH_PAINT.has(o.op)) {
          if (!inPath && !covered()) start(o.start);
          inPath = false;
        } else if (TEXT_SHOW.has(o.op) || o.op === 'Do' || o.op === 'BI' || o.op === 'sh') {
          if (!covered()) start(o.start);
        }
    }
  });
  copyTo(data.length);
  if (open) chunks.push(END);
  return Buffer.concat(chunks);
}
