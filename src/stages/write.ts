/**
 * Last stage, write: every output is written to a temporary file in the same folder and then
 * renamed over the old one, so a reader never sees a half-written file and a failed build
 * leaves the previous output intact. Temporary files still in flight when the process is
 * interrupted are removed on exit.
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
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeInFlight);
  }
  await mkdir(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  inFlight.add(temp);
  try {
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    inFlight.delete(temp);
  }
}
