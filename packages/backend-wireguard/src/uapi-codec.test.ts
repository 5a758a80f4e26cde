import { describe, expect, it } from 'vitest';
import { decodeUapiErrno, decodeUapiGet, encodeUapiSet } from './uapi-codec.js';
import { WireguardPublicKey, WireguardSecretKey } from './wireguard-key.js';

const PRIVATE = new WireguardSecretKey(Buffer.alloc(32, 0x11));
const PSK = new WireguardSecretKey(Buffer.alloc(32, 0x22));
const PEER = new WireguardPublicKey(Buffer.alloc(32, 0xab));
const hex = (byte: string): string => byte.repeat(32);

describe('UAPI set (wireguard-go)', () => {
  it.each([
    {
      name: 'device setup: private key, listen port, replace peers',
      config: { privateKey: PRIVATE, listenPort: 51820, replacePeers: true },
      text: ['set=1', `private_key=${hex('11')}`, 'listen_port=51820', 'replace_peers=true', '', ''].join('\n'),
    },
    {
      name: "flannel's peer: key first, PSK, endpoint, keepalive, replace allowed IPs, allowed IPs",
      config: { peers: [{ publicKey: PEER, presharedKey: PSK, endpoint: '192.168.1.2:51820', persistentKeepaliveInterval: 25, replaceAllowedIPs: true, allowedIPs: ['10.5.2.0/24', 'fd10:0:0:2::/64'] }] },
      text: ['set=1', `public_key=${hex('ab')}`, `preshared_key=${hex('22')}`, 'endpoint=192.168.1.2:51820', 'persistent_keepalive_interval=25', 'replace_allowed_ips=true', 'allowed_ip=10.5.2.0/24', 'allowed_ip=fd10:0:0:2::/64', '', ''].join('\n'),
    },
    {
      name: 'a removal is the key and remove=true only',
      config: { peers: [{ publicKey: PEER, remove: true, endpoint: 'ignored:1' }] },
      text: ['set=1', `public_key=${hex('ab')}`, 'remove=true', '', ''].join('\n'),
    },
    {
      name: 'keepalive 0 is sent (flannel always sends it)',
      config: { peers: [{ publicKey: PEER, endpoint: '[fd00::2]:51821', persistentKeepaliveInterval: 0 }] },
      text: ['set=1', `public_key=${hex('ab')}`, 'endpoint=[fd00::2]:51821', 'persistent_keepalive_interval=0', '', ''].join('\n'),
    },
  ])('$name', ({ config, text }) => {
    expect(encodeUapiSet(config)).toBe(text);
  });

  it('refuses values that would break the line protocol', () => {
    expect(() => encodeUapiSet({ peers: [{ publicKey: PEER, endpoint: '1.2.3.4:1\nremove=true' }] })).toThrow(RangeError);
    expect(() => encodeUapiSet({ listenPort: 70000 })).toThrow('listen port 70000 is out of range 0..65535');
  });
});

describe('UAPI get (wireguard-go)', () => {
  it('decodes peers, drops the private key and reads the errno', () => {
    const reply = [
      `private_key=${hex('11')}`,
      'listen_port=51820',
      `public_key=${hex('ab')}`,
      `preshared_key=${hex('22')}`,
      'protocol_version=1',
      'endpoint=192.168.1.2:51820',
      'last_handshake_time_sec=1700000000',
      'last_handshake_time_nsec=5',
      'tx_bytes=92',
      'rx_bytes=148',
      'persistent_keepalive_interval=25',
      'allowed_ip=10.5.2.0/24',
      `public_key=${hex('cd')}`,
      `preshared_key=${hex('00')}`,
      'persistent_keepalive_interval=0',
      'errno=0',
      '',
      '',
    ].join('\n');
    const state = decodeUapiGet(reply);
    expect(state).toEqual({
      listenPort: 51820,
      peers: [
        { publicKey: PEER.toString(), hasPresharedKey: true, endpoint: '192.168.1.2:51820', persistentKeepaliveInterval: 25, allowedIPs: ['10.5.2.0/24'], lastHandshakeTime: 1700000000, rxBytes: 148, txBytes: 92 },
        { publicKey: Buffer.alloc(32, 0xcd).toString('base64'), hasPresharedKey: false, persistentKeepaliveInterval: 0, allowedIPs: [], lastHandshakeTime: 0, rxBytes: 0, txBytes: 0 },
      ],
    });
    expect(JSON.stringify(state)).not.toContain(hex('11'));
    expect(decodeUapiErrno(reply)).toBe(0);
    expect(decodeUapiErrno('errno=-22\n\n')).toBe(-22);
    expect(() => decodeUapiErrno('listen_port=1\n\n')).toThrow(RangeError);
  });
});
