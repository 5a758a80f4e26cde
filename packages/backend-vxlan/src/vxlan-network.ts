// The event loop of a vxlan network. Lease events take the incremental fast path: the desired entries of
// just the changed subnets, diffed against the model of what this network has programmed, applied in one
// batch per burst of events. The periodic check, a snapshot, a deleted device and any failed incremental
// apply take the full path instead: re-read the kernel, recreate a deleted device, rewrite missing entries,
// remove stale ones and re-seed the model. The loop itself (watch, ticks, wake-ups, teardown) is
// core's runLeaseReconcileLoop; this file is what a pass does.
//
// flannel's vxlan network (pkg/backend/vxlan/vxlan_network.go) only handles lease events; the periodic full
// check is ours. So that lease events never wait for it (with 5,000 peers its dumps and diff took ~150 ms), a
// full pass is split (core's `splitFullPasses`): its read phase checks the devices and dumps their entries
// (a turn of the event loop between dumps lets lease events in) while incremental passes go on beside it,
// each recording what it writes in a KernelJournal; then
// `beginApply()` (no incremental from here until the pass ends), the leases are read, the journal is laid
// over the dump, and the diff is applied and re-seeds the model. The dumps are never held whole: each entry
// is filed as it is decoded, an unchanged one as the object the pass expected (vxlan-kernel-reader.ts).
import { runLeaseReconcileLoop } from '@flannel-ts/core';
import type { IpNet, Lease, LeaseReconcilePass, LeaseRules, Logger, Network, SubnetManager } from '@flannel-ts/core';
import type { Family, Netlink, Route } from '@flannel-ts/netlink';
import { ChangeSummary, KernelJournal, OnceLog, routeDestinationKey } from '@flannel-ts/route-network';
import { configureVxlanDevice, ensureVxlanDevice } from './vxlan-device.js';
import type { VxlanDeviceNetlink, VxlanDeviceSpec } from './vxlan-device.js';
import { applyVxlanDiff } from './vxlan-apply.js';
import { vxlanConflictKeys } from './vxlan-lease-data.js';
import { expectedVxlanEntries, VxlanKernelReader } from './vxlan-kernel-reader.js';
import type { VxlanExpectedEntries } from './vxlan-kernel-reader.js';
import { diffVxlanPeers, vxlanPeerKey } from './vxlan-programmed.js';
import type { VxlanProgrammed } from './vxlan-programmed.js';
import { desiredVxlanState, diffVxlanKernel, ownedVxlanEntries, vxlanDiffOperations } from './vxlan-state.js';
import type { DesiredVxlanOptions, VxlanDesiredState, VxlanKernelIndex, VxlanOwnership, VxlanPeer } from './vxlan-state.js';

/** One device's read phase: its entries keyed for the diff, and the peers the read expected (if it needed them). */
interface VxlanDeviceDump {
  readonly index: VxlanKernelIndex;
  readonly expected: VxlanExpectedEntries | undefined;
  /** DirectRouting: every route through the device or the external interface, narrowed once the desired set is known. */
  readonly routes?: readonly Route[];
}

/** Resolves after one turn of the event loop (pending I/O, such as a lease event, is handled first). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The netlink operations a running vxlan network needs. */
export type VxlanNetworkNetlink = VxlanDeviceNetlink &
  Pick<Netlink, 'listNeighbours' | 'listFdb' | 'listRoutes' | 'getRoute' | 'batch' | 'subscribe'>;

