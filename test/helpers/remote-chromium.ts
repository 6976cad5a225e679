/**
 * A Chromium with remote debugging on 127.0.0.1, as a browser pool (browserless, or any Chrome
 * started with remote debugging) runs one: for the tests of `--browser-endpoint`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromiumArgs, findChromium } from '../../src/browser/provider.js';

/** Starts it with its profile and temporary files in `folder`; resolves with its ws:// endpoint. */
export async function startRemoteChromium(folder: string): Promise<{ child: ChildProcess; endpoint: string }> {
  await mkdir(folder, { recursive: true });
  const executable = findChromium()?.path ?? '/usr/bin/chromium';
  const args = [...chromiumArgs(), '--headless', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${path.join(folder, 'profile')}`, 'about:blank'];
  const child = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TMPDIR: folder } });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`Chromium printed no DevTools endpoint:\n${stderr}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, endpoint: match[1] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}) before listening:\n${stderr}`));
    });
  });
}
