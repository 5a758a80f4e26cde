import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { decodeWireguardLeaseData, encodeWireguardLeaseData } from './wireguard-lease-data.js';
import { WireguardPublicKey } from './wireguard-key.js';
import { isPrivateIPv4, isPrivateIPv6, wireguardLeasePeers } from './wireguard-peers.js';
import type { WireguardLocal } from './wireguard-peers.js';

const KEY = new WireguardPublicKey(Buffer.alloc(32, 1));
const data = (port: number) => encodeWireguardLeaseData({ publicKey: KEY, port });

function lease(options: { v4?: boolean; v6?: boolean; publicIP?: string; publicIPv6?: string; v4Port?: number; v6Port?: number }): Lease {
  const v4 = options.v4 ?? true;
  const v6 = options.v6 ?? false;
  return {
    enableIPv4: v4,
    enableIPv6: v6,
    ...(v4 ? { subnet: IpNet.parse('10.5.2.0/24') } : {}),
    ...(v6 ? { ipv6Subnet: IpNet.parse('fd10:0:0:2::/64') } : {}),
    attributes: {
      publicIP: options.publicIP ?? '192.168.1.2',
      ...(options.publicIPv6 ? { publicIPv6: options.publicIPv6 } : {}),
      backendType: 'wireguard',
      ...(v4 ? { backendData: data(options.v4Port ?? 51820) } : {}),
      ...(v6 ? { backendV6Data: data(options.v6Port ?? 51821) } : {}),
    },
  };
}

const separate: WireguardLocal = { mode: 'separate', listenPort: 51820, listenPortV6: 51821, hasV4Device: true, hasV6Device: true, publicIP: '192.168.1.1', publicIPv6: 'fd00::1' };

describe('wireguard lease data', () => {
  it("is flannel's JSON, PublicKey then Port", () => {
    expect(data(51820)).toBe(`{"PublicKey":"${KEY.toString()}","Port":51820}`);
  });
  it.each([
    { text: undefined, reason: 'it has no BackendData' },
    { text: '"x"', reason: 'its BackendData is not a JSON object' },
    { text: '{"PublicKey":"abc","Port":1}', reason: 'its PublicKey is not a base64 WireGuard key' },
    { text: `{"PublicKey":"${KEY.toString()}","Port":-1}`, reason: 'its Port is not an integer 0..65535' },
  ])('refuses $text: $reason', ({ text, reason }) => {
    expect(decodeWireguardLeaseData(text)).toEqual({ ok: false, reason });
  });
  it('reads keys case-insensitively and a missing Port as 0', () => {
    const decoded = decodeWireguardLeaseData(`{"publickey":"${KEY.toString()}"}`);
    expect(decoded.ok && decoded.value.port).toBe(0);
  });
});

describe('wireguardLeasePeers', () => {
  it('separate mode: one peer per family on its own device, each with its own port and subnet', () => {
    const { peers } = wireguardLeasePeers(lease({ v6: true, publicIPv6: 'fd00::2' }), separate);
    expect(peers.map(({ role, endpoint, allowedIPs }) => ({ role, endpoint, allowedIPs }))).toEqual([
      { role: 'v4', endpoint: '192.168.1.2:51820', allowedIPs: ['10.5.2.0/24'] },
      { role: 'v6', endpoint: '[fd00::2]:51821', allowedIPs: ['fd10:0:0:2::/64'] },
    ]);
  });

  it('port 0 (old flannel) falls back to the local listen port', () => {
    expect(wireguardLeasePeers(lease({ v4Port: 0 }), { ...separate, listenPort: 4000 }).peers[0]!.endpoint).toBe('192.168.1.2:4000');
  });

  it('single-device modes: both subnets as AllowedIPs; ipv4/ipv6 pick the endpoint family', () => {
    const remote = lease({ v6: true, publicIPv6: 'fd00::2' });
    const single = { ...separate, hasV6Device: false };
    expect(wireguardLeasePeers(remote, { ...single, mode: 'ipv4' }).peers).toMatchObject([{ role: 'single', endpoint: '192.168.1.2:51820', allowedIPs: ['10.5.2.0/24', 'fd10:0:0:2::/64'] }]);
    // flannel's quirk: the v6 endpoint uses the advertised ListenPortV6.
    expect(wireguardLeasePeers(remote, { ...single, mode: 'ipv6' }).peers).toMatchObject([{ endpoint: '[fd00::2]:51821' }]);
  });

  it.each([
    { name: 'v4 when the remote has no IPv6', remote: lease({}), local: {}, endpoint: '192.168.1.2:51820' },
    { name: 'v4 when the remote IPv4 is public', remote: lease({ v6: true, publicIP: '8.8.8.8', publicIPv6: '2001:db8::2' }), local: {}, endpoint: '8.8.8.8:51820' },
    { name: 'v6 when the remote IPv4 is private and both IPv6 are public', remote: lease({ v6: true, publicIPv6: '2001:db8::2' }), local: { publicIPv6: '2001:db8::1' }, endpoint: '[2001:db8::2]:51821' },
    { name: 'v4 when the local IPv6 is a ULA', remote: lease({ v6: true, publicIPv6: '2001:db8::2' }), local: { publicIPv6: 'fd00::1' }, endpoint: '192.168.1.2:51820' },
  ])('auto mode: $name', ({ remote, local, endpoint }) => {
    expect(wireguardLeasePeers(remote, { ...separate, hasV6Device: false, mode: 'auto', ...local }).peers[0]!.endpoint).toBe(endpoint);
  });

  it('reports an unusable BackendData instead of configuring a peer', () => {
    const bad = { ...lease({}), attributes: { publicIP: '192.168.1.2', backendType: 'wireguard', backendData: '{"VNI":1}' } };
    expect(wireguardLeasePeers(bad, separate)).toEqual({ peers: [], problems: ['failed to unmarshal BackendData: its BackendData has no PublicKey string'] });
  });

  it("matches flannel's IsPrivate rules", () => {
    expect(['10.1.2.3', '172.31.0.1', '192.168.0.1'].map(isPrivateIPv4)).toEqual([true, true, true]);
    expect(['172.32.0.1', '8.8.8.8'].map(isPrivateIPv4)).toEqual([false, false]);
    expect(['fd00::1', 'fc00::1', '2001:db8::1', '::1'].map(isPrivateIPv6)).toEqual([true, true, false, false]);
  });
});
