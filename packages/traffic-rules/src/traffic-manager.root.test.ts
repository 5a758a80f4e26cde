// Kernel tests: every case runs in a fresh network namespace it creates and always deletes, applies rules with
// the real iptables-restore / nft inside it, and compares what the tools list with flannel's golden output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExecRunner } from './command-runner.js';
import { createTrafficManager, type TrafficManagerOptions } from './create-traffic-manager.js';
import type { TrafficManager } from './traffic-manager.js';
import {
  IPTABLES_FILTER_V4,
  IPTABLES_FILTER_V6,
  IPTABLES_NAT_V4,
  IPTABLES_NAT_V6,
  NETWORK_V4,
  NETWORK_V6,
  NFT_FORWARD_V4,
  NFT_FORWARD_V6,
  NFT_POSTRTG_V4,
  NFT_POSTRTG_V6,
  SUBNET_V4,
  SUBNET_V6,
} from './__fixtures__/flannel-golden.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
let counter = 0;

async function inNs(ns: string, command: string, ...args: string[]): Promise<string> {
  return (await run('ip', ['netns', 'exec', ns, command, ...args])).stdout;
}

/** flannel e2e `iptablesNatFlannel`: FLANNEL lines of `-S POSTROUTING`, then `-S FLANNEL-POSTRTG`. */
async function natFlannel(ns: string, bin: string): Promise<string> {
  const post = (await inNs(ns, bin, '-t', 'nat', '-S', 'POSTROUTING')).trimEnd().split('\n').filter((line) => line.includes('FLANNEL'));
  const chain = (await inNs(ns, bin, '-t', 'nat', '-S', 'FLANNEL-POSTRTG')).trimEnd().split('\n');
  return [...post, ...chain].join('\n');
}

/** flannel e2e `iptablesFilterForward`: `-S FORWARD`, then `-S FLANNEL-FWD`. */
async function filterForward(ns: string, bin: string): Promise<string> {
  return `${(await inNs(ns, bin, '-t', 'filter', '-S', 'FORWARD')).trimEnd()}\n${(await inNs(ns, bin, '-t', 'filter', '-S', 'FLANNEL-FWD')).trimEnd()}`;
}

