/**
 * The logical structure tree of a PDF (ISO 32000-1, 14.7) as plain data: structure elements with
 * their type, attributes and kids (elements, marked-content references, object references), read
 * from a file through src/pdf/incremental.ts and written back as new objects with a parent tree
 * rebuilt from the tree itself.
 */
import { objectDict, objectValue, PdfUpdateError, type PdfFile } from './incremental.js';
import { arrayItems, readDict, writeDict, writeRef, writeText, parseRef, type PdfDict, type PdfRef } from './incremental-syntax.js';

/** Marked content on a page: the page object's number and the MCID. */
export interface McrKid {
  kind: 'mcr';
  page: number;
  mcid: number;
}

/** An annotation (or other object) that belongs to an element, e.g. a link's annotation. */
export interface ObjrKid {
  kind: 'objr';
  obj: PdfRef;
  page?: number | undefined;
}

export interface StructElem {
  kind: 'elem';
  /** The object it was read from; written back under the same number. */
  ref?: PdfRef | undefined;
  /** Structure type, without the slash ("P", "Figure"). */
  type: string;
  kids: Kid[];
  /** Every other entry as raw PDF text (/Alt, /Lang, /ID, /A, /ActualText…), except /Type /S /P /K /Pg. */
  entries: PdfDict;
}

export type Kid = StructElem | McrKid | ObjrKid;

export interface StructTree {
  /** The StructTreeRoot object. */
  rootRef: PdfRef;
  /** Its entries other than /K, /ParentTree, /ParentTreeNextKey, /IDTree and /RoleMap (e.g. /ClassMap). */
  rootEntries: PdfDict;
  /** The root's elements (normally one Document). */
  kids: StructElem[];
  roleMap: Map<string, string>;
  /** Objects of the old tree that only the tree uses (elements, parent tree and ID tree nodes). */
  objects: Set<number>;
}

const name = (value: string | undefined): string | undefined => (value !== undefined && value.startsWith('/') ? value.slice(1) : undefined);

function resolve(pdf: PdfFile, value: string): string {
  const ref = parseRef(value);
  return ref ? objectValue(pdf, ref) : value;
}

/** Number tree and name tree nodes hold no element data; their objects are collected so the writer can drop them. */
function collectTreeNodes(pdf: PdfFile, value: string | undefined, into: Set<number>, depth = 0): void {
  if (value === undefined || depth > 32) return;
  const ref = parseRef(value);
  if (ref) into.add(ref.num);
  const text = resolve(pdf, value);
  if (!text.trimStart().startsWith('<<')) return;
  const dict = readDict(text, 0).dict;
  for (const key of ['/Nums', '/Names']) {
    const list = dict.get(key);
    if (list === undefined) continue;
    const items = arrayItems(resolve(pdf, list));
    for (let i = 1; i < items.length; i += 2) {
      // Parent tree values that are arrays of element references are objects of their own.
      const item = items[i] as string;
      const itemRef = parseRef(item);
      if (itemRef && key === '/Nums') {
        const body = objectValue(pdf, itemRef);
        if (body.trimStart().startsWith('[')) into.add(itemRef.num);
      }
    }
  }
  const kids = dict.get('/Kids');
  if (kids !== undefined) for (const kid of arrayItems(resolve(pdf, kids))) collectTreeNodes(pdf, kid, into, depth + 1);
}

