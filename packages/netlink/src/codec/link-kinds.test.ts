import { describe, expect, it } from 'vitest';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, RTM_NEWLINK } from './constants-netlink.js';
import { decodeMessages } from './message.js';
import { decodeLink, writeNewLink } from './link-message.js';
import { MessageWriter } from './message-writer.js';
import { hex } from './__fixtures__/hex.js';
import type { LinkSpec } from '../types.js';

// This machine's kernel lacks the wireguard and ipip modules, so these kinds are pinned by their bytes only.
function request(spec: LinkSpec): Uint8Array {
  const w = new MessageWriter();
  const at = w.begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 7);
  writeNewLink(w, spec);
  w.end(at);
  return w.bytes().slice();
}

describe('link kinds without a kernel module here', () => {
  it('encodes an ipip tunnel (ip link add flannel.ipip type ipip local 192.168.1.1 pmtudisc)', () => {
    expect(request({ name: 'flannel.ipip', kind: 'ipip', ipip: { local: '192.168.1.1', pmtudisc: true } })).toEqual(hex(`
      58 00 00 00 10 00 05 06 07 00 00 00 00 00 00 00 # nlmsghdr: len 88, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 7
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 # ifinfomsg
      11 00 03 00 66 6c 61 6e 6e 65 6c 2e 69 70 69 70 00 00 00 00 # IFLA_IFNAME "flannel.ipip" NUL, pad 3
      24 00 12 00                                     # IFLA_LINKINFO (36)
        09 00 01 00 69 70 69 70 00 00 00 00           #   IFLA_INFO_KIND "ipip" NUL, pad 3
        14 00 02 00                                   #   IFLA_INFO_DATA (20)
          08 00 02 00 c0 a8 01 01                     #     IFLA_IPTUN_LOCAL 192.168.1.1
          05 00 0a 00 01 00 00 00                     #     IFLA_IPTUN_PMTUDISC 1, pad 3
    `));
  });

  it('encodes a wireguard link, up with an MTU (ip link add flannel-wg mtu 1420 up type wireguard)', () => {
    expect(request({ name: 'flannel-wg', kind: 'wireguard', mtu: 1420, up: true })).toEqual(hex(`
      4c 00 00 00 10 00 05 06 07 00 00 00 00 00 00 00 # nlmsghdr: len 76
      00 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 # ifinfomsg: ifi_flags IFF_UP, ifi_change IFF_UP
      0f 00 03 00 66 6c 61 6e 6e 65 6c 2d 77 67 00 00 # IFLA_IFNAME "flannel-wg" NUL, pad 1
      08 00 04 00 8c 05 00 00                         # IFLA_MTU 1420
      14 00 12 00                                     # IFLA_LINKINFO (20)
        0e 00 01 00 77 69 72 65 67 75 61 72 64 00 00 00 # IFLA_INFO_KIND "wireguard" NUL, pad 2
    `));
  });

  it('decodes what it encodes for ipip (the kernel echoes the same IFLA_INFO_DATA layout)', () => {
    const bytes = request({ name: 'flannel.ipip', kind: 'ipip', ipip: { local: '192.168.1.1', pmtudisc: true } });
    const [message] = decodeMessages(bytes);
    expect(decodeLink(message!.payload)).toMatchObject({ name: 'flannel.ipip', kind: 'ipip', ipip: { local: '192.168.1.1', pmtudisc: true } });
  });
});
