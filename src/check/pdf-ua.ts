/**
 * The PDF/UA-1 (ISO 14289-1) rules about structure and content that a machine can check, applied
 * the way veraPDF and the Matterhorn Protocol apply them, plus Imprint's own claim of one article:
 *
 *   pdfua-version            the file is PDF 1.7 (header or catalog /Version)
 *   pdfua-identification     the XMP metadata names PDF/UA part 1 (pdfuaid:part) and a dc:title
 *   pdfua-display-title      the viewer shows the title (ViewerPreferences /DisplayDocTitle)
 *   pdfua-lang               the document has a /Lang, and every /Lang is a language tag
 *   pdfua-suspects           MarkInfo does not say the tags are suspect
 *   pdfua-untagged-content   every painting operator lies in a tagged or an artifact sequence
 *   pdfua-artifact-nesting   no tagged content inside an artifact, no artifact inside tagged content
 *   pdfua-mcid               content and structure tree agree (every MCID in the tree, every reference in the content)
 *   pdfua-structure-type     every structure type is standard or role-mapped to one; no standard type remapped
 *   pdfua-figure-alt         every Figure has /Alt (or /ActualText), and it is not its caption again
 *   pdfua-note-id            every Note has an /ID, and IDs are unique
 *   pdfua-link               every link annotation has /Contents and belongs to a Link element
 *   pdfua-tabs               pages with annotations have /Tabs /S
 *   pdfua-list               L holds LI, LI holds Lbl and LBody (and has an LBody)
 *   pdfua-table              Table holds rows (or THead/TBody/TFoot/Caption), cells lie in rows
 *   pdfua-headings           numbered headings start at H1 and skip no level; H and H1–H6 are not mixed
 *   pdf-article-structure    one Document with one Art, or (a book) one Art per chapter, each opening with its
 *                            title heading (not one fragment per page)
 *
 * Objects are read with pdf-lib (independently of Imprint's own PDF writer); content streams with
 * src/pdf/content-stream.ts. Text is decoded through the fonts' ToUnicode maps only where a rule
 * compares it (a figure's alternative text against its caption).
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import { operandText, operations, scanContent, markedContentTag, type Operation } from '../pdf/content-stream.js';
import { severityOf, type RuleIdOf } from '../diagnostics/rules.js';

/** A broken rule, in the shape of src/check/pdf.ts's problems. */
export interface PdfUaProblem {
  severity: 'error' | 'warning';
  reason: string;
  ruleId: RuleIdOf<'error' | 'warning'>;
}

/** Structure types of PDF 1.7 (ISO 32000-1, 14.8.4). */
const STANDARD = new Set([
  'Document', 'Part', 'Art', 'Sect', 'Div', 'BlockQuote', 'Caption', 'TOC', 'TOCI', 'Index', 'NonStruct', 'Private',
  'H', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD', 'THead', 'TBody', 'TFoot',
  'Span', 'Quote', 'Note', 'Reference', 'BibEntry', 'Code', 'Link', 'Annot', 'Ruby', 'RB', 'RT', 'RP', 'Warichu', 'WT', 'WP',
  'Figure', 'Formula', 'Form',
]);

/** What the check found besides its problems. */
export interface PdfUaFacts {
  /** Structure elements in the tree. */
  elements: number;
  /** Elements per standard type (after role mapping). */
  types: Record<string, number>;
  /** Tagged marked-content sequences and artifact sequences over all pages. */
  taggedSequences: number;
}

const n = (value: string): PDFName => PDFName.of(value);

function nameOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

function textOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;
}

function streamBytes(stream: PDFObject | undefined): Uint8Array | undefined {
  if (stream instanceof PDFRawStream) return decodePDFRawStream(stream).decode();
  if (stream instanceof PDFStream) return stream.getContents();
  return undefined;
}

// ---- Text through ToUnicode ------------------------------------------------------------------

/** A ToUnicode CMap's mappings: code (as a number) → text, and how many bytes a code has. */
interface UnicodeMap {
  bytes: number;
  map: Map<number, string>;
}

