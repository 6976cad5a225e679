#!/usr/bin/env node
// The `imprint` command: runs the command line and exits with its code. It runs the bundle of the
// compiled code (dist/bundle, scripts/bundle.mjs), which starts faster; after a bare `tsc` the
// bundle is older than the compiled code, and the compiled code itself (dist/src) is run instead.
import { statSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps compiled code on disk, so later starts skip compiling Imprint and its
// libraries: in node_modules/.cache (or NODE_COMPILE_CACHE), never in the temporary folder, where a
// run leaves nothing behind. Older Nodes lack it; a cache folder that cannot be written
// (read-only, full) only loses that saving: it never stops the command.
try {
  const cache = process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../node_modules/.cache/imprint-compile-cache', import.meta.url));
  module.enableCompileCache?.(cache);
} catch {
  // Started without the cache.
}

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
const bundle = new URL('../dist/bundle/imprint.js', import.meta.url);
const compiledAt = statSync(compiled, { throwIfNoEntry: false })?.mtimeMs;
if (compiledAt === undefined) {
  process.stderr.write('imprint: not built yet; run `npm run build` (or `node scripts/setup.mjs`) first.\n');
  process.exit(2);
}
const bundledAt = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity;
const { main } = await import((bundledAt >= compiledAt ? bundle : compiled).href);
process.exitCode = await main(process.argv.slice(2));
