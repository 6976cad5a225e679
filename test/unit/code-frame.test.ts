/**
 * The code frame printed under an error such as broken front matter: the lines around the
 * position with a marker under the column, safe to print on a terminal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VFile } from 'vfile';
import { codeFrame } from '../../src/diagnostics/code-frame.js';
import { terminalSafe } from '../../src/diagnostics/report.js';

const BROKEN_YAML = '---\ntitle: 标题\nauthor: [unclosed\ndate: 2024-01-02\n---\n\nText.\n';

describe('codeFrame', () => {
  it('shows the lines around line:column with the line and column marked', () => {
    const frame = codeFrame(new VFile({ value: BROKEN_YAML }), 3, 9) ?? '';
    assert.equal(
      frame,
      ['  1 | ---', '  2 | title: 标题', '> 3 | author: [unclosed', '    |         ^', '  4 | date: 2024-01-02'].join('\n'),
    );
  });

  it('puts the marker under the character after wide (CJK) characters', () => {
    const frame = codeFrame('title: 标题X\n', 1, 10) ?? '';
    const [text = '', marker = ''] = frame.split('\n');
    // "title: " is 7 columns, 标题 is 4: X is at display column 12.
    assert.equal(marker.indexOf('^') - marker.indexOf('|'), text.indexOf('X') - text.indexOf('|') + 2);
  });

  it('never prints control characters of the article (terminal escapes)', () => {
    const frame = codeFrame('a: \u001b]0;pwned\u0007\u001b[31mred\n', 1, 4) ?? '';
    assert.doesNotMatch(frame, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('cuts a very long line to a window around the column', () => {
    const frame = codeFrame(`${'a'.repeat(3_000_000)}HERE${'b'.repeat(1000)}`, 1, 3_000_001) ?? '';
    assert.ok(frame.length < 400, `${frame.length} characters`);
    const [text = '', marker = ''] = frame.split('\n');
    assert.equal(marker.indexOf('^'), text.indexOf('HERE'));
  });

  it('terminalSafe shows control characters of a message as \\u escapes', () => {
    assert.equal(terminalSafe('key `\u001b]0;x\u0007` ok\tand\nmore'), 'key `\\u001b]0;x\\u0007` ok\tand\nmore');
  });

  it('gives nothing for a line the file does not have', () => {
    assert.equal(codeFrame('one line\n', 9, 1), undefined);
    assert.equal(codeFrame(new VFile(), 1, 1), undefined);
  });
});
