/**
 * Imprint starts Chromium itself (src/browser/chromium-process.ts) with a copy of the flags
 * puppeteer.launch would pass. This test compares that copy with puppeteer-core's own
 * `defaultArgs()`, so that a Puppeteer update that changes its defaults fails here until
 * Imprint follows it (or lists the difference below, with its reason). No browser is started.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { launchArgs } from '../../src/browser/chromium-process.js';

const PROFILE = '/tmp/imprint-chromium-profile';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Flags Imprint passes that Puppeteer's defaults do not, each with why (and when, if not always). */
const ADDED: Record<string, { why: string; when?: boolean }> = {
  '--remote-debugging-pipe': { why: 'puppeteer.launch({ pipe: true }) adds it itself; Imprint starts Chromium and hands Puppeteer the pipe' },
  '--disable-gpu': { why: 'printing and screenshots need no GPU process, and most machines that run Imprint have no GPU' },
  '--disable-quic': { why: 'Chromium must never reach the network: no QUIC probing either' },
  '--disable-component-update': { why: 'Chromium must never reach the network: no component downloads' },
  '--font-render-hinting=none': { why: 'the same glyph metrics (and so the same line breaks) on every machine, whatever its font hinting' },
  '--no-sandbox': { why: 'Chromium refuses to start as root with its sandbox', when: isRoot },
};

/** Flags of Puppeteer's defaults that Imprint leaves out, each with why. None at present. */
const LEFT_OUT: Record<string, string> = {};

describe("Chromium's flags against Puppeteer's defaultArgs()", () => {
  const ours = new Set(launchArgs(PROFILE));
  // What puppeteer.launch({ headless: true, userDataDir }) passes, apart from the pipe it adds itself.
  const theirs = new Set(puppeteer.defaultArgs({ headless: true, userDataDir: PROFILE }));

  it("passes every flag of Puppeteer's defaults, with the same value, except those listed as left out", () => {
    const missing = [...theirs].filter((flag) => !ours.has(flag) && !(flag in LEFT_OUT));
    assert.deepEqual(missing, [], "Puppeteer passes these and Imprint does not: update PUPPETEER_DEFAULTS in src/browser/chromium-process.ts, or list them in LEFT_OUT with a reason");
  });

  it('passes no other flag than those listed as added', () => {
    const extra = [...ours].filter((flag) => !theirs.has(flag) && !(flag in ADDED));
    assert.deepEqual(extra, [], 'Imprint passes these and Puppeteer does not: list them in ADDED with a reason, or drop them');
  });

  it('lists only differences that still exist', () => {
    for (const [flag, { when = true }] of Object.entries(ADDED)) {
      assert.equal(ours.has(flag), when, `${flag} ${when ? 'is listed as added but not passed' : 'is passed where it should not be'}`);
      assert.ok(!theirs.has(flag), `${flag} is one of Puppeteer's defaults now: remove it from ADDED`);
    }
    for (const flag of Object.keys(LEFT_OUT)) {
      assert.ok(theirs.has(flag), `${flag} is no longer one of Puppeteer's defaults: remove it from LEFT_OUT`);
      assert.ok(!ours.has(flag), `${flag} is passed after all: remove it from LEFT_OUT`);
    }
  });
});
