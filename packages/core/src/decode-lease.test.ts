import { describe, expect, it } from 'vitest';
import { decodeLease } from './decode-lease.js';
import { leaseKey } from './lease-key.js';

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

  it('builds the lease with the same fields in the same order for every shape', () => {
    const expiration = new Date('2030-01-01T00:00:00Z');
    const value = '{"PublicIP":"10.0.0.1","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}}';
    const plain = decodeLease('10.5.34.0-24', value);
    expect(plain.ok && Object.keys(plain.value)).toEqual(['enableIPv4', 'enableIPv6', 'subnet', 'attributes']);
    expect(plain.ok && Object.keys(plain.value.attributes)).toEqual(['publicIP', 'backendType', 'backendData']);
    const full = decodeLease('10.5.34.0-24&fd00:12:13::-56', value, { expiration, revision: 1n });
    expect(full.ok && Object.keys(full.value)).toEqual(['enableIPv4', 'enableIPv6', 'subnet', 'ipv6Subnet', 'attributes', 'expiration', 'revision']);
    expect(full.ok && full.value.attributes).toEqual({ publicIP: '10.0.0.1', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}' });
  });

  it('prefixes the key to the strict path\'s error, whichever path read the value', () => {
    const result = decodeLease('10.5.34.0-24', '{"PublicIP":"10.0.0.1",\n "BackendType":7}');
    expect(!result.ok && result.error.message).toBe('lease 10.5.34.0-24: BackendType 7 is invalid: must be a string');
    const syntax = decodeLease('10.5.34.0-24', '{"PublicIP":"10.0.0.1",\n}');
    expect(!syntax.ok && syntax.error.message).toBe(
      'lease 10.5.34.0-24: lease attributes are invalid: not JSON (invalid character "}" looking for beginning of object key string at line 2 column 1)',
    );
    expect(!syntax.ok && syntax.error.cause).toBeUndefined();
  });

  it('takes a key decoded before: the lease shares its subnets and reads the same as without it', () => {
    const value = '{"PublicIP":"10.0.0.1","PublicIPv6":null}';
    for (const key of ['10.5.34.0-24', '10.5.34.0-24&fd00:12:13::-56']) {
      const decoded = leaseKey.decode(key);
      if (!decoded.ok) throw decoded.error;
      const shared = decodeLease(key, value, { revision: 3n, decodedKey: decoded.value });
      if (!shared.ok) throw shared.error;
      expect(shared.value.subnet).toBe(decoded.value.subnet);
      expect(shared.value.ipv6Subnet).toBe(decoded.value.ipv6Subnet);
      expect(Object.keys(shared.value)).toEqual(Object.keys((decodeLease(key, value, { revision: 3n }) as { value: object }).value));
      expect(shared.value).toEqual((decodeLease(key, value, { revision: 3n }) as { value: object }).value);
    }
  });
});
