/**
 * `imprint preview`: publishes every article, serves the results with live reload, and
 * republishes what changes (an article → that article; a theme file, a content image or the
 * config → everything). Builds run one at a time; changes arriving meanwhile are merged into
 * the next build. One Chromium stays open for the whole session, so rebuilding a PDF does not
 * pay for a browser launch.
 */
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { CONFIG_FILE_NAMES, formatConfigError } from '../config/file.js';
import { ConfigError } from '../errors.js';
import { mergeConfig } from '../config/merge.js';
import type { UserConfig } from '../config/schema.js';
import type { DocumentResult } from '../model.js';
import { findDocuments, publish, type PublishOptions } from '../publish.js';
import { isBookFolder } from '../stages/read-book.js';
import { closeBrowser, openBrowser } from '../browser/provider.js';
import { diagnostics, formatMs, shownPath, warningCount } from '../diagnostics/report.js';
import { TEMPLATES_DIR } from '../theme/theme.js';
import { loadProjectConfig, type ConfigFlags, type ProjectConfig } from '../config/project.js';
import { createReloadHub, type BuildEvent } from './live-reload.js';
import { createPreviewServer, listen } from './server.js';
import type { ArticleState, PreviewState } from './state.js';
import { watchProject, type ChangeBatch, type Watcher } from './watch.js';

