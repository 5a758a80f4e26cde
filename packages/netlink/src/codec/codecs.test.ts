import { describe, expect, it } from 'vitest';
import { attribute, decodeAttributes, indexAttributes, type Attribute } from './attributes.js';
import type { Codec } from './codec.js';
import { addressHeader, interfaceInfoHeader, neighbourHeader, routeHeader } from './family-headers.js';
import { genericHeader } from './generic-message.js';
import { messageHeader } from './header.js';
import { hex } from './__fixtures__/hex.js';


/**
 * The one round-trip check for every codec: the length agrees, the golden bytes decode to the value, the value
 * re-encodes to the same bytes, and encoding at an offset inside a larger buffer writes only there.
 */
function roundTrip<T>(codec: Codec<T>, value: T, bytes: Uint8Array): void {
  expect(codec.encodingLength(value)).toBe(bytes.byteLength);
  expect(codec.encode(value)).toEqual(bytes);
  const decoded = codec.decode(bytes);
  expect(decoded.consumed).toBe(bytes.byteLength);
  expect(codec.encode(decoded.value)).toEqual(bytes);
  const target = new Uint8Array(bytes.byteLength + 7).fill(0xee);
  codec.encode(value, target, 3);
  expect(target.subarray(3, 3 + bytes.byteLength)).toEqual(bytes);
  expect([...target.subarray(0, 3), ...target.subarray(3 + bytes.byteLength)].every((b) => b === 0xee)).toBe(true);
  // Decoding from a view with a non-zero byteOffset must respect it.
  const shifted = codec.decode(target.subarray(1), 2);
  expect(shifted.value).toEqual(decoded.value);
  // Input cut short (past any optional trailing padding) is truncated.
  const cut = bytes.byteLength > 4 ? bytes.byteLength - 4 : bytes.byteLength - 1;
  expect(() => codec.decode(bytes.subarray(0, cut))).toThrow(RangeError);
}

interface Golden<T> {
  readonly name: string;
  readonly value: T;
  readonly bytes: Uint8Array;
}

const headers: Golden<Parameters<typeof messageHeader.encode>[0]>[] = [
  {
    name: 'nlmsghdr of a link dump request is little-endian host order',
    value: { length: 32, type: 18, flags: 0x301, seq: 1, pid: 0 },
    bytes: hex(`
      20 00 00 00 # nlmsg_len 32
      12 00       # nlmsg_type RTM_GETLINK (18)
      01 03       # nlmsg_flags NLM_F_REQUEST | NLM_F_DUMP
      01 00 00 00 # nlmsg_seq 1
      00 00 00 00 # nlmsg_pid 0 (kernel)
    `),
  },
];

const ifinfo: Golden<Parameters<typeof interfaceInfoHeader.encode>[0]>[] = [
  {
    name: 'ifinfomsg keeps its pad byte zero and ifi_index signed',
    value: { family: 0, type: 1, index: 5, flags: 0x11043, change: 0 },
    bytes: hex(`
      00          # ifi_family AF_UNSPEC
      00          # pad
      01 00       # ifi_type ARPHRD_ETHER
      05 00 00 00 # ifi_index 5
      43 10 01 00 # ifi_flags IFF_UP|IFF_BROADCAST|IFF_RUNNING|IFF_MULTICAST|IFF_LOWER_UP
      00 00 00 00 # ifi_change
    `),
  },
];

const ifaddr: Golden<Parameters<typeof addressHeader.encode>[0]>[] = [
  {
    name: 'ifaddrmsg of a permanent /32',
    value: { family: 2, prefixLength: 32, flags: 0x80, scope: 0, index: 3 },
    bytes: hex(`
      02          # ifa_family AF_INET
      20          # ifa_prefixlen 32
      80          # ifa_flags IFA_F_PERMANENT
      00          # ifa_scope RT_SCOPE_UNIVERSE
      03 00 00 00 # ifa_index 3
    `),
  },
];

const rtmsg: Golden<Parameters<typeof routeHeader.encode>[0]>[] = [
  {
    name: 'rtmsg of flannel’s onlink /24 route',
    value: { family: 2, destinationLength: 24, sourceLength: 0, tos: 0, table: 254, protocol: 3, scope: 0, type: 1, flags: 4 },
    bytes: hex(`
      02          # rtm_family AF_INET
      18          # rtm_dst_len 24
      00          # rtm_src_len
      00          # rtm_tos
      fe          # rtm_table RT_TABLE_MAIN
      03          # rtm_protocol RTPROT_BOOT
      00          # rtm_scope RT_SCOPE_UNIVERSE
      01          # rtm_type RTN_UNICAST
      04 00 00 00 # rtm_flags RTNH_F_ONLINK
    `),
  },
];

const ndmsg: Golden<Parameters<typeof neighbourHeader.encode>[0]>[] = [
  {
    name: 'ndmsg of a permanent self FDB entry',
    value: { family: 7, index: 4, state: 0x80, flags: 2, type: 0 },
    bytes: hex(`
      07          # ndm_family AF_BRIDGE
      00 00 00    # pad1, pad2
      04 00 00 00 # ndm_ifindex 4
      80 00       # ndm_state NUD_PERMANENT
      02          # ndm_flags NTF_SELF
      00          # ndm_type
    `),
  },
];

