/**
 * The configuration reference, read from the zod schema itself: every field's key, type,
 * default and description. docs/cli.md, `imprint config` and the `--help` flag descriptions
 * come from here, so they cannot drift from what is validated.
 */
import * as core from 'zod/v4/core';
import * as z from 'zod/mini';
import { configSchema } from './schema.js';

export interface ConfigField {
  /** Dotted key, e.g. page.size. */
  path: string;
  /** Type as a user would write it, e.g. `"A4" | "A5"`, `integer 1–32`, `string[]`. */
  type: string;
  /** Default as JSON, or undefined when the field is unset by default. */
  default?: string;
  description: string;
  /** True for objects whose fields are listed separately. */
  group: boolean;
}

type AnySchema = core.$ZodType;

interface NumberCheck {
  check?: string;
  value?: number;
  inclusive?: boolean;
}

/** The line that explains a schema (schema.ts attaches it). */
const descriptionOf = (schema: AnySchema): string | undefined => z.globalRegistry.get(schema)?.description;

/**
 * Strips default/optional wrappers, keeping the outermost description and default. A group's
 * `prefault({})` is no default of its own: its fields' defaults apply.
 */
function unwrap(schema: AnySchema): { inner: AnySchema; description: string | undefined; defaultValue: unknown; hasDefault: boolean } {
  let inner = schema;
  let description = descriptionOf(schema);
  let defaultValue: unknown;
  let hasDefault = false;
  for (;;) {
    if (inner instanceof core.$ZodDefault) {
      if (!hasDefault) {
        hasDefault = true;
        defaultValue = inner._zod.def.defaultValue;
      }
      inner = inner._zod.def.innerType;
    } else if (inner instanceof core.$ZodOptional || inner instanceof core.$ZodPrefault) {
      inner = inner._zod.def.innerType;
    } else {
      break;
    }
    description ??= descriptionOf(inner);
  }
  return { inner, description, defaultValue, hasDefault };
}

/** Whether a number setting is whole, and its bounds (from the schema's checks). */
export function numberBounds(schema: AnySchema): { int: boolean; min?: number; max?: number } {
  const { inner } = unwrap(schema);
  const def = inner._zod.def as core.$ZodNumberDef & { format?: string };
  const int = def.format?.includes('int') ?? false;
  const bounds: { int: boolean; min?: number; max?: number } = { int };
  for (const check of (def.checks ?? []).map((c) => (c as unknown as { _zod: { def: NumberCheck } })._zod.def)) {
    if (check.check === 'greater_than' && check.value !== undefined) bounds.min = check.inclusive ? check.value : int ? check.value + 1 : check.value;
    if (check.check === 'less_than' && check.value !== undefined) bounds.max = check.inclusive ? check.value : int ? check.value - 1 : check.value;
  }
  return bounds;
}

function numberType(schema: core.$ZodNumber): string {
  const { int, min, max } = numberBounds(schema);
  const base = int ? 'integer' : 'number';
  if (min !== undefined && max !== undefined) return `${base} ${min}–${max}`;
  if (min !== undefined) return `${base} ≥ ${min}`;
  if (max !== undefined) return `${base} ≤ ${max}`;
  return base;
}

/** A short, human type for a schema. */
export function typeName(schema: AnySchema): string {
  const { inner } = unwrap(schema);
  if (inner instanceof core.$ZodString) {
    const checks = inner._zod.def.checks ?? [];
    return checks.some((c) => (c._zod.def as { format?: string }).format === 'regex') ? 'CSS length' : 'string';
  }
  if (inner instanceof core.$ZodNumber) return numberType(inner);
  if (inner instanceof core.$ZodBoolean) return 'boolean';
  if (inner instanceof core.$ZodEnum) return Object.values(inner._zod.def.entries).map((o) => JSON.stringify(o)).join(' | ');
  if (inner instanceof core.$ZodArray) {
    const element = typeName(inner._zod.def.element);
    return element.includes('|') ? `(${element})[]` : `${element}[]`;
  }
  if (inner instanceof core.$ZodUnion) return inner._zod.def.options.map((o) => typeName(o)).join(' | ');
  if (inner instanceof core.$ZodObject) return `{ ${Object.keys(inner._zod.def.shape).join(', ')} }`;
  return inner._zod.def.type;
}

/** Every field of the schema, depth first, objects before their fields. */
export function configFields(schema: core.$ZodObject = configSchema): ConfigField[] {
  const fields: ConfigField[] = [];
  const walk = (shape: Record<string, AnySchema>, prefix: string, parentDescription: string): void => {
    for (const [key, child] of Object.entries(shape)) {
      const { inner, description, defaultValue, hasDefault } = unwrap(child);
      const path = prefix ? `${prefix}.${key}` : key;
      const group = inner instanceof core.$ZodObject;
      // A field without a description of its own is explained by its parent's.
      const text = description ?? (parentDescription ? `${parentDescription.replace(/\.$/, '')}: ${key}.` : '');
      const field: ConfigField = { path, type: group ? 'object' : typeName(child), description: text, group };
      // A group's default is shown when its fields have none of their own (e.g. page.margin).
      const childDefaults = group && Object.values(inner._zod.def.shape).some((c) => unwrap(c).hasDefault);
      if (hasDefault && !childDefaults) field.default = JSON.stringify(defaultValue);
      fields.push(field);
      if (inner instanceof core.$ZodObject) walk(inner._zod.def.shape, path, text);
    }
  };
  walk(schema._zod.def.shape, '', '');
  return fields;
}

/** The schema found at a path of keys (array indexes step into the element), if any. */
export function schemaAt(path: readonly PropertyKey[], schema: AnySchema = configSchema): AnySchema | undefined {
  let current: AnySchema | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    const { inner } = unwrap(current);
    if (inner instanceof core.$ZodObject && typeof key === 'string') current = inner._zod.def.shape[key];
    else if (inner instanceof core.$ZodArray && typeof key === 'number') current = inner._zod.def.element;
    else return undefined;
  }
  return current;
}

/** The description of the field at a path (e.g. ['page', 'size']). */
export function describeField(path: readonly PropertyKey[]): string | undefined {
  const schema = schemaAt(path);
  return schema ? unwrap(schema).description : undefined;
}

/** The keys an object at `path` accepts (for "did you mean" hints). */
export function keysAt(path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(path);
  if (!schema) return [];
  const { inner } = unwrap(schema);
  return inner instanceof core.$ZodObject ? Object.keys(inner._zod.def.shape) : [];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The reference as a Markdown table (for docs/cli.md). */
export function configReferenceMarkdown(): string {
  const rows = configFields().map((f) => {
    const type = f.group ? 'object' : `\`${escapeCell(f.type)}\``;
    const def = f.default === undefined ? '—' : `\`${escapeCell(f.default)}\``;
    return `| \`${f.path}\` | ${type} | ${def} | ${escapeCell(f.description.replace(/</g, '&lt;').replace(/>/g, '&gt;'))} |`;
  });
  return ['| Key | Type | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The reference as plain text (for `imprint config`). */
export function configReferenceText(): string {
  const lines: string[] = [];
  for (const f of configFields()) {
    const depth = f.path.split('.').length - 1;
    const indent = '  '.repeat(depth);
    if (f.group) {
      lines.push(`${indent}${f.path}: ${f.description}${f.default === undefined ? '' : ` (default ${f.default})`}`);
      continue;
    }
    lines.push(`${indent}${f.path}  (${f.type}${f.default === undefined ? '' : `, default ${f.default}`})`);
    lines.push(`${indent}    ${f.description}`);
  }
  return lines.join('\n');
}
