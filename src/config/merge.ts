/**
 * Layers of configuration, merged in order of precedence:
 *
 *   defaults < imprint.config.* < front matter (per article) < command-line flags
 *
 * Objects merge key by key; arrays and scalars replace what was there. Front matter comes from
 * untrusted web clippings, so only the print layout may be overridden by it (`pageSize`, `page`):
 * never the network, limits, output folder or browser.
 */
import type { VFile } from 'vfile';
import { configSchema, type Config, type UserConfig } from './schema.js';
import { describeIssue } from './validate.js';
import { DocumentError } from '../errors.js';
import type { FrontMatter } from '../model.js';
import { diagnose } from '../diagnostics/rules.js';

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

/** Front-matter keys that may override the configuration for one article. */
export const FRONT_MATTER_CONFIG_KEYS = ['pageSize', 'page'] as const;

/**
 * The configuration overrides an article's front matter asks for:
 *   pageSize: A4                        → page.size
 *   page: { size, margin, bleed, cover, colophon }
 * Other front-matter keys are article metadata and are ignored here. A `page` that is not a
 * mapping is returned as is, so that validation reports it.
 */
export function frontMatterConfig(frontMatter: FrontMatter | undefined): UserConfig {
  if (!frontMatter) return {};
  const raw = frontMatter['page'];
  if (raw !== undefined && !isPlainObject(raw)) return { page: raw } as UserConfig;
  const page: Plain = isPlainObject(raw) ? { ...raw } : {};
  if (frontMatter['pageSize'] !== undefined) page['size'] = frontMatter['pageSize'];
  return Object.keys(page).length > 0 ? ({ page } as UserConfig) : {};
}

export interface ArticleConfigOptions {
  /** Command-line flags: they win over front matter. */
  flags?: UserConfig | undefined;
  /** The article's file: an invalid override becomes a warning on it (and is ignored) instead of an error. */
  file?: VFile | undefined;
}

/** 1-based line of `key:` at the top level of the front matter, for diagnostics. */
function frontMatterLine(file: VFile | undefined, key: string): number | undefined {
  const text = typeof file?.value === 'string' ? file.value : undefined;
  if (!text?.startsWith('---')) return undefined;
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^(---|\.\.\.)\s*$/.test(line)) break;
    if (new RegExp(`^${key}\\s*:`).test(line)) return i + 1;
  }
  return undefined;
}

/**
 * The configuration for one article: the run's configuration, then the article's front-matter
 * overrides, then the command-line flags. An invalid override is reported as a warning on the
 * article (rule `front-matter-config`) and ignored; without a file it ends the document.
 */
export function articleConfig(config: Config, frontMatter: FrontMatter | undefined, options: ArticleConfigOptions = {}): Config {
  const overrides = frontMatterConfig(frontMatter);
  if (Object.keys(overrides).length === 0 && !options.flags) return config;
  const input = mergeConfig(config, overrides, options.flags);
  const merged = configSchema.safeParse(input);
  if (merged.success) return merged.data;
  const issue = merged.error.issues[0];
  const at = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'page';
  const key = frontMatter?.['pageSize'] !== undefined && at === 'page.size' ? 'pageSize' : 'page';
  const detail = issue ? describeIssue(issue, input).replace(key === 'pageSize' ? /^page\.size: / : /^$/, '') : 'invalid value';
  const reason = `Front matter \`${key}\` is not usable: ${detail}; the configured page settings are used`;
  if (!options.file) throw new DocumentError(reason, 'front-matter-config');
  const line = frontMatterLine(options.file, key);
  diagnose(options.file, 'front-matter-config', reason, line ? { line, column: 1 } : undefined);
  // Keep the flags even when the front matter is rejected.
  return options.flags ? configSchema.parse(mergeConfig(config, options.flags)) : config;
}
