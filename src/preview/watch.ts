/**
 * Watches the content folder, the theme folders and the config file with chokidar, and reports
 * what changed in batches (changes within `debounceMs` of each other come as one).
 */
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface ChangeBatch {
  /** Markdown files added or changed (absolute). */
  articles: Set<string>;
  /** Markdown files removed (absolute). */
  removed: Set<string>;
  /** Something else under the content folder changed (images…): every article may use it. */
  content: boolean;
  /** A theme file changed. */
  templates: boolean;
  /** The config file changed, appeared or went away. */
  config: boolean;
}

export interface WatchOptions {
  contentDir: string;
  templateDirs: readonly string[];
  /** Config files to watch (they need not exist yet). */
  configFiles: readonly string[];
  /** Folders never watched (the output folder, caches). */
  ignoreDirs: readonly string[];
  debounceMs?: number;
  onChange: (batch: ChangeBatch) => void;
  onError?: (error: Error) => void;
}

export interface Watcher {
  /** Resolves once the initial scan is done and changes are being reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const MARKDOWN = /\.(md|markdown)$/i;

function within(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function watchProject(options: WatchOptions): Watcher {
  const contentDir = path.resolve(options.contentDir);
  const templateDirs = options.templateDirs.map((d) => path.resolve(d));
  const configFiles = new Set(options.configFiles.map((f) => path.resolve(f)));
  const ignoreDirs = options.ignoreDirs.map((d) => path.resolve(d));
  const empty = (): ChangeBatch => ({ articles: new Set(), removed: new Set(), content: false, templates: false, config: false });
  let batch = empty();
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    timer = undefined;
    const done = batch;
    batch = empty();
    options.onChange(done);
  };
  const note = (event: string, file: string): void => {
    const full = path.resolve(file);
    if (configFiles.has(full)) batch.config = true;
    else if (templateDirs.some((d) => within(d, full))) batch.templates = true;
    else if (within(contentDir, full)) {
      if (MARKDOWN.test(full)) {
        if (event === 'unlink') {
          batch.removed.add(full);
          batch.articles.delete(full);
        } else {
          batch.articles.add(full);
          batch.removed.delete(full);
        }
      } else if (event !== 'addDir' && event !== 'unlinkDir') {
        batch.content = true;
      }
    } else return;
    clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs ?? 100);
  };

  const watcher: FSWatcher = watch([contentDir, ...templateDirs, ...configFiles], {
    ignoreInitial: true,
    persistent: true,
    ignored: (file: string) => {
      const full = path.resolve(file);
      if (configFiles.has(full)) return false;
      if (ignoreDirs.some((d) => within(d, full))) return true;
      // Dotfiles (editor swap files, temporary compiled configs) and editor backups.
      return path.basename(full).startsWith('.') || full.endsWith('~');
    },
  });
  watcher.on('all', (event, file) => note(event, file));
  watcher.on('error', (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
