/**
 * Download one image over http(s) with Imprint's own client (never Chromium's
 * or epub-gen-memory's): each hop's address is checked against the address
 * policy and then connected to directly (no second DNS lookup, so no DNS
 * rebinding); manual, bounded redirects with loop detection; a connect timeout
 * and a total timeout; reading stops as soon as the size limit is passed.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import type { IncomingMessage } from 'node:http';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.js';
import { normalizeHost } from './address-policy.js';
import type { HostAddress, HostLookup } from './host-lookup.js';
import { ImageProblem, isImageProblem } from './problem.js';
import { headerSize } from './sniff.js';

export interface FetchOptions {
  policy: AddressPolicy;
  hosts: HostLookup;
  connectTimeoutMs: number;
  /** Total time for this image, all redirects included. */
  timeoutMs: number;
  /** Reason given when the total time runs out (e.g. the run's budget was the limit). */
  timeoutReason?: string;
  maxBytes: number;
  maxRedirects: number;
}

export interface Fetched {
  bytes: Uint8Array;
  /** URL the bytes came from after redirects. */
  finalUrl: string;
  /** The server's Content-Type header; informative only, never trusted for the type. */
  contentType?: string;
}

/** An ImageProblem tied to one host: every later image from that host fails the same way in this run. */
export class HostProblem extends ImageProblem {
  readonly host: string;
  constructor(host: string, problem: ImageProblem) {
    super(problem.ruleId, problem.reason);
    this.host = host;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Bytes read past the headers of a declared-too-large image, enough for its dimensions. */
const HEAD_BYTES = 64 * 1024;

type Hop = { kind: 'redirect'; location: string } | { kind: 'body'; bytes: Uint8Array; contentType?: string };

/** Key of a host for the per-run failure memo. */
export function hostKey(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

async function pickAddress(url: URL, options: FetchOptions): Promise<HostAddress> {
  const host = normalizeHost(url.hostname);
  const literal = net.isIP(host);
  const addresses: HostAddress[] = literal
    ? [{ address: host, family: literal }]
    : await options.hosts.lookup(host).catch((error: unknown) => {
        throw isImageProblem(error) ? new HostProblem(hostKey(url), error) : error;
      });
  for (const { address } of addresses) {
    const refusal = options.policy.refusal(host, address);
    if (refusal) {
      throw new ImageProblem('image-refused', `refused: ${host === address ? '' : `${host} is a `}${refusal}`);
    }
  }
  const first = addresses[0];
  if (!first) throw new ImageProblem('image-unreachable', 'unreachable (no address)');
  return first;
}

function errorReason(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) return `unreachable (TLS ${code})`;
  return `unreachable (${code || error.message})`;
}

function timedOut(options: FetchOptions): ImageProblem {
  const seconds = Math.round(options.timeoutMs / 100) / 10;
  return new ImageProblem('image-unreachable', options.timeoutReason ?? `unreachable (timed out after ${seconds} s)`);
}

/** Undo a Content-Encoding the server applied although identity was asked for. */
function decode(body: Buffer, encoding: string | undefined, maxBytes: number): Uint8Array {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === '' || name === 'identity') return new Uint8Array(body);
  const limit = { maxOutputLength: maxBytes };
  try {
    if (name === 'gzip' || name === 'x-gzip') return new Uint8Array(zlib.gunzipSync(body, limit));
    if (name === 'deflate') return new Uint8Array(zlib.inflateSync(body, limit));
    if (name === 'br') return new Uint8Array(zlib.brotliDecompressSync(body, limit));
  } catch (error) {
    if (error instanceof RangeError) throw new ImageProblem('image-too-large', 'too large (decompressed)');
    throw new ImageProblem('image-invalid', `invalid (bad ${name} encoding)`);
  }
  throw new ImageProblem('image-invalid', `invalid (unknown encoding ${name})`);
}

/** Reject with `problem` when `deadline` passes before `promise` settles. */
function beforeDeadline<T>(promise: Promise<T>, deadline: number, problem: () => ImageProblem): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(problem()), Math.max(0, deadline - Date.now()));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function requestHop(url: URL, target: HostAddress, options: FetchOptions, deadline: number): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const host = normalizeHost(url.hostname);
    const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const secure = url.protocol === 'https:';
    const requestOptions: https.RequestOptions = {
      protocol: url.protocol,
      hostname: host,
      port: url.port || (secure ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      agent: false,
      lookup,
      headers: {
        'user-agent': 'Imprint/0.1 (+image resolver)',
        accept: 'image/webp,image/png,image/jpeg,image/gif,image/svg+xml,image/*;q=0.8,*/*;q=0.5',
        'accept-encoding': 'identity',
      },
    };
    if (secure && !net.isIP(host)) requestOptions.servername = host;

    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error: unknown, hop?: Hop): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      if (hop) resolve(hop);
      else reject(error);
    };

    const req = (secure ? https : http).request(requestOptions);
    const fail = (problem: ImageProblem): void => {
      finish(problem);
      req.destroy();
    };

    const remaining = deadline - Date.now();
    timers.push(setTimeout(() => fail(timedOut(options)), Math.max(0, remaining)));

    req.on('socket', (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => {
        fail(new HostProblem(hostKey(url), new ImageProblem('image-unreachable', 'unreachable (connect timeout)')));
      }, Math.min(options.connectTimeoutMs, Math.max(0, remaining)));
      timers.push(t);
      socket.once('connect', () => clearTimeout(t));
    });

    req.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      const problem = new ImageProblem('image-unreachable', errorReason(error));
      const hostWide = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH'].includes(error.code ?? '');
      finish(hostWide ? new HostProblem(hostKey(url), problem) : problem);
    });

    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        finish(undefined, { kind: 'redirect', location });
        res.destroy();
        req.destroy();
        return;
      }
      if (status < 200 || status > 299) {
        fail(new ImageProblem('image-unreachable', `unreachable (HTTP ${status})`));
        res.destroy();
        return;
      }
      const declared = Number(res.headers['content-length']);
      const declaredTooLarge = Number.isFinite(declared) && declared > options.maxBytes;
      const contentType = res.headers['content-type'];
      const chunks: Buffer[] = [];
      let received = 0;
      const tooLarge = (): void => {
        const head = Buffer.concat(chunks).subarray(0, HEAD_BYTES);
        const size = headerSize(head);
        const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
        const what = declaredTooLarge ? mb(declared) : `more than ${mb(options.maxBytes)}`;
        fail(new ImageProblem('image-too-large', `too large (${what}; limit ${mb(options.maxBytes)})`, size));
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        received += chunk.length;
        if (received > options.maxBytes || (declaredTooLarge && received >= HEAD_BYTES)) tooLarge();
      });
      res.on('end', () => {
        if (settled) return;
        if (declaredTooLarge) return tooLarge();
        let bytes: Uint8Array;
        try {
          bytes = decode(Buffer.concat(chunks), res.headers['content-encoding'], options.maxBytes);
        } catch (error) {
          finish(error);
          return;
        }
        finish(undefined, contentType === undefined ? { kind: 'body', bytes } : { kind: 'body', bytes, contentType });
      });
      res.on('error', (error: NodeJS.ErrnoException) => {
        if (!settled) finish(new ImageProblem('image-unreachable', errorReason(error)));
      });
      res.on('aborted', () => {
        if (!settled) finish(new ImageProblem('image-unreachable', 'unreachable (connection closed early)'));
      });
    });
    req.end();
  });
}

/** Download `url`; rejects with an ImageProblem (or HostProblem) when the image cannot be had. */
export async function fetchImage(url: URL, options: FetchOptions): Promise<Fetched> {
  const deadline = Date.now() + options.timeoutMs;
  const visited = new Set<string>();
  let current = url;
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new ImageProblem('image-refused', `refused: redirect to a ${current.protocol} URL`);
    }
    visited.add(current.href);
    const target = await beforeDeadline(pickAddress(current, options), deadline, () => timedOut(options));
    const result = await requestHop(current, target, options, deadline);
    if (result.kind === 'body') {
      const fetched: Fetched = { bytes: result.bytes, finalUrl: current.href };
      if (result.contentType !== undefined) fetched.contentType = result.contentType;
      return fetched;
    }
    let next: URL;
    try {
      next = new URL(result.location, current);
    } catch {
      throw new ImageProblem('image-unreachable', 'unreachable (bad redirect)');
    }
    if (visited.has(next.href)) throw new ImageProblem('image-unreachable', 'unreachable (redirect loop)');
    if (hop + 1 > options.maxRedirects) {
      throw new ImageProblem('image-unreachable', `unreachable (more than ${options.maxRedirects} redirects)`);
    }
    current = next;
  }
}
