// The shared Backend conformance suite over a RecordingNetlink and the recording TUN, socket and
// forwarder: no kernel, no threads.
import type { Lease } from '@flannel-ts/core';
import { passWaiters } from '@flannel-ts/core/testing';
import { testBackend } from '@flannel-ts/core/testing/vitest';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { createRecordingUdpBoundaries } from './testing/index.js';
import { createUdpBackend } from './udp-backend.js';

testBackend(
  'udp',
  () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
    const fakes = createRecordingUdpBoundaries({ netlink });
    const passes = passWaiters();
    return {
      createBackend: createUdpBackend({ netlink, ...fakes, onRoutes: () => passes.notify() }),
      state: () => [netlink.toCommands(), [...fakes.openTuns], [...fakes.openSockets]],
      remoteEntries: (remote: Lease) => fakes.routes().filter((line) => line.startsWith(`${remote.subnet!.toString()} `)).length,
      nextPass: () => passes.next(),
      remoteAttributes: (publicIP: string) => ({ publicIP }),
      // flannel's udp routes to leases of every backend type; what it cannot use is a PublicIP that goes nowhere.
      unusableRemoteAttributes: () => ({ publicIP: '0.0.0.0', backendType: 'no-such-backend', backendData: '{"not":"yours"' }),
      close: () => netlink.close(),
    };
  },
  { leaseBackendType: null, invalidBackendConfig: { config: { Type: 'udp', Port: 0 } } },
);
