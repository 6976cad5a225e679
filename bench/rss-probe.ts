/**
 * Loaded with `node --import` into every Imprint process the bench runs: when the process exits,
 * writes its peak resident set size (KiB) and its own CPU time (µs, user and system) as JSON to
 * $IMPRINT_BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

export interface ProbeResult {
  maxRssKiB: number;
  userMicros: number;
  systemMicros: number;
}

const target = process.env['IMPRINT_BENCH_RSS_FILE'];
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const result: ProbeResult = { maxRssKiB: usage.maxRSS, userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime };
    writeFileSync(target, JSON.stringify(result));
  });
}
