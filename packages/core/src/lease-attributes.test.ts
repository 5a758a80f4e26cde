import { describe, expect, it } from 'vitest';
import { FlannelError } from './errors.js';
import type { LeaseAttributes } from './lease.js';
import { leaseAttributes } from './lease-attributes.js';

// Golden values: what flannel (Go encoding/json) stores in etcd for each lease shape.
const golden: { name: string; value: LeaseAttributes; json: string }[] = [
  {
    name: 'vxlan lease from Documentation/reservations.md',
    value: { publicIP: '192.168.64.3', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}' },
    json: '{"PublicIP":"192.168.64.3","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}}',
  },
  {
    name: 'udp/alloc lease without backend type (registry_test.go)',
    value: { publicIP: '1.2.3.4' },
    json: '{"PublicIP":"1.2.3.4","PublicIPv6":null}',
  },
  {
    name: 'host-gw dual stack lease',
    value: { publicIP: '192.168.0.1', publicIPv6: 'fc00::1', backendType: 'host-gw' },
    json: '{"PublicIP":"192.168.0.1","PublicIPv6":"fc00::1","BackendType":"host-gw"}',
  },
  {
    name: 'vxlan dual stack lease with both backend data',
    value: {
      publicIP: '10.0.0.5',
      publicIPv6: 'fd00:1::5',
      backendType: 'vxlan',
      backendData: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:01"}',
      backendV6Data: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:02"}',
    },
    json: '{"PublicIP":"10.0.0.5","PublicIPv6":"fd00:1::5","BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:01"},"BackendV6Data":{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:02"}}',
  },
  {
    name: 'wireguard lease',
    value: { publicIP: '10.0.0.6', backendType: 'wireguard', backendData: '{"PublicKey":"x+y/z=","Port":51820}' },
    json: '{"PublicIP":"10.0.0.6","PublicIPv6":null,"BackendType":"wireguard","BackendData":{"PublicKey":"x+y/z=","Port":51820}}',
  },
  {
    name: 'backend data that is the literal null (kube annotations)',
    value: { publicIP: '10.0.0.7', backendType: 'extension', backendData: 'null' },
    json: '{"PublicIP":"10.0.0.7","PublicIPv6":null,"BackendType":"extension","BackendData":null}',
  },
  {
    name: 'extension lease whose backend data is a JSON string',
    value: { publicIP: '10.0.0.8', backendType: 'extension', backendData: '"hello"' },
    json: '{"PublicIP":"10.0.0.8","PublicIPv6":null,"BackendType":"extension","BackendData":"hello"}',
  },
];

