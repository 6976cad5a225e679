/**
 * Read a local image, never from outside the content root: the path is checked
 * as written and again after symlinks are followed.
 */
import { open, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ImageProblem } from './problem.js';
import { headerSize } from './sniff.js';

function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

const outside = (): ImageProblem => new ImageProblem('image-refused', 'refused: outside the content root');

/** Read `file` (absolute); throws ImageProblem when refused, missing or larger than maxBytes. */
export async function readLocalImage(file: string, contentRoot: string, maxBytes: number): Promise<Uint8Array> {
  const root = path.resolve(contentRoot);
  if (!inside(root, path.resolve(file))) throw outside();
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ImageProblem('image-unreachable', code === 'ENOENT' ? 'missing (file not found)' : `unreachable (${code})`);
  }
  const realRoot = await realpath(root).catch(() => root);
  if (!inside(realRoot, real)) throw outside();
  const info = await stat(real);
  if (!info.isFile()) throw new ImageProblem('image-invalid', 'invalid (not a file)');
  if (info.size > maxBytes) {
    const handle = await open(real, 'r');
    try {
      const head = new Uint8Array(64 * 1024);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
      throw new ImageProblem('image-too-large', `too large (${mb(info.size)}; limit ${mb(maxBytes)})`, headerSize(head.subarray(0, bytesRead)));
    } finally {
      await handle.close();
    }
  }
  return new Uint8Array(await readFile(real));
}
