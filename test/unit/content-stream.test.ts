/**
 * The content-stream reader and the artifact rewrite (src/pdf/content-stream.ts) on small streams
 * written by hand: operators found past strings, dictionaries, comments and inline images; what
 * each tagged sequence paints; and a rewrite after which nothing paints outside marked content,
 * with every artifact nested in the text objects and saved states it opens in.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markArtifacts, operations, scanContent } from '../../src/pdf/content-stream.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const text = (data: Uint8Array): string => Buffer.from(data).toString('latin1');
const ops = (source: string): string[] => operations(bytes(source)).map((o) => o.op);

/** The marked-content and painting skeleton of a stream: "Artifact[ BT Tj ET ]" and so on. */
function skeleton(data: Uint8Array): string {
  const out: string[] = [];
  for (const o of operations(data)) {
    if (o.op === 'BDC' || o.op === 'BMC') out.push(`${/^\s*\/(\S+)/.exec(text(data.subarray(o.start, o.at)))?.[1] ?? '?'}[`);
    else if (o.op === 'EMC') out.push(']');
    else out.push(o.op);
  }
  return out.join(' ');
}

describe('content stream operators', () => {
  it('reads past strings, hex strings, dictionaries, arrays and comments', () => {
    assert.deepEqual(ops('BT /F1 12 Tf (a \\) BT ( nested ) ET) Tj [(x) -20 <00 41>] TJ ET % BT comment Tj\nq Q'), ['BT', 'Tj', 'TJ', 'ET', 'q', 'Q']);
    assert.deepEqual(ops('/P <</MCID 3 /ActualText (q Q BT)>> BDC 0 0 1 1 re f EMC'), ['BDC', 're', 'f', 'EMC']);
  });

  it('keeps an operator’s operands in its span', () => {
    const data = bytes('q /Span <</Lang (fr)>> BDC Q');
    const bdc = operations(data)[1];
    assert.equal(text(data.subarray(bdc?.start, bdc?.end)), '/Span <</Lang (fr)>> BDC');
  });

  it('reads an inline image as one operation, whatever its data holds', () => {
    assert.deepEqual(ops('q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00Q EMC\xff EI Q'), ['q', 'BI', 'Q']);
  });

  it('refuses an unterminated string', () => {
    assert.throws(() => operations(bytes('BT (never closed Tj ET')), SyntaxError);
  });
});

describe('what marked content covers', () => {
  it('tells what each tagged sequence paints, and what paints outside marked content', () => {
    const scan = scanContent(bytes('/P <</MCID 0>> BDC BT (a) Tj ET EMC /Div <</MCID 1>> BDC 0 0 5 5 re f EMC BT (page 2) Tj ET 0 0 m 1 1 l S /Artifact BMC 0 0 1 1 re f EMC'));
    assert.deepEqual(scan.mcids.get(0), { text: true, image: false, graphics: false, topLevel: true, nestedMcid: false });
    assert.deepEqual(scan.mcids.get(1), { text: false, image: false, graphics: true, topLevel: true, nestedMcid: false });
    assert.deepEqual(scan.uncovered.map((u) => u.op), ['Tj', 'm']);
  });

  it('counts tagged content in artifacts and artifacts in tagged content', () => {
    const scan = scanContent(bytes('/Artifact BMC /P <</MCID 2>> BDC BT (x) Tj ET EMC EMC /P <</MCID 3>> BDC /Artifact BMC 0 0 1 1 re f EMC EMC EMC'));
    assert.deepEqual(scan.mcidsInArtifacts, [2]);
    assert.equal(scan.artifactsInTagged, 1);
    assert.equal(scan.unbalanced, 1);
  });
});

describe('artifacts', () => {
  it('wraps untagged painting and leaves tagged content alone', () => {
    const source = 'q BT /F1 8 Tf (12) Tj ET Q q 0 0 9 9 re W* n /P <</MCID 0>> BDC BT (text) Tj ET EMC 0 50 20 1 re f Q';
    const out = markArtifacts(bytes(source), scanContent(bytes(source)));
    assert.equal(skeleton(out), 'q Artifact[ BT Tj ET ] Q q Artifact[ re n ] P[ BT Tj ET ] Artifact[ re f ] Q');
    assert.deepEqual(scanContent(out).uncovered, []);
  });

  it('closes an artifact before the Q that restores the state it opened in, and inside the text object it opened in', () => {
    const source = 'q 0 0 1 1 re f q 1 1 1 1 re f Q Q BT /P <</MCID 0>> BDC (a) Tj EMC (b) Tj ET';
    const out = markArtifacts(bytes(source), scanContent(bytes(source)));
    assert.equal(skeleton(out), 'q Artifact[ re f q re f Q ] Q BT P[ Tj ] Artifact[ Tj ] ET');
  });

  it('turns chosen tagged sequences into artifacts', () => {
    const source = '/P <</MCID 0>> BDC 0 0 5 5 re f EMC /P <</MCID 1>> BDC BT (a) Tj ET EMC';
    const out = markArtifacts(bytes(source), scanContent(bytes(source)), new Set([0]));
    assert.equal(skeleton(out), 'Artifact[ re f ] P[ BT Tj ET ]');
    assert.ok(!text(out).includes('MCID 0'));
  });

  it('returns the stream itself when nothing changes', () => {
    const data = bytes('/P <</MCID 0>> BDC BT (a) Tj ET EMC');
    assert.equal(markArtifacts(data, scanContent(data)), data);
  });
});
