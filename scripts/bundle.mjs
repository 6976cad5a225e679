#!/usr/bin/env node
// Bundles the compiled command line (dist/src, tsc's output) into dist/bundle/, which bin/imprint.js
// runs. Imprint's own modules and the libraries they use — the unified ecosystem, puppeteer-core,
// pdf-lib, postcss, zod, commander and the rest — become a few dozen files instead of several hundred,
// which Node loads faster: resolving, reading and linking hundreds of small modules cost about
// 0.5 s of a cold run's CPU on the 2-core machine, beside Chromium's start. The lazy boundaries of
// the code stay lazy (each becomes a file of its own). Libraries that read files beside their own
// code (fonts, WebAssembly, native addons, templates) or that load only on rare paths stay in
// node_modules.
//
// The bundle is the code of dist/src, packaged: what modules find from their own location holds
// there too, since every file lands in one folder two levels below the package root (package.ts)
// and the parse worker, the font subset worker and Ace's process are entry points of their own,
// beside the modules that start them (parse/isolated.ts, theme/font-subsets.ts, check/ace.ts).
//
//   node scripts/bundle.mjs      (setup.mjs and `npm run build` run it after tsc)
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Libraries that read files beside their own code (fonts, WebAssembly, native addons, templates)
// or are tools rather than libraries stay in node_modules, and so does yaml, whose named exports
// (LineCounter) esbuild's CommonJS wrapper lost; every other one is bundled.
const UNBUNDLED = ['esbuild', 'sharp', 'subset-font', 'epub-gen-memory', 'chokidar', 'hyphen', '@babel/code-frame', 'string-width', 'yaml'];
// Optional native helpers of ws (puppeteer-core's WebSocket client), required inside try/catch.
const OPTIONAL = ['bufferutil', 'utf-8-validate'];
const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outdir = path.join(root, 'dist', 'bundle');

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: {
    imprint: path.join(root, 'dist', 'src', 'cli', 'main.js'),
    worker: path.join(root, 'dist', 'src', 'parse', 'worker.js'),
    'subset-worker': path.join(root, 'dist', 'src', 'theme', 'subset-worker.js'),
    // Ace by DAISY's process, beside check/ace.ts which starts it (src/check/ace-process.ts).
    'ace-process': path.join(root, 'dist', 'src', 'check', 'ace-process.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...Object.keys(dependencies).filter((name) => name.startsWith('@fontsource/') || UNBUNDLED.includes(name)), ...OPTIONAL],
  // commander is CommonJS: its require() calls of Node's modules need a require in ES modules.
  banner: { js: "import { createRequire as __imprintCreateRequire } from 'node:module'; const require = __imprintCreateRequire(import.meta.url);" },
  minify: true,
  logLevel: 'warning',
});
