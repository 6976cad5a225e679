/**
 * The options shared by `publish` and `preview`: the command-line flags that set config fields,
 * as data (program.ts makes commander options of them), and how each value is read. A value is
 * checked against the schema's own field (its list, pattern or bounds), and a flag's help is
 * the field's description, so neither can drift from the configuration.
 */
import { describeField, numberBounds } from '../config/reference.js';
import { configSchema, cssLength, PAGE_SIZES, type PageSize, type PageSizeName } from '../config/schema.js';
import { parseShard, SHARD_FORMAT } from '../config/shard.js';
import { FORMATS, type Format } from '../model.js';

/** A flag's value is not usable; the command line reports it as `option '…' argument '…' is invalid. <message>`. */
export class FlagValueError extends Error {
  override name = 'FlagValueError';
}

export function parseFormats(value: string): Format[] {
  const formats = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (formats.length === 0) throw new FlagValueError(`give one or more of ${FORMATS.join(', ')}`);
  for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw new FlagValueError(`unknown format "${f}" (use ${FORMATS.join(', ')})`);
  return [...new Set(formats)] as Format[];
}

/** A named page size (any case) or WIDTHxHEIGHT with units, e.g. 150mmx220mm. */
export function parsePageSize(value: string): PageSize {
  const named = Object.keys(PAGE_SIZES).find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (named) return named as PageSizeName;
  const match = /^(.+?)\s*[x×]\s*(.+)$/i.exec(value.trim());
  if (match?.[1] && match[2] && cssLength.safeParse(match[1]).success && cssLength.safeParse(match[2]).success) return { width: match[1], height: match[2] };
  throw new FlagValueError(`use ${Object.keys(PAGE_SIZES).join(', ')} or WIDTHxHEIGHT such as 150mmx220mm`);
}

/** A whole number within the bounds of the `concurrency` setting. */
export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !configSchema.shape.concurrency.safeParse(n).success) {
    const { min, max } = numberBounds(configSchema.shape.concurrency);
    throw new FlagValueError(`must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** ws:// or wss:// URL of a running Chrome's DevTools endpoint. */
export function parseBrowserEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new FlagValueError('must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:9222/devtools/browser/<id>');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new FlagValueError('must be a ws:// or wss:// URL');
  return url.toString();
}

/** k/n: share k of n of the documents (config/shard.ts). */
export function parseShardFlag(value: string): string {
  const shard = parseShard(value);
  if (!shard) throw new FlagValueError(`use ${SHARD_FORMAT}`);
  return `${shard.index}/${shard.count}`;
}

export const DEFAULT_PORT = 4321;

/** The port of `imprint preview`: 0 to 65535 (0 picks a free one). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 65535) throw new FlagValueError('must be a port number from 0 to 65535 (0 picks a free one)');
  return n;
}

/** A command-line flag as data: commander's flags string, its help text, and how its value is read. */
export interface FlagSpec {
  /** e.g. `-f, --format <list>` or `--offline` (a flag without `<value>` is a switch). */
  flags: string;
  description: string;
  /** Reads the value (FlagValueError when unusable); without it the value is the text given. */
  parse?: (value: string) => unknown;
  /** Long name (without --) of a flag that cannot be given with this one. */
  conflicts?: string;
}

/** The schema's description of a setting (a dotted key) as flag help. */
const describe = (key: string): string => {
  const text = (describeField(key.split('.')) ?? '').replace(/\.$/, '');
  return text.charAt(0).toLowerCase() + text.slice(1);
};

/** The flags that map onto config fields (publish and preview); their help text is the schema's description. */
export const CONFIG_FLAGS: readonly FlagSpec[] = [
  { flags: '-f, --format <list>', description: `${describe('formats')}: comma-separated ${FORMATS.join(',')}`, parse: parseFormats },
  { flags: '-o, --out <dir>', description: describe('out') },
  { flags: '-t, --theme <name>', description: describe('theme') },
  { flags: '--page-size <size>', description: `${describe('page.size')} (WIDTHxHEIGHT also works, e.g. 150mmx220mm)`, parse: parsePageSize },
  { flags: '--offline', description: describe('offline') },
  { flags: '-c, --concurrency <n>', description: describe('concurrency'), parse: parseConcurrency },
  { flags: '--browser-endpoint <url>', description: describe('browserEndpoint'), parse: parseBrowserEndpoint },
  { flags: '--config <file>', description: 'config file to use instead of imprint.config.* in the current folder' },
];

/** The flags of `publish` beside the config flags. */
export const PUBLISH_FLAGS: readonly FlagSpec[] = [
  { flags: '--shard <k/n>', description: `${describe('shard')} (also IMPRINT_SHARD=k/n, or JOB_COMPLETION_INDEX from 0 with IMPRINT_SHARD_COUNT=n)`, parse: parseShardFlag },
  { flags: '--json', description: 'print a machine-readable report on stdout (outputs, sizes, pages, every message with its severity and position, timings)' },
  { flags: '-q, --quiet', description: 'print only errors', conflicts: 'verbose' },
  { flags: '-v, --verbose', description: 'also list every repair, and print every stage of every document' },
  { flags: '--preview', description: 'also draw every PDF page as a PNG in <out>/preview/ (needs poppler-utils)' },
];
