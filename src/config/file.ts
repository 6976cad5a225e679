/**
 * Finding, loading and validating imprint.config.{ts,mts,js,mjs,json,yaml,yml}.
 *
 * - .json, .yaml, .yml are parsed with `yaml` (with a LineCounter), so every problem points at
 *   the line and column of the offending key or value.
 * - .js, .mjs are imported; the default export (or a function returning it) is the config.
 * - .ts, .mts are compiled with esbuild into a temporary module beside the file and imported,
 *   so `import { defineConfig } from 'imprint'` and relative imports work; the temporary
 *   module is removed right after.
 *
 * Whatever the file type, its settings are checked by the schema (validate.ts). Any problem is a
 * ConfigError (exit code 2) carrying the file, line, column and a code frame: never a stack trace.
 */
import type { codeFrameColumns as CodeFrameColumns } from '@babel/code-frame';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Yaml from 'yaml';
import type { UserConfig } from './schema.js';
import { validateConfig, type Locate } from './validate.js';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { COMPILED_DIR } from '../package.js';

/** Looked for in the project folder, in this order; more than one is an error. */
export const CONFIG_FILE_NAMES = [
  'imprint.config.ts',
  'imprint.config.mts',
  'imprint.config.js',
  'imprint.config.mjs',
  'imprint.config.json',
  'imprint.config.yaml',
  'imprint.config.yml',
] as const;

export interface LoadedConfig {
  /** Absolute path of the config file, or undefined when the project has none. */
  path: string | undefined;
  /** The validated configuration as written (defaults are not filled in). */
  config: UserConfig;
}

// ---------------------------------------------------------------------------------------------
// Positions

/** Positions from a YAML/JSON document: the value node, the key of an unknown entry, or the parent. */
function yamlLocator(yaml: typeof Yaml, doc: Yaml.Document, lines: Yaml.LineCounter): Locate {
  const at = (offset: number | undefined): { line: number; column: number } | undefined => {
    if (offset === undefined) return undefined;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const nodeAt = (keys: readonly PropertyKey[]): unknown => (keys.length === 0 ? doc.contents : doc.getIn(keys as unknown[], true));
  const rangeStart = (node: unknown): number | undefined =>
    typeof node === 'object' && node !== null && 'range' in node ? (node as { range?: [number, number, number] }).range?.[0] : undefined;
  const keyNode = (keys: readonly PropertyKey[], key: string): number | undefined => {
    const map = nodeAt(keys);
    if (!yaml.isMap(map)) return undefined;
    for (const pair of map.items) if (yaml.isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0];
    return undefined;
  };
  return (issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
      const offset = keyNode(issue.path, issue.keys[0]);
      if (offset !== undefined) return at(offset);
    }
    // The value itself; when it is missing, the key that holds it or the nearest parent.
    for (let depth = issue.path.length; depth >= 0; depth--) {
      const keys = issue.path.slice(0, depth);
      const node = nodeAt(keys);
      if (node !== undefined && node !== null) {
        if (depth === issue.path.length) return at(rangeStart(node));
        const last = issue.path[depth];
        const parentKey = keys[keys.length - 1];
        const offset =
          (typeof last === 'string' ? keyNode(keys, last) : undefined) ??
          (typeof parentKey === 'string' ? keyNode(keys.slice(0, -1), parentKey) : undefined);
        return at(offset ?? rangeStart(node));
      }
    }
    return undefined;
  };
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * Positions in a JS/TS config, best effort: finds each key of the path in turn (`key:`,
 * `"key":` or `key,` shorthand) after the previous one.
 */
function sourceLocator(text: string): Locate {
  const find = (keys: readonly PropertyKey[]): number | undefined => {
    let offset = 0;
    let found: number | undefined;
    for (const key of keys) {
      if (typeof key !== 'string') continue;
      const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const re = new RegExp(`(?<![\\w$])(['"\`]?)${escaped}\\1\\s*:`, 'g');
      re.lastIndex = offset;
      const match = re.exec(text);
      if (!match) break;
      found = match.index;
      offset = match.index + match[0].length;
    }
    return found;
  };
  return (issue) => {
    const keys = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
    const offset = find(keys);
    if (offset === undefined) return undefined;
    // Point at the value after `key:` for value problems.
    if (issue.code !== 'unrecognized_keys') {
      const valueStart = /:\s*/y;
      const colon = text.indexOf(':', offset);
      valueStart.lastIndex = colon;
      if (colon >= 0 && valueStart.exec(text)) return lineColumnOf(text, valueStart.lastIndex);
    }
    return lineColumnOf(text, offset);
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

function display(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}


/**
 * Where V8's JSON.parse error points: "… at position N", "(line L column C)", or for an
 * unexpected token a quoted piece of the source with the token 10 characters in when cut.
 */
function jsonErrorOffset(message: string, text: string): { offset: number; reason: string } {
  const lineCol = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineCol) {
    const lines = text.split('\n').slice(0, Number(lineCol[1]) - 1);
    const offset = lines.reduce((n, l) => n + l.length + 1, 0) + Number(lineCol[2]) - 1;
    return { offset, reason: message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '') };
  }
  const position = / in JSON at position (\d+)/.exec(message);
  if (position) return { offset: Number(position[1]), reason: message.replace(position[0], '') };
  const token = /^Unexpected token '(.+?)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(message);
  if (token?.[1] && token[3] !== undefined) {
    const snippet = token[3];
    const start = token[2] ? Math.max(0, text.indexOf(snippet)) : 0;
    const inSnippet = token[2] ? 10 : Math.max(0, snippet.indexOf(token[1]));
    return { offset: start + inSnippet, reason: `unexpected "${token[1]}"` };
  }
  if (/end of JSON input/.test(message)) return { offset: text.trimEnd().length, reason: 'unexpected end of the file' };
  return { offset: 0, reason: message };
}

/**
 * A YAML (or JSON) text parsed with positions: its data, and a locator that places a schema
 * issue at the line and column of the offending key or value. A syntax error is a ConfigError
 * with positions. Also reads book.yaml (src/stages/read-book.ts).
 */
export async function readYamlWithPositions(text: string, shown: string, json = false): Promise<{ data: unknown; locate: Locate }> {
  if (json) {
    try {
      JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const { offset, reason } = jsonErrorOffset(message, text);
      throw new ConfigError(shown, [{ message: `invalid JSON: ${reason}`, ...lineColumnOf(text, offset) }], text);
    }
  }
  // Lazy: the YAML parser takes about 55 ms to load, paid only by projects with a .json or .yaml config.
  const yaml = await import('yaml');
  const lineCounter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error): ConfigProblem => {
      const pos = error.linePos?.[0];
      const message = `invalid ${json ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'syntax error'}`;
      return pos ? { message, line: pos.line, column: pos.col } : { message };
    });
    throw new ConfigError(shown, problems, text);
  }
  return { data: doc.toJS({ maxAliasCount: 100 }), locate: yamlLocator(yaml, doc, lineCounter) };
}

