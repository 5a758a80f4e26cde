// A start-up that fails (or is stopped) after the backend registered its network must leave the host as a
// normal shutdown does: the daemon closes the network that never ran, and wireguard's devices and udp's TUN
// go, as they go when a running network's signal aborts (flannel: pkg/backend/wireguard/device.go removes
// the devices when the daemon's context ends, which main.go cancels on a failed start-up).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlannelError, silentLogger } from '@flannel-ts/core';
import type { BackendFactory } from '@flannel-ts/core';
import { createMemorySubnetManager } from '@flannel-ts/core/testing';
import { createUdpBackend } from '@flannel-ts/backend-udp';
import { createRecordingUdpBoundaries } from '@flannel-ts/backend-udp/testing';
import { createWireguardBackend } from '@flannel-ts/backend-wireguard';
import { createRecordingWireguardDriver, memoryKeyStore } from '@flannel-ts/backend-wireguard/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { RecordingNetlink } from '@flannel-ts/netlink/testing';
import type { TrafficManager } from '@flannel-ts/traffic-rules';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentOptions } from './agent-options.js';
import { runDaemon } from './run-daemon.js';
import type { RunDaemonDependencies } from './run-daemon.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'flannel-ts-teardown-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface Kernel {
  readonly netlink: RecordingNetlink;
  /** Creates the backend under test over the shared fakes. */
  readonly backend: BackendFactory;
  /** Device names the backend holds in the fakes (wireguard devices, open TUNs). */
  readonly devices: () => string[];
}

/** A host with eth0 and a default route through it (the daemon picks eth0 as flanneld would). */
const hostNetlink = (): RecordingNetlink =>
  createRecordingNetlink({
    links: [{ name: 'eth0', mtu: 1500, addresses: ['192.168.1.10/24'] }],
    routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 2 }],
  });

const KERNELS: Record<'wireguard' | 'udp', () => Kernel> = {
  wireguard: () => {
    const netlink = hostNetlink();
    const driver = createRecordingWireguardDriver({ netlink });
    return { netlink, backend: createWireguardBackend({ netlink, driver, keyStore: memoryKeyStore() }), devices: () => [...driver.devices.keys()] };
  },
  udp: () => {
    const netlink = hostNetlink();
    const fakes = createRecordingUdpBoundaries({ netlink });
    return { netlink, backend: createUdpBackend({ netlink, ...fakes }), devices: () => [...fakes.openTuns] };
  },
};

function trafficManager(masq: () => Promise<void>): TrafficManager {
  return {
    mode: 'iptables',
    init: async () => {},
    cleanUp: async () => {},
    cleanUpOtherMode: async () => {},
    setupAndEnsureMasqRules: masq,
    setupAndEnsureForwardRules: async () => {},
    resyncNow: async () => 0,
  };
}

/** Runs the daemon over `kernel` with `--ip-masq`, the masquerade step doing `masq`; returns its exit status. */
async function daemon(type: 'wireguard' | 'udp', kernel: Kernel, controller: AbortController, masq: () => Promise<void>): Promise<number> {
  const manager = createMemorySubnetManager({ config: JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: type } }), random: () => 0 });
  const dependencies: RunDaemonDependencies = {
    createSubnetManager: () => manager,
    createNetlink: () => Object.create(kernel.netlink, { close: { value: async () => {} } }) as RecordingNetlink,
    backends: { [type]: { create: () => kernel.backend } },
    createTrafficManager: () => trafficManager(masq),
    pathExists: async () => true,
    sleep: async () => {},
    logger: silentLogger,
    signal: controller.signal,
    notifySystemd: async () => {},
  };
  return runDaemon(agentOptions({ subnetFile: join(directory, 'subnet.env'), ipMasq: true }), dependencies);
}

describe('runDaemon after a registered network', () => {
  describe.each(['wireguard', 'udp'] as const)('%s', (type) => {
    it('removes the devices when a later start-up step fails (exit 1)', async () => {
      const kernel = KERNELS[type]();
      const before = kernel.netlink.toCommands();
      let registered: string[] = [];
      const status = await daemon(type, kernel, new AbortController(), async () => {
        registered = kernel.devices();
        throw new FlannelError('TRAFFIC_RULES_FAILED', 'iptables-restore: exit status 4');
      });
      expect(status).toBe(1);
      expect(registered).not.toEqual([]);
      expect(kernel.devices()).toEqual([]);
      expect(kernel.netlink.toCommands()).toEqual(before);
    });

    it('removes the devices when stopped before the network runs (exit 0)', async () => {
      const kernel = KERNELS[type]();
      const before = kernel.netlink.toCommands();
      const controller = new AbortController();
      const status = await daemon(type, kernel, controller, async () => {
        controller.abort();
        throw new FlannelError('ABORTED', 'stopped');
      });
      expect(status).toBe(0);
      expect(kernel.devices()).toEqual([]);
      expect(kernel.netlink.toCommands()).toEqual(before);
    });
  });
});