const utf16 = (hex: string): string => Buffer.from(hex, 'hex').swap16().toString('utf16le');

function parseToUnicode(data: Uint8Array): UnicodeMap {
  const text = Buffer.from(data).toString('latin1');
  const map = new Map<number, string>();
  let bytes = 1;
  const range = /begincodespacerange([\s\S]*?)endcodespacerange/.exec(text);
  const low = range ? /<([0-9A-Fa-f]+)>/.exec(range[1] as string) : null;
  if (low?.[1]) bytes = low[1].length / 2;
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of (block[1] as string).matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(parseInt(m[1] as string, 16), utf16(m[2] as string));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] as string).matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])/g)) {
      const from = parseInt(m[1] as string, 16);
      const to = parseInt(m[2] as string, 16);
      const target = m[3] as string;
      if (target.startsWith('[')) {
        const items = [...target.matchAll(/<([0-9A-Fa-f]*)>/g)].map((x) => utf16(x[1] as string));
        for (let code = from; code <= to && code - from < items.length; code++) map.set(code, items[code - from] as string);
      } else {
        const base = target.slice(1, -1);
        const last = parseInt(base.slice(-4), 16);
        for (let code = from; code <= to && code - from < 65536; code++) map.set(code, utf16(base.slice(0, -4) + (last + code - from).toString(16).padStart(4, '0')));
      }
    }
  }
  return { bytes, map };
}