/** One device a vxlan network keeps: its spec and the address it carries. */
export interface VxlanNetworkDevice {
  readonly spec: VxlanDeviceSpec;
  /** `<lease subnet address>/32` (or `/128`). */
  readonly address: IpNet;
  /** The flannel network of this family (stale addresses inside it are removed; routes outside it are never owned). */
  readonly network?: IpNet;
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
  /**
   * `full`: kernel dump + diff (first pass, periodic check, device events, after a failure);
   * `incremental`: only the subnets of the lease events since the last pass, against the programmed model;
   * `devices`: the lease set is not known yet, only the devices were checked.
   */
  readonly mode: 'full' | 'incremental' | 'devices';
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
  /** What remote leases must meet before they are programmed (core's `leaseRulesFor`); default: the own lease only. */
  readonly leaseRules?: LeaseRules;
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
      const direct = new Map<string, boolean>();
      // Unusable leases are logged once per family, subnet and reason (the route network's OnceLog).
      const once = new OnceLog(logger);
      // Peer changes at info: a full pass's at once, incremental ones summarised at most once a minute.
      const summary = new ChangeSummary(logger, { what: 'vxlan peer(s) programmed' });
      // Per device (same order as options.devices): what it has programmed.
      const programmed: VxlanProgrammed[] = options.devices.map(() => new Map());
      // Per device, while a full pass reads the kernel: what incremental passes write meanwhile.
      let journals: KernelJournal[] | undefined;
      const names = new Set(options.devices.map((device) => device.spec.name));

      /** Yields when one of this network's devices is deleted: the next pass recreates it. */
      const deletedDevices = async function* (stopped: AbortSignal): AsyncIterable<void> {
        try {
          for await (const event of netlink.subscribe(['link'], { signal: stopped })) {
            if (event.type === 'dellink' && names.has(event.link.name)) {
              logger.warn({ device: event.link.name }, `${event.link.name} was deleted; recreating it`);
              yield;
            }
          }
        } catch (error) {
          if (!stopped.aborted) logger.warn({ err: error }, 'link events unavailable; relying on the periodic check');
        }
      };

