/**
 * The preview's HTTP server (node:http, loopback only):
 *   /                    the articles, their build status, outputs and warnings
 *   /<name>.html         the published web page, with the live-reload script added to the copy served
 *   /print/<name>        the paged print preview: the PDF in the browser's viewer
 *   /<name>.pdf, .epub   the published files
 *   /<name>_assets/…     images of a page that is not self-contained
 *   /__imprint/events    Server-Sent Events: one `build` event per finished build
 *   /__imprint/status    the state as JSON: build number, whether a build runs, each article's status
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { EVENTS_PATH, injectReloadScript, type ReloadHub } from './live-reload.js';
import { errorPage, indexPage, printPage } from './pages.js';
import type { PreviewState } from './state.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.css': 'text/css; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export const STATUS_PATH = '/__imprint/status';

/** What /__imprint/status answers. */
export interface PreviewStatus {
  version: number;
  building: boolean;
  configError: string | null;
  articles: Array<{ name: string; source: string; status: string; version: number; error?: string; warnings: number; outputs: string[] }>;
}

export function statusJson(state: PreviewState): PreviewStatus {
  return {
    version: state.version,
    building: state.building,
    configError: state.configError ?? null,
    articles: [...state.articles.values()].map((a) => ({
      name: a.name,
      source: a.source,
      status: a.status,
      version: a.version,
      ...(a.error ? { error: a.error } : {}),
      warnings: a.diagnostics.filter((d) => d.severity === 'warning').length,
      outputs: a.outputs.map((o) => o.file),
    })),
  };
}

export interface PreviewServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string | Uint8Array, type: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...extra,
  });
  response.end(body);
}

/** A file inside `root`, or undefined when the request path leaves it. */
function inside(root: string, relative: string): string | undefined {
  const full = path.resolve(root, `.${path.sep}${relative}`);
  return full === root || full.startsWith(`${root}${path.sep}`) ? full : undefined;
}

async function serveFile(response: ServerResponse, file: string, head: boolean, extra: Record<string, string> = {}): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  const body = head ? new Uint8Array() : await readFile(file);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': String(info.size), 'Cache-Control': 'no-store', ...extra });
  response.end(body);
  return true;
}

export function createPreviewServer(state: PreviewState, hub: ReloadHub): Server {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'Method not allowed\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
      return;
    }
    const head = request.method === 'HEAD';
    const url = new URL(request.url ?? '/', 'http://preview.invalid');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      send(response, 400, 'Bad request\n', 'text/plain; charset=utf-8');
      return;
    }
    if (pathname === EVENTS_PATH) {
      hub.handle(request, response);
      return;
    }
    if (pathname === STATUS_PATH) {
      send(response, 200, head ? '' : JSON.stringify(statusJson(state)), 'application/json; charset=utf-8');
      return;
    }
    if (pathname === '/' || pathname === '/index.html') {
      send(response, 200, head ? '' : indexPage(state), 'text/html; charset=utf-8');
      return;
    }
    const print = /^\/print\/([^/]+)\/?$/.exec(pathname);
    if (print?.[1]) {
      const article = state.articles.get(print[1]);
      if (!article) send(response, 404, errorPage('Not found', `There is no article "${print[1]}".`, null), 'text/html; charset=utf-8');
      else if (article.status === 'failed') send(response, 500, errorPage(`${article.name} failed`, article.error ?? '', article.name), 'text/html; charset=utf-8');
      else if (!state.formats.includes('pdf')) send(response, 404, errorPage('No PDF', 'PDF is not among the formats being published (see --format).', null), 'text/html; charset=utf-8');
      else send(response, 200, printPage(article), 'text/html; charset=utf-8');
      return;
    }
    const document = /^\/([^/]+)\.(html|pdf|epub)$/.exec(pathname);
    const article = document?.[1] ? state.articles.get(document[1]) : undefined;
    if (document?.[1] && article) {
      const ext = document[2] ?? 'html';
      if (article.status === 'failed') {
        send(response, 500, errorPage(`${article.name} failed`, article.error ?? '', article.name), 'text/html; charset=utf-8');
        return;
      }
      const file = inside(state.outDir, `${article.name}.${ext}`);
      if (ext === 'html' && file) {
        const html = await readFile(file, 'utf8').catch(() => undefined);
        if (html !== undefined) {
          send(response, 200, head ? '' : injectReloadScript(html, article.name), 'text/html; charset=utf-8');
          return;
        }
      } else if (file) {
        const disposition = ext === 'epub' ? `attachment; filename*=UTF-8''${encodeURIComponent(`${article.name}.epub`)}` : 'inline';
        if (await serveFile(response, file, head, { 'Content-Disposition': disposition })) return;
      }
      const reason = article.status === 'pending' ? 'It is being built; this page reloads when it is ready.' : `${ext.toUpperCase()} is not among the formats being published (see --format).`;
      send(response, 404, errorPage(`${article.name}.${ext}`, reason, article.name), 'text/html; charset=utf-8');
      return;
    }
    // Files beside the pages (images of pages that are not self-contained), never dotfiles.
    const file = pathname.split('/').some((part) => part.startsWith('.')) ? undefined : inside(state.outDir, pathname);
    if (file && !/\.(html|pdf|epub)$/i.test(file) && (await serveFile(response, file, head))) return;
    send(response, 404, errorPage('Not found', `Nothing at ${pathname}.`, null), 'text/html; charset=utf-8');
  };
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, `Preview error: ${error instanceof Error ? error.message : String(error)}\n`, 'text/plain; charset=utf-8');
      else response.destroy();
    });
  });
}

/** Starts listening on host:port (0: any free port); a busy port is a UsageError. */
export async function listen(server: Server, host: string, port: number): Promise<PreviewServer> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${port} on ${host} is in use; choose another with --port (0 picks a free one)`) : error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
