// The shared Backend conformance suite over a RecordingNetlink: no kernel, no timers.
import type { Lease } from '@flannel-ts/core';
import { passWaiters } from '@flannel-ts/core/testing';
import { testBackend } from '@flannel-ts/core/testing/vitest';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { createVxlanBackend } from './vxlan-backend.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';

/** Kernel entries naming `remote` (its subnet, subnet address or PublicIP): neighbour, FDB entry, route. */
function entriesFor(commands: readonly string[], remote: Lease): number {
  const names = new Set([remote.subnet!.toString(), remote.subnet!.address, remote.attributes.publicIP]);
  return commands.filter((line) => line.split(' ').some((word) => names.has(word))).length;
}

testBackend(
  'vxlan',
  () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24', 'fd00::1/64'] }] });
    const passes = passWaiters();
    return {
      createBackend: createVxlanBackend({
        netlink,
        random: (size) => new Uint8Array(size).fill(0x12),
        writeSysctl: async () => undefined,
        // No periodic checks: passes come from lease events only.
        ticks: async function* (signal) {
          if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          yield* [];
        },
        onReconcile: () => passes.notify(),
      }),
      remoteAttributes: (publicIP) => ({
        publicIP,
        backendType: 'vxlan',
        backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: 'aa:aa:aa:aa:aa:02' }),
      }),
      state: () => netlink.toCommands(),
      remoteEntries: (remote) => entriesFor(netlink.toCommands(), remote),
      nextPass: () => passes.next(),
      close: () => netlink.close(),
    };
  },
  { backendConfig: { Type: 'vxlan', VNI: 1 }, invalidBackendConfig: { config: { Type: 'vxlan', VNI: -1 } }, ipv6: true },
);
