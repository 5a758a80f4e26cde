import { FlannelError, leaseAttributes } from '@flannel-ts/core';
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { describe, expect, it } from 'vitest';
import { udpLeaseRoute } from './udp-lease-routes.js';
import { parseUdpOptions } from './udp-options.js';

describe('parseUdpOptions', () => {
  it('defaults Port to 8285 and reads it case-insensitively', () => {
    expect(parseUdpOptions({ backend: {} }).port).toBe(8285);
    expect(parseUdpOptions({ backend: { Type: 'udp', port: 9000 } }).port).toBe(9000);
  });

  it('reads flannel-ts\'s BatchSize, Threads and SocketBufferBytes, absent by default', () => {
    expect(parseUdpOptions({ backend: { BatchSize: 1, threads: 2 } })).toEqual({ port: 8285, batchSize: 1, threads: 2 });
    expect(() => parseUdpOptions({ backend: { BatchSize: 0 } })).toThrow('Backend.BatchSize 0 is invalid: must be an integer 1..1024');
    expect(() => parseUdpOptions({ backend: { Threads: 3 } })).toThrow('Backend.Threads 3 is invalid: must be an integer 1..2');
    expect(parseUdpOptions({ backend: { SocketBufferBytes: 0 } })).toEqual({ port: 8285, socketBufferBytes: 0 });
    expect(parseUdpOptions({ backend: { Offload: false } })).toEqual({ port: 8285, offload: false });
    expect(() => parseUdpOptions({ backend: { Offload: 'yes' } })).toThrow('Backend.Offload "yes" is invalid: must be true or false');
    expect(() => parseUdpOptions({ backend: { SocketBufferBytes: -1 } })).toThrow('Backend.SocketBufferBytes -1 is invalid: must be an integer 0..268435456');
  });

  it.each([[0], [65536], ['8285'], [1.5]])('refuses Port %j naming the field and the rule', (port) => {
    try {
      parseUdpOptions({ backend: { Port: port } });
      expect.unreachable();
    } catch (error) {
      expect(FlannelError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
      expect((error as Error).message).toMatch(/^Backend\.Port .* is invalid: must be an integer 1\.\.65535$/);
    }
  });
});

const lease = (publicIP: string, backendType?: string): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse('10.5.2.0/24'),
  attributes: { publicIP, ...(backendType === undefined ? {} : { backendType }) },
});

describe('the udp lease', () => {
  it('is written as flannel\'s udp backend writes it: PublicIP, PublicIPv6 null, no BackendType', () => {
    expect(leaseAttributes.encode({ publicIP: '192.168.77.11' })).toBe('{"PublicIP":"192.168.77.11","PublicIPv6":null}');
  });

  it('is read back from flannel\'s bytes without a BackendType', () => {
    const decoded = leaseAttributes.decode('{"PublicIP":"192.168.77.12","PublicIPv6":null}');
    expect(decoded.ok && decoded.value).toEqual({ publicIP: '192.168.77.12' });
  });
});

describe('udpLeaseRoute', () => {
  it('routes a remote subnet to its PublicIP on our port, with or without a BackendType', () => {
    for (const type of [undefined, 'udp', 'vxlan']) {
      expect(udpLeaseRoute(lease('192.168.77.12', type), 8285)).toEqual({ ok: true, route: { network: 0x0a050200, prefixLength: 24, nextHop: 0xc0a84d0c, port: 8285 } });
    }
  });

  it.each(['0.0.0.0', '127.0.0.1', '224.0.0.1', '255.255.255.255', 'fd00::1'])('refuses PublicIP %s with a reason', (publicIP) => {
    const result = udpLeaseRoute(lease(publicIP), 8285);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(publicIP);
  });

  it('skips a lease without an IPv4 subnet', () => {
    const v6only: Lease = { enableIPv4: false, enableIPv6: true, ipv6Subnet: IpNet.parse('fd10::/64'), attributes: { publicIP: '192.168.77.12' } };
    expect(udpLeaseRoute(v6only, 8285)).toEqual({ ok: false, reason: 'the lease has no IPv4 subnet' });
  });
});
