// On a kernel without WireGuard (these machines: "Unknown device type"), the automatic choice tries the
// kernel for real, gets its refusal, and runs wireguard-go instead.
import { createNetlink } from '@flannel-ts/netlink';
import { createLab, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import { describe, expect, it } from 'vitest';
import { createAutoWireguardDriver } from './auto-driver.js';
import { createKernelWireguardDriver } from './kernel-driver.js';
import { createWireguardGoDriver } from './wireguard-go-driver.js';
import { createRecordingGenetlink } from './testing/index.js';

describe.skipIf(!isRoot())(`automatic WireGuard driver on this kernel ${rootSkipReason() ?? ''}`, () => {
  it('uses the kernel module when present, else falls back to wireguard-go', async () => {
    await using lab = await createLab({ hosts: 1 });
    const host = lab.hosts[0]!;
    const netlink = await createNetlink({ netns: { name: host.netns } });
    try {
      const kernel = createKernelWireguardDriver({ netlink, genetlink: createRecordingGenetlink({ families: { wireguard: 1 } }) });
      const userspace = createWireguardGoDriver({ netlink, mountNamespace: 'private', commandPrefix: ['ip', 'netns', 'exec', host.netns] });
      const auto = createAutoWireguardDriver([kernel, userspace]);
      const device = await auto.createDevice('flannel-wg', 1420);
      const link = await netlink.getLink('flannel-wg');
      if (auto.chosen() === 'kernel') {
        expect(link.kind).toBe('wireguard');
      } else {
        expect(auto.chosen()).toBe('wireguard-go');
        expect({ kind: link.kind, mtu: link.mtu }).toEqual({ kind: 'tun', mtu: 1420 });
        expect((await device.read()).peers).toEqual([]);
      }
      await device.remove();
      expect(await netlink.findLink('flannel-wg')).toBeUndefined();
    } finally {
      await netlink.close();
    }
  });
});
