/**
 * A project's configuration as a command uses it: the config file, then the command-line flags
 * over it, checked by the schema, with the theme it names found:
 *
 *   defaults < imprint.config.* < (front matter, per article: merge.ts) < flags
 *
 * The flags arrive here already read (cli/options.ts reads them, checking each value against the
 * schema's field), as the part of the configuration they set.
 */
import { loadConfigFile } from './file.js';
import { mergeConfig } from './merge.js';
import { configSchema, type Config, type PageSize, type UserConfig } from './schema.js';
import { describeIssue } from './validate.js';
import { UsageError } from '../errors.js';
import type { Format } from '../model.js';
import { loadTheme, ThemeNotFoundError, themeNames } from '../theme/theme.js';

/** The command-line flags that set configuration (publish, preview; check and init take --config). */
export interface ConfigFlags {
  config?: string;
  format?: Format[];
  out?: string;
  theme?: string;
  pageSize?: PageSize;
  offline?: boolean;
  concurrency?: number;
  browserEndpoint?: string;
  /** publish only: share k of n of the documents. */
  shard?: string;
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
  if (flags.shard !== undefined) config.shard = flags.shard;
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
  if (!parsed.success) throw new UsageError(`invalid options: ${parsed.error.issues.map((issue) => describeIssue(issue, user)).join('; ')}`);
  const config = parsed.data;
  try {
    loadTheme(config.theme);
  } catch (error) {
    if (error instanceof ThemeNotFoundError) {
      throw new UsageError(`theme "${config.theme}" not found (available: ${themeNames().join(', ')})`);
    }
    throw error;
  }
  return { cwd, configPath: loaded.path, fileConfig: loaded.config, flagConfig, user, config };
}
