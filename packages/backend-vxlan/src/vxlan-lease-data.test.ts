import { describe, expect, it } from 'vitest';
import { IpNet } from '@flannel-ts/core';
import type { Lease } from '@flannel-ts/core';
import { decodeVxlanLeaseData, encodeVxlanLeaseData, vxlanConflictKeys } from './vxlan-lease-data.js';
import { normaliseMac, randomVtepMac } from './vtep-mac.js';

describe('encodeVxlanLeaseData', () => {
  it('writes BackendData byte for byte as flannel, VNI first', () => {
    expect(encodeVxlanLeaseData({ vni: 1, vtepMac: 'aa:bb:cc:dd:ee:ff' })).toBe('{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}');
  });
});

describe('decodeVxlanLeaseData', () => {
  it('round-trips what it writes', () => {
    const text = encodeVxlanLeaseData({ vni: 7, vtepMac: '0e:2a:00:00:00:01' });
    expect(decodeVxlanLeaseData(text)).toEqual({ ok: true, value: { vni: 7, vtepMac: '0e:2a:00:00:00:01' } });
  });

  it('accepts keys in any case and MACs in any Go form', () => {
    expect(decodeVxlanLeaseData('{"vni":1,"vtepmac":"AA-BB-CC-DD-EE-FF"}')).toEqual({ ok: true, value: { vni: 1, vtepMac: 'aa:bb:cc:dd:ee:ff' } });
  });

  it.each([
    [undefined, 'BackendData is missing'],
    ['not json', 'BackendData not json is invalid: not JSON'],
    ['[1]', 'BackendData [1] is invalid: must be a JSON object'],
    ['{"VNI":1}', 'BackendData.VtepMAC undefined is invalid: must be a MAC address'],
    ['{"VNI":1,"VtepMAC":"zz"}', 'BackendData.VtepMAC "zz" is invalid: must be a MAC address'],
    ['{"VNI":1,"VtepMAC":"01:00:5e:00:00:01"}', 'BackendData.VtepMAC "01:00:5e:00:00:01" is invalid: must be a unicast MAC address'],
  ])('reports %j as unusable', (text, error) => {
    expect(decodeVxlanLeaseData(text)).toEqual({ ok: false, error });
  });
});

describe('randomVtepMac', () => {
  it('makes a locally-administered unicast MAC from the random source', () => {
    expect(randomVtepMac(() => new Uint8Array([0xff, 1, 2, 3, 4, 5]))).toBe('fe:01:02:03:04:05');
    expect(randomVtepMac(() => new Uint8Array([0x00, 0xab, 0xcd, 0xef, 0x10, 0x20]))).toBe('02:ab:cd:ef:10:20');
  });
});

describe('normaliseMac', () => {
  it('accepts the colon, dash and dot forms of a 6-byte MAC only', () => {
    expect(normaliseMac('AA:BB:CC:DD:EE:FF')).toBe('aa:bb:cc:dd:ee:ff');
    expect(normaliseMac('aabb.ccdd.eeff')).toBe('aa:bb:cc:dd:ee:ff');
    expect(normaliseMac('aa:bb:cc:dd:ee')).toBeUndefined();
  });
});

describe('VtepMAC rules', () => {
  it('refuses the zero MAC (the kernel refuses its FDB entry with EOPNOTSUPP)', () => {
    const text = '{"VNI":1,"VtepMAC":"00:00:00:00:00:00"}';
    expect(decodeVxlanLeaseData(text)).toEqual({
      ok: false,
      error: 'BackendData.VtepMAC "00:00:00:00:00:00" is invalid: must not be the zero MAC address',
    });
    expect(decodeVxlanLeaseData('{"VNI":1,"VtepMAC":"01:00:5e:00:00:01"}')).toMatchObject({ ok: false, error: expect.stringMatching(/unicast/) });
  });

  it('gives the VtepMAC of each family as a conflict key, nothing for other backends or bad data', () => {
    const lease = (backendData: string, backendType = 'vxlan'): Lease => ({
      enableIPv4: true,
      enableIPv6: false,
      subnet: IpNet.parse('10.5.3.0/24'),
      attributes: { publicIP: '192.168.1.3', backendType, backendData },
    });
    expect(vxlanConflictKeys(lease('{"VNI":1,"VtepMAC":"0e:00:00:00:00:03"}'))).toEqual(['VtepMAC 0e:00:00:00:00:03']);
    expect(vxlanConflictKeys(lease('{"vtepmac":"0E-00-00-00-00-03"}'))).toEqual(['VtepMAC 0e:00:00:00:00:03']);
    expect(vxlanConflictKeys(lease('{"VNI":1,"VtepMAC":"0e:00:00:00:00:03"}', 'host-gw'))).toEqual([]);
    expect(vxlanConflictKeys(lease('nonsense'))).toEqual([]);
  });
});
