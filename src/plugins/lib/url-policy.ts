/**
 * Which link URLs an article may carry. Links may be http, https or mailto, relative to the
 * document, or #fragments; everything else (javascript:, vbscript:, file:, data:, …) is refused.
 *
 * The scheme is read the way a browser reads it: leading and trailing C0 controls and spaces are
 * ignored and tabs and line breaks anywhere are dropped, so `java\tscript:` or ` JAVASCRIPT:` are
 * javascript: links too. (Character references were already decoded by the parser.)
 *
 * A link an output may carry must also lead somewhere its reader can go: an http(s) URL of a
 * public host (see isPublicWebUrl). Loopback, private and link-local addresses, `localhost` and
 * the names reserved for local use point into the editor's own network, not the reader's.
 */
import net from 'node:net';
import { refusedAddressKind } from '../../images/address-policy.js';

/** Schemes a link may use. */
export const LINK_SCHEMES: readonly string[] = ['http', 'https', 'mailto'];

/** Schemes that run code or read local data when followed: named in warnings as unsafe. */
export const UNSAFE_SCHEMES: readonly string[] = ['javascript', 'vbscript', 'file', 'data', 'blob', 'filesystem'];

/** The URL as a browser sees it before parsing. */
export function normalizeUrl(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
}

/**
 * The lower-case scheme of a URL, or undefined when it is relative (path, ?query, #fragment,
 * //host). Like rehype-sanitize, anything before a colon that comes before the first `/`, `?`
 * or `#` is a scheme, even one no browser knows (`java%09script:` is refused, not relative).
 */
export function urlScheme(value: string): string | undefined {
  const url = normalizeUrl(value);
  const colon = url.indexOf(':');
  if (colon <= 0) return undefined;
  const before = url.slice(0, colon);
  return /[/?#]/.test(before) ? undefined : before.toLowerCase();
}

export interface LinkVerdict {
  allowed: boolean;
  /** The scheme, when there is one. */
  scheme?: string;
  /** True for schemes that run code or read local data. */
  unsafe: boolean;
}

/** Whether a link may keep this URL. */
export function checkLink(href: string, schemes: readonly string[] = LINK_SCHEMES): LinkVerdict {
  const scheme = urlScheme(href);
  if (scheme === undefined) {
    // A relative URL; a backslash-started one ("\\host") is read as "//host" by browsers: fine too.
    return { allowed: true, unsafe: false };
  }
  // `java%09script` and the like are read for what they try to be.
  const letters = scheme.replace(/%[0-9a-f]{2}|[^a-z]/gi, '');
  return { allowed: schemes.includes(scheme), scheme, unsafe: UNSAFE_SCHEMES.includes(letters) };
}

/** A URL shortened for a message: one line, at most `max` characters, control characters escaped. */
export function shownUrl(value: string, max = 60): string {
  const oneLine = printable(value.trim().replace(/\s+/g, ' '));
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/**
 * Text safe to print on a terminal: C0 and C1 control characters (ESC sequences could recolour or
 * retitle the terminal) become \uXXXX escapes; tabs and line breaks stay.
 */
export function printable(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Host names reserved for local or no use (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal). */
const LOCAL_NAMES = /(?:^|\.)(?:localhost|invalid|local|home\.arpa|internal)$/;

/**
 * Why an http(s) URL leads nowhere a reader can go ("loopback address 127.0.0.1", "local name
 * localhost"), or undefined when its host is public. Host names are judged as written: what a
 * public-looking name resolves to is the image stage's business.
 */
export function privateHost(value: string): string | undefined {
  const host = webHost(value);
  if (host === undefined) return undefined;
  if (host === '') return 'no host';
  if (net.isIP(host) !== 0) {
    const kind = refusedAddressKind(host);
    return kind === undefined ? undefined : `${kind} address ${host}`;
  }
  return LOCAL_NAMES.test(host) ? `local name ${host}` : undefined;
}

/** The host of an http(s) or protocol-relative URL as a browser reads it (IPv4 forms normalised, no brackets); undefined for anything else. */
function webHost(value: string): string | undefined {
  let url = normalizeUrl(value);
  if (url.startsWith('//')) url = `https:${url}`;
  if (!/^https?:/i.test(url)) return undefined;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Whether a URL may be shown as a link in an output: http(s) (or protocol-relative) with a public
 * host. Anything else — a refused or local address, another scheme, a path — is shown as text.
 */
export function isPublicWebUrl(value: string): boolean {
  return webHost(value) !== undefined && privateHost(value) === undefined;
}
