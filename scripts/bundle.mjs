#!/usr/bin/env node
// Bundles the compiled command line (dist/src, tsc's output) into dist/bundle/, which bin/imprint.js
// runs. Imprint's own modules and the libraries every start of the command line loads (zod,
// commander, vfile, p-limit) become a dozen files instead of about 150, which Node loads faster;
// the lazy boundaries of the code stay lazy (each becomes a file of its own). Every other library
// stays in node_modules, loaded by the stage that needs it.
//
// The bundle is the code of dist/src, packaged: what modules find from their own location holds
// there too, since every file lands in one folder two levels below the package root (package.ts)
// and the parse worker and Ace's process are entry points of their own, beside the modules that
// start them (parse/isolated.ts, check/ace.ts).
//
//   node scripts/bundle.mjs      (setup.mjs and `npm run build` run it after tsc)
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLED = ['zod', 'commander', 'vfile', 'vfile-message', 'p-limit'];
const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outdir = path.join(root, 'dist', 'bundle');

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    imprint: path.join(root, 'dist', 'src', 'cli', 'main.js'),
    worker: path.join(root, 'dist', 'src', 'parse', 'worker.js'),
    // Ace by DAISY's process, beside check/ace.ts which starts it (src/check/ace-process.ts).
    'ace-process': path.join(root, 'dist', 'src', 'check', 'ace-process.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: Object.keys(dependencies).filter((name) => !BUNDLED.includes(name)),
  // commander is CommonJS: its require() calls of Node's modules need a require in ES modules.
  banner: { js: "import { createRequire as __imprintCreateRequire } from 'node:module'; const require = __imprintCreateRequire(import.meta.url);" },
  minify: true,
  logLevel: 'warning',
});