async function loadYamlLike(text: string, shown: string, json: boolean): Promise<UserConfig> {
  const { data, locate } = await readYamlWithPositions(text, shown, json);
  return validateConfig(data, shown, text, locate);
}

/** Where a thrown error points into the config file (syntax errors, errors thrown while it runs). */
function errorPlace(error: unknown, file: string, extra: readonly string[] = []): { line: number; column?: number } | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const name of [file, ...extra]) {
    const url = pathToFileURL(name).href;
    for (const prefix of [url, name]) {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const match = new RegExp(`${escaped}(?:\\?[^:\\s]*)?:(\\d+)(?::(\\d+))?`).exec(stack);
      if (!match) continue;
      if (match[2]) return { line: Number(match[1]), column: Number(match[2]) };
      // A syntax error: `file:line`, then the source line and a caret line under the problem.
      const caret = stack.slice(match.index + match[0].length).split('\n')[2] ?? '';
      const column = /^\s*\^/.test(caret) ? caret.indexOf('^') + 1 : undefined;
      return column ? { line: Number(match[1]), column } : { line: Number(match[1]) };
    }
  }
  return undefined;
}

function importFailure(error: unknown, file: string, shown: string, text: string, extra: readonly string[] = []): ConfigError {
  const message = error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
  const reason = `${error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : ''}${message}`;
  const place = errorPlace(error, file, extra);
  return new ConfigError(shown, [place ? { message: reason, ...place } : { message: reason }], text);
}

async function exported(module: Record<string, unknown>): Promise<unknown> {
  const value = 'default' in module ? module['default'] : module['config'];
  return typeof value === 'function' ? await (value as () => unknown)() : value;
}

function importsImprint(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code?: unknown }).code : undefined;
  return code === 'ERR_MODULE_NOT_FOUND' && error instanceof Error && /'imprint'/.test(error.message);
}

async function loadJs(file: string, shown: string, text: string): Promise<UserConfig> {
  const { mtimeMs } = statSync(file);
  let data: unknown;
  try {
    // The query makes a changed file load anew (watch mode).
    data = await exported((await import(`${pathToFileURL(file).href}?t=${Math.round(mtimeMs)}`)) as Record<string, unknown>);
  } catch (error) {
    // `import … from 'imprint'` where imprint is not installed in the project (a global or npx
    // install): compile it like a TS config, which points that import at this very imprint.
    if (importsImprint(error)) return loadCompiled(file, shown, text);
    throw importFailure(error, file, shown, text);
  }
  return validateConfig(data, shown, text, sourceLocator(text));
}

/** Imprint's own entry point, so that a TS config's `import … from 'imprint'` always works. */
const IMPRINT_ENTRY = path.join(COMPILED_DIR, 'index.js');

