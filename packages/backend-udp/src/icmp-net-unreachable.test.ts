import { describe, expect, it } from 'vitest';
import { netUnreachable, NET_UNREACHABLE_MAX_BYTES } from './icmp-net-unreachable.js';
import { internetChecksum } from './ipv4-packet.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+|#[^\n]*/g, ''), 'hex'));

// A UDP packet from 10.5.1.2 to 10.9.0.1 (no lease), TTL 64: header and 12 bytes of payload.
const OFFENDER = hex(`
  45 00 00 24   # version 4, IHL 5, TOS 0, total length 36
  12 34 40 00   # id 0x1234, DF, fragment offset 0
  40 11 00 00   # TTL 64, protocol UDP, checksum (not checked)
  0a 05 01 02   # source 10.5.1.2
  0a 09 00 01   # destination 10.9.0.1
  d4 31 00 35 00 10 ab cd   # UDP header: 54321 -> 53, length 16, checksum
  01 02 03 04               # payload beyond the 8 quoted bytes
`);

describe('netUnreachable', () => {
  it('builds flannel\'s net-unreachable: TTL 8 from the TUN address, quoting header + 8 bytes', () => {
    const target = new Uint8Array(NET_UNREACHABLE_MAX_BYTES);
    const length = netUnreachable(OFFENDER, OFFENDER.length, 0x0a050100, target);
    expect(Buffer.from(target.subarray(0, length)).toString('hex')).toBe(
      Buffer.from(
        hex(`
          45 00 00 38   # IPv4, IHL 5, total length 56 = 20 + 8 + 20 + 8
          00 00 00 00   # id 0, no flags
          08 01 9c ba   # TTL 8, protocol ICMP, header checksum (computed independently)
          0a 05 01 00   # source: the TUN address 10.5.1.0
          0a 05 01 02   # destination: the offender's source
          03 00 90 40   # type 3 (destination unreachable), code 0 (net), checksum
          00 00 00 00   # unused
          45 00 00 24 12 34 40 00 40 11 00 00 0a 05 01 02 0a 09 00 01   # offender header
          d4 31 00 35 00 10 ab cd                                       # first 8 payload bytes
        `),
      ).toString('hex'),
    );
    expect(internetChecksum(target, 0, 20)).toBe(0);
    expect(internetChecksum(target, 20, length - 20)).toBe(0);
  });

  it('sends none about an ICMP packet (RFC 792)', () => {
    const icmp = Uint8Array.from(OFFENDER);
    icmp[9] = 1;
    expect(netUnreachable(icmp, icmp.length, 0x0a050100, new Uint8Array(NET_UNREACHABLE_MAX_BYTES))).toBe(0);
  });

  it('sends none about a non-first fragment', () => {
    const fragment = Uint8Array.from(OFFENDER);
    fragment[7] = 0x01; // offset 8 bytes
    expect(netUnreachable(fragment, fragment.length, 0x0a050100, new Uint8Array(NET_UNREACHABLE_MAX_BYTES))).toBe(0);
  });

  it('sends none for a malformed header length or a short packet', () => {
    const bad = Uint8Array.from(OFFENDER);
    bad[0] = 0x44;
    expect(netUnreachable(bad, bad.length, 1, new Uint8Array(NET_UNREACHABLE_MAX_BYTES))).toBe(0);
    expect(netUnreachable(OFFENDER, 19, 1, new Uint8Array(NET_UNREACHABLE_MAX_BYTES))).toBe(0);
  });

  it('quotes header options and writes at an offset', () => {
    const withOptions = new Uint8Array(24 + 8);
    withOptions.set(OFFENDER.subarray(0, 20));
    withOptions[0] = 0x46;
    const target = new Uint8Array(10 + NET_UNREACHABLE_MAX_BYTES);
    const length = netUnreachable(withOptions, withOptions.length, 0x0a050100, target, 10);
    expect(length).toBe(20 + 8 + 24 + 8);
    expect(internetChecksum(target, 10, 20)).toBe(0);
    expect(internetChecksum(target, 30, length - 20)).toBe(0);
  });
});
