// The event loop of a vxlan network: lease events, a periodic check and link events all wake one
// reconcile loop that re-reads the kernel, recreates a deleted device and rewrites missing entries.
import { createWakeup, intervalTicks, LeaseWatcher } from '@flannel-ts/core';
import type { Lease, Logger, Network, SubnetManager, IpNet } from '@flannel-ts/core';
import type { Family, Netlink } from '@flannel-ts/netlink';
import { configureVxlanDevice, ensureVxlanDevice } from './vxlan-device.js';
import type { VxlanDeviceNetlink, VxlanDeviceSpec } from './vxlan-device.js';
import { applyVxlanDiff } from './vxlan-apply.js';
import { desiredVxlanState, diffVxlanState, ownedVxlanEntries } from './vxlan-state.js';
import type { VxlanKernelState } from './vxlan-state.js';

/** The netlink operations a running vxlan network needs. */
export type VxlanNetworkNetlink = VxlanDeviceNetlink &
  Pick<Netlink, 'listNeighbours' | 'listFdb' | 'listRoutes' | 'getRoute' | 'batch' | 'subscribe'>;

/** One device a vxlan network keeps: its spec and the address it carries. */
export interface VxlanNetworkDevice {
  readonly spec: VxlanDeviceSpec;
  /** `<lease subnet address>/32` (or `/128`). */
  readonly address: IpNet;
  /** The flannel network of this family (stale addresses inside it are removed; direct routes into it are owned). */
  readonly network?: IpNet;
  /** The lease prefix length of this family. */
  readonly subnetLength?: number;
  /** The node's own subnet of this family. */
  readonly ownSubnet?: IpNet;
  /** Current interface index (changes when the device is recreated). */
  index: number;
}

/** What one reconcile pass did (for logs, metrics and tests). */
export interface VxlanReconcileReport {
  /** Devices recreated during this pass. */
  readonly recreated: readonly string[];
  /** Operations sent to the kernel. */
  readonly operations: number;
  /** Operations the kernel refused. */
  readonly failed: number;
  /** Remote peers programmed, over all families. */
  readonly peers: number;
  /** Set when the pass stopped early; the next pass retries. */
  readonly error?: Error;
}

/** Options of {@link createVxlanNetwork}. */
export interface VxlanNetworkOptions {
  readonly netlink: VxlanNetworkNetlink;
  readonly subnetManager: SubnetManager;
  readonly logger: Logger;
  readonly lease: Lease;
  readonly mtu: number;
  readonly devices: readonly VxlanNetworkDevice[];
  readonly directRouting: boolean;
  /** Index of the external interface (DirectRouting routes go out through it). */
  readonly externalIndex: number;
  /** Periodic check interval, default 10 000 ms. */
  readonly checkIntervalMs?: number;
  /** Replaces the periodic timer (tests push ticks by hand). */
  readonly ticks?: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** Called after each reconcile pass. */
  readonly onReconcile?: (report: VxlanReconcileReport) => void;
  /** Called when a device was recreated, so the owner can redo per-device setup (sysctls). */
  readonly onDeviceRecreated?: (device: VxlanNetworkDevice) => Promise<void>;
}

