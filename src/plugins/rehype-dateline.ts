/**
 * The article's date from its dateline, when the front matter gives none: a short line near the
 * start (or at the very end) that states a date with its year — "2023-11-16 07:32:31 来源：观察者网",
 * "发布时间：2023年11月15日", "Published November 15, 2023" (see lib/dates.ts for what counts). The
 * line stays in the text; the date goes to `file.data.meta.date`, the one date every output shows.
 * A date the article's text only talks about is never taken, nor one without its year.
 */
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import { datelineDate } from './lib/dates.js';
import { isElement, readableText } from './lib/hast.js';
import { diagnose } from '../diagnostics/rules.js';

export interface DatelineOptions {
  /** How many paragraphs at the start are searched (the last two are searched too). */
  leading?: number;
}

export default function rehypeDateline(options: DatelineOptions = {}) {
  const leading = options.leading ?? 4;
  return (tree: Root, file: VFile): void => {
    if (file.data.frontMatter?.date !== undefined || file.data.meta?.date !== undefined) return;
    const paragraphs = tree.children.filter((node) => isElement(node, 'p'));
    const candidates = [...paragraphs.slice(0, leading), ...paragraphs.slice(Math.max(leading, paragraphs.length - 2))];
    for (const paragraph of candidates) {
      const date = datelineDate(readableText(paragraph));
      if (date === undefined) continue;
      file.data.meta = { ...file.data.meta, date };
      diagnose(file, 'date-from-text', `Took the article’s date ${date} from its dateline`, paragraph.position);
      return;
    }
  };
}
