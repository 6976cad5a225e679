/**
 * Sets `file.data.meta.lang`: the front-matter `lang` when there is one,
 * otherwise the language detected from the article's text (and title).
 */
import type { Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { VFile } from 'vfile';
import { detectLang } from './lib/detect-lang.js';

export interface DetectLangOptions {
  /** Detector (text → BCP 47 tag). */
  detect?: (value: string) => string;
}

export default function rehypeDetectLang(options: DetectLangOptions = {}) {
  const detect = options.detect ?? detectLang;
  return (tree: Root, file: VFile): void => {
    const meta = (file.data.meta ??= {});
    const declared = file.data.frontMatter?.lang;
    if (declared) {
      meta.lang = declared;
      return;
    }
    meta.lang = detect(`${meta.title ?? ''}\n${toString(tree)}`);
  };
}