describe('leaseAttributes', () => {
  it.each(golden)('encodes the $name byte for byte', ({ value, json }) => {
    expect(leaseAttributes.encode(value)).toBe(json);
  });

  it.each(golden)('decodes the $name and re-encodes it identically', ({ value, json }) => {
    const result = leaseAttributes.decode(json);
    expect(result).toEqual({ ok: true, value });
    if (result.ok) expect(leaseAttributes.encode(result.value)).toBe(json);
  });

  it('compacts raw backend data as json.Marshal compacts a RawMessage', () => {
    const value = { publicIP: '1.2.3.4', backendType: 'vxlan', backendData: '{ "VNI" : 1,\n  "VtepMAC": "a b" }' };
    expect(leaseAttributes.encode(value)).toBe('{"PublicIP":"1.2.3.4","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"a b"}}');
  });

  it('escapes HTML characters and line separators as Go does', () => {
    const value = { publicIP: '1.2.3.4', backendType: 'a<b>&"\n\u2028', backendData: '{"x":"<&>","y":"\\u003c"}' };
    expect(leaseAttributes.encode(value)).toBe(
      '{"PublicIP":"1.2.3.4","PublicIPv6":null,"BackendType":"a\\u003cb\\u003e\\u0026\\"\\n\\u2028","BackendData":{"x":"\\u003c\\u0026\\u003e","y":"\\u003c"}}',
    );
  });

  it('keeps backend data verbatim on decode (whitespace and all)', () => {
    const result = leaseAttributes.decode('{"PublicIP":"1.2.3.4","BackendData": { "VNI" : 1 } }');
    expect(result.ok && result.value.backendData).toBe('{ "VNI" : 1 }');
  });

  it('matches keys case-insensitively with the last match winning', () => {
    const result = leaseAttributes.decode('{"publicip":"1.1.1.1","PUBLICIP":"2.2.2.2","backendtype":"host-gw","publicIPV6":"FD00::0001"}');
    expect(result).toEqual({ ok: true, value: { publicIP: '2.2.2.2', publicIPv6: 'fd00::1', backendType: 'host-gw' } });
  });

  it('keeps BackendType when a later key differing only in case is JSON null, as Go does for a string field', () => {
    expect(leaseAttributes.decode('{"PublicIP":"1.2.3.4","BackendType":"vxlan","backendtype":null}')).toEqual({
      ok: true,
      value: { publicIP: '1.2.3.4', backendType: 'vxlan' },
    });
  });

  it('reads a missing PublicIP as 0.0.0.0, ignores unknown keys and an empty BackendType', () => {
    expect(leaseAttributes.decode('{"Other":[1,2],"BackendType":""}')).toEqual({ ok: true, value: { publicIP: '0.0.0.0' } });
  });

  it.each([
    ['', 'not JSON (unexpected end of JSON input at line 1 column 1)'],
    ['{"PublicIP":"1.2.3.4",}', 'not JSON'],
    ['[1]', 'must be a JSON object'],
    ['null', 'must be a JSON object'],
    ['{"PublicIP":"1.2.3"}', 'PublicIP "1.2.3" is invalid: must be an IPv4 address string'],
    ['{"PublicIP":null}', 'PublicIP null is invalid'],
    ['{"PublicIP":"2001:db8::1"}', 'PublicIP "2001:db8::1" is invalid'],
    ['{"PublicIP":1234}', 'PublicIP 1234 is invalid'],
    ['{"PublicIP":"1.2.3.4","PublicIPv6":"1.2.3.4"}', 'PublicIPv6 "1.2.3.4" is invalid: must be an IPv6 address string or null'],
    ['{"PublicIP":"1.2.3.4","BackendType":7}', 'BackendType 7 is invalid: must be a string'],
  ])('returns LEASE_INVALID for %j', (text, message) => {
    const result = leaseAttributes.decode(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('LEASE_INVALID');
    expect(result.error.message).toContain(message);
  });

  it('tells a JSON syntax error once, even where causes are printed', () => {
    // What a logger that follows the cause chain shows (pino: "message: cause message: …").
    const chain = (error: unknown): string => {
      const messages: string[] = [];
      for (let link: unknown = error; link instanceof Error; link = link.cause) messages.push(link.message);
      return messages.join(': ');
    };
    const result = leaseAttributes.decode('{"PublicIP":"1.2.3.4",}');
    expect(!result.ok && chain(result.error)).toBe(
      'lease attributes are invalid: not JSON (invalid character "}" looking for beginning of object key string at line 1 column 23)',
    );
    let thrown: unknown;
    try {
      leaseAttributes.encode({ publicIP: '1.2.3.4', backendData: '{"VNI":' });
    } catch (error) {
      thrown = error;
    }
    expect(FlannelError.hasCode(thrown, 'LEASE_INVALID')).toBe(true);
    expect(chain(thrown)).toBe('BackendData is invalid: must be valid JSON (unexpected end of JSON input at line 1 column 8)');
  });

  it('keeps BackendData verbatim with its whitespace and escapes, and a BackendV6Data null as the text null', () => {
    const raw = '{ "VNI" : 1,\n "VtepMAC":"a\\u003c\\"}" , "x":[{}] }';
    expect(leaseAttributes.decode(`{"PublicIP":"1.2.3.4","BackendData":${raw} ,"BackendV6Data":null}`)).toEqual({
      ok: true,
      value: { publicIP: '1.2.3.4', backendData: raw, backendV6Data: 'null' },
    });
  });

  it('reads keys and addresses written with escapes as Go does', () => {
    expect(leaseAttributes.decode('{"Public\\u0049P":"\\u0031\\u0030.0.0.1","__proto__":{"PublicIP":"6.6.6.6"}}')).toEqual({
      ok: true,
      value: { publicIP: '10.0.0.1' },
    });
  });

  it('accepts backend data nested 1000 levels deep and refuses 1001', () => {
    const nested = (depth: number): string => `{"PublicIP":"1.2.3.4","BackendData":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(leaseAttributes.decode(nested(1000)).ok).toBe(true);
    const refused = leaseAttributes.decode(nested(1001));
    expect(refused.ok ? undefined : refused.error.code).toBe('LEASE_INVALID');
  });

  it('never throws on arbitrary input', () => {
    const samples = ['{', '"', '{"a":', '\u0000', '{"PublicIP":"1.2.3.4","BackendData":}', '1e999', '{"PublicIP":"\\ud800"}'];
    for (const sample of samples) expect(() => leaseAttributes.decode(sample)).not.toThrow();
  });

  it('refuses to encode invalid addresses or backend data', () => {
    expect(() => leaseAttributes.encode({ publicIP: 'nope' })).toThrow('PublicIP "nope" is invalid');
    expect(() => leaseAttributes.encode({ publicIP: '1.2.3.4', publicIPv6: '1.2.3.4' })).toThrow('PublicIPv6');
    expect(() => leaseAttributes.encode({ publicIP: '1.2.3.4', backendData: '{' })).toThrow('BackendData is invalid: must be valid JSON');
  });
});
