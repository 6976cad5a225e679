/**
 * Which network addresses Imprint may download images from.
 *
 * Private, loopback, link-local, unspecified, CGNAT, multicast and reserved
 * addresses are refused (SSRF: an article must not make Imprint talk to the
 * editor's router or a cloud metadata service) unless the host name, the IP or
 * a CIDR range containing it is listed in `images.allowHosts`.
 */
import net from 'node:net';

/** An address as bytes: 4 for IPv4 (also for IPv4-mapped IPv6), 16 for IPv6. */
type IpBytes = number[];

interface Range {
  bytes: IpBytes;
  prefix: number;
  label: string;
}

function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? bytes : undefined;
}

function parseIpv6(text: string): IpBytes | undefined {
  let input = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two hex groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(input);
  if (dotted?.[1]) {
    const v4 = parseIpv4(dotted[1]);
    if (!v4) return undefined;
    const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
    input = input.slice(0, -dotted[1].length) + `${hex(v4[0]!, v4[1]!)}:${hex(v4[2]!, v4[3]!)}`;
  }
  const halves = input.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
    return groups.every((g) => !Number.isNaN(g)) ? groups : undefined;
  };
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const total = head.length + rest.length;
  let groups: number[];
  if (halves.length === 2) {
    if (total > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  } else {
    if (total !== 8) return undefined;
    groups = head;
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Parse an IP literal; IPv4-mapped IPv6 addresses come back as IPv4. */
export function parseIp(text: string): IpBytes | undefined {
  const kind = net.isIP(text.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  if (kind === 4) return parseIpv4(text);
  if (kind !== 6) return undefined;
  const bytes = parseIpv6(text);
  if (!bytes) return undefined;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated) → IPv4.
  const prefixZero = bytes.slice(0, 10).every((b) => b === 0);
  if (prefixZero && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  return bytes;
}

function range(cidr: string, label: string): Range {
  const [ip = '', prefix = ''] = cidr.split('/');
  const bytes = parseIp(ip);
  if (!bytes) throw new Error(`bad range ${cidr}`);
  return { bytes, prefix: Number(prefix), label };
}

const REFUSED: Range[] = [
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('100.64.0.0/10', 'carrier-grade NAT'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('172.16.0.0/12', 'private'),
  range('192.0.0.0/24', 'reserved'),
  range('192.0.2.0/24', 'documentation'),
  range('192.168.0.0/16', 'private'),
  range('198.18.0.0/15', 'benchmarking'),
  range('198.51.100.0/24', 'documentation'),
  range('203.0.113.0/24', 'documentation'),
  range('224.0.0.0/4', 'multicast'),
  range('240.0.0.0/4', 'reserved'),
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('::/96', 'IPv4-compatible'),
  range('64:ff9b:1::/48', 'NAT64'),
  range('100::/64', 'discard'),
  range('2001:db8::/32', 'documentation'),
  range('fc00::/7', 'private'),
  range('fe80::/10', 'link-local'),
  range('fec0::/10', 'site-local'),
  range('ff00::/8', 'multicast'),
];

function inRange(bytes: IpBytes, r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  let bits = r.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((r.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** IPv4 embedded in NAT64 (64:ff9b::/96) or 6to4 (2002::/16) addresses, which reach IPv4 hosts. */
function embeddedIpv4(bytes: IpBytes): IpBytes | undefined {
  if (bytes.length !== 16) return undefined;
  const nat64 = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
  if (nat64.every((b, i) => bytes[i] === b)) return bytes.slice(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return undefined;
}

/** Why an address is refused by default ("loopback", "private", …), or undefined when it is public. */
export function refusedAddressKind(address: string): string | undefined {
  const bytes = parseIp(address);
  if (!bytes) return 'not an IP address';
  const hit = REFUSED.find((r) => inRange(bytes, r));
  if (hit) return hit.label;
  const inner = embeddedIpv4(bytes);
  if (inner) return REFUSED.find((r) => inRange(inner, r))?.label;
  return undefined;
}

export interface AddressPolicy {
  /** True when the host name or IP literal itself is allow-listed. */
  hostAllowed(host: string): boolean;
  /** Undefined when `address` (resolved for `host`) may be used; else the reason it is refused. */
  refusal(host: string, address: string): string | undefined;
}

/** Normalize a host for comparison: lower case, no brackets, no trailing dot. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

export function createAddressPolicy(allowHosts: readonly string[]): AddressPolicy {
  const names = new Set<string>();
  const ranges: Range[] = [];
  for (const entry of allowHosts) {
    const host = normalizeHost(entry);
    const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
    const cidrBytes = cidr?.[1] ? parseIp(cidr[1]) : undefined;
    if (cidr && cidrBytes) {
      ranges.push({ bytes: cidrBytes, prefix: Math.min(Number(cidr[2]), cidrBytes.length * 8), label: entry });
      continue;
    }
    const ip = parseIp(host);
    if (ip) ranges.push({ bytes: ip, prefix: ip.length * 8, label: entry });
    else names.add(host);
  }
  const ipAllowed = (address: string): boolean => {
    const bytes = parseIp(address);
    return bytes !== undefined && ranges.some((r) => inRange(bytes, r));
  };
  return {
    hostAllowed: (host) => names.has(normalizeHost(host)) || ipAllowed(normalizeHost(host)),
    refusal(host, address) {
      if (names.has(normalizeHost(host)) || ipAllowed(address)) return undefined;
      const kind = refusedAddressKind(address);
      return kind === undefined ? undefined : `${kind} address ${address}`;
    },
  };
}
