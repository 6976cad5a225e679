/**
 * The options shared by `publish` and `preview`: command-line flags that map onto config
 * fields, their parsers (bad values are usage errors), and loading a project's configuration:
 * defaults < imprint.config.* < (front matter, per article) < flags.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { configSchema, PAGE_SIZES, type Config, type UserConfig } from '../config.js';
import { loadConfigFile } from '../config-file.js';
import { mergeConfig } from '../config-merge.js';
import { UsageError } from '../errors.js';
import { FORMATS, type Format } from '../model.js';
import { loadTheme, ThemeNotFoundError, themeNames } from '../theme.js';
import { describeField } from './config-reference.js';

export type PageSizeFlag = keyof typeof PAGE_SIZES | { width: string; height: string };

export interface ConfigFlags {
  config?: string;
  format?: Format[];
  out?: string;
  theme?: string;
  pageSize?: PageSizeFlag;
  offline?: boolean;
  concurrency?: number;
  browserEndpoint?: string;
}

export function parseFormats(value: string): Format[] {
  const formats = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (formats.length === 0) throw new InvalidArgumentError(`give one or more of ${FORMATS.join(', ')}`);
  for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown format "${f}" (use ${FORMATS.join(', ')})`);
  return [...new Set(formats)] as Format[];
}

const LENGTH = /^\d+(\.\d+)?(mm|cm|in|pt|px)$/;

/** A4, A5, B5, Letter (any case) or WIDTHxHEIGHT with units, e.g. 150mmx220mm. */
export function parsePageSize(value: string): PageSizeFlag {
  const named = Object.keys(PAGE_SIZES).find((k) => k.toLowerCase() === value.trim().toLowerCase());
  if (named) return named as keyof typeof PAGE_SIZES;
  const match = /^(.+?)\s*[x×]\s*(.+)$/i.exec(value.trim());
  if (match?.[1] && match[2] && LENGTH.test(match[1]) && LENGTH.test(match[2])) return { width: match[1], height: match[2] };
  throw new InvalidArgumentError(`use ${Object.keys(PAGE_SIZES).join(', ')} or WIDTHxHEIGHT such as 150mmx220mm`);
}

export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > 32) throw new InvalidArgumentError('must be a whole number from 1 to 32');
  return n;
}

/** ws:// or wss:// URL of a running Chrome's DevTools endpoint. */
export function parseBrowserEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidArgumentError('must be a ws:// or wss:// URL, e.g. ws://127.0.0.1:9222/devtools/browser/<id>');
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new InvalidArgumentError('must be a ws:// or wss:// URL');
  return url.toString();
}

const describe = (path: string[], fallback: string): string => {
  const text = describeField(path)?.replace(/\.$/, '') ?? fallback;
  return text.charAt(0).toLowerCase() + text.slice(1);
};

/** Adds the flags that map onto config fields; their help text is the schema's description. */
export function addConfigOptions(command: Command): Command {
  return command
    .addOption(new Option('-f, --format <list>', `${describe(['formats'], 'formats to publish')}: comma-separated html,pdf,epub`).argParser(parseFormats))
    .addOption(new Option('-o, --out <dir>', describe(['out'], 'output folder')))
    .addOption(new Option('-t, --theme <name>', describe(['theme'], 'theme')))
    .addOption(new Option('--page-size <size>', `${describe(['page', 'size'], 'page size')} (WIDTHxHEIGHT also works, e.g. 150mmx220mm)`).argParser(parsePageSize))
    .addOption(new Option('--offline', describe(['offline'], 'no network')))
    .addOption(new Option('-c, --concurrency <n>', describe(['concurrency'], 'documents at once')).argParser(parseConcurrency))
    .addOption(new Option('--browser-endpoint <url>', describe(['browserEndpoint'], 'ws:// endpoint of a running Chrome')).argParser(parseBrowserEndpoint))
    .addOption(new Option('--config <file>', 'config file to use instead of imprint.config.* in the current folder'));
}

/** The part of the configuration the flags set. */
export function flagsToConfig(flags: ConfigFlags): UserConfig {
  const config: UserConfig = {};
  if (flags.format) config.formats = flags.format;
  if (flags.out !== undefined) config.out = flags.out;
  if (flags.theme !== undefined) config.theme = flags.theme;
  if (flags.pageSize !== undefined) config.page = { size: flags.pageSize };
  if (flags.offline) config.offline = true;
  if (flags.concurrency !== undefined) config.concurrency = flags.concurrency;
  if (flags.browserEndpoint !== undefined) config.browserEndpoint = flags.browserEndpoint;
  return config;
}

export interface ProjectConfig {
  cwd: string;
  /** Absolute path of the config file used, if any. */
  configPath: string | undefined;
  fileConfig: UserConfig;
  flagConfig: UserConfig;
  /** Config file and flags merged (front matter goes in between, per article). */
  user: UserConfig;
  /** `user` with the defaults filled in. */
  config: Config;
}

/** Loads the config file, merges the flags and checks the theme; ConfigError/UsageError on problems. */
export async function loadProjectConfig(cwd: string, flags: ConfigFlags): Promise<ProjectConfig> {
  const loaded = await loadConfigFile(cwd, flags.config);
  const flagConfig = flagsToConfig(flags);
  const user = mergeConfig(loaded.config, flagConfig);
  const parsed = configSchema.safeParse(user);
  if (!parsed.success) throw new UsageError(`invalid options: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  try {
    loadTheme(parsed.data.theme);
  } catch (error) {
    if (error instanceof ThemeNotFoundError) {
      throw new UsageError(`theme "${parsed.data.theme}" not found (available: ${themeNames().join(', ')})`);
    }
    throw error;
  }
  return { cwd, configPath: loaded.path, fileConfig: loaded.config, flagConfig, user, config: parsed.data };
}
