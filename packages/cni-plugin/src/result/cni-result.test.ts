import { describe, expect, it } from 'vitest';
import { BRIDGE_RESULT_031 } from '../testing/fake-delegate.js';
import { convertCniResult, decodeCniResult, formatCniResult, parseDelegateResult } from './cni-result.js';

const bridge031 = () => parseDelegateResult(Buffer.from(BRIDGE_RESULT_031), '0.3.1');

describe('CNI results', () => {
  it('prints a 0.3.1 result in struct order with dns always present, 4-space indent, no newline', () => {
    expect(formatCniResult(bridge031())).toBe(`{
    "cniVersion": "0.3.1",
    "interfaces": [
        {
            "name": "cni0",
            "mac": "aa:bb:cc:00:00:01"
        },
        {
            "name": "veth1a2b3c4d",
            "mac": "aa:bb:cc:00:00:02"
        },
        {
            "name": "eth0",
            "mac": "aa:bb:cc:00:00:03",
            "sandbox": "/var/run/netns/pod"
        }
    ],
    "ips": [
        {
            "version": "4",
            "interface": 2,
            "address": "10.1.17.2/24",
            "gateway": "10.1.17.1"
        }
    ],
    "routes": [
        {
            "dst": "10.1.0.0/16"
        },
        {
            "dst": "0.0.0.0/0",
            "gw": "10.1.17.1"
        }
    ],
    "dns": {}
}`);
  });

  it('converts 0.3.1 to 1.0.0: ips lose version, keys sorted, empty dns left out', () => {
    const text = formatCniResult(convertCniResult(bridge031(), '1.0.0'));
    expect(JSON.parse(text)).toEqual({
      cniVersion: '1.0.0',
      interfaces: [{ name: 'cni0', mac: 'aa:bb:cc:00:00:01' }, { name: 'veth1a2b3c4d', mac: 'aa:bb:cc:00:00:02' }, { name: 'eth0', mac: 'aa:bb:cc:00:00:03', sandbox: '/var/run/netns/pod' }],
      ips: [{ interface: 2, address: '10.1.17.2/24', gateway: '10.1.17.1' }],
      routes: [{ dst: '10.1.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.1.17.1' }],
    });
    expect(text).toContain('{\n            "address": "10.1.17.2/24",\n            "gateway": "10.1.17.1",\n            "interface": 2\n        }');
  });

  it('converts 1.1.0 back to 0.4.0 with each address\'s family as version', () => {
    const result = decodeCniResult('1.1.0', { cniVersion: '1.1.0', ips: [{ address: 'fc00::2/64' }, { address: '10.1.17.2/24' }], interfaces: [{ name: 'eth0', mtu: 1450, pciID: 'x' }] });
    expect(JSON.parse(formatCniResult(convertCniResult(result, '0.4.0')))).toEqual({
      cniVersion: '0.4.0', interfaces: [{ name: 'eth0' }], ips: [{ version: '6', address: 'fc00::2/64' }, { version: '4', address: '10.1.17.2/24' }], dns: {},
    });
  });

  it('converts to 0.2.0: the first address per family and each family\'s routes (dst and gw only)', () => {
    const result = decodeCniResult('1.0.0', {
      cniVersion: '1.0.0',
      ips: [{ address: '10.1.17.2/24', gateway: '10.1.17.1' }, { address: '10.1.17.3/24' }, { address: 'fc00::2/64' }],
      routes: [{ dst: '10.1.0.0/16', mtu: 1400 }, { dst: 'fc00::/48' }],
      dns: { nameservers: ['10.96.0.10'] },
    });
    expect(JSON.parse(formatCniResult(convertCniResult(result, '0.2.0')))).toEqual({
      cniVersion: '0.2.0',
      ip4: { ip: '10.1.17.2/24', gateway: '10.1.17.1', routes: [{ dst: '10.1.0.0/16' }] },
      ip6: { ip: 'fc00::2/64', routes: [{ dst: 'fc00::/48' }] },
      dns: { nameservers: ['10.96.0.10'] },
    });
  });

  it('converts 0.2.0 up to 1.1.0 through 0.4.0', () => {
    const result = decodeCniResult('0.2.0', { cniVersion: '0.2.0', ip4: { ip: '10.1.17.2/24', routes: [{ dst: '0.0.0.0/0', gw: '10.1.17.1' }] } });
    expect(JSON.parse(formatCniResult(convertCniResult(result, '1.1.0')))).toEqual({ cniVersion: '1.1.0', ips: [{ address: '10.1.17.2/24' }], routes: [{ dst: '0.0.0.0/0', gw: '10.1.17.1' }] });
  });

  it('refuses a conversion to 0.x of a result without addresses', () => {
    expect(() => convertCniResult(decodeCniResult('1.0.0', { cniVersion: '1.0.0' }), '0.2.0')).toThrow('cannot convert: no valid IP addresses');
  });

  it('takes a result without cniVersion to be in the config\'s version (fixupResultVersion)', () => {
    expect(parseDelegateResult(Buffer.from('{"ips":[{"version":"4","address":"10.1.17.2/24"}]}'), '0.4.0').cniVersion).toBe('0.4.0');
    expect(parseDelegateResult(Buffer.from('{}'), '0.1.0')).toMatchObject({ shape: '020', cniVersion: '0.1.0' });
  });

  it('refuses results it cannot read with Go\'s texts', () => {
    expect(() => parseDelegateResult(Buffer.from('{"cniVersion":"9.9.9"}'), '0.3.1')).toThrow('unsupported CNI result version "9.9.9"');
    expect(() => parseDelegateResult(Buffer.from('not json'), '0.3.1')).toThrow("failed to unmarshal raw result: invalid character 'o' in literal null (expecting 'u')");
    expect(() => parseDelegateResult(Buffer.from('[]'), '0.3.1')).toThrow('failed to unmarshal raw result: json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(() => parseDelegateResult(Buffer.from('{"cniVersion":"0.3.1","ips":[{"address":"bad"}]}'), '0.3.1')).toThrow('invalid CIDR address: bad');
  });

  it('drops unknown keys and escapes as Go', () => {
    const text = formatCniResult(parseDelegateResult(Buffer.from('{"cniVersion":"1.0.0","extra":1,"interfaces":[{"name":"a<b"}]}'), '1.0.0'));
    expect(text).toBe('{\n    "cniVersion": "1.0.0",\n    "interfaces": [\n        {\n            "name": "a\\u003cb"\n        }\n    ]\n}');
  });
});
