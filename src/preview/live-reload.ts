/**
 * Live reload over Server-Sent Events. The preview server injects a small script into the copy
 * of each page it serves (never into the published files); the script listens on EVENTS_PATH
 * and reloads when a build that concerns its page ends, keeping the scroll position.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const EVENTS_PATH = '/__imprint/events';

export interface BuildEvent {
  /** Build number, increasing. */
  version: number;
  /** Articles rebuilt (or removed) by this build. */
  names: string[];
  /** True when every page should reload (templates or config changed, an article was added or removed). */
  all: boolean;
}

export interface ReloadHub {
  /** Answers an EventSource request; the connection stays open. */
  handle(request: IncomingMessage, response: ServerResponse): void;
  broadcast(event: string, data: unknown): void;
  /** Number of connected pages. */
  readonly clients: number;
  close(): void;
}

export function createReloadHub(): ReloadHub {
  const clients = new Set<ServerResponse>();
  const ping = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, 15_000);
  ping.unref();
  return {
    handle(request, response) {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      response.write('retry: 1000\n\n');
      clients.add(response);
      const drop = (): void => {
        clients.delete(response);
      };
      request.on('close', drop);
      response.on('close', drop);
    },
    broadcast(event, data) {
      const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
      for (const client of clients) client.write(message);
    },
    get clients() {
      return clients.size;
    },
    close() {
      clearInterval(ping);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The live-reload script for a page showing `name` (null: any build reloads it, as on the index).
 * The scroll position survives the reload.
 */
export function reloadScript(name: string | null): string {
  const key = scriptJson(`imprint-scroll:${name ?? ''}`);
  return `<script data-imprint-preview>(() => {
  const name = ${scriptJson(name)};
  const key = ${key};
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener('load', () => scrollTo(0, Number(saved)));
  }
  const events = new EventSource(${scriptJson(EVENTS_PATH)});
  events.addEventListener('build', (event) => {
    const build = JSON.parse(event.data);
    if (name === null || build.all || build.names.includes(name)) {
      sessionStorage.setItem(key, String(scrollY));
      location.reload();
    }
  });
})();</script>`;
}

/** The page with the live-reload script added before </body> (or at the end). */
export function injectReloadScript(html: string, name: string | null): string {
  const script = reloadScript(name);
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? `${html}\n${script}\n` : `${html.slice(0, at)}${script}\n${html.slice(at)}`;
}
