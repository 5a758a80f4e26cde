// --ip-masq on a dual-stack host, in both rule modes: what iptables/ip6tables and nft list afterwards must
// equal flannel's golden output (flannel e2e/rules.go, kept by the traffic-rules package) byte for byte.
import { readFile } from 'node:fs/promises';
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab, LabHost } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IPTABLES_FILTER_V4, IPTABLES_FILTER_V6, IPTABLES_NAT_V4, IPTABLES_NAT_V6, NETWORK_V4, NETWORK_V6,
  NFT_FORWARD_V4, NFT_FORWARD_V6, NFT_POSTRTG_V4, NFT_POSTRTG_V6, SUBNET_V4, SUBNET_V6,
} from '../../traffic-rules/src/__fixtures__/flannel-golden.js';
import { startDaemon, waitReady } from './cluster.js';

// One possible subnet per family, so the node's lease is the golden one.
const config = (nftables: boolean) => ({
  EnableIPv6: true,
  EnableNFTables: nftables,
  Network: NETWORK_V4,
  SubnetMin: SUBNET_V4.split('/')[0],
  SubnetMax: SUBNET_V4.split('/')[0],
  IPv6Network: NETWORK_V6,
  IPv6SubnetMin: SUBNET_V6.split('/')[0],
  IPv6SubnetMax: SUBNET_V6.split('/')[0],
  Backend: { Type: 'vxlan' },
});

async function lines(host: LabHost, command: string, args: readonly string[]): Promise<string[]> {
  return (await host.exec(command, args, { check: true })).stdout.trimEnd().split('\n');
}

/** flannel e2e `iptablesNatFlannel`: FLANNEL lines of `-S POSTROUTING`, then `-S FLANNEL-POSTRTG`. */
async function natFlannel(host: LabHost, bin: string): Promise<string> {
  const post = (await lines(host, bin, ['-t', 'nat', '-S', 'POSTROUTING'])).filter((line) => line.includes('FLANNEL'));
  return [...post, ...(await lines(host, bin, ['-t', 'nat', '-S', 'FLANNEL-POSTRTG']))].join('\n');
}

/** flannel e2e `iptablesFilterForward`: `-S FORWARD`, then `-S FLANNEL-FWD`. */
async function filterForward(host: LabHost, bin: string): Promise<string> {
  return [...(await lines(host, bin, ['-t', 'filter', '-S', 'FORWARD'])), ...(await lines(host, bin, ['-t', 'filter', '-S', 'FLANNEL-FWD']))].join('\n');
}

describe.skipIf(!isRoot())(`flannel-ts --ip-masq ${rootSkipReason() ?? ''}`, () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab({ hosts: 2, ipv6: true, etcd: true });
    await lab.etcd.put('/ipt/network/config', JSON.stringify(config(false)));
    await lab.etcd.put('/nft/network/config', JSON.stringify(config(true)));
    const [h1, h2] = lab.hosts as [LabHost, LabHost];
    await Promise.all([
      waitReady(startDaemon(lab, h1, `${lab.tempDir}/h1-subnet.env`, ['--ip-masq', '--etcd-prefix=/ipt/network'])),
      waitReady(startDaemon(lab, h2, `${lab.tempDir}/h2-subnet.env`, ['--ip-masq', '--etcd-prefix=/nft/network'])),
    ]);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('iptables mode: nat and filter rules equal flannel golden output for IPv4 and IPv6', async () => {
    const h1 = lab.hosts[0]!;
    expect(await readFile(`${lab.tempDir}/h1-subnet.env`, 'utf8')).toContain(`FLANNEL_SUBNET=10.42.1.1/24\n`);
    expect(await natFlannel(h1, 'iptables')).toBe(IPTABLES_NAT_V4);
    expect(await natFlannel(h1, 'ip6tables')).toBe(IPTABLES_NAT_V6);
    expect(await filterForward(h1, 'iptables')).toBe(IPTABLES_FILTER_V4);
    expect(await filterForward(h1, 'ip6tables')).toBe(IPTABLES_FILTER_V6);
    expect((await h1.exec('nft', ['list', 'tables'], { check: true })).stdout).not.toContain('flannel-ipv4');
  });

  it('nftables mode: chains equal flannel golden output for IPv4 and IPv6, and no iptables rule exists', async () => {
    const h2 = lab.hosts[1]!;
    const chain = async (family: string, table: string, name: string) => (await lines(h2, 'nft', ['list', 'chain', family, table, name])).join('\n');
    expect(await chain('ip', 'flannel-ipv4', 'postrtg')).toBe(NFT_POSTRTG_V4);
    expect(await chain('ip', 'flannel-ipv4', 'forward')).toBe(NFT_FORWARD_V4);
    expect(await chain('ip6', 'flannel-ipv6', 'postrtg')).toBe(NFT_POSTRTG_V6);
    expect(await chain('ip6', 'flannel-ipv6', 'forward')).toBe(NFT_FORWARD_V6);
    expect((await h2.exec('iptables', ['-t', 'nat', '-S'], { check: true })).stdout).not.toContain('FLANNEL');
    expect(await readFile(`${lab.tempDir}/h2-subnet.env`, 'utf8')).toContain('FLANNEL_IPMASQ=true\n');
  });
});
