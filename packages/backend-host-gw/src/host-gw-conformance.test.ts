// The shared Backend conformance suite over a RecordingNetlink: no kernel, no timers.
import type { Lease } from '@flannel-ts/core';
import { passWaiters } from '@flannel-ts/core/testing';
import { testBackend } from '@flannel-ts/core/testing/vitest';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { createHostGwBackend } from './host-gw-backend.js';

/** Routes to `remote`'s subnet. */
function routesTo(commands: readonly string[], remote: Lease): number {
  return commands.filter((line) => line.split(' ').includes(remote.subnet!.toString())).length;
}

testBackend(
  'host-gw',
  () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24', 'fd00::1/64'] }] });
    const passes = passWaiters();
    return {
      createBackend: createHostGwBackend({
        netlink,
        // No periodic checks: passes come from lease events only.
        ticks: async function* (signal) {
          if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
          yield* [];
        },
        onReconcile: () => passes.notify(),
      }),
      state: () => netlink.toCommands(),
      remoteEntries: (remote) => routesTo(netlink.toCommands(), remote),
      nextPass: () => passes.next(),
      close: () => netlink.close(),
    };
  },
  { ipv6: true },
);