describe.skipIf(!isRoot)('traffic rules in a network namespace (needs root)', () => {
  let ns = '';
  let controller = new AbortController();
  const manager = (options: Omit<TrafficManagerOptions, 'runner'>): TrafficManager =>
    createTrafficManager({ ...options, runner: createExecRunner({ netns: ns }) });

  beforeEach(async () => {
    counter += 1;
    ns = `trr-${process.pid % 100000}-${counter}`;
    controller = new AbortController();
    await run('ip', ['netns', 'add', ns]);
  });

  afterEach(async () => {
    controller.abort();
    await run('ip', ['netns', 'del', ns]);
  });

  // Getters: each test has its own AbortController, which stops the periodic resync when the test ends.
  const masqSetup = { network: NETWORK_V4, subnet: SUBNET_V4, ipv6Network: NETWORK_V6, ipv6Subnet: SUBNET_V6 };
  const forwardSetup = { network: NETWORK_V4, ipv6Network: NETWORK_V6 };
  const dualStack = {
    get masq() {
      return { ...masqSetup, signal: controller.signal };
    },
    get forward() {
      return { ...forwardSetup, signal: controller.signal };
    },
  };

  it('iptables: installs exactly flannel golden rules (IPv4 and IPv6)', async () => {
    const iptables = manager({ mode: 'iptables' });
    await iptables.init();
    await iptables.setupAndEnsureMasqRules(dualStack.masq);
    await iptables.setupAndEnsureForwardRules(dualStack.forward);
    expect(await natFlannel(ns, 'iptables')).toBe(IPTABLES_NAT_V4);
    expect(await natFlannel(ns, 'ip6tables')).toBe(IPTABLES_NAT_V6);
    expect(await filterForward(ns, 'iptables')).toBe(IPTABLES_FILTER_V4);
    expect(await filterForward(ns, 'ip6tables')).toBe(IPTABLES_FILTER_V6);
    // A restart (second setup) keeps one copy of everything.
    await iptables.setupAndEnsureMasqRules(dualStack.masq);
    await iptables.setupAndEnsureForwardRules(dualStack.forward);
    expect(await natFlannel(ns, 'iptables')).toBe(IPTABLES_NAT_V4);
    expect(await filterForward(ns, 'ip6tables')).toBe(IPTABLES_FILTER_V6);
  });

  it('iptables: a deleted rule is detected and the set recreated in order', async () => {
    const iptables = manager({ mode: 'iptables' });
    await iptables.setupAndEnsureMasqRules(dualStack.masq);
    await iptables.setupAndEnsureForwardRules(dualStack.forward);
    expect(await iptables.resyncNow()).toBe(0);
    await inNs(ns, 'iptables', '-t', 'nat', '-D', 'FLANNEL-POSTRTG', '-s', SUBNET_V4, '-d', NETWORK_V4, '-m', 'comment', '--comment', 'flanneld masq', '-j', 'RETURN');
    await inNs(ns, 'ip6tables', '-t', 'filter', '-D', 'FORWARD', '-m', 'comment', '--comment', 'flanneld forward', '-j', 'FLANNEL-FWD');
    expect(await iptables.resyncNow()).toBe(2);
    expect(await natFlannel(ns, 'iptables')).toBe(IPTABLES_NAT_V4);
    expect(await filterForward(ns, 'ip6tables')).toBe(IPTABLES_FILTER_V6);
  });

  it('iptables: a changed network or subnet removes the old masquerade rules', async () => {
    const iptables = manager({ mode: 'iptables' });
    await iptables.setupAndEnsureMasqRules({ network: '10.9.0.0/16', subnet: '10.9.3.0/24', ipv6Network: 'fd00:99::/56', ipv6Subnet: 'fd00:99:0:3::/64', signal: controller.signal });
    await iptables.setupAndEnsureMasqRules({
      ...dualStack.masq,
      previousNetwork: '10.9.0.0/16',
      previousSubnet: '10.9.3.1/24',
      previousIPv6Network: 'fd00:99::/56',
      previousIPv6Subnet: 'fd00:99:0:3::1/64',
    });
    expect(await natFlannel(ns, 'iptables')).toBe(IPTABLES_NAT_V4);
    expect(await natFlannel(ns, 'ip6tables')).toBe(IPTABLES_NAT_V6);
  });

  it('iptables-legacy: installs exactly flannel golden rules', async () => {
    const legacy = manager({
      mode: 'iptables',
      iptablesCommands: {
        4: { iptables: 'iptables-legacy', restore: 'iptables-legacy-restore', save: 'iptables-legacy-save' },
        6: { iptables: 'ip6tables-legacy', restore: 'ip6tables-legacy-restore', save: 'ip6tables-legacy-save' },
      },
    });
    await legacy.setupAndEnsureMasqRules(dualStack.masq);
    await legacy.setupAndEnsureForwardRules(dualStack.forward);
    expect(await natFlannel(ns, 'iptables-legacy')).toBe(IPTABLES_NAT_V4);
    expect(await filterForward(ns, 'ip6tables-legacy')).toBe(IPTABLES_FILTER_V6);
    await inNs(ns, 'iptables-legacy', '-t', 'nat', '-D', 'POSTROUTING', '-m', 'comment', '--comment', 'flanneld masq', '-j', 'FLANNEL-POSTRTG');
    expect(await legacy.resyncNow()).toBe(1);
    expect(await natFlannel(ns, 'iptables-legacy')).toBe(IPTABLES_NAT_V4);
    await legacy.cleanUp();
    expect(await inNs(ns, 'iptables-legacy-save')).not.toContain('FLANNEL');
  });

  it('nftables: installs exactly flannel golden chains (IPv4 and IPv6)', async () => {
    const nftables = manager({ mode: 'nftables' });
    await nftables.init();
    await nftables.setupAndEnsureMasqRules(dualStack.masq);
    await nftables.setupAndEnsureForwardRules(dualStack.forward);
    // nft 1.0.6 prints exactly flannel's golden text; no normalisation is applied.
    const chain = async (family: string, table: string, name: string): Promise<string> =>
      (await inNs(ns, 'nft', 'list', 'chain', family, table, name)).trimEnd();
    expect(await chain('ip', 'flannel-ipv4', 'postrtg')).toBe(NFT_POSTRTG_V4);
    expect(await chain('ip', 'flannel-ipv4', 'forward')).toBe(NFT_FORWARD_V4);
    expect(await chain('ip6', 'flannel-ipv6', 'postrtg')).toBe(NFT_POSTRTG_V6);
    expect(await chain('ip6', 'flannel-ipv6', 'forward')).toBe(NFT_FORWARD_V6);
    // The whole table: the table comment, then both chains in creation order; no probe chain left behind.
    const table = (await inNs(ns, 'nft', 'list', 'table', 'ip', 'flannel-ipv4')).trimEnd();
    const body = (golden: string): string => golden.split('\n').slice(1, -1).join('\n');
    expect(table).toBe(['table ip flannel-ipv4 {', '\tcomment "rules for flannel-ipv4"', body(NFT_POSTRTG_V4), '', body(NFT_FORWARD_V4), '}'].join('\n'));
    // A second setup (a restart, or a new subnet) flushes and refills: still exactly the golden chain.
    await nftables.setupAndEnsureMasqRules(dualStack.masq);
    expect(await chain('ip', 'flannel-ipv4', 'postrtg')).toBe(NFT_POSTRTG_V4);
  });

  it('cleanup of the other mode removes its state', async () => {
    const iptables = manager({ mode: 'iptables' });
    const nftables = manager({ mode: 'nftables' });
    await iptables.setupAndEnsureMasqRules(dualStack.masq);
    await iptables.setupAndEnsureForwardRules(dualStack.forward);
    await nftables.init();
    await nftables.setupAndEnsureForwardRules(dualStack.forward);

    // Switching to nftables: flanneld cleans the iptables state.
    await nftables.cleanUpOtherMode();
    for (const bin of ['iptables-save', 'ip6tables-save']) expect(await inNs(ns, bin)).not.toContain('FLANNEL');
    // Switching back to iptables: the nftables tables go.
    await iptables.cleanUpOtherMode();
    expect(await inNs(ns, 'nft', 'list', 'tables')).not.toContain('flannel');
    // Cleaning what is already clean is quiet.
    await nftables.cleanUp();
    await iptables.cleanUp();
  });
});
