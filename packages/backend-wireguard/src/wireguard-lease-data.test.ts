import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { WireguardPublicKey } from './wireguard-key.js';
import { encodeWireguardLeaseData, wireguardConflictKeys } from './wireguard-lease-data.js';

const V4_KEY = new WireguardPublicKey(Buffer.alloc(32, 6));
const V6_KEY = new WireguardPublicKey(Buffer.alloc(32, 7));

const lease = (attributes: Partial<Lease['attributes']>, families: { v4?: boolean; v6?: boolean } = { v4: true, v6: true }): Lease => ({
  enableIPv4: families.v4 === true,
  enableIPv6: families.v6 === true,
  ...(families.v4 ? { subnet: IpNet.parse('10.5.9.0/24') } : {}),
  ...(families.v6 ? { ipv6Subnet: IpNet.parse('fd10:0:0:9::/64') } : {}),
  attributes: { publicIP: '192.168.1.9', backendType: 'wireguard', ...attributes },
});

describe('wireguardConflictKeys', () => {
  it('claims the PublicKey of each family the lease has a subnet of in separate mode (one device per family)', () => {
    const keys = wireguardConflictKeys(
      lease({ backendData: encodeWireguardLeaseData({ publicKey: V4_KEY, port: 51820 }), backendV6Data: encodeWireguardLeaseData({ publicKey: V6_KEY, port: 51821 }) }),
      'separate',
    );
    expect(keys).toEqual([`PublicKey ${V4_KEY}`, `IPv6 PublicKey ${V6_KEY}`]);
  });

  it('claims no IPv6 key for a lease without an IPv6 subnet, even when BackendV6Data is set', () => {
    const data = encodeWireguardLeaseData({ publicKey: V4_KEY, port: 51820 });
    expect(wireguardConflictKeys(lease({ backendData: data, backendV6Data: data }, { v4: true }), 'separate')).toEqual([`PublicKey ${V4_KEY}`]);
  });

  it('claims nothing for another BackendType or data that does not decode', () => {
    const data = encodeWireguardLeaseData({ publicKey: V4_KEY, port: 51820 });
    for (const mode of ['separate', 'auto'] as const) {
      expect(wireguardConflictKeys(lease({ backendType: 'vxlan', backendData: data }), mode)).toEqual([]);
      expect(wireguardConflictKeys(lease({ backendData: '{"PublicKey":"nope"}' }, { v4: true }), mode)).toEqual([]);
    }
    expect(wireguardConflictKeys(lease({ backendData: data, backendV6Data: '{"PublicKey":"nope"}' }), 'ipv4')).toEqual([]);
  });

  it('claims the one key the single device uses (IPv6 first), in the same key space for both families', () => {
    const v4 = encodeWireguardLeaseData({ publicKey: V4_KEY, port: 51820 });
    const v6 = encodeWireguardLeaseData({ publicKey: V6_KEY, port: 51820 });
    for (const mode of ['auto', 'ipv4', 'ipv6'] as const) {
      expect(wireguardConflictKeys(lease({ backendData: v4, backendV6Data: v6 }), mode)).toEqual([`PublicKey ${V6_KEY}`]);
      expect(wireguardConflictKeys(lease({ backendData: v4 }, { v4: true }), mode)).toEqual([`PublicKey ${V4_KEY}`]);
      // An IPv6-only lease with the key of an IPv4-only lease collides with it on the one device.
      expect(wireguardConflictKeys(lease({ backendV6Data: v4 }, { v6: true }), mode)).toEqual([`PublicKey ${V4_KEY}`]);
    }
  });
});
