/**
 * Running one command for the bench: wall-clock time from spawn to exit (Node's start-up
 * included, as a user sees it), its output, for Node commands the peak RSS (through
 * rss-probe.js, loaded with --import), and the peak RSS of the largest process of the whole
 * tree (Chromium's too), through GNU time when /usr/bin/time exists: the rusage of a waited-for
 * child carries the largest peak of every descendant its parents waited for.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ProbeResult } from './rss-probe.js';

export interface Measured {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the Node process in bytes (Node commands only). */
  peakRss?: number;
  /** CPU time (user + system) of the command and every process it started, in ms (Linux only). */
  cpuMs?: number;
  /** CPU time of the Node process alone, in ms (Node commands only). */
  nodeCpuMs?: number;
  /** Peak resident memory of the largest process the command ran (itself or a descendant), in bytes. */
  largestRss?: number;
}

/** GNU time, which reports the largest peak RSS of a process tree (%M). */
const GNU_TIME = '/usr/bin/time';
const HAS_GNU_TIME = existsSync(GNU_TIME);

/**
 * CPU time of this process's waited-for children (cutime + cstime from /proc/self/stat), in ms.
 * A child's figure includes its own children (Chromium and its renderers) once they are reaped.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3; cutime and cstime are fields 16 and 17.
    const cutime = Number(fields[16 - 3]);
    const cstime = Number(fields[17 - 3]);
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? ((cutime + cstime) * 1000) / CLOCK_TICKS : undefined;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Node script: run with process.execPath and the RSS probe. */
  node?: boolean;
  timeoutMs?: number;
}

const PROBE = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-probe.js')).href;

export async function measure(command: string, args: readonly string[], options: RunOptions): Promise<Measured> {
  const probeDir = await mkdtemp(path.join(os.tmpdir(), 'imprint-bench-rss-'));
  const rssFile = options.node ? path.join(probeDir, 'rss') : undefined;
  const treeFile = path.join(probeDir, 'tree');
  const [command0, argv0] = options.node ? [process.execPath, ['--import', PROBE, command, ...args]] : [command, [...args]];
  const [exe, argv] = HAS_GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', treeFile, command0, ...argv0]] : [command0, argv0];
  const env = { ...process.env, ...options.env, ...(rssFile ? { IMPRINT_BENCH_RSS_FILE: rssFile } : {}) };
  const cpuBefore = childrenCpuMs();
  const start = performance.now();
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(exe, argv, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  const ms = performance.now() - start;
  const measured: Measured = { ms, ...result };
  const cpuAfter = childrenCpuMs();
  if (cpuBefore !== undefined && cpuAfter !== undefined) measured.cpuMs = cpuAfter - cpuBefore;
  if (rssFile) {
    try {
      const probe = JSON.parse(await readFile(rssFile, 'utf8')) as ProbeResult;
      measured.peakRss = probe.maxRssKiB * 1024;
      measured.nodeCpuMs = (probe.userMicros + probe.systemMicros) / 1000;
    } catch {
      // The process died before its exit handler ran: no figures.
    }
  }
  if (HAS_GNU_TIME) {
    // KiB on the last line (a line before it says when the command exited non-zero).
    const kib = Number((await readFile(treeFile, 'utf8').catch(() => '')).trim().split('\n').at(-1));
    if (Number.isFinite(kib) && kib > 0) measured.largestRss = kib * 1024;
  }
  await rm(probeDir, { recursive: true, force: true });
  return measured;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
