import { describe, expect, it } from 'vitest';
import { decodeLease } from './decode-lease.js';

describe('decodeLease', () => {
  it('combines key and value into an IPv4 lease', () => {
    const expiration = new Date('2030-01-01T00:00:00Z');
    const result = decodeLease('10.5.1.0-24', '{"PublicIP":"192.168.0.1","BackendType":"vxlan"}', { expiration, revision: 7n });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.enableIPv4).toBe(true);
    expect(result.value.enableIPv6).toBe(false);
    expect(result.value.subnet?.toString()).toBe('10.5.1.0/24');
    expect(result.value.ipv6Subnet).toBeUndefined();
    expect(result.value.attributes).toEqual({ publicIP: '192.168.0.1', backendType: 'vxlan' });
    expect(result.value.expiration).toBe(expiration);
    expect(result.value.revision).toBe(7n);
  });

  it('enables IPv6 when the key names an IPv6 subnet (fuzz_test.go seed)', () => {
    const result = decodeLease('10.5.1.0-24&fc00::-64', '{"PublicIP":"192.168.0.1","PublicIPv6":"fc00::1"}');
    expect(result.ok && result.value.enableIPv6).toBe(true);
    expect(result.ok && result.value.ipv6Subnet?.toString()).toBe('fc00::/64');
    expect(result.ok && 'expiration' in result.value).toBe(false);
  });

  it('rejects a bad key or a bad value without throwing, naming the key', () => {
    const badKey = decodeLease('10.5.1.0', '{}');
    expect(!badKey.ok && badKey.error.code).toBe('LEASE_INVALID');
    const badValue = decodeLease('10.5.1.0-24', '{"PublicIP":"2001:db8::1"}');
    expect(!badValue.ok && badValue.error.message).toBe('lease 10.5.1.0-24: PublicIP "2001:db8::1" is invalid: must be an IPv4 address string');
  });
});
