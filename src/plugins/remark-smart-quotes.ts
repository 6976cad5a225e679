/**
 * Curly quotes and apostrophes (and … — –) in English text, with remark-smartypants: "it's" →
 * “it’s”. Applied block by block (paragraphs, headings, table cells, and the title and subtitle
 * when they are English) to blocks whose text is Latin-script English:
 *
 * - in an English article, every block not mostly CJK;
 * - in a CJK article, only blocks with no CJK character at all (an English quotation): straight
 *   quotes that an author typed in Chinese or Japanese text are left to the author, as are 「」;
 * - never in an article in another Latin-script language (German, French … quote differently).
 *
 * Code (inline and blocks) is never touched, nor is the text of a link that spells out its URL.
 */
import type { Heading, Paragraph, Root, RootContent, TableCell } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkSmartypants from 'remark-smartypants';
import type { VFile } from 'vfile';
import { isWide } from './lib/cjk.js';
import { detectLang } from './lib/detect-lang.js';

type Block = Paragraph | Heading | TableCell;
type Transformer = (tree: Root) => void;

const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);
const URL_TEXT = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)/i;

const hasWide = (value: string): boolean => [...value].some((char) => isWide(char));

/** English, by the article's declared language or (undeclared) its text. */
function articleLanguage(tree: Root, file: VFile): 'en' | 'cjk' | 'other' {
  const declared = file.data.frontMatter?.lang ?? detectLang(`${file.data.meta?.title ?? ''}\n${toString(tree)}`);
  const primary = declared.toLowerCase().split(/[-_]/)[0] ?? '';
  if (primary === 'en') return 'en';
  if (['zh', 'ja', 'ko', 'yue', 'cmn'].includes(primary)) return 'cjk';
  return 'other';
}

export default function remarkSmartQuotes() {
  const smarten = (remarkSmartypants as unknown as () => Transformer)();
  return (tree: Root, file: VFile): void => {
    const language = articleLanguage(tree, file);
    if (language === 'other') return;
    const english = (value: string): boolean => (language === 'en' ? detectLang(value) === 'en' : !hasWide(value));

    const visit = (nodes: RootContent[]): void => {
      for (const node of nodes) {
        if (BLOCKS.has(node.type)) {
          const block = node as Block;
          if (english(toString(block))) smartenBlock(block, smarten);
        } else if ('children' in node) visit(node.children as RootContent[]);
      }
    };
    visit(tree.children);

    // The title and subtitle are printed from the metadata (front matter's or the leading heading's):
    // typed in YAML with straight quotes, they are set like the text.
    for (const record of [file.data.frontMatter, file.data.meta]) {
      if (!record) continue;
      for (const key of ['title', 'subtitle'] as const) {
        const value = record[key];
        if (typeof value === 'string' && english(value)) record[key] = smartenString(value, smarten);
      }
    }
  };
}

/** Smartens one block; the text of links that spell out their URL is hidden from it as code. */
function smartenBlock(block: Block, smarten: Transformer): void {
  const hidden: Array<{ node: { type: string }; type: string }> = [];
  const hide = (nodes: RootContent[]): void => {
    for (const node of nodes) {
      if (node.type === 'link' && URL_TEXT.test(toString(node))) {
        for (const child of node.children) {
          hidden.push({ node: child, type: child.type });
          (child as { type: string }).type = 'inlineCode';
        }
      } else if ('children' in node) hide(node.children as RootContent[]);
    }
  };
  hide(block.children as RootContent[]);
  smarten({ type: 'root', children: [block] });
  for (const { node, type } of hidden) node.type = type;
}

function smartenString(value: string, smarten: Transformer): string {
  const paragraph: Paragraph = { type: 'paragraph', children: [{ type: 'text', value }] };
  smarten({ type: 'root', children: [paragraph] });
  return toString(paragraph);
}
