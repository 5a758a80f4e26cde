// Golden bytes laid out by the kernel's UAPI (include/uapi/linux/wireguard.h): one attribute per line,
// nla_len and nla_type little-endian, NLA_F_NESTED (0x8000) on nests, lists as type-0 entries.
import { MessageWriter } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { WireguardPublicKey, WireguardSecretKey } from '../wireguard-key.js';
import { decodeSockaddr, encodeSockaddr } from './sockaddr.js';
import { decodeGetDevice, encodeGetDevice, encodeSetDevice } from './wireguard-genl-codec.js';
import * as C from './wireguard-genl-constants.js';

const hex = (text: string): string => text.replace(/#.*$/gm, '').replace(/\s+/g, '');
const repeat = (byte: string, count = 32): string => byte.repeat(count);
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const PRIVATE = new WireguardSecretKey(Buffer.alloc(32, 0x11));
const PSK = new WireguardSecretKey(Buffer.alloc(32, 0x22));
const PEER = new WireguardPublicKey(Buffer.alloc(32, 0xab));

describe('WireGuard generic netlink codec', () => {
  it.each([
    {
      name: "flannel's device setup and one peer (SET_DEVICE: flags, key, port, nested peers and allowed IPs)",
      bytes: encodeSetDevice(
        { index: 7 },
        { privateKey: PRIVATE, listenPort: 51820, replacePeers: true, peers: [{ publicKey: PEER, presharedKey: PSK, endpoint: '192.168.1.2:51820', persistentKeepaliveInterval: 25, replaceAllowedIPs: true, allowedIPs: ['10.5.2.0/24'] }] },
      ),
      golden: `
        01 01 0000                       # genlmsghdr: cmd WG_CMD_SET_DEVICE, version 1, reserved
        0800 0100 07000000               # WGDEVICE_A_IFINDEX u32 7
        0800 0500 01000000               # WGDEVICE_A_FLAGS u32 WGDEVICE_F_REPLACE_PEERS
        2400 0300 ${repeat('11')}        # WGDEVICE_A_PRIVATE_KEY, 32 bytes
        0600 0600 6cca 0000              # WGDEVICE_A_LISTEN_PORT u16 51820 (host order), padding
        9400 0880                        # WGDEVICE_A_PEERS | NLA_F_NESTED, 148 bytes
          9000 0080                      #   peer 0 | NLA_F_NESTED, 144 bytes
            2400 0100 ${repeat('ab')}    #     WGPEER_A_PUBLIC_KEY
            0800 0300 02000000           #     WGPEER_A_FLAGS u32 WGPEER_F_REPLACE_ALLOWEDIPS
            2400 0200 ${repeat('22')}    #     WGPEER_A_PRESHARED_KEY
            1400 0400                    #     WGPEER_A_ENDPOINT, struct sockaddr_in (16 bytes):
              0200 ca6c c0a80102 0000000000000000  # sin_family AF_INET (host order), sin_port 51820 (network order), 192.168.1.2, zero
            0600 0500 1900 0000          #     WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL u16 25, padding
            2000 0980                    #     WGPEER_A_ALLOWEDIPS | NLA_F_NESTED, 32 bytes
              1c00 0080                  #       allowed IP 0 | NLA_F_NESTED, 28 bytes
                0600 0100 0200 0000      #         WGALLOWEDIP_A_FAMILY u16 AF_INET, padding
                0800 0200 0a050200       #         WGALLOWEDIP_A_IPADDR 10.5.2.0
                0500 0300 18 000000      #         WGALLOWEDIP_A_CIDR_MASK u8 24, padding
      `,
    },
    {
      name: 'a peer removal carries its key and WGPEER_F_REMOVE_ME only',
      bytes: encodeSetDevice({ index: 7 }, { peers: [{ publicKey: PEER, remove: true, endpoint: '1.2.3.4:5' }] }),
      golden: `
        01 01 0000                       # genlmsghdr: WG_CMD_SET_DEVICE
        0800 0100 07000000               # WGDEVICE_A_IFINDEX 7
        3400 0880                        # WGDEVICE_A_PEERS | NLA_F_NESTED, 52 bytes
          3000 0080                      #   peer 0, 48 bytes
            2400 0100 ${repeat('ab')}    #     WGPEER_A_PUBLIC_KEY
            0800 0300 01000000           #     WGPEER_A_FLAGS WGPEER_F_REMOVE_ME
      `,
    },
    {
      name: 'GET_DEVICE names the device with a NUL-terminated string',
      bytes: encodeGetDevice({ name: 'flannel-wg' }),
      golden: `
        00 01 0000                       # genlmsghdr: cmd WG_CMD_GET_DEVICE, version 1
        0f00 0200 666c616e6e656c2d776700 00  # WGDEVICE_A_IFNAME "flannel-wg\\0", 15 bytes, padding
      `,
    },
  ])('$name', ({ bytes, golden }) => {
    expect(toHex(bytes)).toBe(hex(golden));
  });

  it('encodes IPv6 endpoints as struct sockaddr_in6 (28 bytes) and decodes both forms back', () => {
    expect(toHex(encodeSockaddr('[fd00::2]:51821'))).toBe(
      hex(`
        0a00 ca6d                        # sin6_family AF_INET6 (host order), sin6_port 51821 (network order)
        00000000                         # sin6_flowinfo
        fd000000000000000000000000000002 # sin6_addr
        00000000                         # sin6_scope_id
      `),
    );
    expect(decodeSockaddr(encodeSockaddr('[fd00::2]:51821'))).toBe('[fd00::2]:51821');
    expect(decodeSockaddr(encodeSockaddr('192.168.1.2:51820'))).toBe('192.168.1.2:51820');
    expect(() => encodeSockaddr('192.168.1.2')).toThrow(RangeError);
  });

  it('refuses out-of-range values and over-long names', () => {
    expect(() => encodeSetDevice({ index: 1 }, { listenPort: 65536 })).toThrow('listen port 65536 is out of range 0..65535');
    expect(() => encodeGetDevice({ name: 'a-very-long-device' })).toThrow(RangeError);
  });

  it('decodes a GET_DEVICE dump, drops the private key and coalesces a peer split over two messages', () => {
    const message = (build: (writer: MessageWriter) => void): Uint8Array => {
      const writer = new MessageWriter();
      build(writer);
      return Uint8Array.from([C.WG_CMD_GET_DEVICE, 1, 0, 0, ...writer.bytes()]);
    };
    const peer = (writer: MessageWriter, ips: string[][], extra: boolean): void => {
      const entry = writer.fork(0, true);
      writer.attribute(C.WGPEER_A_PUBLIC_KEY, PEER.bytes());
      if (extra) {
        writer.attribute(C.WGPEER_A_PRESHARED_KEY, PSK.revealBytes());
        writer.attribute(C.WGPEER_A_ENDPOINT, encodeSockaddr('[fd00::2]:51821'));
        writer.u16(C.WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 25);
        const time = new Uint8Array(16);
        new DataView(time.buffer).setBigUint64(0, 1_700_000_000n, true);
        writer.attribute(C.WGPEER_A_LAST_HANDSHAKE_TIME, time);
        const rx = new Uint8Array(8);
        new DataView(rx.buffer).setBigUint64(0, 148n, true);
        writer.attribute(C.WGPEER_A_RX_BYTES, rx);
      }
      const list = writer.fork(C.WGPEER_A_ALLOWEDIPS, true);
      for (const [family, address, mask] of ips) {
        const ip = writer.fork(0, true);
        writer.u16(C.WGALLOWEDIP_A_FAMILY, Number(family));
        writer.attribute(C.WGALLOWEDIP_A_IPADDR, Buffer.from(address!, 'hex'));
        writer.u8(C.WGALLOWEDIP_A_CIDR_MASK, Number(mask));
        writer.join(ip);
      }
      writer.join(list);
      writer.join(entry);
    };
    const first = message((writer) => {
      writer.u32(C.WGDEVICE_A_IFINDEX, 7);
      writer.attribute(C.WGDEVICE_A_PRIVATE_KEY, PRIVATE.revealBytes());
      writer.u16(C.WGDEVICE_A_LISTEN_PORT, 51821);
      const peers = writer.fork(C.WGDEVICE_A_PEERS, true);
      peer(writer, [['2', '0a050200', '24']], true);
      writer.join(peers);
    });
    const second = message((writer) => {
      writer.string(C.WGDEVICE_A_IFNAME, 'flannel-wg-v6');
      const peers = writer.fork(C.WGDEVICE_A_PEERS, true);
      peer(writer, [['10', 'fd100000000000020000000000000000', '64']], false);
      writer.join(peers);
    });
    const state = decodeGetDevice([first, second]);
    expect(state).toEqual({
      listenPort: 51821,
      peers: [
        { publicKey: PEER.toString(), hasPresharedKey: true, endpoint: '[fd00::2]:51821', persistentKeepaliveInterval: 25, allowedIPs: ['10.5.2.0/24', 'fd10:0:0:2::/64'], lastHandshakeTime: 1_700_000_000, rxBytes: 148, txBytes: 0 },
      ],
    });
    expect(JSON.stringify(state)).not.toContain(toHex(PRIVATE.revealBytes()));
    expect(() => decodeGetDevice([Uint8Array.of(0, 1)])).toThrow(RangeError);
  });
});