const attributes: Golden<Attribute>[] = [
  {
    name: 'string attribute counts its NUL and pads to 4 bytes',
    value: { type: 3, data: hex('65 74 68 30 00') },
    bytes: hex(`
      09 00       # nla_len 9 (4 header + "eth0\\0")
      03 00       # nla_type IFLA_IFNAME
      65 74 68 30 00 # "eth0" NUL
      00 00 00    # padding to 12
    `),
  },
  {
    name: 'flag attribute is a bare header',
    value: { type: 23, data: new Uint8Array(0) },
    bytes: hex(`
      04 00 # nla_len 4
      17 00 # nla_type IFLA_VXLAN_GBP
    `),
  },
  {
    name: 'nested flag bit is kept apart from the type',
    value: { type: 18, nested: true, data: hex('08 00 01 00 61 62 63 00') },
    bytes: hex(`
      0c 00       # nla_len 12
      12 80       # nla_type IFLA_LINKINFO | NLA_F_NESTED
      08 00 01 00 61 62 63 00 # IFLA_INFO_KIND "abc"
    `),
  },
];

const genlmsghdr: Golden<Parameters<typeof genericHeader.encode>[0]>[] = [
  {
    name: 'genlmsghdr is cmd, version, then a zero reserved u16',
    value: { command: 3, version: 1, reserved: 0 },
    bytes: hex(`
      03          # cmd CTRL_CMD_GETFAMILY
      01          # version 1
      00 00       # reserved
    `),
  },
];

function goldenTable<T>(unit: string, codec: Codec<T>, table: readonly Golden<T>[]): void {
  describe(unit, () => {
    for (const golden of table) it(golden.name, () => roundTrip(codec, golden.value, golden.bytes));
  });
}

describe('codec golden bytes', () => {
  goldenTable('nlmsghdr', messageHeader, headers);
  goldenTable('ifinfomsg', interfaceInfoHeader, ifinfo);
  goldenTable('ifaddrmsg', addressHeader, ifaddr);
  goldenTable('rtmsg', routeHeader, rtmsg);
  goldenTable('ndmsg', neighbourHeader, ndmsg);
  goldenTable('nlattr', attribute, attributes);
  goldenTable('genlmsghdr', genericHeader, genlmsghdr);
});

describe('decodeAttributes', () => {
  it('keeps unknown attribute types as raw bytes', () => {
    const list = decodeAttributes(hex('08 00 ff 3f de ad be ef  05 00 03 00 41 00 00 00'));
    expect(list).toEqual([
      { type: 0x3fff, data: hex('de ad be ef') },
      { type: 3, data: hex('41') },
    ]);
  });
  it('throws RangeError when nla_len runs past the end', () => {
    expect(() => decodeAttributes(hex('10 00 03 00 41 42 43 44'))).toThrow(RangeError);
  });
  it('throws RangeError when nla_len is shorter than its header', () => {
    expect(() => decodeAttributes(hex('02 00 03 00'))).toThrow(RangeError);
  });
  it('throws RangeError on trailing garbage shorter than a header', () => {
    expect(() => decodeAttributes(hex('05 00 03 00 41 00 00 00 ff'))).toThrow(RangeError);
  });
});

describe('indexAttributes', () => {
  const index = (bytes: Uint8Array, types = 8): Int32Array => {
    const table = new Int32Array(2 * types);
    indexAttributes(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength, table);
    return table;
  };
  it('finds each known type (the last one of a repeated type) and skips the others, as decodeAttributes reads them', () => {
    const bytes = hex('08 00 ff 3f de ad be ef  05 00 03 00 41 00 00 00  06 00 03 00 42 43 00 00  08 00 01 80 0a 05 22 00');
    const table = index(bytes);
    expect([table[2 * 3], table[2 * 3 + 1]]).toEqual([20, 2]); // the second type-3 attribute
    expect([table[2 * 1], table[2 * 1 + 1]]).toEqual([28, 4]); // NLA_F_NESTED masked off
    expect([table[2 * 2], table[2 * 2 + 1]]).toEqual([-1, -1]);
    const map = new Map(decodeAttributes(bytes).map((a) => [a.type, a.data]));
    expect(bytes.subarray(table[2 * 3]!, table[2 * 3]! + table[2 * 3 + 1]!)).toEqual(map.get(3));
  });
  it.each([
    ['nla_len runs past the end', '10 00 03 00 41 42 43 44'],
    ['nla_len is shorter than its header', '02 00 03 00'],
    ['trailing garbage shorter than a header', '05 00 03 00 41 00 00 00 ff'],
  ])('throws RangeError when %s, as decodeAttributes does', (_label, text) => {
    expect(() => index(hex(text))).toThrow(RangeError);
    expect(() => decodeAttributes(hex(text))).toThrow(RangeError);
  });
  it('accepts zero padding shorter than a header', () => {
    expect(() => index(hex('05 00 03 00 41 00 00 00 00 00'))).not.toThrow();
  });
});

describe('structCodec range checks', () => {
  it('refuses a field that does not fit its width', () => {
    expect(() => addressHeader.encode({ family: 2, prefixLength: 256, flags: 0, scope: 0, index: 1 })).toThrow(/ifaddrmsg.prefixLength 256/);
  });
});
