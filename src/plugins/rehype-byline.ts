/**
 * Recognises a byline at the start of the article — 【文/<publisher> <author>】,
 * 【文/<author>】, 文｜…, 作者：…, By … — records author and publisher in
 * `file.data.meta`, and styles it as `<p class="byline">` with
 * `<span class="publisher">` / `<span class="author">`. When the byline opens
 * a longer paragraph, it is split off and stands before that paragraph.
 */
import type { Element, ElementContent, Root, Text } from 'hast';
import type { VFile } from 'vfile';
import { firstChar, lastChar, separator } from './lib/cjk.js';
import { isElement, isWhitespaceText, text } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

export interface BylineOptions {
  /** How many leading paragraphs are searched. */
  maxParagraphs?: number;
  /** Longest byline (characters) for the unbracketed forms. */
  maxLength?: number;
}

interface Match {
  /** Length of the byline at the start of the paragraph's first text. */
  length: number;
  /** Text of the byline as parts: literal text and names. */
  parts: Array<{ kind: 'text' | 'author' | 'publisher'; value: string }>;
  author?: string;
  publisher?: string;
}

const PUBLISHER_SUFFIX =
  /(?:网|報|报|社|台|刊|志|新闻|新聞|媒体|媒體|传媒|傳媒|频道|頻道|周刊|週刊|日报|日報|时报|時報|晚报|晚報|杂志|雜誌|通讯|通訊|News|Media|Times|Post|Press|Daily)$/i;
const ROLE_SUFFIX = /(?:特约记者|特約記者|实习记者|記者|记者|专栏作者|專欄作者|特约撰稿人|特約撰稿人|撰稿人|编辑|編輯|评论员|評論員|研究员|研究員)$/;

export default function rehypeByline(options: BylineOptions = {}) {
  const maxParagraphs = options.maxParagraphs ?? 3;
  const maxLength = options.maxLength ?? 60;
  return (tree: Root, file: VFile): void => {
    let seen = 0;
    for (let index = 0; index < tree.children.length && seen < maxParagraphs; index++) {
      const node = tree.children[index];
      if (!isElement(node)) continue;
      if (node.tagName !== 'p') {
        if (/^h[1-6]$/.test(node.tagName)) continue;
        break;
      }
      seen++;
      const first = node.children[0];
      if (first?.type !== 'text') continue;
      const whole = node.children.length === 1;
      const match = matchByline(first.value, whole, maxLength);
      if (!match) continue;

      const byline: Element = {
        type: 'element',
        tagName: 'p',
        properties: { className: ['byline'] },
        children: renderParts(match.parts),
      };
      const rest = first.value.slice(match.length).replace(/^\s+/, '');
      const restChildren: ElementContent[] = rest ? [{ ...first, value: rest }, ...node.children.slice(1)] : node.children.slice(1);
      const hasRest = restChildren.some((child) => !isWhitespaceText(child));
      if (node.position) byline.position = node.position;
      tree.children.splice(index, 1, ...(hasRest ? [byline, text('\n'), { ...node, children: restChildren }] : [byline]));

      const meta = (file.data.meta ??= {});
      if (match.author) meta.author = match.author;
      if (match.publisher) meta.publisher = match.publisher;
      const who = [match.author && `author “${match.author}”`, match.publisher && `publisher “${match.publisher}”`].filter(Boolean).join(', ');
      diagnose(file, 'byline', `Recognised a byline (${who})${hasRest ? ' and split it from its paragraph' : ''}`, first.position ?? node.position);
      return;
    }
  };
}

