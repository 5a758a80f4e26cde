import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatGoIpNet } from '../go-json/go-net.js';
import { loadFlannelSubnetEnv, parseFlannelSubnetEnv } from './subnet-env.js';

const parse = (text: string) => {
  const env = parseFlannelSubnetEnv(text, '/run/flannel/subnet.env');
  return {
    networks: env.networks.map(formatGoIpNet),
    subnet: env.subnet && formatGoIpNet(env.subnet),
    ipv6Networks: env.ipv6Networks.map(formatGoIpNet),
    ipv6Subnet: env.ipv6Subnet && formatGoIpNet(env.ipv6Subnet),
    mtu: env.mtu,
    ipMasq: env.ipMasq,
  };
};
const missing = (text: string): string => {
  try {
    parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return 'parsed';
};

describe('parseFlannelSubnetEnv (the plugin\'s parser, not the daemon\'s)', () => {
  it('reads the IPv4 file flannel writes, with the subnet reduced to its network', () => {
    expect(parse('FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n')).toEqual({
      networks: ['10.1.0.0/16'], subnet: '10.1.17.0/24', ipv6Networks: [], ipv6Subnet: undefined, mtu: 1472, ipMasq: true,
    });
  });

  it('reads IPv6-only and dual-stack files', () => {
    expect(parse('FLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00::1/64\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n')).toMatchObject({ networks: [], ipv6Networks: ['fc00::/48'], ipv6Subnet: 'fc00::/64' });
    expect(parse('FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00::1/64\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n')).toMatchObject({
      networks: ['10.1.0.0/16'], subnet: '10.1.17.0/24', ipv6Networks: ['fc00::/48'], ipv6Subnet: 'fc00::/64',
    });
  });

  it('splits networks on commas and drops duplicates (same network and mask)', () => {
    expect(parse('FLANNEL_NETWORK=10.1.0.0/16,192.168.0.0/16,10.1.5.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true').networks).toEqual(['10.1.0.0/16', '192.168.0.0/16']);
  });

  it('takes FLANNEL_IPMASQ as true only for exactly "true"', () => {
    for (const [value, expected] of [['true', true], ['True', false], ['1', false], ['', false], ['true ', false]] as const) {
      expect(parse(`FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=${value}`).ipMasq, value).toBe(expected);
    }
  });

  it('ignores unknown lines, comments and keys with spaces, and handles CRLF', () => {
    expect(parse('# comment\nOTHER=x\nFLANNEL_MTU =9\r\nFLANNEL_NETWORK=10.1.0.0/16\r\nFLANNEL_SUBNET=10.1.17.1/24\r\nFLANNEL_MTU=1472\r\nFLANNEL_IPMASQ=true\r\n').mtu).toBe(1472);
  });

  it('names every missing key in one message, each network pair only when both are absent', () => {
    expect(missing('')).toBe('/run/flannel/subnet.env is missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ');
    expect(missing('FLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_MTU=1472')).toBe('/run/flannel/subnet.env is missing FLANNEL_SUBNET, FLANNEL_IPV6_SUBNET, FLANNEL_IPMASQ');
  });

  it('fails on a bad CIDR or MTU with Go\'s texts', () => {
    expect(missing('FLANNEL_NETWORK=10.1.0.0/16,bad\n')).toBe('invalid CIDR address: bad');
    expect(missing('FLANNEL_SUBNET=10.1.17.1\n')).toBe('invalid CIDR address: 10.1.17.1');
    expect(missing('FLANNEL_MTU=-1\n')).toBe('strconv.ParseUint: parsing "-1": invalid syntax');
    expect(missing('FLANNEL_MTU=4294967296\n')).toBe('strconv.ParseUint: parsing "4294967296": value out of range');
  });

  it('reports a known key without "=" instead of crashing as flannel does', () => {
    expect(missing('FLANNEL_MTU\n')).toBe('/run/flannel/subnet.env line 1: FLANNEL_MTU has no "=" and no value');
  });

  it('stops reading at a line longer than Go\'s scanner takes: /dev/zero fails fast with "token too long"', () => {
    expect(() => loadFlannelSubnetEnv('/dev/zero')).toThrow('bufio.Scanner: token too long');
  });

  it('refuses a file of more than 1 MiB of short lines, naming it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'cni-subnet-env-'));
    try {
      const file = join(directory, 'subnet.env');
      writeFileSync(file, `${'#\n'.repeat(600_000)}FLANNEL_MTU=1450\n`);
      expect(() => loadFlannelSubnetEnv(file)).toThrow(`${file} is larger than 1048576 bytes: it is not a subnet.env`);
      expect(() => loadFlannelSubnetEnv(directory)).toThrow(`read ${directory}: is a directory`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports a missing file as Go words it', () => {
    expect(() => loadFlannelSubnetEnv('/nonexistent/subnet.env')).toThrow('open /nonexistent/subnet.env: no such file or directory');
  });
});
