/**
 * Recognises a closing rights notice (本文系…稿件，未经授权，不得转载。,
 * © … All rights reserved.) among the last paragraphs, records it as
 * `file.data.meta.rights` and styles it as `<p class="rights">` (plain text,
 * without the bold markers).
 */
import type { Element, Root } from 'hast';
import type { VFile } from 'vfile';
import { isElement, plainText, significant, text } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

export interface RightsNoticeOptions {
  /** How many closing blocks are searched. */
  lastBlocks?: number;
  /** Longest notice, in characters. */
  maxLength?: number;
  /** Patterns that make a paragraph a rights notice. */
  patterns?: readonly RegExp[];
}

export const RIGHTS_PATTERNS: readonly RegExp[] = [
  /未经(?:授权|許可|许可|授權|同意)/,
  /(?:不得|禁止|谢绝|謝絕|严禁|嚴禁)(?:任何)?(?:形式的)?(?:转载|轉載|转发|複製|复制)/,
  /转载(?:请|須|须)?(?:注明|联系)/,
  /版权(?:所有|归)|版權(?:所有|歸)/,
  /本文(?:系|为|為|是).{0,20}(?:独家|獨家|原创|原創)?(?:稿件|文章|作品)/,
  /無断転載|無断複製|転載を禁じ/,
  /무단\s*전재|재배포\s*금지/,
  /all rights reserved/i,
  /^(?:©|\(c\)|copyright\b)/i,
  /\bmay not be (?:re)?(?:published|reproduced|redistributed)/i,
];

export default function rehypeRightsNotice(options: RightsNoticeOptions = {}) {
  const lastBlocks = options.lastBlocks ?? 3;
  const maxLength = options.maxLength ?? 200;
  const patterns = options.patterns ?? RIGHTS_PATTERNS;
  return (tree: Root, file: VFile): void => {
    const blocks = tree.children.filter((node) => isElement(node));
    for (const block of blocks.slice(-lastBlocks).reverse()) {
      if (block.tagName !== 'p') continue;
      const value = plainText(block);
      if (value.length === 0 || value.length > maxLength || !patterns.some((pattern) => pattern.test(value))) continue;
      const bold = isBoldOnly(block);
      block.properties = { ...block.properties, className: ['rights'] };
      block.children = [text(value)];
      const meta = (file.data.meta ??= {});
      meta.rights = value;
      diagnose(file, 'rights-notice', `Recognised the rights notice${bold ? ' (bold removed)' : ''}`, block.position);
      return;
    }
  };
}

function isBoldOnly(block: Element): boolean {
  const children = significant(block.children);
  return children.length === 1 && isElement(children[0]) && (children[0].tagName === 'strong' || children[0].tagName === 'b');
}
