/**
 * Checks an EPUB with W3C epubcheck when Java and epubcheck are installed. Without them the
 * check is skipped with a reason, never failed.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkProblem, type CheckProblem } from './pdf.js';

export interface EpubcheckTool {
  command: string;
  args: string[];
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/** epubcheck: EPUBCHECK_JAR, a Debian/Homebrew jar, or an `epubcheck` command; undefined when missing. */
export function findEpubcheck(env: NodeJS.ProcessEnv = process.env): EpubcheckTool | { missing: string } {
  const java = onPath('java', env);
  const jars = [env['EPUBCHECK_JAR'], '/usr/share/java/epubcheck.jar', '/usr/share/epubcheck/epubcheck.jar', '/opt/homebrew/share/epubcheck/epubcheck.jar'];
  const jar = jars.find((candidate): candidate is string => !!candidate && existsSync(candidate));
  if (jar && java) return { command: java, args: ['-jar', jar] };
  const command = onPath('epubcheck', env);
  if (command) return { command, args: [] };
  if (!java) return { missing: 'epubcheck needs Java, which is not installed (Debian/Ubuntu: apt-get install default-jre-headless epubcheck)' };
  return { missing: 'epubcheck is not installed (Debian/Ubuntu: apt-get install epubcheck, or set EPUBCHECK_JAR)' };
}

export interface EpubCheck {
  /** "EPUBCheck v4.2.6" */
  version?: string;
  problems: CheckProblem[];
}

const LINE = /^(FATAL|ERROR|WARNING)\(([A-Z]+-[0-9]+[a-z]?)\): (.*)$/;

/** Turns epubcheck's text output into problems (`file(line,col): message` kept as written). */
export function parseEpubcheckOutput(output: string, epubPath: string): EpubCheck {
  const problems: CheckProblem[] = [];
  for (const raw of output.split('\n')) {
    const match = LINE.exec(raw.trim());
    if (!match?.[1] || !match[2] || match[3] === undefined) continue;
    const severity = match[1] === 'WARNING' ? 'warning' : 'error';
    // Show paths inside the EPUB relative to it: `/abs/book.epub/EPUB/text.xhtml(12,3): …` → `EPUB/text.xhtml:12:3: …`
    let reason = match[3];
    const inside = reason.startsWith(epubPath) ? reason.slice(epubPath.length).replace(/^[/\\]/, '') : reason;
    reason = inside.replace(/^([^\s(]+)\((-?\d+),(-?\d+)\): /, (_, file: string, line: string, col: string) => `${file}:${line}:${col}: `);
    problems.push({ severity, reason, ruleId: `epubcheck-${match[2]}` });
  }
  const version = /EPUB ?Check v?([\d.]+)/i.exec(output)?.[1];
  return version ? { version, problems } : { problems };
}

export function runEpubcheck(tool: EpubcheckTool, file: string, timeoutMs = 180_000): Promise<EpubCheck & { exitCode: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(tool.command, [...tool.args, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ problems: [checkProblem('epubcheck-run', `epubcheck could not run (${error.message})`)], exitCode: null });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const parsed = parseEpubcheckOutput(output, file);
      if (signal) parsed.problems.push(checkProblem('epubcheck-run', `epubcheck did not finish (${signal})`));
      else if (code !== 0 && !parsed.problems.some((p) => p.severity === 'error')) {
        parsed.problems.push(checkProblem('epubcheck-run', `epubcheck exited with code ${code}: ${output.trim().split('\n').pop() ?? ''}`));
      }
      resolve({ ...parsed, exitCode: code });
    });
  });
}
