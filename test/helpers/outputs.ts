/**
 * Publishing a fixture project with the real `imprint` bin and reading its three outputs the way a
 * reader's tools do: the HTML as text, the PDF through pdftotext and qpdf (its link annotations),
 * the EPUB by unzipping the archive.
 */
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { fixturesDir } from './paths.js';
import { pdftext, runCli, tool, type CliResult } from './tools.js';

export interface Project {
  dir: string;
  run: CliResult;
  /** Removes the project. */
  remove(): Promise<void>;
}

/**
 * Copies test/fixtures/<fixture>/ (its content/ folder and any config) to a fresh folder and
 * runs `imprint publish <args>` there.
 */
export async function publishFixture(fixture: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Project> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `imprint-${fixture.replace(/\W+/g, '-')}-`));
  await cp(path.join(fixturesDir, fixture), dir, { recursive: true });
  const run = await runCli(['publish', ...args], { cwd: dir, env });
  return { dir, run, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The files of the output folder, sorted. */
export async function outputFiles(dir: string, out = 'output'): Promise<string[]> {
  return (await readdir(path.join(dir, out)).catch(() => [] as string[])).sort();
}

/** A PDF link as a viewer follows it (qpdf's view of the final revision). */
export interface PdfLink {
  /** /URI of a URI action. */
  uri?: string;
  /** /F of a GoToR action (another PDF file). */
  file?: string;
  /** The action type without its slash: URI, GoTo, GoToR; undefined for a link without an action. */
  action?: string;
}

type Json = Record<string, unknown>;

/** A qpdf JSON v2 string ("u:text" or "b:hex") as text. */
function qpdfString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('u:')) return value.slice(2);
  if (value.startsWith('b:')) return Buffer.from(value.slice(2), 'hex').toString('latin1');
  return value;
}

/** Every link annotation of the PDF, in object order. */
export async function pdfLinks(file: string): Promise<PdfLink[]> {
  const json = JSON.parse(await tool('qpdf', ['--json=2', '--json-key=qpdf', file])) as Json;
  const objects = (json['qpdf'] as [unknown, Record<string, { value?: unknown }>])[1];
  const links: PdfLink[] = [];
  const deref = (value: unknown): Json | undefined => {
    if (typeof value === 'string' && / R$/.test(value)) return objects[`obj:${value}`]?.value as Json | undefined;
    return value && typeof value === 'object' ? (value as Json) : undefined;
  };
  for (const entry of Object.values(objects)) {
    const dict = entry.value as Json | undefined;
    if (!dict || typeof dict !== 'object' || dict['/Subtype'] !== '/Link') continue;
    const action = deref(dict['/A']);
    const link: PdfLink = {};
    if (action) {
      link.action = String(action['/S'] ?? '').replace(/^\//, '');
      const uri = qpdfString(action['/URI']);
      if (uri !== undefined) link.uri = uri;
      const spec = action['/F'];
      const target = spec && typeof spec === 'object' ? qpdfString((spec as Json)['/UF'] ?? (spec as Json)['/F']) : qpdfString(spec);
      if (target !== undefined) link.file = target;
    }
    links.push(link);
  }
  return links;
}

export interface Outputs {
  html: string;
  /** pdftotext of the whole PDF. */
  pdfText: string;
  pdfLinks: PdfLink[];
  /** The PDF's bytes as latin1 text (every revision, streams still compressed). */
  pdfRaw: string;
  /** The EPUB's entries by path, as text. */
  epub: Map<string, string>;
}

/** The EPUB's entries as text (images included, as latin1). */
export async function epubEntries(file: string): Promise<Map<string, string>> {
  const zip = unzipSync(new Uint8Array(await readFile(file)));
  return new Map(Object.entries(zip).map(([name, bytes]) => [name, /\.(xhtml|opf|ncx|css|xml)$/.test(name) ? strFromU8(bytes) : Buffer.from(bytes).toString('latin1')]));
}

/** The three outputs of `name` in `dir`/output. */
export async function readOutputs(dir: string, name: string, out = 'output'): Promise<Outputs> {
  const base = path.join(dir, out, name);
  const [html, pdfText, links, raw, epub] = await Promise.all([
    readFile(`${base}.html`, 'utf8'),
    pdftext(`${base}.pdf`),
    pdfLinks(`${base}.pdf`),
    readFile(`${base}.pdf`),
    epubEntries(`${base}.epub`),
  ]);
  return { html, pdfText, pdfLinks: links, pdfRaw: raw.toString('latin1'), epub };
}

/** Every href of <a> elements in HTML or XHTML text. */
export function hrefs(markup: string): string[] {
  return [...markup.matchAll(/<a\b[^>]*?\shref="([^"]*)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&'));
}

/** Whitespace removed: pdftotext breaks lines (and CJK text) where the page did. */
export const squash = (text: string): string => text.replace(/\s+/g, '');

/** The text of HTML or XHTML markup: tags dropped, the usual entities decoded. */
export function markupText(markup: string): string {
  return markup
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '');
}

/** A figure as the PDF's structure tree holds it: the alt texts of its images and whether it has a caption. */
export interface PdfFigure {
  alts: string[];
  caption: boolean;
}

/**
 * The figures of a tagged PDF in reading order (qpdf's view of the structure tree): an element
 * (a Div or a Figure) holding image Figures and a Caption, or image Figures only, is one figure;
 * an image Figure on its own is one too.
 */
export async function pdfFigures(file: string): Promise<PdfFigure[]> {
  const json = JSON.parse(await tool('qpdf', ['--json=2', '--json-key=qpdf', file])) as Json;
  const objects = (json['qpdf'] as [unknown, Record<string, { value?: unknown }>])[1];
  const element = (ref: unknown): Json | undefined => {
    const value = typeof ref === 'string' ? (objects[`obj:${ref}`]?.value as Json | undefined) : undefined;
    return value?.['/Type'] === '/StructElem' ? value : undefined;
  };
  const kids = (node: Json): Json[] => {
    const k = node['/K'];
    return (Array.isArray(k) ? k : [k]).map(element).filter((child): child is Json => child !== undefined);
  };
  const root = Object.values(objects).find((entry) => (entry.value as Json | undefined)?.['/Type'] === '/StructTreeRoot')?.value as Json | undefined;
  const figures: PdfFigure[] = [];
  const walk = (node: Json): void => {
    const children = kids(node);
    const inner = children.filter((child) => child['/S'] === '/Figure');
    const caption = children.some((child) => child['/S'] === '/Caption');
    const group = inner.length > 0 && children.every((child) => child['/S'] === '/Figure' || child['/S'] === '/Caption');
    if (node['/S'] === '/Figure' || group) {
      const alts = (inner.length > 0 ? inner : [node]).map((figure) => qpdfString(figure['/Alt']) ?? '');
      figures.push({ alts, caption });
      return;
    }
    for (const child of children) walk(child);
  };
  if (root) for (const child of kids(root)) walk(child);
  return figures;
}
