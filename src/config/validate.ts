/**
 * Validating a config file's settings with the schema (zod), and explaining each problem in a
 * user's words: `page.size: "A3" is not valid (Page size: A4, A5, …)`, `unknown key "themee"
 * (did you mean "theme"?)`, placed at a line and column by the file's locator.
 */
import type { z } from 'zod';
import { describeField, keysAt } from './reference.js';
import { configSchema, type UserConfig } from './schema.js';
import { ConfigError, type ConfigProblem } from '../errors.js';

export type Issue = z.core.$ZodIssue;

/** Where an issue is in the file (1-based line and column), when it can be told. */
export type Locate = (issue: Issue) => { line: number; column: number } | undefined;

/** The value at a path of keys in parsed data, or undefined. */
export function valueAt(data: unknown, keys: readonly PropertyKey[]): unknown {
  let current = data;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** `page.margin.top`, `formats[1]` */
export function formatPath(keys: readonly PropertyKey[]): string {
  let out = '';
  for (const key of keys) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = saved;
    }
  }
  return row[b.length] ?? 0;
}

/** The known key closest to `key`, if it is close enough to be a typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const score = distance(key, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** A one-line, user-facing explanation of a zod issue (`data`: the validated input, to quote values). */
export function describeIssue(issue: Issue, data?: unknown): string {
  const at = formatPath(issue.path);
  const value = valueAt(data, issue.path);
  const field = describeField(issue.path);
  const hint = field ? ` (${field.replace(/\.$/, '')})` : '';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(issue.path);
      const parts = issue.keys.map((key) => {
        const suggestion = suggestKey(key, known);
        return `"${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
      });
      const where = at ? ` in ${at}` : '';
      return `unknown key${issue.keys.length === 1 ? '' : 's'} ${parts.join(', ')}${where}; known keys: ${known.join(', ')}`;
    }
    case 'invalid_type':
      if (value === undefined) return `${at} is missing: expected ${issue.expected}`;
      return `${at}: expected ${issue.expected}, got ${show(value)}${hint}`;
    case 'invalid_value':
      return `${at}: ${show(value)} is not one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return `${at}: ${show(value)} is not valid${hint}`;
    case 'invalid_format':
      return `${at}: ${show(value)} is not ${issue.message.startsWith('a ') ? issue.message : `valid (${issue.message})`}`;
    case 'too_small':
    case 'too_big':
      return `${at}: ${show(value)} is too ${issue.code === 'too_small' ? 'small' : 'big'}; ${issue.message.replace(/^Too (small|big): /, '')}`;
    default:
      return at ? `${at}: ${issue.message}` : issue.message;
  }
}

function placed(problem: ConfigProblem, issue: Issue, locate: Locate | undefined): ConfigProblem {
  const place = locate?.(issue);
  if (place) {
    problem.line = place.line;
    problem.column = place.column;
  }
  return problem;
}

/**
 * A union (page.size: a name or { width, height }) fails as a whole; when the value had the
 * right shape for one branch (an object), that branch's own issues say more, with full paths.
 */
function expandUnions(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code === 'invalid_union') {
      const branch = issue.errors.find((errors) => errors.length > 0 && errors.every((e) => e.path.length > 0 || e.code === 'unrecognized_keys'));
      if (branch) {
        out.push(...expandUnions(branch.map((e) => ({ ...e, path: [...issue.path, ...e.path] }) as Issue)));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

/** Validates raw config data from a file; ConfigError with positions on failure. */
export function validateConfig(data: unknown, shown: string, source: string | undefined, locate: Locate | undefined): UserConfig {
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(shown, [{ message: `the configuration must be an object of settings, got ${show(data)}`, line: 1, column: 1 }], source);
  }
  const result = configSchema.safeParse(data);
  if (result.success) return data as UserConfig;
  const problems: ConfigProblem[] = [];
  const missing = new Map<string, { issue: Issue; keys: string[] }>();
  for (const issue of expandUnions(result.error.issues)) {
    // Fields missing from one object are reported together, at the key of that object.
    const last = issue.path[issue.path.length - 1];
    if (issue.code === 'invalid_type' && typeof last === 'string' && valueAt(data, issue.path) === undefined) {
      const parent = formatPath(issue.path.slice(0, -1));
      const group = missing.get(parent);
      if (group) {
        group.keys.push(last);
        continue;
      }
      missing.set(parent, { issue, keys: [last] });
      continue;
    }
    problems.push(placed({ message: describeIssue(issue, data) }, issue, locate));
  }
  for (const [parent, { issue, keys }] of missing) {
    const message =
      keys.length === 1
        ? describeIssue(issue, data)
        : `${parent ? `${parent}: ` : ''}${keys.join(', ')} are missing (${describeField(issue.path.slice(0, -1))?.replace(/\.$/, '') ?? 'required'})`;
    problems.push(placed({ message }, issue, locate));
  }
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  throw new ConfigError(shown, problems, source);
}
