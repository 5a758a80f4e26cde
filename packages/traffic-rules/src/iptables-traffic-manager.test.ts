import { describe, expect, it } from 'vitest';
import { FlannelError, silentLogger, type Logger } from '@flannel-ts/core';
import { createTrafficManager } from './create-traffic-manager.js';
import { createFakeRulesHost } from './testing/fake-rules-host.js';
import {
  IPTABLES_FILTER_V4,
  IPTABLES_NAT_V4,
  IPTABLES_NAT_V6,
  NETWORK_V4,
  NETWORK_V6,
  SUBNET_V4,
  SUBNET_V6,
} from './__fixtures__/flannel-golden.js';

/** The fake's lines in the order flannel's e2e check prints them: jump(s), `-N`, then the chain. */
function natListing(lines: string[]): string {
  return [...lines.filter((line) => line.startsWith('-A POSTROUTING')), '-N FLANNEL-POSTRTG', ...lines.filter((line) => line.startsWith('-A FLANNEL-POSTRTG'))].join('\n');
}

function filterListing(lines: string[]): string {
  return ['-P FORWARD ACCEPT', ...lines.filter((line) => line.startsWith('-A FORWARD')), '-N FLANNEL-FWD', ...lines.filter((line) => line.startsWith('-A FLANNEL-FWD'))].join('\n');
}

function recordingLogger(onInfo: (message: string) => void): Logger {
  const logger: Logger = {
    ...silentLogger,
    info: (first: unknown, second?: unknown) => onInfo(typeof first === 'string' ? first : String(second)),
    child: () => logger,
  };
  return logger;
}

