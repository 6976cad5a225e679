/**
 * Where Imprint itself lives: the package root (package.json, templates/, docs/), the compiled
 * code, and the version. Every path to Imprint's own files starts here, so a module can move
 * between folders without counting `..`s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, with package.json, templates/ and docs/: two levels above this module, which
 * is dist/src/package.js, or a file of the bundle the command line runs (dist/bundle/*.js).
 */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The compiled sources (tsc's output; the bundle is made from them). */
export const COMPILED_DIR = path.join(PACKAGE_ROOT, 'dist', 'src');
/** The themes. */
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
/** Imprint's version, from package.json. */
export const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
