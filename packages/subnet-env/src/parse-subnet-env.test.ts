import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSubnetEnv } from './parse-subnet-env.js';
import { SubnetEnvError } from './subnet-env-error.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

const errorOf = (text: string, path?: string): SubnetEnvError => {
  try {
    parseSubnetEnv(text, path);
  } catch (error) {
    if (SubnetEnvError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SubnetEnvError');
};

describe('parseSubnetEnv', () => {
  it('reads the CNI plugin test file, subnet as its network address', () => {
    const env = parseSubnetEnv('FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n');
    expect(env).toMatchObject({ networks: ['10.1.0.0/16'], subnet: '10.1.17.0/24', ipv6Networks: [], mtu: 1472, ipMasq: true });
    expect(env.ipv6Subnet).toBeUndefined();
    expect(env.raw.get('FLANNEL_SUBNET')).toBe('10.1.17.1/24');
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('reads the dual-stack file', () => {
    expect(parseSubnetEnv(fixture('dual-stack.env'))).toMatchObject({
      networks: ['10.42.0.0/16'],
      subnet: '10.42.0.0/24',
      ipv6Networks: ['2001:cafe:42::/56'],
      ipv6Subnet: '2001:cafe:42::/64',
      mtu: 1450,
      ipMasq: true,
    });
  });

  it('reads an IPv6-only file', () => {
    expect(parseSubnetEnv(fixture('ipv6-only.env'))).toMatchObject({ networks: [], ipv6Subnet: 'fd00:10:0:7::/64' });
  });

  it('accepts comma-separated network lists and removes duplicates', () => {
    const env = parseSubnetEnv('FLANNEL_NETWORK=10.1.0.0/16,10.2.0.0/16,10.1.0.0/16\nFLANNEL_SUBNET=10.1.1.1/24\nFLANNEL_MTU=1\nFLANNEL_IPMASQ=x\n');
    expect(env.networks).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(env.ipMasq).toBe(false);
  });

  it('names every missing key as the CNI plugin does', () => {
    const error = errorOf('# nothing\n', '/run/flannel/subnet.env');
    expect(error.code).toBe('SUBNET_ENV_MISSING_KEYS');
    expect(error.message).toBe(
      '/run/flannel/subnet.env is missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ',
    );
    expect(errorOf('FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.1.1/24\n').message).toBe(
      'subnet.env is missing FLANNEL_MTU, FLANNEL_IPMASQ',
    );
  });

  it.each([
    ['FLANNEL_NETWORK=10.1.0.0/16,bogus\n', 'FLANNEL_NETWORK "bogus" is invalid: must be a comma-separated list of IPv4 CIDRs'],
    ['FLANNEL_NETWORK=\n', 'FLANNEL_NETWORK "" is invalid'],
    ['FLANNEL_SUBNET=10.1.1.1\n', 'FLANNEL_SUBNET "10.1.1.1" is invalid: must be an IPv4 CIDR'],
    ['FLANNEL_IPV6_SUBNET=10.1.1.1/24\n', 'FLANNEL_IPV6_SUBNET "10.1.1.1/24" is invalid: must be an IPv6 CIDR'],
    ['FLANNEL_MTU=-5\n', 'FLANNEL_MTU "-5" is invalid: must be an unsigned 32-bit integer'],
    ['FLANNEL_MTU=4294967296\n', 'FLANNEL_MTU "4294967296" is invalid'],
    ['FLANNEL_MTU=1e3\n', 'FLANNEL_MTU "1e3" is invalid'],
  ])('rejects %j naming the key, the value and the rule', (text, message) => {
    const error = errorOf(text, '/x/subnet.env');
    expect(error.code).toBe('SUBNET_ENV_INVALID_VALUE');
    expect(error.message.startsWith(`/x/subnet.env: ${message}`)).toBe(true);
    expect(error.key).toBe(message.split(' ')[0]);
  });

  it('reports malformed text as SUBNET_ENV_MALFORMED', () => {
    expect(errorOf('FLANNEL_MTU\n').code).toBe('SUBNET_ENV_MALFORMED');
  });
});
