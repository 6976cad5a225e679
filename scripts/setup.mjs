#!/usr/bin/env node
// Makes a fresh clone ready, idempotently, and says what it installs:
//   npm packages from the lockfile (no browser downloads), the compiled TypeScript (and its bundle), a Chromium,
//   and with --test: epubcheck (Java), poppler-utils and qpdf.
// When everything is present it only checks (a few milliseconds) and prints nothing.
// It uses Node's standard library only, because it runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const say = (line) => process.stderr.write(`setup: ${line}\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.status !== 0) {
    say(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
}

// 1. npm packages, from the lockfile, whenever the lockfile or a patch of a package (patches/,
//    applied by patch-package after the install) changed since the last install.
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.imprint-lock-hash');
const lockDigest = createHash('sha256').update(readFileSync(lock));
const patches = path.join(root, 'patches');
for (const name of existsSync(patches) ? readdirSync(patches).sort() : []) {
  lockDigest.update(`\0${name}\0`).update(readFileSync(path.join(patches, name)));
}
const lockHash = lockDigest.digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  say('installing npm packages from package-lock.json (npm ci)…');
  // The accessibility checkers the tests use (Ace by DAISY's Puppeteer runner, which depends on the
  // full `puppeteer` package, and @axe-core/puppeteer) run on the system's Chromium: neither
  // Puppeteer's Chrome nor an Electron is downloaded (the install would fail offline, and needs neither).
  const env = { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { env });
  writeFileSync(stamp, lockHash);
}

// 2. Compile the TypeScript when any source is newer than the last build.
function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}
const buildStamp = path.join(root, 'dist', '.build-stamp');
const sources = Math.max(
  ...['src', 'test', 'bench'].map((d) => newestMtime(path.join(root, d))),
  statSync(path.join(root, 'tsconfig.json')).mtimeMs,
);
if (!existsSync(buildStamp) || statSync(buildStamp).mtimeMs < sources) {
  say('compiling TypeScript (tsc)…');
  // tsc never removes the output of a moved or deleted source: start from an empty dist/.
  rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (tsc.status !== 0) {
    process.stderr.write(tsc.stdout + tsc.stderr);
    say('TypeScript reported errors; fix them before publishing.');
    process.exit(1);
  }
  writeFileSync(buildStamp, new Date().toISOString());
}
// The command line's bundle of the compiled code (scripts/bundle.mjs), made after every compile
// and after every change to how it is made.
const bundleInputs = Math.max(statSync(buildStamp).mtimeMs, statSync(path.join(root, 'scripts', 'bundle.mjs')).mtimeMs);
if (!existsSync(path.join(root, 'dist', 'bundle', 'imprint.js')) || statSync(path.join(root, 'dist', 'bundle', 'imprint.js')).mtimeMs < bundleInputs) {
  say('bundling the command line (esbuild)…');
  run(process.execPath, [path.join(root, 'scripts', 'bundle.mjs')]);
}

// 3. System packages: Chromium always; epubcheck, poppler and qpdf for the tests.
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = onPath('apt-get') && existsSync('/etc/debian_version');
let aptUpdated = false;
function aptInstall(packages, why) {
  if (!isRoot || !hasApt) return false;
  say(`installing ${packages.join(', ')} with apt-get (${why})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

const { findChromium, NO_BROWSER_HELP } = await import(path.join(root, 'dist', 'src', 'browser', 'provider.js'));
if (!findChromium()) {
  if (process.env.PUPPETEER_EXECUTABLE_PATH) {
    say(`PUPPETEER_EXECUTABLE_PATH is set to ${process.env.PUPPETEER_EXECUTABLE_PATH}, which does not exist.`);
    process.exit(1);
  }
  if (!aptInstall(['chromium'], 'Puppeteer prints the PDF with it') || !findChromium()) {
    say(NO_BROWSER_HELP);
    process.exit(1);
  }
}

if (forTests) {
  const missing = [];
  if (!existsSync('/usr/share/java/epubcheck.jar') || !onPath('java')) missing.push('epubcheck');
  if (!onPath('pdftotext') || !onPath('pdffonts') || !onPath('pdfimages')) missing.push('poppler-utils');
  if (!onPath('qpdf')) missing.push('qpdf');
  if (missing.length > 0 && !aptInstall(missing, 'the tests check real EPUBs and PDFs with them')) {
    say(`the tests need ${missing.join(', ')}; install them (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}).`);
    process.exit(1);
  }
  // epubcheck's Debian package depends on a Java runtime; make sure it starts.
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    aptInstall(['default-jre-headless'], 'epubcheck runs on Java');
  }
}