/** Matches a byline at the start of `value`. */
export function matchByline(value: string, whole: boolean, maxLength: number): Match | undefined {
  // 【文/观察者网 熊超然】, [作者：张三], 【文｜李四】
  const bracket = /^([【\[［〔]\s*(?:文|作者|撰文|文字|記者|记者|文字记者|编译|編譯)\s*[/／|｜:：]\s*)([^】\]］〕\n]+(?:\n[^】\]］〕\n]+)*?)(\s*[】\]］〕])/.exec(value);
  if (bracket) {
    const [all, open = '', names = '', close = ''] = bracket;
    return chineseNames(all.length, open, names, close.trim());
  }
  // 文｜张三 / 作者：张三 / 文/观察者网 张三 — on its own (short) paragraph or line.
  const plain = /^((?:文|作者|撰文|文字|記者|记者)\s*[/／|｜:：]\s*)([^\n。！？]+(?:\n[^\n。！？]+)?)/.exec(value);
  if (plain) {
    const [, open = ''] = plain;
    let names = plain[2] ?? '';
    if (!whole || names.length + open.length < value.trimEnd().length) {
      // Only the first line is the byline when more text follows.
      names = names.split('\n')[0] ?? '';
    }
    names = names.trimEnd();
    if (names.length > 0 && names.length <= maxLength && !/[，,；;]/.test(names)) {
      return chineseNames(open.length + names.length, open, names, '');
    }
  }
  // By Jane Doe / By Jane Doe, Reuters / BY JANE DOE | The Times
  const by = /^(By|BY|by)\s+([^\n]+(?:\n[^\n]+)?)/.exec(value);
  if (by && whole) {
    const body = (by[2] ?? '').replace(/\s*\n\s*/g, ' ').trim();
    if (body.length > 0 && body.length <= maxLength * 2 && value.trim().length === by[0].trim().length && !/[.!?]$/.test(body.replace(/\b[A-Z]\.$/, ''))) {
      const split = /^(.+?)(\s*(?:,|\||·|—|–|\bfor\b)\s*)(.+)$/.exec(body);
      const author = (split ? split[1] : body)?.trim() ?? body;
      const publisher = split?.[3]?.trim();
      const parts: Match['parts'] = [
        { kind: 'text', value: `${by[1]} ` },
        { kind: 'author', value: author },
      ];
      if (publisher && split) parts.push({ kind: 'text', value: split[2] ?? ', ' }, { kind: 'publisher', value: publisher });
      return { length: by[0].length, parts, author, ...(publisher ? { publisher } : {}) };
    }
  }
  return undefined;
}

function chineseNames(length: number, open: string, names: string, close: string): Match | undefined {
  const tokens = names.split(/[\s\u3000]+/).filter(Boolean);
  if (tokens.length === 0) return undefined;
  const parts: Match['parts'] = [{ kind: 'text', value: open.replace(/\s+/g, '') }];
  let publisher: string | undefined;
  let authors = tokens;
  const head = tokens[0] ?? '';
  if (tokens.length >= 2 && PUBLISHER_SUFFIX.test(head.replace(ROLE_SUFFIX, ''))) {
    publisher = head.replace(ROLE_SUFFIX, '') || head;
    authors = tokens.slice(1);
    parts.push({ kind: 'publisher', value: head }, { kind: 'text', value: ' ' });
  }
  authors.forEach((name, i) => {
    if (i > 0) parts.push({ kind: 'text', value: ' ' });
    parts.push({ kind: 'author', value: name });
  });
  if (close) parts.push({ kind: 'text', value: close });
  const author = authors.join('、');
  return { length, parts, author, ...(publisher ? { publisher } : {}) };
}

/**
 * Parts → hast. The space between two names (or a publisher and a name) is a real separator: an
 * ideographic space between CJK names, a space between Latin ones, so the text keeps it.
 */
function renderParts(parts: Match['parts']): ElementContent[] {
  const out: ElementContent[] = [];
  parts.forEach((part, i) => {
    if (part.kind === 'text') {
      let value = part.value;
      if (value.trim() === '' && value !== '') {
        value = separator(lastChar(parts[i - 1]?.value ?? ''), firstChar(parts[i + 1]?.value ?? ''));
      }
      if (value) out.push(text(value) satisfies Text);
      return;
    }
    out.push({ type: 'element', tagName: 'span', properties: { className: [part.kind] }, children: [text(part.value)] });
  });
  return out;
}
