/**
 * The configuration as plain data, without zod: the defaults, the description of every setting
 * (the schema in config.ts is built from both), merging layers, and resolving the usual case
 * (the defaults plus command-line flags) without the schema.
 *
 * Loading zod and building the schema costs more than a whole up-to-date run, so the command
 * line starts from this module; config.ts (zod) is loaded only when a config file, front matter
 * or a caller's settings have to be validated.
 */
import type { Config, UserConfig } from './schema.js';
import type { Format } from '../model.js';

export const PAGE_SIZES = {
  A4: { width: '210mm', height: '297mm' },
  A5: { width: '148mm', height: '210mm' },
  B5: { width: '176mm', height: '250mm' },
  Letter: { width: '8.5in', height: '11in' },
} as const;

/** A CSS length such as 18mm, 0.75in or 12pt (the schema's `length`). */
export const CSS_LENGTH = /^\d+(\.\d+)?(mm|cm|in|pt|px)$/;

type PageSizeName = keyof typeof PAGE_SIZES;

/** Every default of the schema (typed by hand: the schema's own types are built from it). */
const DEFAULTS = {
  content: 'content',
  out: 'output',
  formats: ['html', 'pdf', 'epub'] as Format[],
  theme: 'default',
  offline: false,
  page: {
    size: 'A5' as PageSizeName,
    margin: { top: '20mm', right: '16mm', bottom: '20mm', left: '16mm' },
    cover: false,
    colophon: true,
  },
  images: {
    fetch: true,
    allowHosts: [] as string[],
    timeoutMs: 10000,
    connectTimeoutMs: 3000,
    budgetMs: 30000,
    maxBytes: 20 * 1024 * 1024,
    maxRedirects: 5,
    concurrency: 6,
    maxScreenWidth: 1600,
  },
  html: { selfContained: true, allowRawHtml: false },
  epub: { embedFonts: false },
  limits: { maxInputBytes: 2 * 1024 * 1024, maxImages: 500, maxNotes: 1000, maxDepth: 100, timeBudgetMs: 120000 },
};

/** The description of every setting, by dotted key (shown by `imprint config`, --help and docs/cli.md). */
export const CONFIG_DESCRIPTIONS = {
  content: 'Folder with the articles (*.md) to publish.',
  out: 'Folder the outputs are written to.',
  formats: 'Formats to publish.',
  theme: 'Theme folder under templates/.',
  offline: 'Never use the network: images come from the cache only.',
  concurrency: 'Documents rendered at once (default: number of cores).',
  browserEndpoint: 'ws:// endpoint of a running Chrome to use instead of launching one.',
  page: 'Print page geometry.',
  'page.size': 'Page size: A4, A5, B5, Letter or { width, height }.',
  'page.margin': 'Page margins.',
  'page.margin.top': 'Top margin (the running head sits in it).',
  'page.margin.right': 'Right (outer) margin.',
  'page.margin.bottom': 'Bottom margin (the page number sits in it).',
  'page.margin.left': 'Left (inner) margin.',
  'page.bleed': 'Bleed added around the page for print (e.g. 3mm).',
  'page.cover': 'Print a cover page before the article.',
  'page.colophon': 'Print a colophon (rights and source) after the article.',
  images: 'Image resolution.',
  'images.fetch': 'Download remote images (false: use the cache only).',
  'images.allowHosts': 'Hosts or IPs allowed even though they are private, loopback or link-local.',
  'images.timeoutMs': 'Total time allowed for one image download.',
  'images.connectTimeoutMs': 'Time allowed to connect.',
  'images.budgetMs': 'Total time for all downloads of a run.',
  'images.maxBytes': 'Largest image accepted, in bytes.',
  'images.maxRedirects': 'Redirects followed per image.',
  'images.concurrency': 'Downloads at once.',
  'images.maxScreenWidth': 'Images wider than this are scaled down for HTML and EPUB.',
  html: 'HTML output.',
  'html.selfContained': 'Embed images as data: URIs (false: write an assets folder).',
  'html.allowRawHtml': 'Keep (sanitized) raw HTML from the Markdown.',
  epub: 'EPUB output.',
  'epub.embedFonts': 'Embed a subset of the CJK font in the EPUB.',
  limits: 'Limits for untrusted input.',
  'limits.maxInputBytes': 'Largest Markdown file accepted.',
  'limits.maxImages': 'Most images per document.',
  'limits.maxNotes': 'Most notes per document.',
  'limits.maxDepth': 'Deepest nesting of blocks.',
  'limits.timeBudgetMs': 'Time allowed per document.',
} as const;

