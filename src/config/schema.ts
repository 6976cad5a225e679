/**
 * Configuration: the one definition of every setting — its type, default, bounds and the line
 * that explains it. Everything else reads it: validation of config files and front matter
 * (validate.ts, merge.ts), the defaults (also those of parse/limits.ts), the command-line flags'
 * checks and help (cli/options.ts), `imprint config` and docs/cli.md (reference.ts walks it).
 *
 * Written with zod/mini, zod's functional form: building and first using this schema costs a
 * quarter of what zod's chained form costs, and every run of the command line does both.
 * A group of settings (page, images, …) defaults to `{}` run through its own fields
 * (`prefault`), so each default is written once, at its field.
 * Precedence: defaults < imprint.config.* < front matter < command-line flags (merge.ts).
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { FORMATS } from '../model.js';
import { parseShard, SHARD_FORMAT } from './shard.js';

// zod/mini leaves the language of its messages to the application (validate.ts rewords them).
z.config(en());

/** The named page sizes, as CSS width and height. */
export const PAGE_SIZES = {
  A4: { width: '210mm', height: '297mm' },
  A5: { width: '148mm', height: '210mm' },
  B5: { width: '176mm', height: '250mm' },
  Letter: { width: '8.5in', height: '11in' },
} as const;

export type PageSizeName = keyof typeof PAGE_SIZES;
const PAGE_SIZE_NAMES = Object.keys(PAGE_SIZES) as [PageSizeName, ...PageSizeName[]];

/** The line that explains a setting (reference.ts reads it back). */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/** A setting: its type, its default, and the line that explains it. */
function setting<T extends z.ZodMiniType>(type: T, fallback: Parameters<typeof z._default<T>>[1], description: string): z.ZodMiniDefault<T> {
  return described(z._default(type, fallback), description);
}

/** A group of settings, each with its own default: an absent group is read as `{}`. */
function group<T extends z.core.$ZodLooseShape>(shape: T, description: string) {
  const object = z.object(shape);
  // `{}` is valid input for every group here, since each of its fields has a default or is optional.
  return described(z.prefault(object, {} as z.input<typeof object>), description);
}

/** A CSS length such as 18mm, 0.75in or 12pt. */
export const cssLength = z.string().check(z.regex(/^\d+(\.\d+)?(mm|cm|in|pt|px)$/, 'a CSS length such as 18mm, 0.75in or 12pt'));
/** A CSS length, with the line that explains it. */
const length = (description: string): z.ZodMiniString<string> => described(cssLength.clone(), description);

/** How many things run at once (documents, downloads). */
const parallelism = z.int().check(z.minimum(1), z.maximum(32));
const positive = z.int().check(z.positive());

export const configSchema = z.strictObject({
  content: setting(z.string(), 'content', 'Folder with the articles (*.md) to publish.'),
  out: setting(z.string(), 'output', 'Folder the outputs are written to.'),
  formats: setting(z.array(z.enum(FORMATS)), () => [...FORMATS], 'Formats to publish.'),
  theme: setting(z.string(), 'default', 'Theme folder under templates/.'),
  offline: setting(z.boolean(), false, 'Never use the network: images come from the cache only.'),
  concurrency: described(z.optional(parallelism), 'Documents rendered at once (default: number of cores).'),
  browserEndpoint: described(z.optional(z.string()), 'ws:// endpoint of a running Chrome to use instead of launching one.'),
  shard: described(
    z.optional(z.string().check(z.refine((value) => parseShard(value) !== undefined, `use ${SHARD_FORMAT}`))),
    'Publish share k of n of the documents ("k/n"), chosen by a hash of each path: n machines publish every document once.',
  ),
  page: group(
    {
      size: setting(
        z.union([z.enum(PAGE_SIZE_NAMES), z.object({ width: cssLength, height: cssLength })]),
        'A5',
        `Page size: ${PAGE_SIZE_NAMES.join(', ')} or { width, height }.`,
      ),
      margin: setting(
        z.object({
          top: length('Top margin (the running head sits in it).'),
          right: length('Right (outer) margin.'),
          bottom: length('Bottom margin (the page number sits in it).'),
          left: length('Left (inner) margin.'),
        }),
        () => ({ top: '20mm', right: '16mm', bottom: '20mm', left: '16mm' }),
        'Page margins.',
      ),
      bleed: described(z.optional(cssLength), 'Bleed added around the page for print (e.g. 3mm).'),
      cover: setting(z.boolean(), false, 'Print a cover page before the article.'),
      colophon: setting(z.boolean(), true, 'Print a colophon (rights and source) after the article.'),
    },
    'Print page geometry.',
  ),
  images: group(
    {
      fetch: setting(z.boolean(), true, 'Download remote images (false: use the cache only).'),
      allowHosts: setting(z.array(z.string()), () => [], 'Hosts or IPs allowed even though they are private, loopback or link-local.'),
      timeoutMs: setting(positive, 10_000, 'Total time allowed for one image download.'),
      connectTimeoutMs: setting(positive, 3000, 'Time allowed to connect.'),
      budgetMs: setting(positive, 30_000, 'Total time for all downloads of a run.'),
      maxBytes: setting(positive, 20 * 1024 * 1024, 'Largest image accepted, in bytes.'),
      maxRedirects: setting(z.int().check(z.minimum(0), z.maximum(20)), 5, 'Redirects followed per image.'),
      concurrency: setting(parallelism, 6, 'Downloads at once.'),
      maxScreenWidth: setting(positive, 1600, 'Images wider than this are scaled down for HTML and EPUB.'),
    },
    'Image resolution.',
  ),
  html: group(
    {
      selfContained: setting(z.boolean(), true, 'Embed images as data: URIs (false: write an assets folder).'),
      allowRawHtml: setting(z.boolean(), false, 'Keep (sanitized) raw HTML from the Markdown.'),
    },
    'HTML output.',
  ),
  epub: group({ embedFonts: setting(z.boolean(), false, 'Embed a subset of the CJK font in the EPUB.') }, 'EPUB output.'),
  book: group(
    { recto: setting(z.boolean(), false, 'Start every chapter of a book\'s PDF on a right-hand page (a blank left-hand page before it where needed).') },
    'Books (a folder of articles with a book.yaml).',
  ),
  limits: group(
    {
      maxInputBytes: setting(positive, 2 * 1024 * 1024, 'Largest Markdown file accepted.'),
      maxImages: setting(positive, 500, 'Most images per document.'),
      maxNotes: setting(positive, 1000, 'Most notes per document.'),
      maxDepth: setting(positive, 100, 'Deepest nesting of blocks.'),
      timeBudgetMs: setting(positive, 120_000, 'Time allowed per document.'),
    },
    'Limits for untrusted input.',
  ),
});

/** The configuration with every default filled in (a type-only import does not load zod). */
export type Config = z.infer<typeof configSchema>;
/** The configuration as written: every setting optional. */
export type UserConfig = z.input<typeof configSchema>;
/** A page size: a name or CSS width and height. */
export type PageSize = Config['page']['size'];

/** Typed helper for imprint.config.ts / .js. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** The configuration for `input`, with the defaults filled in (a fresh object every time); throws a ZodError when invalid. */
export function resolveConfig(input: UserConfig = {}): Config {
  return configSchema.parse(input);
}

/** Page size as CSS width/height. */
export function pageDimensions(config: Config): { width: string; height: string } {
  const size = config.page.size;
  return typeof size === 'string' ? PAGE_SIZES[size] : size;
}
