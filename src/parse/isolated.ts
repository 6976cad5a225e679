/**
 * Parsing in a worker thread. micromark and the plugins are synchronous: an article built to be
 * slow (some inputs make micromark quadratic) would block the whole run — other documents' pages
 * in Chromium included — and no timer could stop it. In a worker it runs beside the run, and is
 * terminated when its time budget runs out or the document is cancelled; the document then fails
 * with a clear message and the others go on. The worker also has its own heap limit.
 *
 * Workers are reused: one is kept idle (unref'd, so it never keeps the process alive). Parses are
 * short next to rendering, so a second worker, started when two documents parse at once, is not
 * kept: each costs tens of megabytes of memory for the rest of the run.
 *
 * Written by hand rather than with piscina or tinypool: both terminate a running task's worker on
 * abort and take resourceLimits, but their idle policy is minThreads plus an idleTimeout per
 * worker. With minThreads 0, every worker started while documents parse at once stays for the
 * whole timeout (two parallel parses leave two idle workers, measured with piscina 5.3 and
 * tinypool 2.2), at the time Chromium prints and the run's memory peaks; with minThreads 1, the
 * last worker never ends. Neither keeps one idle worker for 1.5 s and ends the others at once.
 */
import { Worker } from 'node:worker_threads';
import type { VFile } from 'vfile';
import { DocumentError } from '../errors.js';
import { effectiveLimits, timeProblem } from './limits.js';
import type { Article } from '../model.js';
import type { ParseOptions, ParseSettings } from './article.js';
import { restoreMessages, type ParseReply, type ParseRequest } from './transfer.js';
import { diagnose } from '../diagnostics/rules.js';

export interface IsolatedParseSettings extends ParseSettings {
  /** Stops the parse (the worker is terminated) when aborted, e.g. by the document's time budget. */
  signal?: AbortSignal | undefined;
  /** Time allowed for parsing (default: limits.timeBudgetMs). */
  timeoutMs?: number | undefined;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);
/** Heap of one parse worker, in MB: far more than a 2 MB article needs. */
const WORKER_HEAP_MB = 1024;
const MAX_IDLE = 1;
/** An idle worker is ended after this long without work, giving back its heap (tens of MB) to the rest of the run. */
const IDLE_MS = 1500;
const idle: Worker[] = [];
const idleTimers = new Map<Worker, NodeJS.Timeout>();
let nextId = 1;

function spawn(): Worker {
  return new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
}

function release(worker: Worker): void {
  if (idle.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.unref();
  idle.push(worker);
  const timer = setTimeout(() => {
    idleTimers.delete(worker);
    const at = idle.indexOf(worker);
    if (at >= 0) {
      idle.splice(at, 1);
      void worker.terminate();
    }
  }, IDLE_MS);
  timer.unref();
  idleTimers.set(worker, timer);
}

/** An idle worker, taken out of the idle list (its end-of-idleness timer cancelled), or a new one. */
function take(): Worker {
  const worker = idle.pop();
  if (!worker) return spawn();
  clearTimeout(idleTimers.get(worker));
  idleTimers.delete(worker);
  return worker;
}

/** Puts the worker's answer on `file` and returns the article, or throws the document's error. */
function settle(reply: ParseReply, file: VFile): Article {
  Object.assign(file.data, reply.data);
  const messages = restoreMessages(file, reply.messages);
  if (reply.ok) return { ...reply.article, file };
  const failure = reply.failure;
  if (failure.kind === 'message') {
    const fatal = messages[failure.index];
    if (fatal) throw fatal;
    throw new DocumentError('the article could not be parsed', 'parse-failed');
  }
  if (failure.kind === 'document') throw new DocumentError(failure.message, failure.ruleId);
  throw new DocumentError(failure.message, 'parse-failed');
}

function crashReason(error: unknown): DocumentError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new DocumentError(`parsing the article needs more than ${WORKER_HEAP_MB} MB of memory`, 'limit-memory');
  }
  const detail = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
  return new DocumentError(`the parser stopped unexpectedly (${detail})`, 'parse-failed');
}

/**
 * Same result as parseArticle(file, options, settings) — the article, the diagnostics on `file`,
 * `file.data` — but parsed in a worker thread that is terminated after `timeoutMs` (default
 * limits.timeBudgetMs) or when `signal` aborts. A timeout is a fatal message on `file`
 * (rule limit-time); an abort rejects with DocumentError('cancelled').
 */
export function parseArticleIsolated(file: VFile, options: ParseOptions, settings: IsolatedParseSettings = {}): Promise<Article> {
  const { signal, timeoutMs, ...parseSettings } = settings;
  const limits = effectiveLimits(parseSettings.limits);
  const budget = timeoutMs ?? limits.timeBudgetMs;
  if (signal?.aborted) return Promise.reject(new DocumentError('cancelled', 'cancelled'));
  const request: ParseRequest = {
    id: nextId++,
    path: file.path || undefined,
    value: String(file.value ?? ''),
    options: { name: options.name, path: options.path, documents: options.documents },
    settings: { limits, allowRawHtml: parseSettings.allowRawHtml === true },
  };
  const worker = take();
  worker.ref();
  return new Promise<Article>((resolve, reject) => {
    const finish = (reuse: boolean): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
      if (reuse) release(worker);
      else void worker.terminate();
    };
    const onMessage = (reply: ParseReply): void => {
      if (reply.id !== request.id) return;
      finish(true);
      try {
        resolve(settle(reply, file));
      } catch (error) {
        reject(error);
      }
    };
    const onError = (error: unknown): void => {
      finish(false);
      reject(crashReason(error));
    };
    const onExit = (code: number): void => {
      finish(false);
      reject(new DocumentError(`the parser stopped unexpectedly (exit code ${code})`, 'parse-failed'));
    };
    const onAbort = (): void => {
      finish(false);
      reject(new DocumentError('cancelled', 'cancelled'));
    };
    const timer = setTimeout(() => {
      finish(false);
      try {
        const problem = timeProblem(budget);
        diagnose(file, problem.ruleId, problem.reason);
      } catch (error) {
        reject(error);
      }
    }, budget);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage(request);
  });
}
