// The shared Backend conformance suite over a RecordingNetlink and the recording WireGuard driver.
import type { Lease } from '@flannel-ts/core';
import { passWaiters } from '@flannel-ts/core/testing';
import { testBackend } from '@flannel-ts/core/testing/vitest';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import { createWireguardBackend } from './wireguard-backend.js';
import { encodeWireguardLeaseData } from './wireguard-lease-data.js';
import { WireguardSecretKey } from './wireguard-key.js';
import { createRecordingWireguardDriver, memoryKeyStore } from './testing/index.js';

testBackend(
  'wireguard',
  () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24', 'fd00::1/64'] }] });
    const driver = createRecordingWireguardDriver({ netlink });
    const passes = passWaiters();
    const keyStore = memoryKeyStore();
    return {
      createBackend: createWireguardBackend({ netlink, driver, keyStore, onBatch: () => passes.notify() }),
      remoteAttributes: (publicIP) => {
        const data = encodeWireguardLeaseData({ publicKey: WireguardSecretKey.generate().publicKey(), port: 51820 });
        return { publicIP, backendType: 'wireguard', backendData: data, backendV6Data: data, publicIPv6: 'fd00::2' };
      },
      state: () => [netlink.toCommands(), [...driver.devices.keys()]],
      remoteEntries: async (remote: Lease) => {
        let count = 0;
        for (const device of driver.devices.values()) count += device.peers.filter((peer) => peer.allowedIPs.includes(remote.subnet!.toString())).length;
        return count;
      },
      nextPass: () => passes.next(),
      close: () => netlink.close(),
    };
  },
  { ipv6: true, invalidBackendConfig: { config: { Type: 'wireguard', Mode: 'both' } } },
);
