/** What the preview knows about each article, shown on its pages and sent to the browser. */
import type { Format } from '../model.js';
import type { Diagnostic } from '../diagnostics/report.js';

export interface PreviewOutput {
  format: Format;
  /** File name inside the output folder, e.g. article.pdf. */
  file: string;
  bytes: number;
  pages?: number;
}

export interface ArticleState {
  name: string;
  /** The Markdown file as shown to the user, e.g. content/article.md. */
  source: string;
  /** Absolute path of the Markdown file. */
  path: string;
  status: 'pending' | 'ok' | 'failed';
  error?: string;
  diagnostics: Diagnostic[];
  outputs: PreviewOutput[];
  /** Build number of the last build of this article. */
  version: number;
  ms?: number;
}

export interface PreviewState {
  articles: Map<string, ArticleState>;
  /** Formats of the current configuration. */
  formats: Format[];
  /** Absolute output folder. */
  outDir: string;
  /** The current config problem (the previous configuration is kept meanwhile). */
  configError?: string | undefined;
  building: boolean;
  version: number;
}
