/**
 * Configuration: one zod schema gives validation, types and the structure shown in `--help`,
 * `imprint config` and docs/cli.md; its defaults and descriptions are plain data in
 * config-defaults.ts (the command line reads them there without loading zod).
 * Precedence: defaults < imprint.config.* < front matter < command-line flags.
 */
import { z } from 'zod';
import { CONFIG_DESCRIPTIONS as d, CSS_LENGTH, PAGE_SIZES, schemaDefaults } from './defaults.js';

export { PAGE_SIZES };

const defaults = schemaDefaults();

const length = z.string().regex(CSS_LENGTH, 'a CSS length such as 18mm, 0.75in or 12pt');

export const configSchema = z
  .object({
    content: z.string().default(defaults.content).describe(d.content),
    out: z.string().default(defaults.out).describe(d.out),
    formats: z
      .array(z.enum(['html', 'pdf', 'epub']))
      .default(defaults.formats)
      .describe(d.formats),
    theme: z.string().default(defaults.theme).describe(d.theme),
    offline: z.boolean().default(defaults.offline).describe(d.offline),
    concurrency: z.number().int().min(1).max(32).optional().describe(d.concurrency),
    browserEndpoint: z.string().optional().describe(d.browserEndpoint),
    page: z
      .object({
        size: z
          .union([z.enum(['A4', 'A5', 'B5', 'Letter']), z.object({ width: length, height: length })])
          .default(defaults.page.size)
          .describe(d['page.size']),
        margin: z
          .object({
            top: length.describe(d['page.margin.top']),
            right: length.describe(d['page.margin.right']),
            bottom: length.describe(d['page.margin.bottom']),
            left: length.describe(d['page.margin.left']),
          })
          .default(defaults.page.margin)
          .describe(d['page.margin']),
        bleed: length.optional().describe(d['page.bleed']),
        cover: z.boolean().default(defaults.page.cover).describe(d['page.cover']),
        colophon: z.boolean().default(defaults.page.colophon).describe(d['page.colophon']),
      })
      .default(defaults.page)
      .describe(d.page),
    images: z
      .object({
        fetch: z.boolean().default(defaults.images.fetch).describe(d['images.fetch']),
        allowHosts: z.array(z.string()).default(defaults.images.allowHosts).describe(d['images.allowHosts']),
        timeoutMs: z.number().int().positive().default(defaults.images.timeoutMs).describe(d['images.timeoutMs']),
        connectTimeoutMs: z.number().int().positive().default(defaults.images.connectTimeoutMs).describe(d['images.connectTimeoutMs']),
        budgetMs: z.number().int().positive().default(defaults.images.budgetMs).describe(d['images.budgetMs']),
        maxBytes: z.number().int().positive().default(defaults.images.maxBytes).describe(d['images.maxBytes']),
        maxRedirects: z.number().int().min(0).max(20).default(defaults.images.maxRedirects).describe(d['images.maxRedirects']),
        concurrency: z.number().int().min(1).max(32).default(defaults.images.concurrency).describe(d['images.concurrency']),
        maxScreenWidth: z.number().int().positive().default(defaults.images.maxScreenWidth).describe(d['images.maxScreenWidth']),
      })
      .default(defaults.images)
      .describe(d.images),
    html: z
      .object({
        selfContained: z.boolean().default(defaults.html.selfContained).describe(d['html.selfContained']),
        allowRawHtml: z.boolean().default(defaults.html.allowRawHtml).describe(d['html.allowRawHtml']),
      })
      .default(defaults.html)
      .describe(d.html),
    epub: z
      .object({
        embedFonts: z.boolean().default(defaults.epub.embedFonts).describe(d['epub.embedFonts']),
      })
      .default(defaults.epub)
      .describe(d.epub),
    limits: z
      .object({
        maxInputBytes: z.number().int().positive().default(defaults.limits.maxInputBytes).describe(d['limits.maxInputBytes']),
        maxImages: z.number().int().positive().default(defaults.limits.maxImages).describe(d['limits.maxImages']),
        maxNotes: z.number().int().positive().default(defaults.limits.maxNotes).describe(d['limits.maxNotes']),
        maxDepth: z.number().int().positive().default(defaults.limits.maxDepth).describe(d['limits.maxDepth']),
        timeBudgetMs: z.number().int().positive().default(defaults.limits.timeBudgetMs).describe(d['limits.timeBudgetMs']),
      })
      .default(defaults.limits)
      .describe(d.limits),
  })
  .strict();

/** The configuration with every default filled in (a type-only import does not load zod). */
export type Config = z.infer<typeof configSchema>;
/** The configuration as written: every setting optional. */
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
