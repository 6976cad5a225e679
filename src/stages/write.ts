/**
 * Last stage, write: every output is written to a temporary file in the same folder and then
 * renamed over the old one, so a reader never sees a half-written file and a failed build
 * leaves the previous output intact. A document's outputs are written together (writeAllAtomic)
 * once all its formats are made: every temporary file first, then the renames. Temporary files
 * still in flight when the process is interrupted are removed on exit.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const inFlight = new Set<string>();
let exitHookInstalled = false;

function removeInFlight(): void {
  for (const temp of inFlight) rmSync(temp, { force: true });
  inFlight.clear();
}

export async function writeAtomic(target: string, data: Uint8Array | string): Promise<void> {
  await writeAllAtomic([{ target, data }]);
}

export interface PendingWrite {
  target: string;
  data: Uint8Array | string;
}

/** Writes every file to a temporary file, and only when all are written renames them into place. */
export async function writeAllAtomic(files: readonly PendingWrite[]): Promise<void> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeInFlight);
  }
  const temps: string[] = [];
  try {
    for (const { target, data } of files) {
      await mkdir(path.dirname(target), { recursive: true });
      const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      inFlight.add(temp);
      temps.push(temp);
      await writeFile(temp, data);
    }
    for (const [i, { target }] of files.entries()) await rename(temps[i] as string, target);
  } catch (error) {
    await Promise.all(temps.map((temp) => rm(temp, { force: true })));
    throw error;
  } finally {
    for (const temp of temps) inFlight.delete(temp);
  }
}
