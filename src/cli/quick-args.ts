/**
 * The usual publish command lines read without commander: `imprint`, `imprint publish --offline`,
 * `imprint a.md b.md -f pdf --out=dist`. Loading commander (and the Node modules it needs) costs
 * more than a whole run whose outputs are up to date, so cli.ts asks here first.
 *
 * Only a plain subset is read, with the very flags commander is given (options.ts), to the same
 * result as commander (test/cli-quick-args.test.ts compares them): long flags (`--out dir`,
 * `--out=dir`), single short flags (`-o dir`, `-q`), and file names. Anything else — help,
 * version, another command, grouped or attached short flags, `--`, a value starting with `-`, an
 * unknown or conflicting flag, a value its parser rejects — gives undefined, and commander reads
 * the command line (and reports its problems) as always.
 */
import { CONFIG_FLAGS, PUBLISH_FLAGS, type FlagSpec } from './options.js';
import type { PublishFlags } from './commands/publish.js';

/** Every command of the program (and commander's own `help`): a file name must not be one. */
export const COMMAND_NAMES: readonly string[] = ['publish', 'preview', 'init', 'check', 'config', 'help'];

interface QuickFlag {
  spec: FlagSpec;
  /** Long name without the dashes. */
  long: string;
  /** commander's attribute name: `--page-size` → pageSize. */
  key: string;
  takesValue: boolean;
}

function quickFlag(spec: FlagSpec): { short: string | undefined; long: string; flag: QuickFlag } {
  const match = /^(?:-(\w), )?--([a-z][\w-]*)(?: <[^>]+>)?$/.exec(spec.flags);
  if (!match?.[2]) throw new Error(`unexpected flags "${spec.flags}"`);
  const long = match[2];
  const key = long.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return { short: match[1], long, flag: { spec, long, key, takesValue: spec.flags.includes('<') } };
}

const LONG = new Map<string, QuickFlag>();
const SHORT = new Map<string, QuickFlag>();
for (const spec of [...CONFIG_FLAGS, ...PUBLISH_FLAGS]) {
  const { short, long, flag } = quickFlag(spec);
  LONG.set(long, flag);
  if (short) SHORT.set(short, flag);
}

export interface QuickPublish {
  files: string[];
  flags: PublishFlags;
}

/** The publish command `argv` asks for, when it is a plain one; otherwise undefined (use commander). */
export function quickPublishArgs(argv: readonly string[]): QuickPublish | undefined {
  const args = argv[0] === 'publish' ? argv.slice(1) : [...argv];
  const files: string[] = [];
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    let flag: QuickFlag | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      flag = LONG.get(eq < 0 ? arg.slice(2) : arg.slice(2, eq));
      if (eq >= 0) inline = arg.slice(eq + 1);
    } else if (arg.startsWith('-')) {
      flag = arg.length === 2 ? SHORT.get(arg.slice(1)) : undefined;
    } else {
      if (COMMAND_NAMES.includes(arg)) return undefined;
      files.push(arg);
      continue;
    }
    if (!flag) return undefined;
    if (!flag.takesValue) {
      if (inline !== undefined) return undefined;
      values[flag.key] = true;
    } else {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
      try {
        values[flag.key] = flag.spec.parse ? flag.spec.parse(value) : value;
      } catch {
        return undefined;
      }
    }
    given.add(flag.long);
  }
  for (const name of given) {
    const conflicts = LONG.get(name)?.spec.conflicts;
    if (conflicts && given.has(conflicts)) return undefined;
  }
  return { files, flags: values as PublishFlags };
}