/** The strings a text-showing operation shows, as bytes. */
function shownStrings(data: Uint8Array, op: Operation): Uint8Array[] {
  const text = operandText(data, op);
  const out: Uint8Array[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') {
      const end = text.indexOf('>', i);
      const hex = text.slice(i + 1, end).replace(/\s/g, '');
      out.push(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex'));
      i = end;
    } else if (c === '(') {
      let depth = 0;
      let s = '';
      for (; i < text.length; i++) {
        const d = text[i] as string;
        if (d === '\\') {
          const next = text[++i] ?? '';
          const octal = /^[0-7]{1,3}/.exec(text.slice(i, i + 3));
          if (octal) {
            s += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
            i += octal[0].length - 1;
          } else s += ({ n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' } as Record<string, string>)[next] ?? next;
          continue;
        }
        if (d === '(' && depth++ === 0) continue;
        if (d === ')' && --depth === 0) break;
        s += d;
      }
      out.push(Buffer.from(s, 'latin1'));
    }
  }
  return out;
}

// ---- The structure tree ------------------------------------------------------------------------

interface Elem {
  dict: PDFDict;
  ref: PDFRef | undefined;
  type: string;
  /** Type after role mapping (the standard type it stands for, or the type itself when it cannot be mapped). */
  role: string;
  parent: Elem | undefined;
  kids: Elem[];
  /** Marked content: page object number and MCID. */
  mcrs: Array<{ page: number; mcid: number }>;
  /** Objects (annotations) it owns. */
  objrs: number[];
}

export async function checkPdfUa(doc: PDFDocument, fileBytes: Uint8Array): Promise<{ facts: PdfUaFacts; problems: PdfUaProblem[] }> {
  const problems: PdfUaProblem[] = [];
  const checkProblem = (ruleId: RuleIdOf<'error' | 'warning'>, reason: string): void => {
    problems.push({ severity: severityOf(ruleId), reason, ruleId });
  };
  const ctx = doc.context;
  const look = (value: PDFObject | undefined): PDFObject | undefined => (value instanceof PDFRef ? ctx.lookup(value) : value);
  const catalog = doc.catalog;

  // Version, identification, viewer, language.
  const header = /^%PDF-(\d+\.\d+)/.exec(Buffer.from(fileBytes.subarray(0, 16)).toString('latin1'))?.[1] ?? '0';
  const catalogVersion = nameOf(look(catalog.get(n('Version')))) ?? '0';
  if (Math.max(Number(header), Number(catalogVersion)) < 1.7) checkProblem('pdfua-version', `the file is PDF ${header}; PDF/UA-1 is based on PDF 1.7`);
  const xmp = streamBytes(look(catalog.get(n('Metadata'))));
  const packet = xmp ? Buffer.from(xmp).toString('utf8') : '';
  const part = /<pdfuaid:part>\s*(\d+)\s*<\/pdfuaid:part>|pdfuaid:part="(\d+)"/.exec(packet);
  if (!xmp) checkProblem('pdfua-identification', 'the catalog has no XMP metadata stream');
  else if ((part?.[1] ?? part?.[2]) !== '1') checkProblem('pdfua-identification', 'the XMP metadata does not identify the file as PDF/UA-1 (pdfuaid:part 1)');
  if (xmp && !/<dc:title>[\s\S]*?<rdf:li[^>]*>[^<]+<\/rdf:li>/.test(packet)) checkProblem('pdfua-identification', 'the XMP metadata has no dc:title');
  const viewer = look(catalog.get(n('ViewerPreferences')));
  if (!(viewer instanceof PDFDict) || viewer.get(n('DisplayDocTitle')) !== PDFBool.True) checkProblem('pdfua-display-title', 'ViewerPreferences /DisplayDocTitle is not true: viewers show the file name, not the title');
  const LANG = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
  const lang = textOf(look(catalog.get(n('Lang'))));
  if (!lang || !LANG.test(lang)) checkProblem('pdfua-lang', lang ? `the document language "${lang}" is not a language tag` : 'the catalog has no /Lang');
  const markInfo = look(catalog.get(n('MarkInfo')));
  if (markInfo instanceof PDFDict && markInfo.get(n('Suspects')) === PDFBool.True) checkProblem('pdfua-suspects', 'MarkInfo /Suspects is true: the tags are not reliable');

  const facts: PdfUaFacts = { elements: 0, types: {}, taggedSequences: 0 };
  const root = look(catalog.get(n('StructTreeRoot')));
  if (!(root instanceof PDFDict)) {
    checkProblem('pdf-article-structure', 'the PDF has no structure tree');
    return { facts, problems };
  }

  // Role map.
  const roleMap = new Map<string, string>();
  const roleDict = look(root.get(n('RoleMap')));
  if (roleDict instanceof PDFDict) {
    for (const [key, value] of roleDict.entries()) {
      const to = nameOf(look(value));
      if (to) roleMap.set(key.decodeText(), to);
    }
  }
  for (const from of roleMap.keys()) if (STANDARD.has(from)) checkProblem('pdfua-structure-type', `the role map remaps the standard type /${from}`);
  const roleOf = (type: string): string => {
    let t = type;
    for (let hops = 0; hops < 10 && !STANDARD.has(t); hops++) {
      const next = roleMap.get(t);
      if (!next) break;
      t = next;
    }
    return t;
  };

  // Pages: object number → index and /StructParents.
  const pages = doc.getPages();
  const pageIndex = new Map<number, number>();
  pages.forEach((page, i) => pageIndex.set(page.ref.objectNumber, i));
  const pageName = (num: number): string => `page ${(pageIndex.get(num) ?? -1) + 1}`;

  // Walk the tree.
  const all: Elem[] = [];
  const seen = new Set<PDFDict>();
  const readKids = (elem: Elem, k: PDFObject | undefined, page: number | undefined): void => {
    const value = look(k);
    if (value === undefined) return;
    if (value instanceof PDFArray) {
      for (const item of value.asArray()) readKids(elem, item, page);
      return;
    }
    if (value instanceof PDFNumber) {
      if (page === undefined) checkProblem('pdfua-mcid', `a ${elem.type} element refers to marked content ${value.asNumber()} without a page`);
      else elem.mcrs.push({ page, mcid: value.asNumber() });
      return;
    }
    if (!(value instanceof PDFDict)) return;
    const type = nameOf(value.get(n('Type')));
    const pg = value.get(n('Pg'));
    const kidPage = pg instanceof PDFRef ? pg.objectNumber : page;
    if (type === 'MCR') {
      const mcid = look(value.get(n('MCID')));
      if (mcid instanceof PDFNumber && kidPage !== undefined) elem.mcrs.push({ page: kidPage, mcid: mcid.asNumber() });
      return;
    }
    if (type === 'OBJR') {
      const obj = value.get(n('Obj'));
      if (obj instanceof PDFRef) elem.objrs.push(obj.objectNumber);
      return;
    }
    const child = readElem(value, k instanceof PDFRef ? k : undefined, elem);
    if (child) elem.kids.push(child);
  };
  const readElem = (dict: PDFDict, ref: PDFRef | undefined, parent: Elem | undefined): Elem | undefined => {
    if (seen.has(dict)) {
      checkProblem('pdf-article-structure', 'the structure tree visits an element twice');
      return undefined;
    }
    seen.add(dict);
    const type = nameOf(dict.get(n('S')));
    if (!type) return undefined;
    const elem: Elem = { dict, ref, type, role: roleOf(type), parent, kids: [], mcrs: [], objrs: [] };
    all.push(elem);
    const pg = dict.get(n('Pg'));
    readKids(elem, dict.get(n('K')), pg instanceof PDFRef ? pg.objectNumber : undefined);
    return elem;
  };
  const tops: Elem[] = [];
  const rootK = root.get(n('K'));
  for (const item of look(rootK) instanceof PDFArray ? (look(rootK) as PDFArray).asArray() : [rootK]) {
    const dict = look(item);
    if (dict instanceof PDFDict) {
      const elem = readElem(dict, item instanceof PDFRef ? item : undefined, undefined);
      if (elem) tops.push(elem);
    }
  }
  facts.elements = all.length;
  for (const elem of all) facts.types[elem.role] = (facts.types[elem.role] ?? 0) + 1;

  // Structure types.
  const unmapped = new Set<string>();
  for (const elem of all) if (!STANDARD.has(elem.role)) unmapped.add(elem.type);
  for (const type of unmapped) checkProblem('pdfua-structure-type', `structure type /${type} is not a PDF 1.7 type and the role map does not map it to one`);

  // One article, or a book's articles: one Art per chapter, each opening with its title.
  const arts = all.filter((e) => e.role === 'Art');
  if (tops.length !== 1 || tops[0]?.role !== 'Document') checkProblem('pdf-article-structure', `the structure tree's root holds ${tops.map((t) => t.type).join(', ') || 'nothing'}, not one Document`);
  if (arts.length === 0) checkProblem('pdf-article-structure', 'the structure has no Art element: no article');
  const within = (elem: Elem, role: string): boolean => {
    for (let up = elem.parent; up; up = up.parent) if (up.role === role) return true;
    return false;
  };
  if (arts.some((art) => within(art, 'Art'))) checkProblem('pdf-article-structure', 'an Art element lies inside another');
  if (arts.length > 1) {
    const firstElement = (elem: Elem): Elem | undefined => elem.kids.find((kid) => kid.role !== 'NonStruct' && kid.role !== 'Span') ?? elem.kids[0];
    const untitled = arts.map((art, i) => ({ i, first: firstElement(art) })).filter(({ first }) => !first || !/^H[1-6]?$/.test(first.role));
    if (untitled.length > 0) {
      checkProblem('pdf-article-structure', `the structure has ${arts.length} Art elements, and ${untitled.map(({ i }) => `Art ${i + 1}`).join(', ')} does not open with a heading: not one article per chapter (one fragment per page?)`);
    }
  }

  // Lang on elements.
  for (const elem of all) {
    const value = look(elem.dict.get(n('Lang')));
    if (value === undefined) continue;
    const tag = textOf(value);
    if (tag === undefined || (tag !== '' && !LANG.test(tag))) checkProblem('pdfua-lang', `a ${elem.type} element has the language "${tag ?? '?'}", not a language tag`);
  }

  // Parent tree.
  const parentTree = new Map<number, PDFObject>();
  const readNumberTree = (node: PDFObject | undefined, depth: number): void => {
    const dict = look(node);
    if (!(dict instanceof PDFDict) || depth > 32) return;
    const nums = look(dict.get(n('Nums')));
    if (nums instanceof PDFArray) {
      const items = nums.asArray();
      for (let i = 0; i + 1 < items.length; i += 2) {
        const key = look(items[i]);
        if (key instanceof PDFNumber) parentTree.set(key.asNumber(), items[i + 1] as PDFObject);
      }
    }
    const kids = look(dict.get(n('Kids')));
    if (kids instanceof PDFArray) for (const kid of kids.asArray()) readNumberTree(kid, depth + 1);
  };
  readNumberTree(root.get(n('ParentTree')), 0);
  const elemByDict = new Map<PDFDict, Elem>(all.map((e) => [e.dict, e]));

  // Content: marked content against painting operators, and text for the figure rule.
  const mcidText = new Map<string, string>();
  const contentMcids = new Set<string>();
  const KEEP_WITH_FONTS = new Set(['Tf']);
  for (const [index, page] of pages.entries()) {
    const node = page.node;
    const num = page.ref.objectNumber;
    const contents = look(node.get(n('Contents')));
    const streams = contents instanceof PDFArray ? contents.asArray().map(look) : [contents];
    const parts: Uint8Array[] = [];
    for (const stream of streams) {
      const bytes = streamBytes(stream);
      if (bytes) parts.push(bytes, Buffer.from('\n'));
    }
    const data = Buffer.concat(parts);
    let ops: Operation[];
    try {
      ops = operations(data, KEEP_WITH_FONTS);
    } catch (error) {
      checkProblem('pdfua-untagged-content', `page ${index + 1}: the content stream cannot be read (${(error as Error).message})`);
      continue;
    }
    const scan = scanContent(data, ops);
    facts.taggedSequences += scan.mcids.size;
    if (scan.uncovered.length > 0) {
      const kinds = [...new Set(scan.uncovered.map((u) => u.op))].join(' ');
      checkProblem('pdfua-untagged-content', `page ${index + 1}: ${scan.uncovered.length} painting operators (${kinds}) are neither tagged nor an artifact`);
    }
    if (scan.mcidsInArtifacts.length > 0) checkProblem('pdfua-artifact-nesting', `page ${index + 1}: tagged content (MCID ${scan.mcidsInArtifacts.join(', ')}) inside an artifact`);
    if (scan.artifactsInTagged > 0) checkProblem('pdfua-artifact-nesting', `page ${index + 1}: ${scan.artifactsInTagged} artifacts inside tagged content`);
    if (scan.unbalanced > 0) checkProblem('pdfua-mcid', `page ${index + 1}: marked-content operators do not balance`);

    const key = look(node.get(n('StructParents')));
    const entry = key instanceof PDFNumber ? look(parentTree.get(key.asNumber())) : undefined;
    for (const mcid of scan.mcids.keys()) {
      contentMcids.add(`${num}:${mcid}`);
      const target = entry instanceof PDFArray ? look(entry.asArray()[mcid]) : undefined;
      const elem = target instanceof PDFDict ? elemByDict.get(target) : undefined;
      if (!elem || !elem.mcrs.some((m) => m.page === num && m.mcid === mcid)) checkProblem('pdfua-mcid', `page ${index + 1}: marked content ${mcid} is not in the structure tree (or its parent tree entry is wrong)`);
    }

    // Text per MCID, only where a figure's caption needs it.
    const fonts = new Map<string, UnicodeMap | undefined>();
    const resources = node.Resources();
    const fontDict = resources?.lookupMaybe(n('Font'), PDFDict);
    let font: UnicodeMap | undefined;
    const stack: Array<number | undefined> = [];
    for (const op of ops) {
      if (op.op === 'BDC' || op.op === 'BMC') stack.push(markedContentTag(data, op).mcid);
      else if (op.op === 'EMC') stack.pop();
      else if (op.op === 'Tf') {
        const fontName = /\/([^\s/]+)/.exec(operandText(data, op))?.[1] ?? '';
        if (!fonts.has(fontName)) {
          const f = fontDict ? look(fontDict.get(n(fontName))) : undefined;
          const toUnicode = f instanceof PDFDict ? streamBytes(look(f.get(n('ToUnicode')))) : undefined;
          fonts.set(fontName, toUnicode ? parseToUnicode(toUnicode) : undefined);
        }
        font = fonts.get(fontName);
      } else if (font && (op.op === 'Tj' || op.op === 'TJ' || op.op === "'" || op.op === '"')) {
        const mcid = [...stack].reverse().find((m) => m !== undefined);
        if (mcid === undefined) continue;
        let text = '';
        for (const bytes of shownStrings(data, op)) {
          for (let i = 0; i + font.bytes <= bytes.length; i += font.bytes) {
            let code = 0;
            for (let b = 0; b < font.bytes; b++) code = code * 256 + (bytes[i + b] as number);
            text += font.map.get(code) ?? '';
          }
        }
        const keyText = `${num}:${mcid}`;
        mcidText.set(keyText, (mcidText.get(keyText) ?? '') + text);
      }
    }

    // Annotations on the page.
    const annots = look(node.get(n('Annots')));
    if (annots instanceof PDFArray && annots.size() > 0 && nameOf(node.get(n('Tabs'))) !== 'S') checkProblem('pdfua-tabs', `page ${index + 1} has annotations but no /Tabs /S`);
    if (annots instanceof PDFArray) {
      for (const item of annots.asArray()) {
        const annot = look(item);
        if (!(annot instanceof PDFDict) || nameOf(annot.get(n('Subtype'))) !== 'Link') continue;
        const contents = textOf(look(annot.get(n('Contents'))));
        if (!contents || contents.trim() === '') checkProblem('pdfua-link', `page ${index + 1}: a link annotation has no /Contents`);
        const parentKey = look(annot.get(n('StructParent')));
        const owner = parentKey instanceof PDFNumber ? look(parentTree.get(parentKey.asNumber())) : undefined;
        const elem = owner instanceof PDFDict ? elemByDict.get(owner) : undefined;
        const num = item instanceof PDFRef ? item.objectNumber : -1;
        if (!elem || elem.role !== 'Link' || !elem.objrs.includes(num)) checkProblem('pdfua-link', `page ${index + 1}: a link annotation does not belong to a Link element`);
      }
    }
  }
  for (const elem of all) {
    for (const m of elem.mcrs) if (!contentMcids.has(`${m.page}:${m.mcid}`)) checkProblem('pdfua-mcid', `a ${elem.type} element refers to marked content ${m.mcid} that ${pageName(m.page)} does not have`);
  }

  // Elements.
  const textUnder = (elem: Elem): string => {
    let text = elem.mcrs.map((m) => mcidText.get(`${m.page}:${m.mcid}`) ?? '').join('');
    for (const kid of elem.kids) text += textUnder(kid);
    return text;
  };
  const squeeze = (text: string): string => text.replace(/\s+/g, '');
  /** Length of the longest run of characters two texts share. */
  const sharedRun = (a: string, b: string): number => {
    let best = 0;
    let previous = new Uint16Array(b.length + 1);
    for (let i = 1; i <= a.length; i++) {
      const row = new Uint16Array(b.length + 1);
      for (let j = 1; j <= b.length; j++) {
        if (a[i - 1] === b[j - 1]) {
          row[j] = (previous[j - 1] as number) + 1;
          if ((row[j] as number) > best) best = row[j] as number;
        }
      }
      previous = row;
    }
    return best;
  };
  const ids = new Map<string, number>();
  for (const elem of all) {
    const id = textOf(look(elem.dict.get(n('ID'))));
    if (id !== undefined) ids.set(id, (ids.get(id) ?? 0) + 1);
  }
  for (const [id, count] of ids) if (count > 1) checkProblem('pdfua-note-id', `the structure element ID "${id}" is used ${count} times`);
  let lastLevel = 0;
  let numbered = false;
  let plainH = false;
  for (const elem of all) {
    const { role } = elem;
    const kidRoles = elem.kids.map((k) => k.role);
    if (role === 'Figure') {
      const alt = textOf(look(elem.dict.get(n('Alt')))) ?? textOf(look(elem.dict.get(n('ActualText'))));
      if (!alt || alt.trim() === '') checkProblem('pdfua-figure-alt', 'a Figure has no /Alt');
      else {
        const captions = [...elem.kids, ...(elem.parent?.kids ?? [])].filter((k) => k.role === 'Caption');
        const a = squeeze(alt);
        for (const caption of captions) {
          const c = squeeze(textUnder(caption));
          // The alternative text repeats the caption when most of it is a run of the caption's text.
          const run = c === '' ? 0 : sharedRun(a.slice(0, 400), c.slice(0, 400));
          if (a === c || (run >= 8 && run >= a.length / 2)) checkProblem('pdfua-figure-alt', `a Figure's /Alt repeats its caption ("${alt.slice(0, 40)}")`);
        }
      }
    } else if (role === 'Note') {
      if (!textOf(look(elem.dict.get(n('ID'))))) checkProblem('pdfua-note-id', 'a Note has no /ID');
    } else if (role === 'L') {
      const wrong = kidRoles.filter((r) => r !== 'LI' && r !== 'L' && r !== 'Caption');
      if (wrong.length > 0) checkProblem('pdfua-list', `a list holds ${[...new Set(wrong)].join(', ')} (only LI)`);
    } else if (role === 'LI') {
      const wrong = kidRoles.filter((r) => r !== 'Lbl' && r !== 'LBody');
      if (wrong.length > 0 || elem.mcrs.length > 0) checkProblem('pdfua-list', `a list item holds ${[...new Set(wrong)].join(', ') || 'content'} outside Lbl and LBody`);
      else if (!kidRoles.includes('LBody')) checkProblem('pdfua-list', 'a list item has no LBody');
      if (elem.parent?.role !== 'L') checkProblem('pdfua-list', `a list item lies in ${elem.parent?.role ?? 'nothing'}, not in a list`);
    } else if (role === 'Lbl' || role === 'LBody') {
      if (elem.parent?.role !== 'LI') checkProblem('pdfua-list', `${role} lies in ${elem.parent?.role ?? 'nothing'}, not in a list item`);
    } else if (role === 'Table') {
      const wrong = kidRoles.filter((r) => !['TR', 'THead', 'TBody', 'TFoot', 'Caption'].includes(r));
      if (wrong.length > 0) checkProblem('pdfua-table', `a table holds ${[...new Set(wrong)].join(', ')}`);
    } else if (role === 'TR') {
      if (!['Table', 'THead', 'TBody', 'TFoot'].includes(elem.parent?.role ?? '')) checkProblem('pdfua-table', `a table row lies in ${elem.parent?.role ?? 'nothing'}`);
      const wrong = kidRoles.filter((r) => r !== 'TH' && r !== 'TD');
      if (wrong.length > 0) checkProblem('pdfua-table', `a table row holds ${[...new Set(wrong)].join(', ')}`);
    } else if (role === 'TH' || role === 'TD') {
      if (elem.parent?.role !== 'TR') checkProblem('pdfua-table', `a table cell lies in ${elem.parent?.role ?? 'nothing'}, not in a row`);
    }
    const level = /^H([1-6])$/.exec(role)?.[1];
    if (level) {
      const l = Number(level);
      if (!numbered && l !== 1) checkProblem('pdfua-headings', `the first numbered heading is H${l}, not H1`);
      else if (numbered && l > lastLevel + 1) checkProblem('pdfua-headings', `H${l} follows H${lastLevel}: a heading level is skipped`);
      numbered = true;
      lastLevel = l;
    } else if (role === 'H') plainH = true;
  }
  if (numbered && plainH) checkProblem('pdfua-headings', 'the structure mixes H with H1–H6');

  // One problem per rule and reason is enough for a reader; keep the first of identical ones.
  const unique = new Map<string, PdfUaProblem>();
  for (const p of problems) if (!unique.has(`${p.ruleId}\0${p.reason}`)) unique.set(`${p.ruleId}\0${p.reason}`, p);
  return { facts, problems: [...unique.values()] };
}
