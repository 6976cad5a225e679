#!/usr/bin/env node
// The `imprint` command: runs the compiled CLI (dist/src/cli.js) and exits with its code.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('imprint: not built yet; run `npm run build` (or `node scripts/setup.mjs`) first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