interface EsbuildMessage {
  text: string;
  location: { line: number; column: number } | null;
}

async function loadCompiled(file: string, shown: string, text: string): Promise<UserConfig> {
  // Lazy: esbuild takes about 25 ms to load, paid only by projects with a .ts config.
  const esbuild = await import('esbuild');
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
      plugins: [
        {
          name: 'imprint-self',
          setup(build) {
            build.onResolve({ filter: /^imprint$/ }, () => ({ path: pathToFileURL(IMPRINT_ENTRY).href, external: true }));
          },
        },
      ],
    });
    code = result.outputFiles[0]?.text ?? '';
  } catch (error) {
    const errors = (typeof error === 'object' && error !== null && 'errors' in error ? (error as { errors: EsbuildMessage[] }).errors : []) ?? [];
    const problems = errors.map((e): ConfigProblem => (e.location ? { message: e.text, line: e.location.line, column: e.location.column + 1 } : { message: e.text }));
    throw new ConfigError(shown, problems.length > 0 ? problems : [{ message: error instanceof Error ? error.message : String(error) }], text);
  }
  // Beside the config, so that its bare imports resolve from the project's node_modules.
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.mjs`);
  let data: unknown;
  try {
    writeFileSync(temp, code);
    data = await exported((await import(pathToFileURL(temp).href)) as Record<string, unknown>);
  } catch (error) {
    // Line numbers in the compiled module are not the file's, so no position is claimed.
    throw importFailure(error, file, shown, text);
  } finally {
    rmSync(temp, { force: true });
  }
  return validateConfig(data, shown, text, sourceLocator(text));
}

/** The config file in `cwd`, if any. More than one is a ConfigError. */
export function findConfigFile(cwd: string): string | undefined {
  const found = CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)).filter((file) => existsSync(file));
  if (found.length > 1) {
    throw new ConfigError(display(found[0] ?? '', cwd), [{ message: `found ${found.map((f) => path.basename(f)).join(' and ')}; keep only one config file` }]);
  }
  return found[0];
}

/**
 * Loads and validates the project's config file: `explicit` (from --config) or the one found in
 * `cwd`. Without a config file the result is `{ path: undefined, config: {} }`.
 */
export async function loadConfigFile(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const file = explicit ? path.resolve(cwd, explicit) : findConfigFile(cwd);
  if (!file) return { path: undefined, config: {} };
  const shown = display(file, cwd);
  let text: string;
  try {
    // Read with node:fs (sync): loading node:fs/promises costs more than reading one small file.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code?: unknown }).code) : '';
    throw new ConfigError(shown, [{ message: code === 'ENOENT' ? 'file not found' : `cannot be read (${code || String(error)})` }]);
  }
  const ext = path.extname(file).toLowerCase();
  let config: UserConfig;
  if (ext === '.json') config = await loadYamlLike(text, shown, true);
  else if (ext === '.yaml' || ext === '.yml') config = await loadYamlLike(text, shown, false);
  else if (ext === '.js' || ext === '.mjs') config = await loadJs(file, shown, text);
  else if (ext === '.ts' || ext === '.mts') config = await loadCompiled(file, shown, text);
  else throw new ConfigError(shown, [{ message: `unsupported config file type "${ext}" (use .ts, .js, .json or .yaml)` }]);
  return { path: file, config };
}

/**
 * @babel/code-frame, loaded when an error is shown. Lazy: it takes about 4 ms to load. (Not
 * diagnostics/code-frame.ts, made for untrusted articles: its width measure, string-width, takes
 * about 20 ms to load, and this module is loaded by every start of the command line.)
 */
const codeFrameColumns: typeof CodeFrameColumns = (...args) =>
  (createRequire(import.meta.url)('@babel/code-frame') as { codeFrameColumns: typeof CodeFrameColumns }).codeFrameColumns(...args);

/** The error as shown on the terminal: the file and line of each problem, with a code frame. */
export function formatConfigError(error: ConfigError, options: { color?: boolean; maxProblems?: number } = {}): string {
  const out: string[] = [];
  const problems = error.problems.slice(0, options.maxProblems ?? 10);
  out.push(`imprint: invalid configuration in ${error.file}`);
  for (const problem of problems) {
    const place = problem.line ? `${error.file}:${problem.line}:${problem.column ?? 1}` : error.file;
    out.push(`${place} error ${problem.message}`);
    if (problem.line && error.source !== undefined) {
      const location = { start: problem.column ? { line: problem.line, column: problem.column } : { line: problem.line } };
      const frame = codeFrameColumns(error.source, location, { highlightCode: options.color ?? false, linesAbove: 2, linesBelow: 1 });
      out.push(frame.replace(/^/gm, '  '), '');
    }
  }
  if (error.problems.length > problems.length) out.push(`… and ${error.problems.length - problems.length} more problems`);
  return `${out.join('\n').trimEnd()}\n`;
}
