/**
 * The configuration reference, read from the zod schema itself: every field's key, type,
 * default and description. docs/cli.md, `imprint config` and the `--help` flag descriptions
 * come from here, so they cannot drift from what is validated.
 */
import { z } from 'zod';
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

type AnySchema = z.ZodType;

interface NumberCheck {
  check?: string;
  value?: number;
  inclusive?: boolean;
}

/** Strips default/optional wrappers, keeping the outermost description and default. */
function unwrap(schema: AnySchema): { inner: AnySchema; description: string | undefined; defaultValue: unknown; hasDefault: boolean } {
  let inner = schema;
  let description = schema.description;
  let defaultValue: unknown;
  let hasDefault = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      if (!hasDefault) {
        hasDefault = true;
        defaultValue = (inner.def as { defaultValue: unknown }).defaultValue;
      }
      inner = inner.def.innerType as AnySchema;
    } else if (inner instanceof z.ZodOptional) {
      inner = inner.def.innerType as AnySchema;
    } else {
      break;
    }
    description ??= inner.description;
  }
  return { inner, description, defaultValue, hasDefault };
}

function numberType(schema: z.ZodNumber): string {
  const checks = (schema.def.checks ?? []).map((c) => (c as unknown as { _zod: { def: NumberCheck } })._zod.def);
  const int = schema.isInt;
  let min: number | undefined;
  let max: number | undefined;
  for (const check of checks) {
    if (check.check === 'greater_than' && check.value !== undefined) min = check.inclusive ? check.value : int ? check.value + 1 : check.value;
    if (check.check === 'less_than' && check.value !== undefined) max = check.inclusive ? check.value : int ? check.value - 1 : check.value;
  }
  const base = int ? 'integer' : 'number';
  if (min !== undefined && max !== undefined) return `${base} ${min}–${max}`;
  if (min !== undefined) return `${base} ≥ ${min}`;
  if (max !== undefined) return `${base} ≤ ${max}`;
  return base;
}

/** A short, human type for a schema. */
export function typeName(schema: AnySchema): string {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodString) {
    const checks = inner.def.checks ?? [];
    return checks.some((c) => (c as unknown as { _zod: { def: { format?: string } } })._zod.def.format === 'regex') ? 'CSS length' : 'string';
  }
  if (inner instanceof z.ZodNumber) return numberType(inner);
  if (inner instanceof z.ZodBoolean) return 'boolean';
  if (inner instanceof z.ZodEnum) return inner.options.map((o) => JSON.stringify(o)).join(' | ');
  if (inner instanceof z.ZodArray) {
    const element = typeName(inner.element as AnySchema);
    return element.includes('|') ? `(${element})[]` : `${element}[]`;
  }
  if (inner instanceof z.ZodUnion) return (inner.options as readonly AnySchema[]).map((o) => typeName(o)).join(' | ');
  if (inner instanceof z.ZodObject) return `{ ${Object.keys(inner.shape).join(', ')} }`;
  return inner.def.type;
}

/** Every field of the schema, depth first, objects before their fields. */
export function configFields(schema: z.ZodObject = configSchema): ConfigField[] {
  const fields: ConfigField[] = [];
  const walk = (shape: Record<string, AnySchema>, prefix: string, parentDescription: string): void => {
    for (const [key, child] of Object.entries(shape)) {
      const { inner, description, defaultValue, hasDefault } = unwrap(child);
      const path = prefix ? `${prefix}.${key}` : key;
      const group = inner instanceof z.ZodObject;
      // A field without a description of its own is explained by its parent's.
      const text = description ?? (parentDescription ? `${parentDescription.replace(/\.$/, '')}: ${key}.` : '');
      const field: ConfigField = { path, type: group ? 'object' : typeName(child), description: text, group };
      // A group's default is shown when its fields have none of their own (e.g. page.margin).
      const childDefaults = group && Object.values(inner.shape as Record<string, AnySchema>).some((c) => unwrap(c).hasDefault);
      if (hasDefault && !childDefaults) field.default = JSON.stringify(defaultValue);
      fields.push(field);
      if (inner instanceof z.ZodObject) walk(inner.shape as Record<string, AnySchema>, path, text);
    }
  };
  walk(schema.shape as Record<string, AnySchema>, '', '');
  return fields;
}

/** The schema found at a path of keys (array indexes step into the element), if any. */
export function schemaAt(path: readonly PropertyKey[], schema: AnySchema = configSchema): AnySchema | undefined {
  let current: AnySchema | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    const { inner } = unwrap(current);
    if (inner instanceof z.ZodObject && typeof key === 'string') current = (inner.shape as Record<string, AnySchema>)[key];
    else if (inner instanceof z.ZodArray && typeof key === 'number') current = inner.element as AnySchema;
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
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
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
