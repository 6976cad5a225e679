/**
 * Reads the YAML front matter, validates it and records it as
 * `file.data.frontMatter`. Broken YAML or a wrong type is fatal (file.fail
 * with the line and column in the Markdown file). An error about something
 * left open — a `[`, a `{`, a quote — is placed where YAML's parser says the
 * open thing starts (an unclosed `[` on line 2, column 8 is 2:8), not where
 * the parser gave up looking for its end (the next line).
 */
import type { Root, Yaml } from 'mdast';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { LineCounter, Parser, isMap, isScalar, parseDocument } from 'yaml';
import type { CST, Document, Node as YamlNode, YAMLError } from 'yaml';
import type { FrontMatter } from '../model.js';
import { diagnose, type ErrorRuleId } from '../diagnostics/rules.js';

export interface FrontMatterMetaOptions {
  /** Keys that must be strings (numbers are accepted and converted). */
  stringKeys?: readonly string[];
}

const STRING_KEYS = ['title', 'subtitle', 'author', 'publisher', 'lang', 'source', 'rights', 'description', 'cover'];
const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

export default function remarkFrontMatterMeta(options: FrontMatterMetaOptions = {}) {
  const stringKeys = options.stringKeys ?? STRING_KEYS;
  return (tree: Root, file: VFile): void => {
    const node = tree.children.find((child): child is Yaml => child.type === 'yaml');
    file.data.frontMatter = node ? readFrontMatter(node, file, stringKeys) : {};
  };
}

function readFrontMatter(node: Yaml, file: VFile, stringKeys: readonly string[]): FrontMatter {
  const lineCounter = new LineCounter();
  const doc = parseDocument(node.value, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // The YAML text starts on the line after the opening `---`.
  const firstLine = (node.position?.start.line ?? 1) + 1;
  const at = (offset: number | undefined): Point => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: firstLine + pos.line - 1, column: pos.col };
  };
  const fail = (reason: string, offset: number | undefined, ruleId: ErrorRuleId): never => diagnose(file, ruleId, reason, at(offset));

  const error = doc.errors[0];
  if (error) fail(`Invalid YAML front matter: ${error.message.split('\n')[0] ?? ''}`, errorOffset(node.value, error), 'front-matter-yaml');
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) fail('Front matter must be a mapping of keys to values', doc.contents.range?.[0], 'front-matter-type');

  const result: FrontMatter = {};
  const data: unknown = doc.toJS();
  if (typeof data !== 'object' || data === null) return result;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const valueNode = doc.get(key, true) as YamlNode | undefined;
    const offset = valueNode?.range?.[0] ?? keyOffset(doc, key);
    if (value === null || value === undefined) {
      diagnose(file, 'front-matter-empty', `Front matter key \`${key}\` is empty and was ignored`, at(keyOffset(doc, key)));
      continue;
    }
    if (key === 'date') {
      result.date = normaliseDate(value) ?? fail('Front matter `date` must be an ISO 8601 date, e.g. 2023-11-15', offset, 'front-matter-type');
    } else if (key === 'keywords') {
      result.keywords = normaliseKeywords(value) ?? fail('Front matter `keywords` must be a list of strings', offset, 'front-matter-type');
    } else if (stringKeys.includes(key)) {
      if (typeof value !== 'string' && typeof value !== 'number') {
        fail(`Front matter \`${key}\` must be a string`, offset, 'front-matter-type');
      }
      const str = String(value).trim();
      if (key === 'lang' && !LANG.test(str)) fail('Front matter `lang` must be a BCP 47 tag such as zh-CN or en', offset, 'front-matter-type');
      result[key] = str;
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** What an error about something left open is about: the opening character it names. */
function openerOf(error: YAMLError): '[' | '{' | '"' | "'" | undefined {
  const message = error.message;
  if (/flow sequence\b.*\bend with a \]/i.test(message)) return '[';
  if (/flow map(ping)?\b.*\bend with a \}/i.test(message)) return '{';
  if (/missing closing "/i.test(message)) return '"';
  if (/missing closing '/i.test(message)) return "'";
  return undefined;
}

/**
 * The offset in `text` of a YAML error: for a `[`, `{` or quote left open, where that opener
 * stands (the last one still open before the place the parser stopped); otherwise where the
 * parser says the error is.
 */
function errorOffset(text: string, error: YAMLError): number {
  const at = error.pos[0];
  const opener = openerOf(error);
  if (opener === undefined) return at;
  let found: number | undefined;
  const visit = (token: CST.Token | undefined): void => {
    if (!token || token.offset > at) return;
    switch (token.type) {
      case 'flow-collection': {
        const closed = token.end.some((end) => end.type === 'flow-seq-end' || end.type === 'flow-map-end');
        if (!closed && token.start.source === opener) found = Math.max(found ?? -1, token.start.offset);
        for (const item of token.items) {
          visit(item.key ?? undefined);
          visit(item.value ?? undefined);
        }
        return;
      }
      case 'block-map':
      case 'block-seq':
        for (const item of token.items) {
          if ('key' in item) visit(item.key ?? undefined);
          visit(item.value ?? undefined);
        }
        return;
      case 'document':
        visit(token.value);
        return;
      case 'double-quoted-scalar':
      case 'single-quoted-scalar': {
        const quote = token.type === 'double-quoted-scalar' ? '"' : "'";
        const body = token.source.trimEnd();
        const closed = body.length > 1 && body.endsWith(quote) && (quote === "'" || !/(^|[^\\])(\\\\)*\\"$/.test(body));
        if (!closed && quote === opener) found = Math.max(found ?? -1, token.offset);
        return;
      }
      default:
        return;
    }
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found ?? at;
}

function keyOffset(doc: Document, key: string): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.value === key) return pair.key.range?.[0];
  }
  return undefined;
}

/** `2023-11-15`, a YAML timestamp (Date) or a full ISO date-time → ISO string. */
export function normaliseDate(value: unknown): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value !== 'string') return undefined;
  const str = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(str)) return Number.isNaN(Date.parse(str)) ? undefined : str;
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(str) && !Number.isNaN(Date.parse(str))) return str.replace(' ', 'T');
  return undefined;
}

function normaliseKeywords(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(/[,，、;；]/).map((k) => k.trim()).filter(Boolean);
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string' && typeof item !== 'number') return undefined;
    const str = String(item).trim();
    if (str) out.push(str);
  }
  return out;
}

