/**
 * Loaded with `node --import` into every Imprint process the bench runs: writes the process's
 * peak resident set size (KiB, from getrusage) to $IMPRINT_BENCH_RSS_FILE when it exits.
 */
import { writeFileSync } from 'node:fs';

const target = process.env['IMPRINT_BENCH_RSS_FILE'];
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
