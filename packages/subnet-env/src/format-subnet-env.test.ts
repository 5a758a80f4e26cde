import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSubnetEnv } from './format-subnet-env.js';
import { SubnetEnvError } from './subnet-env-error.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

describe('formatSubnetEnv', () => {
  it('matches flannel dist/sample_subnet.env byte for byte', () => {
    expect(formatSubnetEnv({ network: '10.1.0.0/16', subnet: '10.1.74.0/24', mtu: 1472, ipMasq: false })).toBe(
      fixture('sample_subnet.env'),
    );
  });

  it('writes the dual-stack example of flannel Documentation/configuration.md in flannel line order', () => {
    expect(
      formatSubnetEnv({
        ipv6Subnet: '2001:cafe:42::/64',
        ipv6Network: '2001:cafe:42:0::/56',
        mtu: 1450,
        ipMasq: true,
        subnet: '10.42.0.0/24',
        network: '10.42.0.0/16',
      }),
    ).toBe(fixture('dual-stack.env'));
  });

  it('writes only IPv6 lines when IPv4 is disabled', () => {
    expect(formatSubnetEnv({ ipv6Network: 'fd00:10::/56', ipv6Subnet: 'fd00:10:0:7::/64', mtu: 1430, ipMasq: false })).toBe(
      fixture('ipv6-only.env'),
    );
  });

  it('writes first-host form when handed the first host already (idempotent subnet)', () => {
    expect(formatSubnetEnv({ network: '10.5.0.0/16', subnet: '10.5.72.1/24', mtu: 1450, ipMasq: true })).toContain(
      'FLANNEL_SUBNET=10.5.72.1/24\n',
    );
  });

  it('accepts objects whose toString is a CIDR', () => {
    const net = { toString: () => '10.5.0.0/16' };
    expect(formatSubnetEnv({ network: net, subnet: { toString: () => '10.5.3.0/24' }, mtu: 1, ipMasq: false })).toMatch(
      /^FLANNEL_NETWORK=10\.5\.0\.0\/16\nFLANNEL_SUBNET=10\.5\.3\.1\/24\n/u,
    );
  });

  it.each([
    [{ network: '10.5.0.0/16', subnet: 'nope', mtu: 1450, ipMasq: true }, 'subnet "nope" is invalid: must be an IPv4 CIDR'],
    [{ network: 'fd00::/48', subnet: '10.5.1.0/24', mtu: 1450, ipMasq: true }, 'network "fd00::/48" is invalid: must be an IPv4 CIDR'],
    [{ network: '10.5.0.0/16', mtu: 1450, ipMasq: true }, 'network is set but subnet is not'],
    [{ ipv6Subnet: 'fd00::/64', mtu: 1450, ipMasq: true }, 'ipv6Subnet is set but ipv6Network is not'],
    [{ mtu: -1, ipMasq: true }, 'mtu -1 is invalid'],
    [{ mtu: 1.5, ipMasq: true }, 'mtu 1.5 is invalid'],
    [{ mtu: 1500, ipMasq: 'yes' as unknown as boolean }, 'ipMasq yes is invalid'],
    [{ network: '0.0.0.0/0', subnet: '255.255.255.255/32', mtu: 1, ipMasq: true }, 'has no address after'],
  ])('rejects bad values with a message naming the field (%#)', (values, message) => {
    let caught: unknown;
    try {
      formatSubnetEnv(values);
    } catch (error) {
      caught = error;
    }
    expect(SubnetEnvError.isInstance(caught)).toBe(true);
    expect((caught as SubnetEnvError).code).toBe('SUBNET_ENV_INVALID_VALUE');
    expect((caught as SubnetEnvError).message).toContain(message);
  });
});
