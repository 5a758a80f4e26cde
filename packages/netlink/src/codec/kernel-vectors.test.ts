import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attribute, decodeAttributes } from './attributes.js';
import { RTM_NEWLINK, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from './constants-netlink.js';
import { interfaceInfoHeader } from './family-headers.js';
import { decodeLink, writeNewLink } from './link-message.js';
import { decodeErrorMessage, decodeMessages } from './message.js';
import { MessageWriter } from './message-writer.js';
import { decodeNeighbourMessage } from './neighbour-message.js';
import { decodeRouteMessage } from './route-message.js';
import { hex } from './__fixtures__/hex.js';

// Replies recorded from the real kernel (see `kernel`/`iproute2` in the file) in a throwaway namespace after the
// recorded `ip`/`bridge` command.
const fixtures = JSON.parse(readFileSync(new URL('./__fixtures__/kernel-replies.json', import.meta.url), 'utf8')) as {
  captured: Record<string, { command: string; hex: string }>;
};
const vector = (name: string): Uint8Array => Uint8Array.from(Buffer.from(fixtures.captured[name]!.hex, 'hex'));

describe('kernel vectors', () => {
  it('decodes the RTM_NEWLINK of a flannel-style vxlan link with every attribute flannel compares', () => {
    const [message] = decodeMessages(vector('rtm-newlink-vxlan'));
    expect(message!.header.type).toBe(RTM_NEWLINK);
    const link = decodeLink(message!.payload);
    expect(link).toMatchObject({
      name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: '0e:2a:00:00:00:01', up: true,
      vxlan: { vni: 1, local: '192.168.7.1', port: 8472, learning: false, gbp: true, l2miss: false, l3miss: false },
    });
    expect(link.vxlan?.underlayIndex).toBeGreaterThan(0);
    expect(link.vxlan?.group).toBeUndefined();
  });

  it('keeps unknown attributes as raw bytes, so re-encoding the list reproduces the kernel bytes', () => {
    const [message] = decodeMessages(vector('rtm-newlink-vxlan'));
    const start = interfaceInfoHeader.size;
    const list = decodeAttributes(message!.payload, start);
    expect(list.some((a) => a.type > 60)).toBe(true); // attributes newer than this codec's constant tables
    const reencoded = Buffer.concat(list.map((a) => attribute.encode(a)));
    expect(new Uint8Array(reencoded)).toEqual(message!.payload.subarray(start));
  });

  it('decodes the onlink route flannel programs', () => {
    const [message] = decodeMessages(vector('rtm-newroute-onlink'));
    expect(decodeRouteMessage(message!.payload)?.route).toEqual({
      family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: 3, scope: 'universe', table: 254,
      type: 'unicast', onlink: true, protocol: 3,
    });
  });

  it('decodes a permanent self FDB entry with its remote VTEP', () => {
    const [message] = decodeMessages(vector('rtm-newneigh-fdb'));
    expect(decodeNeighbourMessage(message!.payload)).toEqual({
      kind: 'fdb',
      entry: { index: 3, hardwareAddress: '02:aa:bb:cc:dd:ee', destination: '192.168.7.2', self: true, master: false, state: 'permanent' },
    });
  });

  it('reads the extended-ack text of a refused request', () => {
    const [message] = decodeMessages(vector('nlmsgerr-ext-ack'));
    const error = decodeErrorMessage(message!.payload, message!.header.flags);
    expect(error.error).toBe(-22);
    expect(error.request.type).toBe(RTM_NEWLINK);
    expect(error.message).toBe('Required attributes not provided to perform the operation');
  });

  it('throws RangeError, never crashes, on every truncation of a kernel reply', () => {
    for (const name of Object.keys(fixtures.captured)) {
      const bytes = vector(name);
      for (let cut = 1; cut < bytes.byteLength; cut += 7) {
        expect(() => decodeMessages(bytes.subarray(0, cut)), `${name} cut at ${cut}`).toThrow(RangeError);
      }
    }
  });

  it('throws RangeError on a corrupt attribute length inside a reply', () => {
    const bytes = vector('rtm-newroute-onlink').slice();
    bytes[16 + 12] = 0xff; // nla_len of the first attribute after rtmsg
    const [message] = decodeMessages(bytes);
    expect(() => decodeRouteMessage(message!.payload)).toThrow(RangeError);
  });
});

describe('MessageWriter', () => {
  it('back-fills nested attribute lengths and pads every attribute (golden RTM_NEWLINK vxlan request)', () => {
    const w = new MessageWriter(8);
    const at = w.begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1);
    writeNewLink(w, { name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, port: 8472, learning: false } });
    w.end(at);
    expect(w.bytes()).toEqual(hex(`
      5c 00 00 00 # nlmsg_len 92
      10 00       # RTM_NEWLINK
      05 06       # NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE
      01 00 00 00 # seq 1
      00 00 00 00 # pid 0
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 # ifinfomsg: all zero (kernel picks the index)
      0e 00 03 00 66 6c 61 6e 6e 65 6c 2e 31 00 00 00 # IFLA_IFNAME "flannel.1" NUL, pad 2
      2c 00 12 00                                     # IFLA_LINKINFO, nla_len 44 back-filled
        0a 00 01 00 76 78 6c 61 6e 00 00 00           #   IFLA_INFO_KIND "vxlan" NUL, pad 2
        1c 00 02 00                                   #   IFLA_INFO_DATA, nla_len 28 back-filled
          08 00 01 00 01 00 00 00                     #     IFLA_VXLAN_ID 1
          05 00 07 00 00 00 00 00                     #     IFLA_VXLAN_LEARNING 0, pad 3
          06 00 0f 00 21 18 00 00                     #     IFLA_VXLAN_PORT 8472 big-endian, pad 2
    `));
  });

  it('writes into the grown buffer when an attribute does not fit, and rewinds a refused one', () => {
    const w = new MessageWriter(4);
    w.mac(2, '02:AA:bb:cc:dd:ee');
    w.ip(1, '10.5.34.0');
    expect(() => w.ip(1, '10.5.340.0')).toThrow(RangeError);
    expect(() => w.mac(2, '02:aa:bb:cc:dd')).toThrow(RangeError);
    w.ip(1, 'fd00::1');
    expect(w.bytes()).toEqual(hex(`
      0a 00 02 00 02 aa bb cc dd ee 00 00 # NDA_LLADDR, pad 2
      08 00 01 00 0a 05 22 00             # NDA_DST 10.5.34.0
      14 00 01 00 fd 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 # NDA_DST fd00::1
    `));
  });
});
