/**
 * Configuration: one zod schema gives defaults, validation, types and the
 * descriptions shown in `--help` and the README.
 * Precedence: defaults < imprint.config.* < front matter < command-line flags.
 */
import { z } from 'zod';

export const PAGE_SIZES = {
  A4: { width: '210mm', height: '297mm' },
  A5: { width: '148mm', height: '210mm' },
  B5: { width: '176mm', height: '250mm' },
  Letter: { width: '8.5in', height: '11in' },
} as const;

const length = z
  .string()
  .regex(/^\d+(\.\d+)?(mm|cm|in|pt|px)$/, 'a CSS length such as 18mm, 0.75in or 12pt');

export const configSchema = z
  .object({
    content: z.string().default('content').describe('Folder with the articles (*.md) to publish.'),
    out: z.string().default('output').describe('Folder the outputs are written to.'),
    formats: z
      .array(z.enum(['html', 'pdf', 'epub']))
      .default(['html', 'pdf', 'epub'])
      .describe('Formats to publish.'),
    theme: z.string().default('default').describe('Theme folder under templates/.'),
    offline: z.boolean().default(false).describe('Never use the network: images come from the cache only.'),
    concurrency: z.number().int().min(1).max(32).optional().describe('Documents rendered at once (default: number of cores).'),
    browserEndpoint: z.string().optional().describe('ws:// endpoint of a running Chrome to use instead of launching one.'),
    page: z
      .object({
        size: z
          .union([z.enum(['A4', 'A5', 'B5', 'Letter']), z.object({ width: length, height: length })])
          .default('A5')
          .describe('Page size: A4, A5, B5, Letter or { width, height }.'),
        margin: z
          .object({
            top: length.describe('Top margin (the running head sits in it).'),
            right: length.describe('Right (outer) margin.'),
            bottom: length.describe('Bottom margin (the page number sits in it).'),
            left: length.describe('Left (inner) margin.'),
          })
          .default({ top: '20mm', right: '16mm', bottom: '20mm', left: '16mm' })
          .describe('Page margins.'),
        bleed: length.optional().describe('Bleed added around the page for print (e.g. 3mm).'),
        cover: z.boolean().default(false).describe('Print a cover page before the article.'),
        colophon: z.boolean().default(true).describe('Print a colophon (rights and source) after the article.'),
      })
      .default({ size: 'A5', margin: { top: '20mm', right: '16mm', bottom: '20mm', left: '16mm' }, cover: false, colophon: true })
      .describe('Print page geometry.'),
    images: z
      .object({
        fetch: z.boolean().default(true).describe('Download remote images (false: use the cache only).'),
        allowHosts: z
          .array(z.string())
          .default([])
          .describe('Hosts or IPs allowed even though they are private, loopback or link-local.'),
        timeoutMs: z.number().int().positive().default(10000).describe('Total time allowed for one image download.'),
        connectTimeoutMs: z.number().int().positive().default(3000).describe('Time allowed to connect.'),
        budgetMs: z.number().int().positive().default(30000).describe('Total time for all downloads of a run.'),
        maxBytes: z.number().int().positive().default(20 * 1024 * 1024).describe('Largest image accepted, in bytes.'),
        maxRedirects: z.number().int().min(0).max(20).default(5).describe('Redirects followed per image.'),
        concurrency: z.number().int().min(1).max(32).default(6).describe('Downloads at once.'),
        maxScreenWidth: z.number().int().positive().default(1600).describe('Images wider than this are scaled down for HTML and EPUB.'),
      })
      .default({
        fetch: true,
        allowHosts: [],
        timeoutMs: 10000,
        connectTimeoutMs: 3000,
        budgetMs: 30000,
        maxBytes: 20 * 1024 * 1024,
        maxRedirects: 5,
        concurrency: 6,
        maxScreenWidth: 1600,
      })
      .describe('Image resolution.'),
    html: z
      .object({
        selfContained: z.boolean().default(true).describe('Embed images as data: URIs (false: write an assets folder).'),
        allowRawHtml: z.boolean().default(false).describe('Keep (sanitized) raw HTML from the Markdown.'),
      })
      .default({ selfContained: true, allowRawHtml: false })
      .describe('HTML output.'),
    epub: z
      .object({
        embedFonts: z.boolean().default(false).describe('Embed a subset of the CJK font in the EPUB.'),
      })
      .default({ embedFonts: false })
      .describe('EPUB output.'),
    limits: z
      .object({
        maxInputBytes: z.number().int().positive().default(2 * 1024 * 1024).describe('Largest Markdown file accepted.'),
        maxImages: z.number().int().positive().default(500).describe('Most images per document.'),
        maxNotes: z.number().int().positive().default(1000).describe('Most notes per document.'),
        maxDepth: z.number().int().positive().default(100).describe('Deepest nesting of blocks.'),
        timeBudgetMs: z.number().int().positive().default(120000).describe('Time allowed per document.'),
      })
      .default({ maxInputBytes: 2 * 1024 * 1024, maxImages: 500, maxNotes: 1000, maxDepth: 100, timeBudgetMs: 120000 })
      .describe('Limits for untrusted input.'),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type UserConfig = z.input<typeof configSchema>;

/** Typed helper for imprint.config.ts / .js. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

export function resolveConfig(input: UserConfig = {}): Config {
  return configSchema.parse(input);
}

/** Page size as CSS width/height. */
export function pageDimensions(config: Config): { width: string; height: string } {
  const size = config.page.size;
  return typeof size === 'string' ? PAGE_SIZES[size] : size;
}