export type ConfigKey = keyof typeof CONFIG_DESCRIPTIONS;

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function mergeTwo(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeTwo(current, value) : value;
  }
  return out;
}

/** Merges configuration layers, later layers winning; `undefined` values never override. */
export function mergeConfig(...layers: ReadonlyArray<UserConfig | undefined>): UserConfig {
  let out: Plain = {};
  for (const layer of layers) if (layer) out = mergeTwo(out, layer as Plain);
  return out as UserConfig;
}

/** A fresh copy of the defaults, for the schema's `.default()`s. */
export function schemaDefaults(): typeof DEFAULTS {
  return structuredClone(DEFAULTS);
}

/** A fresh copy of the defaults: the configuration when nothing is set. */
export function defaultConfig(): Config {
  return structuredClone(DEFAULTS);
}

const FORMAT_NAMES: readonly string[] = DEFAULTS.formats;
const isLength = (value: unknown): boolean => typeof value === 'string' && CSS_LENGTH.test(value);

/** True for a page size the schema accepts: a name, or exactly { width, height } as CSS lengths. */
function isPageSize(value: unknown): boolean {
  if (typeof value === 'string') return Object.hasOwn(PAGE_SIZES, value);
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && isLength(value['width']) && isLength(value['height']);
}

/** Checks of the settings the fast path handles: exactly what the schema checks for them. */
const SIMPLE_CHECKS: Record<string, (value: unknown) => boolean> = {
  content: (v) => typeof v === 'string',
  out: (v) => typeof v === 'string',
  formats: (v) => Array.isArray(v) && v.every((f) => typeof f === 'string' && FORMAT_NAMES.includes(f)),
  theme: (v) => typeof v === 'string',
  offline: (v) => typeof v === 'boolean',
  concurrency: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 32,
  browserEndpoint: (v) => typeof v === 'string',
  page: (v) => isPlainObject(v) && Object.keys(v).every((key) => key === 'size') && (v['size'] === undefined || isPageSize(v['size'])),
};

/**
 * The configuration for `input` with the defaults filled in, without zod, when `input` sets only
 * simple settings (content, out, formats, theme, offline, concurrency, browserEndpoint, page.size:
 * what the command-line flags set) with valid values: the same result as the schema would give.
 * Anything else (other settings, an invalid value) gives undefined: validate with the schema then.
 */
export function resolveSimpleConfig(input: UserConfig = {}): Config | undefined {
  if (!isPlainObject(input)) return undefined;
  for (const [key, value] of Object.entries(input)) {
    const check = Object.hasOwn(SIMPLE_CHECKS, key) ? SIMPLE_CHECKS[key] : undefined;
    if (!check || (value !== undefined && !check(value))) return undefined;
  }
  const defaults = defaultConfig();
  const size = input.page?.size;
  // Keys in the schema's order, as its parse returns them; unset optional keys stay absent.
  const config: Config = {
    content: input.content ?? defaults.content,
    out: input.out ?? defaults.out,
    formats: input.formats ? [...input.formats] : defaults.formats,
    theme: input.theme ?? defaults.theme,
    offline: input.offline ?? defaults.offline,
    ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
    ...(input.browserEndpoint === undefined ? {} : { browserEndpoint: input.browserEndpoint }),
    page: { ...defaults.page, size: size === undefined ? defaults.page.size : typeof size === 'string' ? size : { width: size.width, height: size.height } },
    images: defaults.images,
    html: defaults.html,
    epub: defaults.epub,
    limits: defaults.limits,
  };
  return config;
}
