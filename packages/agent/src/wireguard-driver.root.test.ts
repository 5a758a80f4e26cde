// The daemon's WireGuard driver (what FLANNELD_BACKENDS.wireguard runs) on this machine's kernel: the kernel
// module when present, else wireguard-go; on a kernel without WireGuard no generic netlink socket stays open.
import { execFileSync } from 'node:child_process';
import { silentLogger } from '@flannel-ts/core';
import { createNetlink, openGenericNetlink } from '@flannel-ts/netlink';
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
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

describe.skipIf(!isRoot() || !hasWireguardGo)(`the daemon's WireGuard driver ${rootSkipReason() ?? (hasWireguardGo ? '' : '(skipped: wireguard-go missing; apt-get install wireguard-go)')}`, () => {
  it('uses the kernel module when present, else falls back to wireguard-go and closes its generic netlink socket', async () => {
    await using lab = await createLab({ hosts: 1 });
    const host = lab.hosts[0]!;
    const netlink = await createNetlink({ netns: { name: host.netns } });
    const sockets: string[] = [];
    try {
      const driver = createDaemonWireguardDriver({
        netlink,
        logger: silentLogger,
        openGenericNetlink: () => {
          const socket = openGenericNetlink({ netns: { name: host.netns } });
          sockets.push('open');
          return { ...socket, close: async () => {
            sockets.push('close');
            await socket.close();
          } };
        },
        wireguardGo: { mountNamespace: 'private', commandPrefix: ['ip', 'netns', 'exec', host.netns] },
      });
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
});
