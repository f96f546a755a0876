/**
 * Which IP addresses a webhook delivery may connect to. Harbour connects to addresses its partners
 * chose, from inside the operator's network, so an endpoint must not reach what only Harbour can:
 * the machine itself, the private network, the cloud's metadata service. Every address that is not
 * globally routable unicast is refused, after the IANA special-purpose registries:
 *
 * - IPv4: 0.0.0.0/8, 10/8, 100.64/10 (carrier-grade NAT), 127/8, 169.254/16 (incl. the metadata
 *   service 169.254.169.254), 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16,
 *   198.18/15, 198.51.100/24, 203.0.113/24, 224/4 (multicast), 240/4 and 255.255.255.255.
 * - IPv6: everything outside 2000::/3 (global unicast) — so ::, ::1, fc00::/7, fe80::/10, fec0::/10,
 *   ff00::/8 and the IPv4-compatible ::/96 — and within it 2001::/23 (Teredo, benchmarking, ORCHID),
 *   2001:db8::/32, 3fff::/20 and 5f00::/16.
 * - IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped ::ffff:0:0/96,
 *   the NAT64 prefix 64:ff9b::/96 and 6to4 2002::/16 (64:ff9b:1::/48, local-use NAT64, is refused).
 *
 * An operator may allow networks (`WEBHOOK_ALLOWED_NETWORKS`, comma-separated CIDRs), for a partner
 * on a private network or a test receiver on loopback: an address inside one, or whose embedded
 * IPv4 address is inside one, is allowed. The unspecified addresses, multicast and broadcast are
 * refused whatever the list says: TCP cannot reach them, or (0.0.0.0) the local machine answers.
 *
 * Addresses are checked in the form `dns.lookup` returns them; any other spelling (`127.1`, an
 * IPv6 zone id) is INVALID, so a lookup result is never reinterpreted.
 */
import { BlockList, isIP } from 'node:net';

export type AddressRefusal =
  | 'INVALID'
  | 'UNSPECIFIED'
  | 'LOOPBACK'
  | 'PRIVATE'
  | 'SHARED'
  | 'LINK_LOCAL'
  | 'UNIQUE_LOCAL'
  | 'MULTICAST'
  | 'BROADCAST'
  | 'DOCUMENTATION'
  | 'RESERVED';

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly reason: AddressRefusal };

type Family = 'ipv4' | 'ipv6';

const IPV4_REFUSED: readonly (readonly [string, AddressRefusal])[] = [
  ['0.0.0.0/8', 'UNSPECIFIED'],
  ['10.0.0.0/8', 'PRIVATE'],
  ['100.64.0.0/10', 'SHARED'],
  ['127.0.0.0/8', 'LOOPBACK'],
  ['169.254.0.0/16', 'LINK_LOCAL'],
  ['172.16.0.0/12', 'PRIVATE'],
  ['192.0.0.0/24', 'RESERVED'], // IETF protocol assignments
  ['192.0.2.0/24', 'DOCUMENTATION'],
  ['192.88.99.0/24', 'RESERVED'], // the former 6to4 relay anycast
  ['192.168.0.0/16', 'PRIVATE'],
  ['198.18.0.0/15', 'RESERVED'], // benchmarking
  ['198.51.100.0/24', 'DOCUMENTATION'],
  ['203.0.113.0/24', 'DOCUMENTATION'],
  ['224.0.0.0/4', 'MULTICAST'],
  ['255.255.255.255/32', 'BROADCAST'], // before 240/4, which holds it
  ['240.0.0.0/4', 'RESERVED'],
];

const IPV6_REFUSED: readonly (readonly [string, AddressRefusal])[] = [
  ['::/128', 'UNSPECIFIED'],
  ['::1/128', 'LOOPBACK'],
  ['64:ff9b:1::/48', 'RESERVED'], // local-use NAT64
  ['2001::/23', 'RESERVED'], // IETF protocol assignments: Teredo, benchmarking, ORCHID
  ['2001:db8::/32', 'DOCUMENTATION'],
  ['3fff::/20', 'DOCUMENTATION'],
  ['5f00::/16', 'RESERVED'], // SRv6 segment identifiers
  ['fc00::/7', 'UNIQUE_LOCAL'],
  ['fe80::/10', 'LINK_LOCAL'],
  ['ff00::/8', 'MULTICAST'],
];

/** Refused whatever the allowed networks say. */
const ALWAYS_REFUSED: ReadonlySet<AddressRefusal> = new Set(['INVALID', 'UNSPECIFIED', 'MULTICAST', 'BROADCAST']);

/** IPv6 prefixes whose addresses carry an IPv4 address, and the byte where it starts. */
const EMBEDDING: readonly { readonly prefix: readonly number[]; readonly at: number }[] = [
  { prefix: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], at: 12 }, // IPv4-mapped, ::ffff:0:0/96
  { prefix: [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], at: 12 }, // NAT64, 64:ff9b::/96
  { prefix: [0x20, 0x02], at: 2 }, // 6to4, 2002::/16
];

function blockList(cidr: string, family: Family): BlockList {
  const [address, prefix] = cidr.split('/');
  const list = new BlockList();
  list.addSubnet(address, Number(prefix), family);
  return list;
}

const IPV4_TABLE = IPV4_REFUSED.map(([cidr, reason]) => ({ list: blockList(cidr, 'ipv4'), reason }));
const IPV6_TABLE = IPV6_REFUSED.map(([cidr, reason]) => ({ list: blockList(cidr, 'ipv6'), reason }));
const GLOBAL_UNICAST = blockList('2000::/3', 'ipv6');