/** Reads the structure tree the catalog points to; undefined when the file has none. */
export function readStructTree(pdf: PdfFile, catalog: PdfDict): StructTree | undefined {
  const rootRef = parseRef(catalog.get('/StructTreeRoot'));
  if (!rootRef) return undefined;
  const root = objectDict(pdf, rootRef).dict;
  const objects = new Set<number>([rootRef.num]);
  const roleMap = new Map<string, string>();
  const roleMapValue = root.get('/RoleMap');
  if (roleMapValue !== undefined) {
    const ref = parseRef(roleMapValue);
    if (ref) objects.add(ref.num);
    for (const [key, value] of readDict(resolve(pdf, roleMapValue), 0).dict) {
      const to = name(value);
      if (to) roleMap.set(key.slice(1), to);
    }
  }
  collectTreeNodes(pdf, root.get('/ParentTree'), objects);
  collectTreeNodes(pdf, root.get('/IDTree'), objects);

  const readKid = (value: string, parent: { page?: number | undefined }, depth: number): Kid | undefined => {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) {
      if (parent.page === undefined) throw new PdfUpdateError(`a marked-content reference ${trimmed} has no page`);
      return { kind: 'mcr', page: parent.page, mcid: Number(trimmed) };
    }
    const ref = parseRef(trimmed);
    if (ref) return readElem(ref, parent.page, depth + 1);
    if (!trimmed.startsWith('<<')) return undefined;
    const dict = readDict(trimmed, 0).dict;
    const type = name(dict.get('/Type'));
    const page = parseRef(dict.get('/Pg'))?.num ?? parent.page;
    if (type === 'MCR') {
      const mcid = dict.get('/MCID');
      if (dict.has('/Stm')) throw new PdfUpdateError('marked content in a form XObject is not supported');
      if (mcid === undefined || page === undefined) throw new PdfUpdateError('a marked-content reference without MCID or page');
      return { kind: 'mcr', page, mcid: Number(mcid) };
    }
    if (type === 'OBJR') {
      const obj = parseRef(dict.get('/Obj'));
      if (!obj) throw new PdfUpdateError('an object reference without /Obj');
      return { kind: 'objr', obj, page };
    }
    return undefined;
  };

  const seen = new Set<number>();
  const readElem = (ref: PdfRef, inheritedPage: number | undefined, depth: number): StructElem | undefined => {
    if (depth > 200) throw new PdfUpdateError('the structure tree is nested too deeply');
    if (seen.has(ref.num)) throw new PdfUpdateError(`the structure tree visits object ${ref.num} twice`);
    seen.add(ref.num);
    const dict = objectDict(pdf, ref).dict;
    const type = name(dict.get('/S'));
    if (type === undefined) return undefined;
    objects.add(ref.num);
    const page = parseRef(dict.get('/Pg'))?.num ?? inheritedPage;
    const elem: StructElem = { kind: 'elem', ref, type, kids: [], entries: new Map() };
    for (const [key, value] of dict) if (!['/Type', '/S', '/P', '/K', '/Pg'].includes(key)) elem.entries.set(key, value);
    const k = dict.get('/K');
    if (k !== undefined) {
      const text = k.trim();
      const items = text.startsWith('[') ? arrayItems(text) : [text];
      for (const item of items) {
        const kid = readKid(item, { page }, depth);
        if (kid) elem.kids.push(kid);
      }
    }
    return elem;
  };

  const kids: StructElem[] = [];
  const rootK = root.get('/K');
  if (rootK !== undefined) {
    const items = rootK.trim().startsWith('[') ? arrayItems(rootK) : [rootK];
    for (const item of items) {
      const ref = parseRef(item);
      const elem = ref ? readElem(ref, undefined, 0) : undefined;
      if (elem) kids.push(elem);
    }
  }
  const rootEntries: PdfDict = new Map();
  for (const [key, value] of root) if (!['/Type', '/K', '/ParentTree', '/ParentTreeNextKey', '/IDTree', '/RoleMap'].includes(key)) rootEntries.set(key, value);
  return { rootRef, rootEntries, kids, roleMap, objects };
}

/** What writing a tree needs to know about the file. */
export interface TreeWriteContext {
  /** Page object number → its /StructParents key. */
  pageKeys: ReadonlyMap<number, number>;
  /** Annotation object number → its /StructParent key. */
  objectKeys: ReadonlyMap<number, number>;
  /** Hands out a new object number. */
  allocate: () => PdfRef;
}

export interface WrittenTree {
  /** New versions of the root, the elements, the parent tree and the ID tree. */
  objects: Array<{ ref: PdfRef; body: string }>;
  /** Object numbers of the old tree that the new one no longer uses. */
  unused: number[];
  /** How many elements have an /ID. */
  ids: number;
}

/** The text of a PDF string's bytes for sorting name tree keys (byte order). */
function stringKey(value: string): string {
  const v = value.trim();
  if (v.startsWith('<')) return Buffer.from(v.slice(1, -1).replace(/\s/g, ''), 'hex').toString('latin1');
  return v.slice(1, -1);
}