      /** Full path (or, before the lease set is known, only the devices); a failed device is retried at the next wake. */
      const reconcile = async (pass: LeaseReconcilePass): Promise<VxlanReconcileReport> => {
        const recreated: string[] = [];
        let operations = 0;
        let failed = 0;
        let peers = 0;
        let firstError: Error | undefined;
        const failedOn = (device: VxlanNetworkDevice, error: unknown): void => {
          pass.requestFull();
          firstError ??= error as Error;
          logger.warn({ device: device.spec.name, err: error }, `reconciling ${device.spec.name} failed: ${(error as Error).message}; retrying at the next check`);
        };
        const leasesKnown = pass.kind !== 'before-leases';
        if (leasesKnown) journals = options.devices.map(() => new KernelJournal());
        try {
          // Read phase: incremental passes may run meanwhile (recorded in `journals`).
          const dumps: Array<VxlanDeviceDump | undefined> = [];
          for (const [i, device] of options.devices.entries()) {
            try {
              if (await ensureDevice(device)) recreated.push(device.spec.name);
              if (leasesKnown) dumps[i] = await readOwned(device, () => expectedFor(pass.leases, device, programmed[i]!));
            } catch (error) {
              failedOn(device, error);
            }
          }
          if (!leasesKnown) return { recreated, operations, failed, peers, mode: 'devices', ...(firstError ? { error: firstError } : {}) };
          // Apply phase: alone from here on; the leases are read now, after every incremental pass so far.
          await pass.beginApply?.();
          const written = journals!;
          journals = undefined;
          once.beginFullPass();
          const remote = pass.leases;
          for (const [i, device] of options.devices.entries()) {
            const dumped = dumps[i];
            if (dumped === undefined) continue;
            try {
              const result = await reconcileEntries(remote, device, programmed[i]!, dumped, written[i]!);
              operations += result.operations;
              failed += result.failed;
              peers += result.peers;
            } catch (error) {
              failedOn(device, error);
            }
          }
        } finally {
          journals = undefined;
        }
        // Forget logged leases no longer seen, unless a device failed before seeing every lease.
        if (firstError === undefined) once.endFullPass();
        return { recreated, operations, failed, peers, mode: 'full', ...(firstError ? { error: firstError } : {}) };
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

      const desiredOptions = (previous: ReadonlyMap<string, VxlanPeer> | undefined): DesiredVxlanOptions => ({
        isDirect: options.directRouting ? (ip) => direct.get(ip) === true : undefined,
        ...(previous === undefined ? {} : { previous }),
      });

      const desiredFor = (remote: readonly Lease[], device: VxlanNetworkDevice, previous?: ReadonlyMap<string, VxlanPeer>): VxlanDesiredState => {
        const family = device.spec.family;
        const desired = desiredVxlanState(remote, { family, index: device.index }, desiredOptions(previous));
        for (const { lease, reason, level } of desired.ignored) {
          const id = `${family}|${lease.subnet?.toString()}|${lease.ipv6Subnet?.toString()}|${reason}`;
          once.log(id, level, { subnet: (family === 6 ? lease.ipv6Subnet : lease.subnet)?.toString() }, `ignoring lease: ${reason}`);
        }
        return desired;
      };

      /**
       * Read phase: what the pass expects on `device`, from the leases as they stand now (an incremental may still
       * change them; the apply phase reads them again). Only used to drop dumped entries equal to it, so it need
       * not be final; unchanged peers are the model's objects, so at a periodic check it allocates next to nothing.
       */
      const expectedFor = (remote: readonly Lease[], device: VxlanNetworkDevice, model: VxlanProgrammed): VxlanExpectedEntries =>
        expectedVxlanEntries(desiredVxlanState(remote, { family: device.spec.family, index: device.index }, desiredOptions(model)).peers);

      /**
       * Full path, apply phase: every lease against the device's dump as incremental passes left it (`journal`),
       * applied, and the model re-seeded.
       */
      const reconcileEntries = async (remote: readonly Lease[], device: VxlanNetworkDevice, model: VxlanProgrammed, dumped: VxlanDeviceDump, journal: KernelJournal) => {
        const family = device.spec.family;
        if (options.directRouting) {
          pruneDirect(remote, family);
          await resolveDirect(remote, family);
        }
        // Unchanged peers are the read phase's expected objects again (the model's, or the ones the dumped entries
        // were filed as): nothing re-built, nothing promoted and dropped.
        const desired = desiredFor(remote, device, dumped.expected?.peers ?? model);
        model.clear();
        const actual = dumped.index;
        if (dumped.routes !== undefined) {
          for (const route of ownedVxlanEntries({ neighbours: [], fdb: [], routes: dumped.routes }, ownershipOf(device, desired)).routes) {
            actual.routes.set(routeDestinationKey(route.destination), route);
          }
        }
        journal.layOver(actual);
        const applied = await applyVxlanDiff(netlink, diffVxlanKernel(desired, actual), logger, { once, summary, mode: 'full' });
        const failedPeers = new Set(applied.failedPeers);
        for (const peer of desired.peers) if (!failedPeers.has(peer.subnet)) model.set(peer.subnet, peer);
        return { ...applied, peers: desired.peers.length };
      };

      /** Fast path: only the subnets changed since the last pass, diffed against the model, in one apply. */
      const applyChanges = async (pass: LeaseReconcilePass): Promise<VxlanReconcileReport> => {
        let operations = 0;
        let failed = 0;
        let firstError: Error | undefined;
        let retry = false;
        for (const [i, device] of options.devices.entries()) {
          // The subnets of this family the events touched, each with its latest lease (none: removed).
          const subnets = new Map<string, Lease | undefined>();
          for (const event of pass.events) {
            const key = vxlanPeerKey(event.lease, device.spec.family);
            if (key !== undefined) subnets.set(key, event.type === 'added' ? event.lease : undefined);
          }
          if (subnets.size === 0) continue;
          const model = programmed[i]!;
          const current = [...subnets.values()].filter((lease): lease is Lease => lease !== undefined);
          const keys = [...subnets.keys()];
          try {
            if (options.directRouting) await resolveDirect(current, device.spec.family);
            const desired = desiredFor(current, device);
            const diff = diffVxlanPeers(desired, model, keys);
            journals?.[i]?.record(vxlanDiffOperations(diff));
            const applied = await applyVxlanDiff(netlink, diff, logger, { once, summary, mode: 'incremental' });
            operations += applied.operations;
            failed += applied.failed;
            for (const key of keys) model.delete(key);
            for (const peer of desired.peers) model.set(peer.subnet, peer);
            if (applied.failed > 0) retry = true;
          } catch (error) {
            retry = true;
            firstError ??= error as Error;
            logger.warn({ device: device.spec.name, err: error }, `updating ${device.spec.name} failed: ${(error as Error).message}; running a full pass`);
          }
        }
        if (retry) {
          logger.debug({ failed }, 'incremental vxlan update failed; running a full pass');
          pass.requestFull();
        }
        return { recreated: [], operations, failed, peers: programmed.reduce((sum, model) => sum + model.size, 0), mode: 'incremental', ...(firstError ? { error: firstError } : {}) };
      };

      const pruneDirect = (remote: readonly Lease[], family: Family): void => {
        const current = new Set(remote.map((lease) => (family === 6 ? lease.attributes.publicIPv6 : lease.attributes.publicIP)));
        for (const ip of direct.keys()) if (!current.has(ip) && ip.includes(':') === (family === 6)) direct.delete(ip);
      };

      const resolveDirect = async (remote: readonly Lease[], family: Family): Promise<void> => {
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

      /**
       * Which entries of `device` are ours. With DirectRouting an unmarked route via a direct peer's PublicIP is ours
       * too, which only the desired set tells; without it (the read phase) every route through the external
       * interface is kept for now, and narrowed once the desired set is known.
       */
      const ownershipOf = (device: VxlanNetworkDevice, desired?: VxlanDesiredState): VxlanOwnership => {
        const knownGateways = new Set<string>();
        for (const peer of desired?.peers ?? []) if (peer.fdb === undefined) knownGateways.add(peer.publicIP);
        return {
          device: { family: device.spec.family, index: device.index },
          ...(options.directRouting ? { externalIndex: options.externalIndex, knownGateways } : {}),
          ...(device.network === undefined ? {} : { network: device.network }),
          ...(device.ownSubnet === undefined ? {} : { ownSubnet: device.ownSubnet }),
        };
      };

      /**
       * Read phase: the kernel's entries this device may own, each filed as its dump decodes it (an unchanged one
       * as the `expected` object), so no dump is held whole.
       */
      const readOwned = async (device: VxlanNetworkDevice, expect: () => VxlanExpectedEntries): Promise<VxlanDeviceDump> => {
        const { family } = device.spec;
        const { index } = device;
        const reader = new VxlanKernelReader(expect, ownershipOf(device));
        const external = options.directRouting ? options.externalIndex : undefined;
        // One dump after the other (a socket runs one at a time anyway), with a turn of the event loop between
        // them: a dump is read to its end without yielding, and lease events must get in for their incrementals.
        await netlink.listNeighbours({ family, index, visit: reader.neighbours });
        await turn();
        await netlink.listFdb({ index, visit: reader.fdb });
        await turn();
        if (external === undefined) {
          await netlink.listRoutes({ family, visit: reader.routes });
          return { index: reader.index, expected: reader.expected };
        }
        // DirectRouting: which routes through the external interface are ours depends on the desired set.
        const routes = (await netlink.listRoutes({ family })).filter((route) => route.index === index || route.index === external);
        return { index: reader.index, expected: reader.expected, routes };
      };

      // lease, subnetManager, logger, checkIntervalMs, ticks and onReconcile go to the loop as they are.
      await runLeaseReconcileLoop<VxlanReconcileReport>({
        ...options,
        signal,
        fullPassTriggers: [deletedDevices],
        // Before the lease set is known the devices are still checked (and recreated).
        passBeforeLeases: true,
        // Two leases publishing one VtepMAC would flip its FDB entry: the first in lease order keeps it.
        conflictKeys: vxlanConflictKeys,
        // Lease events do not wait for the periodic check's dumps (see the top of this file).
        splitFullPasses: true,
        pass: async (pass) => {
          const report = pass.kind === 'incremental' ? await applyChanges(pass) : await reconcile(pass);
          if (report.operations > 0 || report.recreated.length > 0) {
            logger.debug({ ...report, error: report.error?.message }, 'vxlan reconciled');
          }
          return report;
        },
      });
    },
  };
}
