#!/usr/bin/env node
// The `imprint` command: runs the compiled CLI (dist/src/cli/main.js) and exits with its code.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps compiled code on disk (in os.tmpdir(), or NODE_COMPILE_CACHE), so later starts
// skip compiling Imprint and its libraries. Older Nodes lack it; a cache folder that cannot be
// written (read-only, full) only loses that saving: it never stops the command.
try {
  module.enableCompileCache?.();
} catch {
  // Started without the cache.
}

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('imprint: not built yet; run `npm run build` (or `node scripts/setup.mjs`) first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