/** Writes the tree as new objects: elements keep their old numbers, new elements get new ones. */
export function writeStructTree(tree: StructTree, context: TreeWriteContext): WrittenTree {
  const objects: Array<{ ref: PdfRef; body: string }> = [];
  const refs = new Map<StructElem, PdfRef>();
  const used = new Set<number>();
  const assign = (elem: StructElem): void => {
    let ref = elem.ref;
    if (!ref || used.has(ref.num)) ref = context.allocate();
    used.add(ref.num);
    refs.set(elem, ref);
    for (const kid of elem.kids) if (kid.kind === 'elem') assign(kid);
  };
  for (const kid of tree.kids) assign(kid);

  const parentTreeRef = context.allocate();
  // Parent tree: for each page key, MCID → element; for each annotation key, its element.
  const pageArrays = new Map<number, string[]>();
  const objectParents = new Map<number, PdfRef>();
  const ids: Array<[string, PdfRef]> = [];

  const write = (elem: StructElem, parent: PdfRef): void => {
    const ref = refs.get(elem) as PdfRef;
    const firstPage = elem.kids.find((kid): kid is McrKid => kid.kind === 'mcr')?.page;
    const k: string[] = [];
    for (const kid of elem.kids) {
      if (kid.kind === 'elem') {
        k.push(writeRef(refs.get(kid) as PdfRef));
        write(kid, ref);
      } else if (kid.kind === 'mcr') {
        k.push(kid.page === firstPage ? String(kid.mcid) : `<</Type /MCR /Pg ${kid.page} 0 R /MCID ${kid.mcid}>>`);
        const key = context.pageKeys.get(kid.page);
        if (key === undefined) throw new PdfUpdateError(`page ${kid.page} has marked content but no /StructParents`);
        let array = pageArrays.get(key);
        if (!array) pageArrays.set(key, (array = []));
        while (array.length <= kid.mcid) array.push('null');
        array[kid.mcid] = writeRef(ref);
      } else {
        k.push(`<</Type /OBJR /Obj ${writeRef(kid.obj)}${kid.page === undefined ? '' : ` /Pg ${kid.page} 0 R`}>>`);
        const key = context.objectKeys.get(kid.obj.num);
        if (key !== undefined) objectParents.set(key, ref);
      }
    }
    const dict: PdfDict = new Map([
      ['/Type', '/StructElem'],
      ['/S', `/${elem.type}`],
      ['/P', writeRef(parent)],
    ]);
    if (firstPage !== undefined) dict.set('/Pg', `${firstPage} 0 R`);
    if (k.length > 0) dict.set('/K', k.length === 1 ? (k[0] as string) : `[${k.join(' ')}]`);
    for (const [key, value] of elem.entries) dict.set(key, value);
    const id = elem.entries.get('/ID');
    if (id !== undefined) ids.push([id, ref]);
    objects.push({ ref, body: writeDict(dict) });
  };
  for (const kid of tree.kids) write(kid, tree.rootRef);

  const nums: string[] = [];
  const keys = [...new Set([...pageArrays.keys(), ...objectParents.keys()])].sort((a, b) => a - b);
  for (const key of keys) {
    const array = pageArrays.get(key);
    nums.push(String(key), array ? `[${array.join(' ')}]` : writeRef(objectParents.get(key) as PdfRef));
  }
  objects.push({ ref: parentTreeRef, body: `<</Nums [${nums.join('\n')}]>>` });
  const nextKey = Math.max(-1, ...context.pageKeys.values(), ...context.objectKeys.values()) + 1;

  const root: PdfDict = new Map([
    ['/Type', '/StructTreeRoot'],
    ['/K', tree.kids.length === 1 ? writeRef(refs.get(tree.kids[0] as StructElem) as PdfRef) : `[${tree.kids.map((kid) => writeRef(refs.get(kid) as PdfRef)).join(' ')}]`],
    ['/ParentTree', writeRef(parentTreeRef)],
    ['/ParentTreeNextKey', String(nextKey)],
  ]);
  if (ids.length > 0) {
    ids.sort((a, b) => {
      const x = stringKey(a[0]);
      const y = stringKey(b[0]);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    // One node: a name tree's root holds /Names itself, without /Limits.
    const idTreeRef = context.allocate();
    objects.push({ ref: idTreeRef, body: `<</Names [${ids.map(([id, ref]) => `${id} ${writeRef(ref)}`).join('\n')}]>>` });
    root.set('/IDTree', writeRef(idTreeRef));
  }
  if (tree.roleMap.size > 0) root.set('/RoleMap', `<<${[...tree.roleMap].map(([from, to]) => `/${from} /${to}`).join(' ')}>>`);
  for (const [key, value] of tree.rootEntries) root.set(key, value);
  objects.push({ ref: tree.rootRef, body: writeDict(root) });
  used.add(tree.rootRef.num);
  for (const { ref } of objects) used.add(ref.num);
  const unused = [...tree.objects].filter((num) => !used.has(num)).sort((a, b) => a - b);
  return { objects, unused, ids: ids.length };
}

/** A text string entry value for a structure element (/Alt, /ActualText, /Lang, /ID). */
export const textEntry = (text: string): string => writeText(text);

/** Whether a raw value is present and not an empty string. */
export function hasText(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  return !(v === '()' || v === '<>' || v === '<FEFF>' || v === '<feff>');
}

/** Depth-first walk over elements (parents before kids). */
export function* elements(kids: readonly Kid[]): Generator<StructElem> {
  for (const kid of kids) {
    if (kid.kind !== 'elem') continue;
    yield kid;
    yield* elements(kid.kids);
  }
}