describe('iptables traffic manager', () => {
  it('installs flannel golden masquerade rules for both families, one iptables-restore each', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    await manager.init();
    await manager.setupAndEnsureMasqRules({
      network: NETWORK_V4,
      subnet: SUBNET_V4,
      ipv6Network: NETWORK_V6,
      ipv6Subnet: SUBNET_V6,
      signal: controller.signal,
    });
    controller.abort();
    expect(natListing(host.rules(4, 'nat'))).toBe(IPTABLES_NAT_V4);
    expect(natListing(host.rules(6, 'nat'))).toBe(IPTABLES_NAT_V6);
    const restores = host.calls.filter((call) => call.command.endsWith('-restore'));
    expect(restores.map((call) => [call.command, ...call.args].join(' '))).toEqual([
      'iptables-restore --noflush --wait',
      'ip6tables-restore --noflush --wait',
    ]);
  });

  it('installs flannel golden forward rules', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    await manager.setupAndEnsureForwardRules({ network: NETWORK_V4, signal: controller.signal });
    controller.abort();
    expect(filterListing(host.rules(4, 'filter'))).toBe(IPTABLES_FILTER_V4);
    expect(host.rules(6, 'filter')).toEqual([]);
  });

  it('is idempotent: a second setup leaves exactly one copy of every rule', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    const setup = { network: NETWORK_V4, subnet: SUBNET_V4, signal: controller.signal };
    await manager.setupAndEnsureMasqRules(setup);
    await manager.setupAndEnsureMasqRules(setup);
    controller.abort();
    expect(natListing(host.rules(4, 'nat'))).toBe(IPTABLES_NAT_V4);
  });

  it('omits --wait and --random-fully before iptables 1.6.2, and --random-fully when disabled', async () => {
    const old = createFakeRulesHost();
    old.version = 'iptables v1.6.1';
    const controller = new AbortController();
    await createTrafficManager({ mode: 'iptables', runner: old.runner }).setupAndEnsureMasqRules({
      network: NETWORK_V4,
      subnet: SUBNET_V4,
      signal: controller.signal,
    });
    expect(old.calls.find((call) => call.command === 'iptables-restore')?.args).toEqual(['--noflush']);
    expect(old.rules(4, 'nat').some((line) => line.includes('--random-fully'))).toBe(false);

    const disabled = createFakeRulesHost();
    await createTrafficManager({ mode: 'iptables', runner: disabled.runner }).setupAndEnsureMasqRules({
      network: NETWORK_V4,
      subnet: SUBNET_V4,
      randomFullyDisable: true,
      signal: controller.signal,
    });
    controller.abort();
    expect(disabled.rules(4, 'nat').filter((line) => line.endsWith('-j MASQUERADE'))).toHaveLength(2);
  });

  it('resync restores a deleted rule in flannel order and logs flannel message', async () => {
    const host = createFakeRulesHost();
    const messages: string[] = [];
    const controller = new AbortController();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner, logger: recordingLogger((m) => messages.push(m)) });
    await manager.setupAndEnsureMasqRules({ network: NETWORK_V4, subnet: SUBNET_V4, signal: controller.signal });
    await manager.setupAndEnsureForwardRules({ network: NETWORK_V4, signal: controller.signal });
    controller.abort();
    expect(await manager.resyncNow()).toBe(0);
    host.deleteRule(4, 'nat', '-A FLANNEL-POSTRTG -s 10.42.1.0/24 -d 10.42.0.0/16 -m comment --comment "flanneld masq" -j RETURN');
    expect(await manager.resyncNow()).toBe(1);
    expect(natListing(host.rules(4, 'nat'))).toBe(IPTABLES_NAT_V4);
    expect(messages).toContain('Some iptables rules are missing; deleting and recreating rules');
    expect(await manager.resyncNow()).toBe(0);
  });

  it('resyncs periodically until the signal aborts', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    let missing = false;
    let restored: () => void = () => {};
    const restoredOnce = new Promise<void>((resolve) => (restored = resolve));
    const manager = createTrafficManager({
      mode: 'iptables',
      runner: host.runner,
      logger: recordingLogger((message) => {
        if (message.startsWith('Some iptables rules are missing')) missing = true;
        if (missing && message === 'bootstrap done') restored();
      }),
    });
    await manager.setupAndEnsureForwardRules({ network: NETWORK_V4, resyncPeriodMs: 5, signal: controller.signal });
    host.deleteRule(4, 'filter', '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD');
    await restoredOnce;
    controller.abort();
    expect(filterListing(host.rules(4, 'filter'))).toBe(IPTABLES_FILTER_V4);
  });

  it('removes rules built from the previous network and subnet when either changed', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    await manager.setupAndEnsureMasqRules({ network: '10.9.0.0/16', subnet: '10.9.3.0/24', signal: controller.signal });
    await manager.setupAndEnsureMasqRules({
      network: NETWORK_V4,
      subnet: SUBNET_V4,
      previousNetwork: '10.9.0.0/16',
      previousSubnet: '10.9.3.1/24',
      signal: controller.signal,
    });
    controller.abort();
    expect(natListing(host.rules(4, 'nat'))).toBe(IPTABLES_NAT_V4);
    // The resync now guards the new set only: the old rules do not come back.
    expect(await manager.resyncNow()).toBe(0);
    expect(natListing(host.rules(4, 'nat'))).toBe(IPTABLES_NAT_V4);
  });

  it('rejects bad input before running anything', async () => {
    const host = createFakeRulesHost();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    await expect(
      manager.setupAndEnsureMasqRules({ network: NETWORK_V4, subnet: SUBNET_V4, ipv6Network: NETWORK_V6, ipv6Subnet: '10.1.0.0/24' }),
    ).rejects.toThrow('masq rules: ipv6Subnet "10.1.0.0/24" is invalid: must be an IPv6 CIDR like the network it goes with');
    await expect(manager.setupAndEnsureMasqRules({ network: NETWORK_V4 })).rejects.toThrow(
      'masq rules: subnet is required when network is set',
    );
    await expect(manager.setupAndEnsureForwardRules({ ipv6Network: NETWORK_V4 })).rejects.toThrow(
      'forward rules: ipv6Network "10.42.0.0/16" is invalid',
    );
    await expect(manager.setupAndEnsureForwardRules({ network: NETWORK_V4, resyncPeriodMs: 0 })).rejects.toThrow(
      'resyncPeriodMs 0 is invalid: must be a positive number',
    );
    expect(host.calls).toEqual([]);
  });

  it('turns a failing iptables-restore into TRAFFIC_RULES_FAILED carrying its stderr', async () => {
    const host = createFakeRulesHost();
    host.failNext('iptables-restore', 'iptables-restore: line 3 failed: Permission denied');
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    const error: unknown = await manager.setupAndEnsureForwardRules({ network: NETWORK_V4 }).catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'TRAFFIC_RULES_FAILED')).toBe(true);
    expect((error as Error).message).toContain('iptables-restore: line 3 failed: Permission denied');
    expect(host.rules(4, 'filter')).toEqual([]);
  });

  it('cleanUp removes chains and jumps of both families, leaving foreign rules', async () => {
    const host = createFakeRulesHost();
    const controller = new AbortController();
    const manager = createTrafficManager({ mode: 'iptables', runner: host.runner });
    await host.runner('iptables-restore', ['--noflush'], { input: '*nat\n-A POSTROUTING -j ACCEPT\nCOMMIT\n' });
    await manager.setupAndEnsureMasqRules({ network: NETWORK_V4, subnet: SUBNET_V4, ipv6Network: NETWORK_V6, ipv6Subnet: SUBNET_V6, signal: controller.signal });
    await manager.setupAndEnsureForwardRules({ network: NETWORK_V4, ipv6Network: NETWORK_V6, signal: controller.signal });
    controller.abort();
    await manager.cleanUp();
    expect(host.rules(4, 'nat')).toEqual(['-A POSTROUTING -j ACCEPT']);
    expect(host.rules(4, 'filter')).toEqual([]);
    expect(host.rules(6, 'nat')).toEqual([]);
    expect(host.rules(6, 'filter')).toEqual([]);
  });

  it('cleanUpOtherMode deletes the nftables tables', async () => {
    const host = createFakeRulesHost();
    await createTrafficManager({ mode: 'iptables', runner: host.runner }).cleanUpOtherMode();
    expect(host.calls.map((call) => call.input)).toEqual(['delete table ip flannel-ipv4\n', 'delete table ip6 flannel-ipv6\n']);
  });
});
