/** Real tools the tests check outputs with: poppler, qpdf, epubcheck, and the imprint bin itself. */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { repoRoot } from './paths.js';

const exec = promisify(execFile);

export async function tool(command: string, args: string[]): Promise<string> {
  const { stdout } = await exec(command, args, { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

export interface EpubcheckResult {
  errors: number;
  warnings: number;
  fatals: number;
  output: string;
}

/** Runs W3C epubcheck and counts its messages. */
export async function epubcheck(file: string): Promise<EpubcheckResult> {
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn('java', ['-jar', '/usr/share/java/epubcheck.jar', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
  const count = (kind: string): number => (result.output.match(new RegExp(`^${kind}\\(`, 'gm')) ?? []).length;
  return { errors: count('ERROR'), warnings: count('WARNING'), fatals: count('FATAL'), output: result.output };
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

export async function pdffonts(file: string): Promise<PdfFont[]> {
  const lines = (await tool('pdffonts', [file])).split('\n').slice(2).filter((l) => l.trim());
  return lines.map((line) => {
    // name type… encoding emb sub uni object ID — the last six columns are fixed.
    const parts = line.trim().split(/\s+/);
    const [emb, sub] = parts.slice(-5, -3);
    const name = parts[0] ?? '';
    const type = line.slice(37, 55).trim();
    return { name, type, embedded: emb === 'yes', subset: sub === 'yes' };
  });
}

export async function pdfinfo(file: string): Promise<Record<string, string>> {
  const info: Record<string, string> = {};
  for (const line of (await tool('pdfinfo', ['-isodates', file])).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) info[m[1].trim()] = m[2].trim();
  }
  return info;
}

export async function pdftext(file: string, page?: number): Promise<string> {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return tool('pdftotext', [...range, '-enc', 'UTF-8', file, '-']);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `imprint` bin as a child process. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'imprint.js'), ...args], {
      cwd: options.cwd ?? repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: import('node:child_process').ChildProcess;
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first match of `pattern` in stdout (rejects when the process ends first or after timeoutMs). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code (or signal name). */
  stop(): Promise<number | string | null>;
}

/** Starts the real `imprint` bin as a long-running child process (e.g. `preview`). */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): RunningCli {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'imprint.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const exit = new Promise<number | string | null>((resolve) => {
    child.on('close', (code, signal) => {
      exited = true;
      resolve(code ?? signal);
    });
  });
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForOutput(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = stdout.match(pattern);
          if (match) {
            cleanup();
            resolve(match);
            return true;
          }
          return false;
        };
        const onData = (): void => void check();
        const onClose = (): void => {
          if (!check()) {
            cleanup();
            reject(new Error(`imprint ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`imprint did not print ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('close', onClose);
        };
        child.stdout?.on('data', onData);
        child.on('close', onClose);
        if (!check() && exited) onClose();
      });
    },
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        const code = await exit;
        clearTimeout(timer);
        return code;
      }
      return exit;
    },
  };
}
