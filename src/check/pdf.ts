/**
 * Checks a PDF the way a print shop or an accessibility review would, by reading its objects
 * with pdf-lib (no external tools): every font embedded and none Type 3, a title and a
 * language in the metadata, a tagged structure (MarkInfo /Marked true + StructTreeRoot), and the
 * structure and content rules of PDF/UA-1 that a machine can check (src/check/pdf-ua.ts).
 */
import { readFile } from 'node:fs/promises';
import { PDFBool, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject } from 'pdf-lib';
import { severityOf, type RuleIdOf } from '../diagnostics/rules.js';
import { checkPdfUa, type PdfUaFacts } from './pdf-ua.js';

/**
 * A rule of `imprint check`: one of Imprint's rules, an epubcheck message id (`epubcheck-RSC-005`),
 * or a rule of Ace by DAISY or axe-core (`ace-color-contrast`, `axe-landmark-one-main`).
 */
export type CheckRuleId = RuleIdOf<'error' | 'warning'> | `epubcheck-${string}` | `ace-${string}` | `axe-${string}`;

export interface CheckProblem {
  severity: 'error' | 'warning';
  reason: string;
  ruleId: CheckRuleId;
}

/** A problem of one of Imprint's rules, with the rule's severity. */
export function checkProblem(ruleId: RuleIdOf<'error' | 'warning'>, reason: string): CheckProblem {
  return { severity: severityOf(ruleId), reason, ruleId };
}

export interface PdfFacts {
  pages: number;
  title?: string;
  lang?: string;
  tagged: boolean;
  fonts: Array<{ name: string; subtype: string; embedded: boolean }>;
  /** What the PDF/UA check found (when the PDF is tagged). */
  structure?: PdfUaFacts;
}

export interface PdfCheck {
  facts?: PdfFacts;
  problems: CheckProblem[];
}

const name = (value: string): PDFName => PDFName.of(value);

function text(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  if (value instanceof PDFName) return value.decodeText();
  return undefined;
}

/** Font dictionaries: every indirect object of /Type /Font, and direct ones in page resources. */
function fontDicts(doc: PDFDocument): PDFDict[] {
  const seen = new Set<PDFDict>();
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(name('Type')) === name('Font')) seen.add(object);
  }
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(name('Font'), PDFDict);
    if (!fonts) continue;
    for (const [, value] of fonts.entries()) {
      const dict = doc.context.lookup(value);
      if (dict instanceof PDFDict) seen.add(dict);
    }
  }
  return [...seen];
}

function fontFacts(doc: PDFDocument, font: PDFDict): { name: string; subtype: string; embedded: boolean } | undefined {
  const subtype = text(font.get(name('Subtype'))) ?? 'unknown';
  const fontName = text(font.get(name('BaseFont'))) ?? text(font.get(name('Name'))) ?? '(unnamed)';
  // A Type0 font is embedded through its descendant, which is listed on its own.
  if (subtype === 'Type0') return undefined;
  if (subtype === 'Type3') return { name: fontName, subtype, embedded: true };
  const descriptor = doc.context.lookup(font.get(name('FontDescriptor')));
  const embedded =
    descriptor instanceof PDFDict &&
    ['FontFile', 'FontFile2', 'FontFile3'].some((key) => descriptor.get(name(key)) !== undefined);
  return { name: fontName, subtype, embedded };
}

export async function checkPdf(file: string): Promise<PdfCheck> {
  const problems: CheckProblem[] = [];
  let doc: PDFDocument;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, throwOnInvalidObject: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
    return { problems: [checkProblem('pdf-invalid', `not a readable PDF (${reason})`)] };
  }
  const catalog = doc.catalog;
  const fonts = fontDicts(doc)
    .map((font) => fontFacts(doc, font))
    .filter((f): f is NonNullable<typeof f> => f !== undefined);
  for (const font of fonts) {
    if (font.subtype === 'Type3') {
      problems.push(checkProblem('pdf-font-type3', `font ${font.name} is a Type 3 font (bitmap or vector outlines, not real text)`));
    } else if (!font.embedded) {
      problems.push(checkProblem('pdf-font-not-embedded', `font ${font.name} (${font.subtype}) is not embedded`));
    }
  }
  const title = doc.getTitle()?.trim();
  if (!title) problems.push(checkProblem('pdf-no-title', 'the PDF has no title in its metadata'));
  const lang = text(catalog.lookup(name('Lang')))?.trim();
  if (!lang) problems.push(checkProblem('pdf-no-lang', 'the PDF declares no language (/Lang)'));
  const markInfo = catalog.lookupMaybe(name('MarkInfo'), PDFDict);
  const marked = markInfo?.get(name('Marked')) === PDFBool.True;
  const structTree = catalog.get(name('StructTreeRoot')) !== undefined;
  const tagged = marked && structTree;
  if (!tagged) {
    problems.push(
      checkProblem('pdf-not-tagged', `the PDF is not tagged (${!structTree ? 'no structure tree' : 'MarkInfo /Marked is not true'}): screen readers and reflow cannot use it`),
    );
  }
  const facts: PdfFacts = { pages: doc.getPageCount(), tagged, fonts };
  if (tagged) {
    const ua = await checkPdfUa(doc, bytes);
    facts.structure = ua.facts;
    problems.push(...ua.problems);
  }
  if (title) facts.title = title;
  if (lang) facts.lang = lang;
  return { facts, problems };
}