interface ParsedAddress {
  readonly family: Family;
  readonly bytes: Uint8Array;
}

/** An address as `dns.lookup` gives it, or undefined; zone ids are refused. */
function parseAddress(text: string): ParsedAddress | undefined {
  if (typeof text !== 'string' || text.includes('%')) return undefined;
  const version = isIP(text);
  if (version === 4) return { family: 'ipv4', bytes: Uint8Array.from(text.split('.').map(Number)) };
  if (version === 6) return { family: 'ipv6', bytes: ipv6Bytes(text) };
  return undefined;
}

/** The 16 bytes of an IPv6 address that `isIP` accepted. */
function ipv6Bytes(text: string): Uint8Array {
  let hex = text;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    hex = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left, right] = hex.split('::');
  const head = left === '' ? [] : left.split(':');
  const tail = right === undefined || right === '' ? [] : right.split(':');
  const groups =
    right === undefined ? head : [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/** The IPv4 address an IPv4-mapped, NAT64 or 6to4 address carries (only an IPv4-mapped one if `mappedOnly`). */
function embeddedIpv4(bytes: Uint8Array, mappedOnly = false): string | undefined {
  const forms = mappedOnly ? EMBEDDING.slice(0, 1) : EMBEDDING;
  const form = forms.find(({ prefix }) => prefix.every((byte, i) => bytes[i] === byte));
  return form ? Array.from(bytes.subarray(form.at, form.at + 4)).join('.') : undefined;
}

function refusalOfIpv4(address: string): AddressRefusal | undefined {
  return IPV4_TABLE.find(({ list }) => list.check(address, 'ipv4'))?.reason;
}

function refusalOfIpv6(address: string): AddressRefusal | undefined {
  const listed = IPV6_TABLE.find(({ list }) => list.check(address, 'ipv6'))?.reason;
  return listed ?? (GLOBAL_UNICAST.check(address, 'ipv6') ? undefined : 'RESERVED');
}

/**
 * Whether the address is the local machine's loopback: 127/8 (also IPv4-mapped) or ::1. A NAT64
 * or 6to4 address that carries 127.0.0.1 is not: it is routed to a gateway.
 */
export function isLoopbackAddress(address: string): boolean {
  const parsed = parseAddress(address);
  if (!parsed) return false;
  const ipv4 = parsed.family === 'ipv4' ? address : embeddedIpv4(parsed.bytes, true);
  return (ipv4 !== undefined ? refusalOfIpv4(ipv4) : refusalOfIpv6(address)) === 'LOOPBACK';
}

export class AllowedNetworksError extends Error {
  /** One line per bad entry, each quoting it. */
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'AllowedNetworksError';
  }
}

const CIDR = /^([^/]+)\/(0|[1-9][0-9]{0,2})$/;

/** What is wrong with one `address/prefix` entry, or undefined. */
function cidrProblem(entry: string): string | undefined {
  const match = CIDR.exec(entry);
  if (!match) return `"${entry}" is not a CIDR (address/prefix length)`;
  const parsed = parseAddress(match[1]);
  if (!parsed) return `"${entry}" does not start with an IPv4 or IPv6 address`;
  const prefix = Number(match[2]);
  const bits = parsed.bytes.length * 8;
  if (prefix > bits) return `"${entry}" has a prefix length above ${bits}`;
  for (let bit = prefix; bit < bits; bit++) {
    if (parsed.bytes[bit >> 3] & (0x80 >> (bit & 7))) return `"${entry}" has address bits set beyond its /${prefix}`;
  }
  return undefined;
}

/**
 * The allowed networks of `WEBHOOK_ALLOWED_NETWORKS`: CIDRs separated by commas, spaces around
 * them ignored, each a network address (no bits beyond the prefix) and its prefix length. An empty
 * text allows nothing. Bad entries throw an AllowedNetworksError naming each one.
 */
export function parseAllowedNetworks(text: string): string[] {
  if (text.trim() === '') return [];
  const entries = text.split(',').map((entry) => entry.trim());
  const problems = entries.map((entry) => (entry === '' ? 'an empty entry' : cidrProblem(entry)));
  const found = problems.filter((problem): problem is string => problem !== undefined);
  if (found.length > 0) throw new AllowedNetworksError(found);
  return entries;
}

export class AddressPolicy {
  private readonly allowed = new BlockList();

  /** `allowedNetworks`: CIDRs (as `parseAllowedNetworks` returns them) that may be reached anyway. */
  constructor(readonly allowedNetworks: readonly string[] = []) {
    const problems = allowedNetworks.map(cidrProblem).filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) throw new AllowedNetworksError(problems);
    for (const cidr of allowedNetworks) {
      const [address, prefix] = cidr.split('/');
      this.allowed.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
  }

  check(address: string): AddressVerdict {
    const parsed = parseAddress(address);
    if (!parsed) return { allowed: false, reason: 'INVALID' };
    const ipv4 = parsed.family === 'ipv4' ? address : embeddedIpv4(parsed.bytes);
    const reason = ipv4 !== undefined ? refusalOfIpv4(ipv4) : refusalOfIpv6(address);
    if (reason === undefined) return { allowed: true };
    if (ALWAYS_REFUSED.has(reason)) return { allowed: false, reason };
    const inAllowedNetwork =
      this.allowed.check(address, parsed.family) || (ipv4 !== undefined && this.allowed.check(ipv4, 'ipv4'));
    return inAllowedNetwork ? { allowed: true } : { allowed: false, reason };
  }
}