export interface PreviewOptions {
  cwd: string;
  flags: ConfigFlags;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Human-readable progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface Preview {
  url: string;
  state: PreviewState;
  /** Resolves when no build is running or queued. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const nameOf = (file: string): string => path.basename(file).replace(/\.(md|markdown)$/i, '');

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const cwd = path.resolve(options.cwd);
  const log = options.log ?? (() => undefined);
  let project: ProjectConfig = await loadProjectConfig(cwd, options.flags);

  const state: PreviewState = {
    articles: new Map(),
    formats: [...project.config.formats],
    outDir: path.resolve(cwd, project.config.out),
    building: false,
    version: 0,
  };
  const hub = createReloadHub();

  // One browser for the session, launched when a build first needs it.
  let browser: Promise<Browser | undefined> | undefined;
  const browserEndpoint = async (): Promise<string | undefined> => {
    if (project.config.browserEndpoint) return project.config.browserEndpoint;
    if (!project.config.formats.some((f) => f === 'pdf' || f === 'epub')) return undefined;
    browser ??= openBrowser().catch((error: unknown) => {
      log(`imprint: could not start the browser: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    return (await browser)?.wsEndpoint();
  };

  const record = (result: DocumentResult, version: number, file: string): void => {
    const article: ArticleState = {
      name: result.name,
      source: result.path,
      path: file,
      status: result.ok ? 'ok' : 'failed',
      diagnostics: diagnostics(result.file),
      outputs: result.outputs.map((o) => {
        const entry = { format: o.format, file: path.basename(o.path), bytes: o.bytes };
        return o.pages === undefined ? entry : { ...entry, pages: o.pages };
      }),
      version,
      ms: result.timings.reduce((sum, t) => sum + t.ms, 0),
    };
    if (result.error) article.error = result.error;
    state.articles.set(result.name, article);
    const warnings = warningCount(result);
    log(`${result.ok ? '✔' : '✖'} ${result.path} ${result.ok ? `built in ${formatMs(article.ms ?? 0)}` : `failed: ${result.error ?? ''}`}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
  };

  /** Publishes `files` (absolute paths) and tells the pages. */
  const build = async (files: string[], all: boolean): Promise<void> => {
    const version = ++state.version;
    state.building = true;
    for (const file of files) {
      const name = nameOf(file);
      const known = state.articles.get(name);
      if (!known) state.articles.set(name, { name, source: shownPath(file, cwd), path: file, status: 'pending', diagnostics: [], outputs: [], version });
    }
    try {
      if (files.length > 0) {
        const endpoint = await browserEndpoint();
        const config: UserConfig = endpoint ? mergeConfig(project.user, { browserEndpoint: endpoint }) : project.user;
        const publishOptions: PublishOptions = {
          cwd,
          files,
          // The pages link to every article of the content folder, not only to those rebuilt now.
          collection: await allArticles(),
          config,
          flags: project.flagConfig,
          onDocument: (result) => record(result, version, path.resolve(cwd, result.path)),
        };
        await publish(publishOptions);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log(`imprint: build failed: ${reason}`);
      for (const file of files) {
        const article = state.articles.get(nameOf(file));
        if (article) Object.assign(article, { status: 'failed', error: reason, version });
      }
    } finally {
      state.building = false;
    }
    const event: BuildEvent = { version, names: files.map(nameOf), all };
    hub.broadcast('build', event);
  };

  // Builds run one at a time; what changes meanwhile is merged into the next one.
  let running: Promise<void> = Promise.resolve();
  let queued: { files: Set<string>; all: boolean } | undefined;
  const schedule = (files: Iterable<string>, all: boolean): Promise<void> => {
    if (queued) {
      for (const f of files) queued.files.add(f);
      queued.all ||= all;
      return running;
    }
    queued = { files: new Set(files), all };
    running = running.then(async () => {
      const next = queued;
      queued = undefined;
      if (next) await build([...next.files].sort(), next.all);
    }).catch((error: unknown) => log(`imprint: ${error instanceof Error ? error.message : String(error)}`));
    return running;
  };

  const allArticles = (): Promise<string[]> => findDocuments(path.resolve(cwd, project.config.content));
  /** The document a changed Markdown file belongs to: the book whose folder holds it, or itself. */
  const documentOf = (file: string): string => {
    const content = path.resolve(cwd, project.config.content);
    for (let dir = path.dirname(file); dir.startsWith(`${content}${path.sep}`); dir = path.dirname(dir)) {
      if (isBookFolder(dir)) return dir;
    }
    return file;
  };

  const onChange = async (batch: ChangeBatch): Promise<void> => {
    let everything = batch.templates || batch.content;
    if (batch.config) {
      try {
        const next = await loadProjectConfig(cwd, options.flags);
        state.configError = undefined;
        const moved = next.config.content !== project.config.content || next.config.out !== project.config.out;
        project = next;
        state.formats = [...project.config.formats];
        state.outDir = path.resolve(cwd, project.config.out);
        if (moved) log('imprint: the content or output folder changed in the config; restart the preview to watch the new one.');
        log(`imprint: configuration reloaded${project.configPath ? ` from ${shownPath(project.configPath, cwd)}` : ''}`);
        everything = true;
      } catch (error) {
        state.configError = error instanceof ConfigError ? formatConfigError(error) : error instanceof Error ? error.message : String(error);
        log(state.configError.trimEnd());
        log('imprint: keeping the previous configuration until the config file is fixed.');
        hub.broadcast('build', { version: ++state.version, names: [], all: true } satisfies BuildEvent);
        return;
      }
    }
    // A book's chapter that changed or went away rebuilds its book.
    const changed = new Set([...batch.articles].map(documentOf));
    for (const file of batch.removed) {
      const doc = documentOf(file);
      if (doc !== file) {
        changed.add(doc);
        continue;
      }
      const name = nameOf(file);
      if (state.articles.delete(name)) log(`- ${shownPath(file, cwd)} removed`);
    }
    if (everything) {
      await schedule(await allArticles(), true);
    } else if (changed.size > 0 || batch.removed.size > 0) {
      const added = [...changed].some((f) => !state.articles.has(nameOf(f)));
      // A document that comes or goes changes what the others may link to: all are checked (the
      // build cache rebuilds only those whose links change).
      if (added || batch.removed.size > 0) await schedule(await allArticles(), true);
      else await schedule(changed, false);
    }
  };

  // Serve first (the index says what is being built), then build everything once.
  const server = createPreviewServer(state, hub);
  const listening = await listen(server, options.host ?? '127.0.0.1', options.port ?? 4321);
  const initial = await allArticles();
  if (initial.length === 0) log(`imprint: no articles in ${shownPath(path.resolve(cwd, project.config.content), cwd)}/ yet; add one (imprint init <name>) and it is published here.`);
  void schedule(initial, true);

  const templateDirs = [...new Set([TEMPLATES_DIR, path.join(cwd, 'templates')])];
  const configFiles = [...CONFIG_FILE_NAMES.map((n) => path.join(cwd, n)), ...(project.configPath ? [project.configPath] : [])];
  const watcher: Watcher = watchProject({
    contentDir: path.resolve(cwd, project.config.content),
    templateDirs,
    configFiles,
    ignoreDirs: [state.outDir, path.join(cwd, '.cache'), path.join(cwd, 'node_modules')],
    onChange: (batch) => {
      onChange(batch).catch((error: unknown) => log(`imprint: ${error instanceof Error ? error.message : String(error)}`));
    },
    onError: (error) => log(`imprint: watching failed: ${error.message}`),
  });
  await watcher.ready;

  let closed = false;
  return {
    url: listening.url,
    state,
    async idle() {
      let current: Promise<void>;
      do {
        current = running;
        await current;
      } while (current !== running);
    },
    async close() {
      if (closed) return;
      closed = true;
      await watcher.close();
      hub.close();
      await listening.close();
      await running.catch(() => undefined);
      const open = await browser;
      if (open) await closeBrowser(open);
    },
  };
}
