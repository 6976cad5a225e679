/**
 * The usual publish command lines are read without commander (src/cli/quick-args.ts): for
 * every command line it reads, it must find exactly the files and flags commander finds, and
 * every other command line must be left to commander.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgram } from '../src/cli/program.js';
import { COMMAND_NAMES, quickPublishArgs, type QuickPublish } from '../src/cli/quick-args.js';

const sink = { write: (): boolean => true };

/** What commander hands the publish action for `argv` (or the error it stops with). */
async function commanderReads(argv: readonly string[]): Promise<QuickPublish | 'error' | 'other command'> {
  const { program } = createProgram({ cwd: process.cwd(), env: {}, stdout: sink, stderr: sink, version: '0.0.0' });
  let read: QuickPublish | undefined;
  const publish = program.commands.find((c) => c.name() === 'publish');
  assert.ok(publish);
  publish.action((files: string[], flags: QuickPublish['flags']) => {
    read = { files, flags: { ...flags } };
  });
  for (const command of program.commands) if (command !== publish) command.action(() => undefined);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch {
    return 'error';
  }
  return read ?? 'other command';
}

describe('publish command lines read without commander', () => {
  const plain: string[][] = [
    [],
    ['publish'],
    ['publish', '--offline'],
    ['--offline'],
    ['a.md'],
    ['a.md', 'notes/b.md', '--offline'],
    ['--offline', 'a.md', 'content'],
    ['publish', 'a.md', '-f', 'pdf,epub', '--out', 'dist'],
    ['--format=html', '--out=public', '--theme', 'classic'],
    ['-f', 'PDF, html ,pdf'],
    ['-o', 'x', '-t', 'classic', '-c', '3', '--json'],
    ['--page-size', 'a4'],
    ['--page-size=150mmx220mm', '--offline', '--preview'],
    ['--browser-endpoint', 'ws://127.0.0.1:9222/devtools/browser/abc'],
    ['--config', 'other.config.yaml', '-q'],
    ['-v', 'a.md'],
    ['--out', 'a', '--out', 'b'],
    ['--out='],
    ['publish', '--quiet', '--json', 'x.md'],
  ];
  for (const argv of plain) {
    it(`reads \`imprint ${argv.join(' ')}\` as commander does`, async () => {
      const quick = quickPublishArgs(argv);
      assert.ok(quick, 'read without commander');
      assert.deepEqual(quick, await commanderReads(argv));
    });
  }

  const others: string[][] = [
    ['--help'],
    ['-h'],
    ['publish', '--help'],
    ['--version'],
    ['-V'],
    ['help'],
    ['check'],
    ['config', '--resolved'],
    ['preview', '--port', '0'],
    ['init', 'My Article'],
    ['publish', 'publish'],
    ['a.md', 'check'],
    ['-qv'],
    ['-fpdf'],
    ['--format', 'docx'],
    ['--format'],
    ['--page-size', 'A3'],
    ['-c', '0'],
    ['--browser-endpoint', 'http://localhost'],
    ['-q', '--verbose'],
    ['--offline=yes'],
    ['--out', '-x'],
    ['--', 'a.md'],
    ['-'],
    ['--bogus'],
    ['-x'],
  ];
  for (const argv of others) {
    it(`leaves \`imprint ${argv.join(' ')}\` to commander`, () => {
      assert.equal(quickPublishArgs(argv), undefined);
    });
  }

  it('knows every command of the program, so that no command is taken for a file', () => {
    const { program } = createProgram({ cwd: process.cwd(), env: {}, stdout: sink, stderr: sink, version: '0.0.0' });
    const names = [...program.commands.map((c) => c.name()), 'help'];
    assert.deepEqual([...COMMAND_NAMES].sort(), [...new Set(names)].sort());
  });
});
