/**
 * The peers the bench compares Imprint with, when they are installed: Pandoc (EPUB) and
 * md-to-pdf (PDF, Puppeteer). Each is found on PATH or in the project's node_modules/.bin;
 * md-to-pdf is pointed at the same Chromium Imprint uses.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface Peer {
  name: string;
  /** Executable to run. */
  command: string;
  /** Version line, for the report. */
  version: string;
  /** Arguments converting `files` (written next to each input, or to `out`). */
  args(files: readonly string[], out: string): string[];
}

/** An executable on PATH or in <root>/node_modules/.bin, or undefined. */
function findExecutable(name: string, root: string): string | undefined {
  const local = path.join(root, 'node_modules', '.bin', name);
  if (existsSync(local)) return local;
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function versionOf(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return (result.stdout || result.stderr || '').split('\n')[0]?.trim() || 'unknown version';
}

export function findPandoc(root: string): Peer | undefined {
  const command = findExecutable('pandoc', root);
  if (!command) return undefined;
  return {
    name: 'pandoc',
    command,
    version: versionOf(command, ['--version']),
    args: (files, out) => ['--from', 'markdown', '--to', 'epub3', '--output', out, ...files],
  };
}

export function findMdToPdf(root: string, chromium: string | undefined): Peer | undefined {
  const command = findExecutable('md-to-pdf', root);
  if (!command) return undefined;
  const launch: { executablePath?: string; args: string[] } = { args: [] };
  if (chromium) launch.executablePath = chromium;
  if (typeof process.getuid === 'function' && process.getuid() === 0) launch.args.push('--no-sandbox');
  return {
    name: 'md-to-pdf',
    command,
    version: `md-to-pdf ${versionOf(command, ['--version'])}`,
    args: (files) => ['--launch-options', JSON.stringify(launch), ...files],
  };
}
