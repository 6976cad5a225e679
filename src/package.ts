/**
 * Where Imprint itself lives: the package root (package.json, templates/, docs/), the compiled
 * code, and the version. Every path to Imprint's own files starts here, so a module can move
 * between folders without counting `..`s.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled sources: dist/src (this file is dist/src/package.js). */
export const COMPILED_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The package root, with package.json, templates/ and docs/. */
export const PACKAGE_ROOT = path.resolve(COMPILED_DIR, '..', '..');
/** The themes. */
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
/** Imprint's version, from package.json. */
export const VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
