import {
  AddressPolicy,
  AllowedNetworksError,
  isLoopbackAddress,
  parseAllowedNetworks,
  type AddressRefusal,
} from '@harbour/webhooks';

const OK = null;
type Expected = AddressRefusal | typeof OK;

// Every refused range, with the addresses on both sides of each of its boundaries.
const IPV4: readonly [string, Expected][] = [
  ['0.0.0.0', 'UNSPECIFIED'],
  ['0.255.255.255', 'UNSPECIFIED'],
  ['1.0.0.0', OK],
  ['9.255.255.255', OK],
  ['10.0.0.0', 'PRIVATE'],
  ['10.255.255.255', 'PRIVATE'],
  ['11.0.0.0', OK],
  ['100.63.255.255', OK],
  ['100.64.0.0', 'SHARED'],
  ['100.127.255.255', 'SHARED'],
  ['100.128.0.0', OK],
  ['126.255.255.255', OK],
  ['127.0.0.0', 'LOOPBACK'],
  ['127.0.0.1', 'LOOPBACK'],
  ['127.255.255.255', 'LOOPBACK'],
  ['128.0.0.0', OK],
  ['169.253.255.255', OK],
  ['169.254.0.0', 'LINK_LOCAL'],
  ['169.254.169.254', 'LINK_LOCAL'],
  ['169.254.255.255', 'LINK_LOCAL'],
  ['169.255.0.0', OK],
  ['172.15.255.255', OK],
  ['172.16.0.0', 'PRIVATE'],
  ['172.31.255.255', 'PRIVATE'],
  ['172.32.0.0', OK],
  ['191.255.255.255', OK],
  ['192.0.0.0', 'RESERVED'],
  ['192.0.0.255', 'RESERVED'],
  ['192.0.1.0', OK],
  ['192.0.1.255', OK],
  ['192.0.2.0', 'DOCUMENTATION'],
  ['192.0.2.255', 'DOCUMENTATION'],
  ['192.0.3.0', OK],
  ['192.88.98.255', OK],
  ['192.88.99.0', 'RESERVED'],
  ['192.88.99.255', 'RESERVED'],
  ['192.88.100.0', OK],
  ['192.167.255.255', OK],
  ['192.168.0.0', 'PRIVATE'],
  ['192.168.255.255', 'PRIVATE'],
  ['192.169.0.0', OK],
  ['198.17.255.255', OK],
  ['198.18.0.0', 'RESERVED'],
  ['198.19.255.255', 'RESERVED'],
  ['198.20.0.0', OK],
  ['198.51.99.255', OK],
  ['198.51.100.0', 'DOCUMENTATION'],
  ['198.51.100.255', 'DOCUMENTATION'],
  ['198.51.101.0', OK],
  ['203.0.112.255', OK],
  ['203.0.113.0', 'DOCUMENTATION'],
  ['203.0.113.255', 'DOCUMENTATION'],
  ['203.0.114.0', OK],
  ['223.255.255.255', OK],
  ['224.0.0.0', 'MULTICAST'],
  ['239.255.255.255', 'MULTICAST'],
  ['240.0.0.0', 'RESERVED'],
  ['255.255.255.254', 'RESERVED'],
  ['255.255.255.255', 'BROADCAST'],
  ['8.8.8.8', OK],
  ['93.184.215.14', OK],
];

