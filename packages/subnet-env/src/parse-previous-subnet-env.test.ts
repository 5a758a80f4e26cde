import { describe, expect, it } from 'vitest';
import { parsePreviousSubnetEnv } from './parse-previous-subnet-env.js';

describe('parsePreviousSubnetEnv', () => {
  it('recovers every network from a file flanneld wrote', () => {
    const previous = parsePreviousSubnetEnv(
      'FLANNEL_NETWORK=10.42.0.0/16\nFLANNEL_SUBNET=10.42.7.1/24\nFLANNEL_IPV6_NETWORK=2001:cafe:42::/56\nFLANNEL_IPV6_SUBNET=2001:cafe:42:7::1/64\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
    );
    expect(previous).toEqual({
      network: '10.42.0.0/16',
      subnet: '10.42.7.0/24',
      ipv6Network: '2001:cafe:42::/56',
      ipv6Subnet: '2001:cafe:42:7::/64',
      warnings: [],
    });
  });

  it('skips invalid entries of a list and keeps the single valid one', () => {
    const previous = parsePreviousSubnetEnv('FLANNEL_SUBNET=not-a-cidr,10.244.1.0/24\n', '/p');
    expect(previous.subnet).toBe('10.244.1.0/24');
    expect(previous.warnings).toEqual([`couldn't parse previous FLANNEL_SUBNET from /p: "not-a-cidr" is not an IPv4 CIDR`]);
  });

  it('treats more than one valid entry as no previous subnet (flannel main_test.go)', () => {
    const previous = parsePreviousSubnetEnv('FLANNEL_SUBNET=10.244.1.0/24,not-a-cidr,10.244.2.0/24\nFLANNEL_IPV6_SUBNET=fd00::/64,fd01::/64\n');
    expect(previous.subnet).toBeUndefined();
    expect(previous.ipv6Subnet).toBeUndefined();
    expect(previous.warnings.filter((warning) => warning.startsWith('more than 1 entry'))).toHaveLength(2);
  });

  it('treats an invalid-only value as absent', () => {
    expect(parsePreviousSubnetEnv('FLANNEL_IPV6_SUBNET=not-a-cidr\n').ipv6Subnet).toBeUndefined();
  });

  it('skips an entry of the wrong family', () => {
    expect(parsePreviousSubnetEnv('FLANNEL_SUBNET=fd00::1/64\n').subnet).toBeUndefined();
  });

  it('tolerates quotes, export and comments as godotenv does', () => {
    expect(parsePreviousSubnetEnv('# x\nexport FLANNEL_SUBNET="10.5.3.1/24" # mine\r\n').subnet).toBe('10.5.3.0/24');
  });

  it('yields nothing with a warning when the file is not dotenv', () => {
    const previous = parsePreviousSubnetEnv('FLANNEL_SUBNET=10.5.3.1/24\n\u0000\u0001garbage', '/run/flannel/subnet.env');
    expect(previous.subnet).toBeUndefined();
    expect(previous.warnings[0]).toContain('ignoring previous /run/flannel/subnet.env: ');
  });
});
