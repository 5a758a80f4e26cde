import { describe, expect, it } from 'vitest';
import { FlannelError } from '@flannel-ts/core';
import { parseCidr } from './cidr.js';

const context = { field: 'subnet', ruleSet: 'masq rules' };

describe('parseCidr', () => {
  it.each([
    ['10.42.1.0/24', '10.42.1.0/24', 4],
    ['10.42.1.1/24', '10.42.1.0/24', 4],
    ['0.0.0.0/0', '0.0.0.0/0', 4],
    ['fd00:10:244::/56', 'fd00:10:244::/56', 6],
    ['fd00:10:244:1::1/64', 'fd00:10:244:1::/64', 6],
    ['FD00:0010:0244:0001:0000:0000:0000:0000/64', 'fd00:10:244:1::/64', 6],
    ['2001:db8:0:1:0:0:0:0/64', '2001:db8:0:1::/64', 6],
    ['2001:db8:0:0:1:0:0:0/128', '2001:db8:0:0:1::/128', 6],
    ['2001:db8:1:0:1:1:1:1/128', '2001:db8:1:0:1:1:1:1/128', 6],
    ['::/0', '::/0', 6],
  ])('normalises %s to %s (network address, RFC 5952 text)', (input, text, family) => {
    expect(parseCidr(input, context)).toEqual({ family, text });
  });

  it('accepts objects whose toString() is a CIDR, like core IpNet', () => {
    expect(parseCidr({ toString: () => '10.42.0.0/16' }, context).text).toBe('10.42.0.0/16');
  });

  it.each([
    ['10.42.1.0', 'must be a CIDR of the form address/prefix'],
    ['10.42.1.0/33', 'prefix length must be an integer from 0 to 32'],
    ['fd00::/129', 'prefix length must be an integer from 0 to 128'],
    ['10.042.1.0/24', 'must be a CIDR with an IPv4 or IPv6 address'],
    ['10.42.1/24', 'must be a CIDR with an IPv4 or IPv6 address'],
    ['fe80::1%eth0/64', 'must be a CIDR with an IPv4 or IPv6 address'],
    ['10.42.1.0/ 24', 'prefix length must be an integer from 0 to 32'],
    ['', 'must be a CIDR of the form address/prefix'],
  ])('rejects %j naming the field, the value and the rule', (input, rule) => {
    let error: unknown;
    try {
      parseCidr(input, context);
    } catch (caught) {
      error = caught;
    }
    expect(FlannelError.hasCode(error, 'TRAFFIC_RULES_FAILED')).toBe(true);
    expect((error as Error).message).toBe(`masq rules: subnet ${JSON.stringify(input)} is invalid: ${rule}`);
  });

  it('rejects a family mismatch', () => {
    expect(() => parseCidr('fd00::/64', context, 4)).toThrow(
      'masq rules: subnet "fd00::/64" is invalid: must be an IPv4 CIDR like the network it goes with',
    );
  });
});