const MAX = 'ffff:ffff:ffff:ffff:ffff:ffff';
const IPV6: readonly [string, Expected][] = [
  ['::', 'UNSPECIFIED'],
  ['::1', 'LOOPBACK'],
  ['0:0:0:0:0:0:0:1', 'LOOPBACK'],
  ['::2', 'RESERVED'],
  // IPv4-compatible (deprecated), outside global unicast
  ['::127.0.0.1', 'RESERVED'],
  ['::8.8.8.8', 'RESERVED'],
  // IPv4-mapped: judged by the IPv4 address, in either spelling
  ['::fffe:ffff:ffff', 'RESERVED'],
  ['::ffff:0.0.0.0', 'UNSPECIFIED'],
  ['::ffff:127.0.0.1', 'LOOPBACK'],
  ['::ffff:7f00:1', 'LOOPBACK'],
  ['::FFFF:127.0.0.1', 'LOOPBACK'],
  ['0:0:0:0:0:ffff:7f00:1', 'LOOPBACK'],
  ['::ffff:10.0.0.1', 'PRIVATE'],
  ['::ffff:169.254.169.254', 'LINK_LOCAL'],
  ['::ffff:100.64.0.1', 'SHARED'],
  ['::ffff:8.8.8.8', OK],
  ['::ffff:808:808', OK],
  ['::1:0:0:0', 'RESERVED'],
  // NAT64, well-known prefix 64:ff9b::/96, and local-use 64:ff9b:1::/48
  ['64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff', 'RESERVED'],
  ['64:ff9b::7f00:1', 'LOOPBACK'],
  ['64:ff9b::127.0.0.1', 'LOOPBACK'],
  ['64:ff9b::a9fe:a9fe', 'LINK_LOCAL'],
  ['64:ff9b::c0a8:1', 'PRIVATE'],
  ['64:ff9b::808:808', OK],
  ['64:ff9b::1:0:0:0', 'RESERVED'],
  ['64:ff9b:1::', 'RESERVED'],
  ['64:ff9b:1::808:808', 'RESERVED'],
  // 6to4, 2002::/16: the IPv4 address is in bits 16–47
  ['2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff', OK],
  ['2002:7f00:1::', 'LOOPBACK'],
  ['2002:a00:1::1', 'PRIVATE'],
  ['2002:a9fe:a9fe::', 'LINK_LOCAL'],
  ['2002:808:808::1', OK],
  ['2002:ffff:ffff::', 'BROADCAST'],
  ['2003::', OK],
  // global unicast 2000::/3 and the ranges inside it
  ['1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'RESERVED'],
  ['2000::', OK],
  ['2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff', OK],
  ['2001::', 'RESERVED'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'RESERVED'],
  ['2001:2::1', 'RESERVED'],
  ['2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'RESERVED'],
  ['2001:200::', OK],
  ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', OK],
  ['2001:db8::', 'DOCUMENTATION'],
  [`2001:db8:${MAX}`, 'DOCUMENTATION'],
  ['2001:db9::', OK],
  [`3ffe:ffff:${MAX}`, OK],
  ['3fff::', 'DOCUMENTATION'],
  [`3fff:fff:${MAX}`, 'DOCUMENTATION'],
  ['3fff:1000::', OK],
  [`3fff:ffff:${MAX}`, OK],
  ['4000::', 'RESERVED'],
  [`5eff:ffff:${MAX}`, 'RESERVED'],
  ['5f00::', 'RESERVED'],
  // outside 2000::/3, and the named ranges there
  ['100::', 'RESERVED'],
  [`fbff:ffff:${MAX}`, 'RESERVED'],
  ['fc00::', 'UNIQUE_LOCAL'],
  ['fd12:3456::1', 'UNIQUE_LOCAL'],
  [`fdff:ffff:${MAX}`, 'UNIQUE_LOCAL'],
  ['fe00::', 'RESERVED'],
  [`fe7f:ffff:${MAX}`, 'RESERVED'],
  ['fe80::', 'LINK_LOCAL'],
  ['fe80::1', 'LINK_LOCAL'],
  [`febf:ffff:${MAX}`, 'LINK_LOCAL'],
  ['fec0::', 'RESERVED'],
  [`feff:ffff:${MAX}`, 'RESERVED'],
  ['ff00::', 'MULTICAST'],
  ['ff02::1', 'MULTICAST'],
  [`ffff:ffff:${MAX}`, 'MULTICAST'],
  ['2606:4700:4700::1111', OK],
  ['2a00:1450:4001:80b::200e', OK],
];

// Not as dns.lookup gives an address: never reinterpreted, always refused.
const INVALID = [
  '',
  'localhost',
  'example.com',
  '127.1',
  '2130706433',
  '0x7f.0.0.1',
  '0177.0.0.1',
  '127.000.000.001',
  '256.0.0.1',
  ' 8.8.8.8',
  '8.8.8.8 ',
  '[::1]',
  '1.2.3.4/32',
  'fe80::1%eth0',
  '::ffff:127.0.0.1%1',
  '1::2::3',
];

const verdict = (expected: Expected) => (expected === OK ? { allowed: true } : { allowed: false, reason: expected });

describe('AddressPolicy', () => {
  const policy = new AddressPolicy();

  it.each(IPV4)('judges IPv4 %s: %s', (address, expected) => {
    expect(policy.check(address)).toEqual(verdict(expected));
  });

  it.each(IPV6)('judges IPv6 %s: %s', (address, expected) => {
    expect(policy.check(address)).toEqual(verdict(expected));
  });

  it.each(INVALID)('refuses %p as INVALID', (address) => {
    expect(policy.check(address)).toEqual({ allowed: false, reason: 'INVALID' });
  });

  describe('with allowed networks', () => {
    it('allows the addresses inside a listed network, and only those', () => {
      const narrow = new AddressPolicy(['10.1.0.0/16', 'fd00::/8']);
      expect(narrow.check('10.0.255.255')).toEqual({ allowed: false, reason: 'PRIVATE' });
      expect(narrow.check('10.1.0.0')).toEqual({ allowed: true });
      expect(narrow.check('10.1.255.255')).toEqual({ allowed: true });
      expect(narrow.check('10.2.0.0')).toEqual({ allowed: false, reason: 'PRIVATE' });
      expect(narrow.check('fcff:ffff::1')).toEqual({ allowed: false, reason: 'UNIQUE_LOCAL' });
      expect(narrow.check('fd12::1')).toEqual({ allowed: true });
      expect(narrow.check('fe00::')).toEqual({ allowed: false, reason: 'RESERVED' });
    });

    it('judges an address that carries an IPv4 address by either one', () => {
      const loopback = new AddressPolicy(['127.0.0.0/8']);
      expect(loopback.check('127.0.0.1')).toEqual({ allowed: true });
      expect(loopback.check('::ffff:127.0.0.1')).toEqual({ allowed: true });
      expect(loopback.check('64:ff9b::7f00:1')).toEqual({ allowed: true });
      expect(loopback.check('::1')).toEqual({ allowed: false, reason: 'LOOPBACK' });
      expect(loopback.check('169.254.169.254')).toEqual({ allowed: false, reason: 'LINK_LOCAL' });
      expect(new AddressPolicy(['2002:7f00::/24']).check('2002:7f00:1::')).toEqual({ allowed: true });
    });

    it('still refuses unspecified, multicast and broadcast addresses, and invalid text', () => {
      const everything = new AddressPolicy(['0.0.0.0/0', '::/0']);
      expect(everything.check('10.0.0.1')).toEqual({ allowed: true });
      expect(everything.check('::1')).toEqual({ allowed: true });
      for (const [address, reason] of [
        ['0.0.0.0', 'UNSPECIFIED'],
        ['::', 'UNSPECIFIED'],
        ['::ffff:0.0.0.0', 'UNSPECIFIED'],
        ['224.0.0.1', 'MULTICAST'],
        ['ff02::1', 'MULTICAST'],
        ['255.255.255.255', 'BROADCAST'],
        ['127.1', 'INVALID'],
      ]) {
        expect(everything.check(address)).toEqual({ allowed: false, reason });
      }
    });

    it('refuses a bad list when built', () => {
      expect(() => new AddressPolicy(['10.0.0.1/8'])).toThrow(AllowedNetworksError);
    });
  });
});

describe(isLoopbackAddress.name, () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['64:ff9b::7f00:1', false],
    ['2002:7f00:1::', false],
    ['126.255.255.255', false],
    ['128.0.0.0', false],
    ['::2', false],
    ['0.0.0.0', false],
    ['localhost', false],
    ['127.1', false],
  ])('%s: %p', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe(parseAllowedNetworks.name, () => {
  it('reads comma-separated CIDRs, ignoring the spaces around them', () => {
    expect(parseAllowedNetworks(' 10.0.0.0/8 ,127.0.0.1/32, ::1/128,fd00::/8 ')).toEqual([
      '10.0.0.0/8',
      '127.0.0.1/32',
      '::1/128',
      'fd00::/8',
    ]);
    expect(parseAllowedNetworks('0.0.0.0/0')).toEqual(['0.0.0.0/0']);
    expect(parseAllowedNetworks('::ffff:10.0.0.0/104')).toEqual(['::ffff:10.0.0.0/104']);
  });

  it('allows nothing when empty', () => {
    expect(parseAllowedNetworks('')).toEqual([]);
    expect(parseAllowedNetworks('  ')).toEqual([]);
  });

  it.each([
    ['10.0.0.1/8', /"10.0.0.1\/8" has address bits set beyond its \/8/],
    ['fd00::1/8', /"fd00::1\/8" has address bits set beyond its \/8/],
    ['10.0.0.0', /"10.0.0.0" is not a CIDR/],
    ['10.0.0.0/', /"10.0.0.0\/" is not a CIDR/],
    ['10.0.0.0/08', /"10.0.0.0\/08" is not a CIDR/],
    ['10.0.0.0/-1', /"10.0.0.0\/-1" is not a CIDR/],
    ['10.0.0.0/8/8', /"10.0.0.0\/8\/8" is not a CIDR/],
    ['10.0.0.0/33', /"10.0.0.0\/33" has a prefix length above 32/],
    ['::/129', /"::\/129" has a prefix length above 128/],
    ['example.com/24', /"example.com\/24" does not start with an IPv4 or IPv6 address/],
    ['10.1/16', /"10.1\/16" does not start with an IPv4 or IPv6 address/],
    ['fe80::%eth0/64', /does not start with an IPv4 or IPv6 address/],
    ['10.0.0.0/8,,127.0.0.0/8', /an empty entry/],
    ['10.0.0.0/8,', /an empty entry/],
  ])('refuses %p, naming the entry', (text, problem) => {
    let error: unknown;
    try {
      parseAllowedNetworks(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AllowedNetworksError);
    expect((error as AllowedNetworksError).problems).toEqual([expect.stringMatching(problem)]);
  });

  it('names every bad entry at once', () => {
    expect(() => parseAllowedNetworks('10.0.0.1/8, 10.0.0.0/8, bad')).toThrow(
      /"10.0.0.1\/8" has address bits set.*; "bad" is not a CIDR/,
    );
  });
});