/** Creates the running half of a vxlan network; `registerNetwork` has already set the devices up. */
export function createVxlanNetwork(options: VxlanNetworkOptions): Network {
  const { netlink, logger } = options;
  return {
    lease: options.lease,
    mtu: options.mtu,
    async run(signal) {
      const inner = new AbortController();
      const stop = (): void => inner.abort();
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) stop();
      const wakeup = createWakeup();
      const leases = new LeaseWatcher(options.lease);
      // Before the first snapshot the lease set is unknown: deleting entries then would break a restart.
      let leasesKnown = false;
      const direct = new Map<string, boolean>();
      const warned = new Set<string>();
      let failure: unknown;

      const watchLeases = (async () => {
        try {
          for await (const result of options.subnetManager.watchLeases({ signal: inner.signal })) {
            leases.apply(result);
            leasesKnown = true;
            wakeup.notify();
          }
        } catch (error) {
          if (!inner.signal.aborted) {
            failure ??= error;
            stop();
          }
        }
      })();
      const ticks = (async () => {
        const source = options.ticks?.(inner.signal) ?? intervalTicks(options.checkIntervalMs ?? 10_000, inner.signal);
        try {
          for await (const _ of source) wakeup.notify();
        } catch (error) {
          if (!inner.signal.aborted) logger.warn({ err: error }, 'periodic check stopped');
        }
      })();
      const names = new Set(options.devices.map((device) => device.spec.name));
      const watchLinks = (async () => {
        try {
          for await (const event of netlink.subscribe(['link'], { signal: inner.signal })) {
            if (event.type === 'dellink' && names.has(event.link.name)) {
              logger.warn({ device: event.link.name }, `${event.link.name} was deleted; recreating it`);
              wakeup.notify();
            }
          }
        } catch (error) {
          if (!inner.signal.aborted) logger.warn({ err: error }, 'link events unavailable; relying on the periodic check');
        }
      })();

      const reconcile = async (): Promise<VxlanReconcileReport> => {
        const recreated: string[] = [];
        let operations = 0;
        let failed = 0;
        let peers = 0;
        let firstError: Error | undefined;
        for (const device of options.devices) {
          try {
            if (await ensureDevice(device)) recreated.push(device.spec.name);
            if (!leasesKnown) continue;
            const result = await reconcileEntries(device);
            operations += result.operations;
            failed += result.failed;
            peers += result.peers;
          } catch (error) {
            firstError ??= error as Error;
            logger.warn({ device: device.spec.name, err: error }, `reconciling ${device.spec.name} failed: ${(error as Error).message}; retrying at the next check`);
          }
        }
        return { recreated, operations, failed, peers, ...(firstError ? { error: firstError } : {}) };
      };

      const ensureDevice = async (device: VxlanNetworkDevice): Promise<boolean> => {
        const { link, created } = await ensureVxlanDevice(netlink, device.spec, {
          fallbackMac: () => device.spec.hardwareAddress,
          logger,
          quiet: true,
        });
        device.index = link.index;
        await configureVxlanDevice(netlink, link, device.address, device.network);
        if (created) {
          logger.info({ device: device.spec.name, index: link.index }, `recreated ${device.spec.name}`);
          await options.onDeviceRecreated?.(device);
        }
        return created;
      };

      const reconcileEntries = async (device: VxlanNetworkDevice) => {
        const family = device.spec.family;
        const remote = leases.leases;
        if (options.directRouting) await resolveDirect(remote, family);
        const desired = desiredVxlanState(remote, { family, index: device.index }, {
          isDirect: options.directRouting ? (ip) => direct.get(ip) === true : undefined,
        });
        for (const { lease, reason, level } of desired.ignored) {
          const id = `${family}|${lease.subnet?.toString()}|${lease.ipv6Subnet?.toString()}|${reason}`;
          if (warned.has(id)) continue;
          warned.add(id);
          logger[level]({ subnet: (family === 6 ? lease.ipv6Subnet : lease.subnet)?.toString() }, `ignoring lease: ${reason}`);
        }
        const actual = ownedVxlanEntries(await readKernel(device.index, family), {
          device: { family, index: device.index },
          externalIndex: options.externalIndex,
          ...(device.network === undefined ? {} : { network: device.network }),
          ...(device.subnetLength === undefined ? {} : { subnetLength: device.subnetLength }),
          ...(device.ownSubnet === undefined ? {} : { ownSubnet: device.ownSubnet }),
        });
        const diff = diffVxlanState(desired, actual);
        const applied = await applyVxlanDiff(netlink, diff, logger);
        return { ...applied, peers: desired.peers.length };
      };

      const resolveDirect = async (remote: readonly Lease[], family: Family): Promise<void> => {
        const current = new Set(remote.map((lease) => (family === 6 ? lease.attributes.publicIPv6 : lease.attributes.publicIP)));
        for (const ip of direct.keys()) if (!current.has(ip) && ip.includes(':') === (family === 6)) direct.delete(ip);
        for (const lease of remote) {
          const ip = family === 6 ? lease.attributes.publicIPv6 : lease.attributes.publicIP;
          if (ip === undefined || direct.has(ip)) continue;
          try {
            const routes = await netlink.getRoute(ip);
            const isDirect = routes.length === 1 && routes[0]?.gateway === undefined;
            direct.set(ip, isDirect);
            logger.debug({ publicIP: ip, direct: isDirect }, 'direct routing check');
          } catch (error) {
            logger.debug({ publicIP: ip, err: error }, 'direct routing check failed; using the tunnel');
          }
        }
      };

      const readKernel = async (index: number, family: Family): Promise<VxlanKernelState> => {
        const [neighbours, fdb, routes] = await Promise.all([
          netlink.listNeighbours({ family, index }),
          netlink.listFdb({ index }),
          netlink.listRoutes({ family }),
        ]);
        return { neighbours, fdb, routes };
      };

      try {
        while (!inner.signal.aborted) {
          await wakeup.wait(inner.signal);
          if (inner.signal.aborted) break;
          const report = await reconcile();
          if (report.operations > 0 || report.recreated.length > 0) {
            logger.debug({ ...report, error: report.error?.message }, 'vxlan reconciled');
          }
          options.onReconcile?.(report);
        }
      } finally {
        stop();
        signal.removeEventListener('abort', stop);
        await Promise.allSettled([watchLeases, ticks, watchLinks]);
      }
      if (failure !== undefined) throw failure;
    },
  };
}
