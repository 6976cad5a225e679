/**
 * Starting Chromium ourselves rather than through puppeteer.launch: the process is spawned at
 * once, while Node is still loading puppeteer-core (≈ 0.4 s here) — the two overlap instead of
 * following each other — and Puppeteer then connects over the DevTools pipe.
 *
 * The pipe (--remote-debugging-pipe, file descriptors 3 and 4) opens no port, and Chromium exits
 * by itself when the pipe closes: a killed Imprint leaves no browser behind.
 *
 * Nothing is left in the temporary folder (issue 18). Chromium gets one folder of its own there,
 * imprint-chromium-XXXXXX, holding its profile and, as its TMPDIR, every temporary file it makes
 * (the org.chromium.Chromium.* shared-memory files of --disable-dev-shm-usage among them). It is
 * closed gracefully (Browser.close, which deletes its own files) and killed only when it has not
 * exited after a grace period; the folder is removed once the process is gone, whichever way it
 * ended — also when Imprint is interrupted (provider.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { ConnectionTransport } from 'puppeteer-core';
import { chromiumArgs } from './chromium.js';

/**
 * What puppeteer.launch passes for a headless Chrome (puppeteer-core 24, `defaultArgs()`), which
 * the PDF relies on (tagged PDF, outline, sRGB, no scrollbars, no throttling of background pages).
 * test/unit/chromium-flags.test.ts fails when Puppeteer's list changes and this copy does not.
 */
const PUPPETEER_DEFAULTS = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
  '--headless=new',
  '--hide-scrollbars',
  '--mute-audio',
];

/** DevTools messages over Chromium's pipe: JSON, each ended by a NUL byte. */
class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  /** The pipe is gone (Chromium exited, or close() was called). */
  #ended = false;
  /** Puppeteer was told; a pipe that ends before Puppeteer listens is told at its first send. */
  #told = false;
  #pending: Buffer[] = [];

  constructor(
    private readonly toChromium: Writable,
    fromChromium: Readable,
  ) {
    fromChromium.on('data', (chunk: Buffer) => this.#receive(chunk));
    const end = (): void => this.#end();
    fromChromium.on('close', end);
    fromChromium.on('error', end);
    toChromium.on('error', end);
  }

  send(message: string): void {
    if (this.#ended) {
      // Puppeteer's pending calls are rejected (and their timers cleared) instead of waiting.
      this.#end();
      return;
    }
    this.toChromium.write(message);
    this.toChromium.write('\0');
  }

  close(): void {
    this.toChromium.end();
    this.#end();
  }

  #end(): void {
    this.#ended = true;
    if (this.#told || !this.onclose) return;
    this.#told = true;
    const onclose = this.onclose;
    setImmediate(onclose);
  }

  #receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0); end >= 0; end = chunk.indexOf(0, start)) {
      const message = Buffer.concat([...this.#pending, chunk.subarray(start, end)]).toString('utf8');
      this.#pending = [];
      start = end + 1;
      // Puppeteer expects messages one event-loop turn apart, as a WebSocket delivers them.
      setImmediate(() => this.onmessage?.(message));
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
  }
}

export interface ChromiumProcess {
  child: ChildProcess;
  transport: ConnectionTransport;
  /** Rejects, with the end of Chromium's error output, when the process exits or cannot start. */
  failed: Promise<never>;
  /**
   * Ends Chromium: `shutdown` (which asks it to close, e.g. Browser.close over DevTools) is given
   * `graceMs` to end the process, then its whole process group is killed; its folder is removed.
   * Without `shutdown`, it is killed at once. Calls after the first share its promise.
   */
  close(shutdown?: () => Promise<unknown>, graceMs?: number): Promise<void>;
  /** Kills Chromium and removes its folder synchronously, for the process's exit handler. */
  killNow(): void;
}

/** How long a Chromium asked to close may take before it is killed. Its own shutdown takes 0.1–0.5 s on a busy 2-core machine. */
export const CLOSE_GRACE_MS = 3000;

/**
 * Kills the process group Chromium leads (renderers, zygote, utilities), or Chromium alone. Also
 * right after Chromium itself has exited: a helper still ending then is in the group, whose id
 * Linux does not give to another process while one of its members lives.
 */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Every argument Chromium is started with, for a profile folder. */
export function launchArgs(profile: string): string[] {
  return [...PUPPETEER_DEFAULTS, ...chromiumArgs(), `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'];
}

/** Every Chromium started and not yet closed, by its synchronous kill: the exit handler ends them all. */
const live = new Set<() => void>();
let exitHookInstalled = false;

/** Starts headless Chromium in a temporary folder of its own, talking DevTools over a pipe. */
export async function startChromium(executable: string): Promise<ChromiumProcess> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const killNow of live) killNow();
    });
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'imprint-chromium-'));
  // Known before the process is: a run that exits while Chromium starts still removes its folder.
  const removeNow = (): void => rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  live.add(removeNow);
  const profile = path.join(folder, 'profile');
  const temporary = path.join(folder, 'tmp');
  await Promise.all([mkdir(profile), mkdir(temporary)]);
  const args = launchArgs(profile);
  // Chromium's temporary files (base::GetTempDir reads TMPDIR) go to its own folder.
  const env = { ...process.env, TMPDIR: temporary };
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', env });
  // 'error' instead of 'exit' when the executable could not be run at all.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Chromium could not be started (${executable}): ${error.message}`)));
    child.once('exit', (code, signal) => {
      const last = stderr.trim().split('\n').slice(-3).join(' ');
      reject(new Error(`Chromium exited (${signal ?? `code ${code}`})${last ? `: ${last}` : ''}`));
    });
  });
  failed.catch(() => undefined);
  const toChromium = child.stdio[3] as Writable | null;
  const fromChromium = child.stdio[4] as Readable | null;
  const removeFolder = (): Promise<void> => rm(folder, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  const killNow = (): void => {
    killGroup(child);
    try {
      removeNow();
    } catch {
      // Best effort at exit: a file still being written by a dying helper.
    }
  };
  live.delete(removeNow);
  live.add(killNow);
  if (!toChromium || !fromChromium) {
    killGroup(child);
    await exited;
    await removeFolder();
    live.delete(killNow);
    throw new Error('Chromium was started without its DevTools pipe');
  }
  const transport = new PipeTransport(toChromium, fromChromium);
  let closing: Promise<void> | undefined;
  const close = async (shutdown: (() => Promise<unknown>) | undefined, graceMs: number): Promise<void> => {
    const running = (): boolean => child.exitCode === null && child.signalCode === null;
    if (shutdown && running()) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.all([shutdown().catch(() => undefined), exited]), grace]);
      clearTimeout(timer);
    }
    transport.close();
    // Chromium's helpers (renderers, zygote) share its process group: none outlives the close.
    killGroup(child);
    await exited;
    await removeFolder();
    live.delete(killNow);
  };
  return {
    child,
    transport,
    failed,
    close(shutdown, graceMs = CLOSE_GRACE_MS) {
      closing ??= close(shutdown, graceMs);
      return closing;
    },
    killNow() {
      transport.close();
      killNow();
      live.delete(killNow);
    },
  };
}
