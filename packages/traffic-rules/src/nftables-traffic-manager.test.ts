import { describe, expect, it } from 'vitest';
import { FlannelError } from '@flannel-ts/core';
import { createTrafficManager } from './create-traffic-manager.js';
import { createFakeRulesHost } from './testing/fake-rules-host.js';
import { NETWORK_V4, NETWORK_V6, SUBNET_V4, SUBNET_V6 } from './__fixtures__/flannel-golden.js';

describe('nftables traffic manager', () => {
  it('init creates both tables with flannel comments', async () => {
    const host = createFakeRulesHost();
    await createTrafficManager({ mode: 'nftables', runner: host.runner }).init();
    expect(host.calls).toEqual([
      { command: 'nft', args: ['-f', '-'], input: 'add table ip flannel-ipv4 { comment "rules for flannel-ipv4" ; }\n' },
      { command: 'nft', args: ['-f', '-'], input: 'add table ip6 flannel-ipv6 { comment "rules for flannel-ipv6" ; }\n' },
    ]);
  });

  it('probes fully-random once with nft --check, then installs each family in one transaction', async () => {
    const host = createFakeRulesHost();
    const manager = createTrafficManager({ mode: 'nftables', runner: host.runner });
    await manager.setupAndEnsureMasqRules({ network: NETWORK_V4, subnet: SUBNET_V4, ipv6Network: NETWORK_V6, ipv6Subnet: SUBNET_V6 });
    expect(host.calls.map((call) => call.args.join(' '))).toEqual(['--check -f -', '-f -', '-f -']);
    expect(host.calls[0]?.input).toContain('add rule ip flannel-ipv4 masqueradeTest ip saddr != 127.0.0.1 masquerade fully-random');
    expect(host.calls[1]?.input).toBe(
      'add table ip flannel-ipv4 { comment "rules for flannel-ipv4" ; }\n' +
        'add chain ip flannel-ipv4 postrtg { type nat hook postrouting priority srcnat ; comment "chain to manage traffic masquerading by flannel" ; }\n' +
        'flush chain ip flannel-ipv4 postrtg\n' +
        'add rule ip flannel-ipv4 postrtg meta mark 0x4000 return\n' +
        'add rule ip flannel-ipv4 postrtg ip saddr 10.42.1.0/24 ip daddr 10.42.0.0/16 return\n' +
        'add rule ip flannel-ipv4 postrtg ip saddr 10.42.0.0/16 ip daddr 10.42.1.0/24 return\n' +
        'add rule ip flannel-ipv4 postrtg ip saddr != 10.42.1.0/24 ip daddr 10.42.0.0/16 return\n' +
        'add rule ip flannel-ipv4 postrtg ip saddr 10.42.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random\n' +
        'add rule ip flannel-ipv4 postrtg ip saddr != 10.42.0.0/16 ip daddr 10.42.0.0/16 masquerade fully-random\n',
    );
    expect(host.calls[2]?.input).toContain('add rule ip6 flannel-ipv6 postrtg ip6 saddr fd00:10:244::/56 ip6 daddr != ff00::/8 masquerade fully-random\n');
    expect(await manager.resyncNow()).toBe(0);
  });

  it('falls back to plain masquerade when the probe fails', async () => {
    const host = createFakeRulesHost();
    host.failNext('nft', 'Error: Could not process rule: Invalid argument');
    await createTrafficManager({ mode: 'nftables', runner: host.runner }).setupAndEnsureMasqRules({ network: NETWORK_V4, subnet: SUBNET_V4 });
    expect(host.calls[1]?.input).not.toContain('fully-random');
    expect(host.calls[1]?.input).toContain('ip saddr != 10.42.0.0/16 ip daddr 10.42.0.0/16 masquerade\n');
  });

  it('installs forward rules', async () => {
    const host = createFakeRulesHost();
    await createTrafficManager({ mode: 'nftables', runner: host.runner }).setupAndEnsureForwardRules({ ipv6Network: NETWORK_V6 });
    expect(host.calls.map((call) => call.input)).toEqual([
      'add table ip6 flannel-ipv6 { comment "rules for flannel-ipv6" ; }\n' +
        'add chain ip6 flannel-ipv6 forward { type filter hook forward priority filter ; comment "chain to accept flannel traffic" ; }\n' +
        'flush chain ip6 flannel-ipv6 forward\n' +
        'add rule ip6 flannel-ipv6 forward ip6 saddr fd00:10:244::/56 accept\n' +
        'add rule ip6 flannel-ipv6 forward ip6 daddr fd00:10:244::/56 accept\n',
    ]);
  });

  it('fails with TRAFFIC_RULES_FAILED and nft stderr', async () => {
    const host = createFakeRulesHost();
    host.failNext('nft', 'Error: Could not process rule: Operation not supported');
    const error: unknown = await createTrafficManager({ mode: 'nftables', runner: host.runner })
      .setupAndEnsureForwardRules({ network: NETWORK_V4 })
      .catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'TRAFFIC_RULES_FAILED')).toBe(true);
    expect((error as Error).message).toContain('Operation not supported');
  });

  it('rejects bad input before running anything', async () => {
    const host = createFakeRulesHost();
    const manager = createTrafficManager({ mode: 'nftables', runner: host.runner });
    await expect(manager.setupAndEnsureMasqRules({ network: NETWORK_V4, subnet: 'banana' })).rejects.toThrow(
      'nftables masq rules: subnet "banana" is invalid',
    );
    await expect(manager.setupAndEnsureMasqRules({ ipv6Subnet: SUBNET_V6 })).rejects.toThrow('ipv6Network is required when ipv6Subnet is set');
    expect(host.calls).toEqual([]);
  });

  it('cleanUp deletes both tables and swallows "no such table"', async () => {
    const host = createFakeRulesHost();
    host.failNext('nft', 'Error: No such file or directory');
    await createTrafficManager({ mode: 'nftables', runner: host.runner }).cleanUp();
    expect(host.calls.map((call) => call.input)).toEqual(['delete table ip flannel-ipv4\n', 'delete table ip6 flannel-ipv6\n']);
  });

  it('cleanUpOtherMode removes the iptables chains', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    await createTrafficManager({ mode: 'iptables', runner: host.runner }).setupAndEnsureForwardRules({ network: NETWORK_V4, signal: controller.signal });
    controller.abort();
    await createTrafficManager({ mode: 'nftables', runner: host.runner }).cleanUpOtherMode();
    expect(host.rules(4, 'filter')).toEqual([]);
  });
});
