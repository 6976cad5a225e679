/**
 * Which network addresses Imprint may download images from.
 *
 * Private, loopback, link-local, unspecified, CGNAT, multicast and reserved
 * addresses are refused (SSRF: an article must not make Imprint talk to the
 * editor's router or a cloud metadata service) unless the host name, the IP or
 * a CIDR range containing it is listed in `images.allowHosts`.
 *
 * Addresses are matched with node:net's BlockList, which also matches an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) against IPv4 ranges.
 */
import net, { BlockList } from 'node:net';

type Family = 'ipv4' | 'ipv6';

/** An IP literal without brackets or zone (fe80::1%eth0), with its family; undefined for anything else. */
function ipOf(text: string): { address: string; family: Family } | undefined {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const kind = net.isIP(address);
  return kind === 0 ? undefined : { address, family: kind === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The same IPv4 network inside the IPv6 prefixes that reach IPv4 hosts: NAT64 (64:ff9b::/96)
 * and 6to4 (2002::/16, the IPv4 address in bits 16–47).
 */
function embedded(network: string, prefix: number): [string, number][] {
  const [a = 0, b = 0, c = 0, d = 0] = network.split('.').map(Number);
  const group = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
  return [
    [`64:ff9b::${network}`, 96 + prefix],
    [`2002:${group(a, b)}:${group(c, d)}::`, 16 + prefix],
  ];
}

const REFUSED_RANGES: [cidr: string, label: string][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade NAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible'],
  ['64:ff9b:1::/48', 'NAT64'],
  ['100::/64', 'discard'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];

/** One BlockList per reason, in the order above; IPv4 ranges also as NAT64 and 6to4 addresses. */
const REFUSED = new Map<string, BlockList>();
for (const [cidr, label] of REFUSED_RANGES) {
  const [network = '', bits = ''] = cidr.split('/');
  const prefix = Number(bits);
  let list = REFUSED.get(label);
  if (!list) REFUSED.set(label, (list = new BlockList()));
  if (net.isIPv4(network)) {
    list.addSubnet(network, prefix, 'ipv4');
    for (const [inner, innerPrefix] of embedded(network, prefix)) list.addSubnet(inner, innerPrefix, 'ipv6');
  } else {
    list.addSubnet(network, prefix, 'ipv6');
  }
}

/** Why an address is refused by default ("loopback", "private", …), or undefined when it is public. */
export function refusedAddressKind(address: string): string | undefined {
  const ip = ipOf(address);
  if (!ip) return 'not an IP address';
  for (const [label, list] of REFUSED) if (list.check(ip.address, ip.family)) return label;
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

const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');
/** An IPv4 address, written as such or IPv4-mapped (::ffff:a.b.c.d). */
const isIpv4 = (ip: { address: string; family: Family }): boolean => ip.family === 'ipv4' || MAPPED.check(ip.address, 'ipv6');

export function createAddressPolicy(allowHosts: readonly string[]): AddressPolicy {
  const names = new Set<string>();
  // IPv4 addresses are matched only against IPv4 entries: an IPv6 range such as ::/0 opens no
  // IPv4 address, although BlockList would match the mapped form of every IPv4 address in it.
  const allowed = { ipv4: new BlockList(), ipv6: new BlockList() };
  for (const entry of allowHosts) {
    const host = normalizeHost(entry);
    const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
    const network = cidr?.[1] ? ipOf(cidr[1]) : undefined;
    if (cidr && network) {
      const list = allowed[isIpv4(network) ? 'ipv4' : 'ipv6'];
      list.addSubnet(network.address, Math.min(Number(cidr[2]), network.family === 'ipv4' ? 32 : 128), network.family);
      continue;
    }
    const ip = ipOf(host);
    if (ip) allowed[isIpv4(ip) ? 'ipv4' : 'ipv6'].addAddress(ip.address, ip.family);
    else names.add(host);
  }
  const ipAllowed = (address: string): boolean => {
    const ip = ipOf(address);
    return ip !== undefined && allowed[isIpv4(ip) ? 'ipv4' : 'ipv6'].check(ip.address, ip.family);
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
