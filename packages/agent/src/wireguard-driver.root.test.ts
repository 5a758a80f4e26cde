// The daemon's WireGuard driver (what FLANNELD_BACKENDS.wireguard runs) on this machine's kernel: the kernel
// module when present, else wireguard-go; on a kernel without WireGuard no generic netlink socket stays open.
import { execFileSync } from 'node:child_process';
import { silentLogger } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { createWireguardBackend } from '@flannel-ts/backend-wireguard';
import { memoryKeyStore } from '@flannel-ts/backend-wireguard/testing';
import { createNetlink, openGenericNetlink } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { LabHost } from '@flannel-ts/testlab';
import { describe, expect, it } from 'vitest';
import { createDaemonWireguardDriver } from './wireguard-driver.js';

const hasWireguardGo = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v wireguard-go'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The daemon's driver in `host`'s namespace, telling `onSocket` when its generic netlink socket opens and closes. */
function driverIn(host: LabHost, netlink: Netlink, onSocket: (event: 'open' | 'close') => void): ReturnType<typeof createDaemonWireguardDriver> {
  return createDaemonWireguardDriver({
    netlink,
    logger: silentLogger,
    openGenericNetlink: () => {
      const socket = openGenericNetlink({ netns: { name: host.netns } });
      onSocket('open');
      return {
        ...socket,
        close: async () => {
          onSocket('close');
          await socket.close();
        },
      };
    },
    wireguardGo: { mountNamespace: 'private', commandPrefix: ['ip', 'netns', 'exec', host.netns] },
  });
}

describe.skipIf(!isRoot() || !hasWireguardGo)(`the daemon's WireGuard driver ${rootSkipReason() ?? (hasWireguardGo ? '' : '(skipped: wireguard-go missing; apt-get install wireguard-go)')}`, () => {
  it('uses the kernel module when present, else falls back to wireguard-go and closes its generic netlink socket', async () => {
    await using lab = await createLab({ hosts: 1 });
    const host = lab.hosts[0]!;
    const netlink = await createNetlink({ netns: { name: host.netns } });
    const sockets: string[] = [];
    try {
      const driver = driverIn(host, netlink, (event) => sockets.push(event));
      const device = await driver.createDevice('flannel-wg', 1420);
      const link = await netlink.getLink('flannel-wg');
      if (driver.chosen() === 'kernel') {
        expect(link.kind).toBe('wireguard');
        expect(sockets).toEqual(['open']);
        expect((await device.read()).peers).toEqual([]);
      } else {
        expect(driver.chosen()).toBe('wireguard-go');
        expect({ kind: link.kind, mtu: link.mtu }).toEqual({ kind: 'tun', mtu: 1420 });
        // The kernel refused the link type (or had no family): no socket left open.
        expect(sockets.filter((each) => each === 'open').length).toBe(sockets.filter((each) => each === 'close').length);
        expect((await device.read()).peers).toEqual([]);
      }
      await device.remove();
      expect(await netlink.findLink('flannel-wg')).toBeUndefined();
    } finally {
      await netlink.close();
    }
  });

  // The daemon closes a network that never ran when start-up fails after registering (runDaemon's finally):
  // the device goes as on a normal shutdown, and the driver's socket closes.
  it('deletes the devices of a registered network that never ran when it is closed', async () => {
    await using lab = await createLab({ hosts: 1 });
    const host = lab.hosts[0]!;
    const netlink = await createNetlink({ netns: { name: host.netns } });
    let openSockets = 0;
    try {
      const driver = driverIn(host, netlink, (event) => (openSockets += event === 'open' ? 1 : -1));
      const manager = createMemorySubnetManager({ config: '{"Network":"10.5.0.0/16","Backend":{"Type":"wireguard"}}' });
      const config = await manager.getNetworkConfig();
      const underlay = await netlink.getLink(host.ifname);
      const backend = await createWireguardBackend({ netlink, driver, keyStore: memoryKeyStore(), logger: silentLogger })({
        subnetManager: manager,
        externalInterface: { name: underlay.name, index: underlay.index, mtu: underlay.mtu, address: host.address },
        logger: silentLogger,
      });
      const network = await backend.registerNetwork({ config });
      expect(await netlink.findLink('flannel-wg')).toBeDefined();
      await network.close?.();
      expect(await netlink.findLink('flannel-wg')).toBeUndefined();
      expect(openSockets).toBe(0);
      await manager.close();
    } finally {
      await netlink.close();
    }
  });
});
