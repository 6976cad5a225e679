/**
 * `imprint preview`: serves the articles on 127.0.0.1 with live reload until Ctrl-C.
 * The URL goes to stdout (one line, `Preview: http://127.0.0.1:4321/`); builds are logged to stderr.
 */
import type { ConfigFlags } from '../../config/project.js';
import { startPreview } from '../../preview/session.js';
import { DEFAULT_PORT } from '../options.js';
import type { CommandIO } from './publish.js';

export interface PreviewFlags extends ConfigFlags {
  port?: number;
}

export async function previewCommand(flags: PreviewFlags, io: CommandIO): Promise<number> {
  const { port, ...configFlags } = flags;
  const preview = await startPreview({
    cwd: io.cwd,
    flags: configFlags,
    port: port ?? DEFAULT_PORT,
    log: (line) => io.stderr.write(`${line}\n`),
  });
  io.stdout.write(`Preview: ${preview.url}\n`);
  io.stderr.write('Watching the articles, the theme and the config; press Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      preview.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
