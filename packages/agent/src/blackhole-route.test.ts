import { IpNet, silentLogger } from '@flannel-ts/core';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';
import { blackholeRoute, keepBlackholeRoutes } from './blackhole-route.js';

describe('keepBlackholeRoutes', () => {
  it('keeps a blackhole route for each own subnet, restoring it every period', async () => {
    const netlink = createRecordingNetlink();
    const controller = new AbortController();
    let periods = 0;
    const running = keepBlackholeRoutes({
      netlink,
      subnets: [IpNet.parse('10.5.72.0/24'), IpNet.parse('fd00:5:72::/64')],
      periodMs: 5_000,
      logger: silentLogger,
      signal: controller.signal,
      sleep: async (ms) => {
        expect(ms).toBe(5_000);
        periods += 1;
        if (periods === 1) await netlink.outside.deleteRoute(blackholeRoute(IpNet.parse('10.5.72.0/24')));
        if (periods === 2) controller.abort();
      },
    });
    await running;
    expect(netlink.toCommands()).toEqual(['ip route add blackhole 10.5.72.0/24', 'ip route add blackhole fd00:5:72::/64']);
    expect(netlink.callNames()).toEqual(['replaceRoute', 'replaceRoute', 'replaceRoute', 'replaceRoute']);
  });

  it('logs and carries on when the kernel refuses', async () => {
    const netlink = createRecordingNetlink();
    netlink.failNext({ operation: 'replaceRoute', errno: 'EPERM' });
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (_: unknown, message?: string) => void warnings.push(String(message)), child: () => logger };
    const controller = new AbortController();
    await keepBlackholeRoutes({ netlink, subnets: [IpNet.parse('10.5.72.0/24')], periodMs: 1, logger, signal: controller.signal, sleep: async () => controller.abort() });
    expect(warnings).toEqual(['could not add the blackhole route for 10.5.72.0/24']);
  });
});
