import ipNum from 'ip-num';
import { describe, expect, it } from 'vitest';
import { formatIPv6, parseIPv6 } from './ipv6-text.js';
import { seededRandom } from './__fixtures__/seeded-random.js';

const { IPv6, Validator, collapseIPv6Number } = ipNum;

/** What ip-net.ts accepted before it had its own parser (dot-free text): ip-num's validator and value. */
function reference(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !Validator.isValidIPv6String(text)[0]) return undefined;
  return new IPv6(text).getValue();
}

describe('parseIPv6 and formatIPv6', () => {
  it.each([
    ['::', 0n, '::'],
    ['::1', 1n, '::1'],
    ['1::', 1n << 112n, '1::'],
    ['fd00:12:13::', 0xfd000012001300000000000000000000n, 'fd00:12:13::'],
    ['FD00:0012:0013:0:0:0:0:0', 0xfd000012001300000000000000000000n, 'fd00:12:13::'],
    ['1:2:3:4:5:6:7::', 0x00010002000300040005000600070000n, '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', 0x00000002000300040005000600070008n, '0:2:3:4:5:6:7:8'],
    ['1:0:0:1:0:0:0:1', 0x00010000000000010000000000000001n, '1:0:0:1::1'],
    ['1:0:0:0:1:0:0:0', 0x00010000000000000001000000000000n, '1::1:0:0:0'],
  ])('reads %s and writes it in Go form', (text, value, canonical) => {
    expect(parseIPv6(text)).toBe(value);
    expect(formatIPv6(value)).toBe(canonical);
  });

  it.each(['', ':', ':::', '1:::2', '1::2::3', ':1::', '1::2:', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', '12345::', 'g::', 'fe80::1%eth0', '::ffff:1.2.3', '::ffff:01.2.3.4', '1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4:1'])(
    'refuses %j',
    (text) => {
      expect(parseIPv6(text)).toBeUndefined();
    },
  );

  it.each([
    ['::ffff:1.2.3.4', 0xffff01020304n, '::ffff:1.2.3.4'],
    ['::1.2.3.4', 0x01020304n, '::102:304'],
    ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n, '1:2:3:4:5:6:102:304'],
  ])('reads %s with its last 32 bits as a dotted quad', (text, value, canonical) => {
    expect(parseIPv6(text)).toBe(value);
    expect(formatIPv6(value)).toBe(canonical);
    expect(reference(text)).toBe(value);
  });

  it('accepts exactly the dot-free texts ip-num accepts, on generated input', () => {
    const next = seededRandom(20_261_123);
    const pieces = ['0', '00', '000', '0000', '00000', '1', 'a', 'F', 'fd00', 'ffff', '12345', '', 'g'];
    for (let round = 0; round < 10_000; round++) {
      const count = 1 + Math.floor(next() * 10);
      const text = Array.from({ length: count }, () => pieces[Math.floor(next() * pieces.length)]!).join(':');
      expect([text, parseIPv6(text)]).toEqual([text, reference(text)]);
    }
  });

  // Go (src/net/ip.go, src/net/netip/netip.go): netip.Addr.String() writes an IPv4-mapped address as
  // `::ffff:10.1.2.3`; net.IP.String() writes the same 16 bytes as a bare `10.1.2.3` (flannel's IP6.String
  // goes through it). Neither writes ip-num's hex `::ffff:a01:203`. The `::ffff:` form is kept so that the
  // text stays an IPv6 address for every parser (Go's net.ParseIP and ParseCIDR read it back too).
  it.each([
    [0xffff0a010203n, '::ffff:10.1.2.3'],
    [0xffff00000000n, '::ffff:0.0.0.0'],
    [0xffffffffffffn, '::ffff:255.255.255.255'],
  ])('writes the IPv4-mapped value %s with a dotted quad, as Go: %s', (value, text) => {
    expect(formatIPv6(value)).toBe(text);
  });

  it.each([
    [0x0a010203n, '::a01:203'], //              IPv4-compatible (deprecated): hex, as Go
    [0xfffe0a010203n, '::fffe:a01:203'], //     next to the mapped prefix
    [0x1ffff0a010203n, '::1:ffff:a01:203'], //  a non-zero group before ffff
  ])('writes the near miss %s in hex: %s', (value, text) => {
    expect(formatIPv6(value)).toBe(text);
  });

  it('writes every value as ip-num collapses it, on generated values with zero runs', () => {
    const next = seededRandom(20_261_124);
    for (let round = 0; round < 5_000; round++) {
      let value = 0n;
      for (let group = 0; group < 8; group++) {
        const roll = next();
        value = (value << 16n) | BigInt(roll < 0.5 ? 0 : roll < 0.6 ? 1 : Math.floor(next() * 0x10000));
      }
      if (value >> 32n === 0xffffn) continue; // IPv4-mapped: dotted, pinned above
      const text = formatIPv6(value);
      expect([value, text]).toEqual([value, collapseIPv6Number(IPv6.fromBigInt(value).toString())]);
      expect(parseIPv6(text)).toBe(value);
    }
  });
});
