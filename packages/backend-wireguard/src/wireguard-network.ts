// The running half of a wireguard network: lease events from core's watchLeaseEvents become peer changes
// (one UAPI/genetlink set per change), each remembered per remote subnet so an unchanged lease (a
// renewal, a re-snapshot) sends nothing. A removed lease removes its peer by public key, a lease whose
// key changed replaces the old peer. After adds the network route(s) are re-asserted, as flannel does.
// When the signal aborts the devices are deleted (flannel deletes them on shutdown); `close()` then closes
// the driver's generic netlink socket (the daemon calls it once `run` has ended). A network that never ran
// (start-up failed after registering, or was stopped) has its devices deleted by `close()`: flannel ties
// their removal to the daemon's context, which a failed start-up cancels too
// (pkg/backend/wireguard/device.go, main.go). Leases are untrusted:
// only those that pass core's lease rules and win their conflicts become peers (watchScreenedLeaseEvents),
// and a PublicKey is a conflict key per device (wireguardConflictKeys): WireGuard knows a peer by its key,
// so two leases naming one key would move that peer's allowed-ips back and forth, and a lease naming this
// node's own key is refused. flanneld checks neither
// (pkg/backend/wireguard/wireguard_network.go handleSubnetEvents).
import { watchScreenedLeaseEvents } from '@flannel-ts/core';
import type { Lease, LeaseEvent, LeaseRules, Logger, Network, SubnetManager } from '@flannel-ts/core';
import type { Netlink, Route } from '@flannel-ts/netlink';
import type { WireguardDevice } from './wireguard-device.js';
import type { WireguardPublicKey, WireguardSecretKey } from './wireguard-key.js';
import type { DesiredWireguardPeer, WireguardDeviceRole, WireguardLocal } from './wireguard-peers.js';
import { wireguardConflictKeys } from './wireguard-lease-data.js';
import { wireguardLeasePeers } from './wireguard-peers.js';

/** The rtnetlink operations of a running wireguard network. */
export type WireguardNetworkNetlink = Pick<Netlink, 'replaceRoute'>;

/** What one batch of lease events did. */
export interface WireguardBatchReport {
  readonly peersSet: number;
  readonly peersRemoved: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Options of {@link createWireguardNetwork}. */
export interface WireguardNetworkOptions {
  readonly subnetManager: SubnetManager;
  readonly netlink: WireguardNetworkNetlink;
  readonly logger: Logger;
  readonly lease: Lease;
  readonly mtu: number;
  readonly local: WireguardLocal;
  /** Devices by role: `v4`/`v6` in separate mode, `single` otherwise. */
  readonly devices: Partial<Record<WireguardDeviceRole, WireguardDevice>>;
  readonly presharedKey?: WireguardSecretKey;
  readonly persistentKeepaliveInterval: number;
  /** The network routes re-asserted after adds (`<Network> dev flannel-wg scope link`). */
  readonly routes: readonly Route[];
  readonly onBatch?: (report: WireguardBatchReport) => void;
  /** What remote leases must meet before they become peers (core's `leaseRulesFor(config, lease)`); default: the own lease only. */
  readonly leaseRules?: LeaseRules;
  /** Least time between two re-assertions of an overwritten own lease; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
  /** The network's `close()`: releases the driver's connections (the kernel driver's generic netlink socket). */
  readonly close?: () => Promise<void>;
}

interface AppliedPeer {
  readonly publicKey: WireguardPublicKey;
  readonly fingerprint: string;
}

function fingerprint(peer: DesiredWireguardPeer): string {
  return `${peer.publicKey.toString()}|${peer.endpoint}|${peer.allowedIPs.join(',')}`;
}

function slotOf(lease: Lease, role: WireguardDeviceRole): string {
  return `${role}|${lease.subnet?.toString() ?? ''}|${lease.ipv6Subnet?.toString() ?? ''}`;
}

/** Creates the running half of a wireguard network. */
export function createWireguardNetwork(options: WireguardNetworkOptions): Network {
  const { logger, devices } = options;
  let started = false;
  let devicesRemoved = false;
  const removeDevices = async (): Promise<void> => {
    if (devicesRemoved) return;
    devicesRemoved = true;
    for (const device of Object.values(devices)) {
      await device.remove().catch((error: unknown) => logger.error({ device: device.name, err: error }, `error while removing device: ${(error as Error).message}`));
      logger.info({ device: device.name }, `removed wireguard device ${device.name}`);
    }
  };
  return {
    lease: options.lease,
    mtu: options.mtu,
    async close() {
      // Devices first, while the driver is still whole (its `close()` releases connections, devices stay).
      if (!started) await removeDevices();
      await options.close?.();
    },
    async run(signal) {
      started = true;
      const applied = new Map<string, AppliedPeer>();
      const report = { peersSet: 0, peersRemoved: 0, failed: 0, skipped: 0 };
      const removePeer = async (role: WireguardDeviceRole, publicKey: WireguardPublicKey): Promise<void> => {
        const device = devices[role];
        if (device === undefined) return;
        try {
          await device.configure({ peers: [{ publicKey, remove: true }] });
          report.peersRemoved += 1;
          logger.info({ device: device.name, peer: publicKey.toString() }, 'peer removed');
        } catch (error) {
          report.failed += 1;
          logger.error({ device: device.name, peer: publicKey.toString(), err: error }, `failed to remove peer: ${(error as Error).message}`);
        }
      };
      const added = async (lease: Lease): Promise<boolean> => {
        const { peers, problems } = wireguardLeasePeers(lease, options.local);
        const fields = { subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), publicIP: lease.attributes.publicIP };
        for (const problem of problems) logger.error(fields, `ignoring part of a wireguard lease: ${problem}`);
        let changed = false;
        for (const peer of peers) {
          const device = devices[peer.role];
          if (device === undefined) continue;
          const slot = slotOf(lease, peer.role);
          const before = applied.get(slot);
          const print = fingerprint(peer);
          if (before?.fingerprint === print) {
            report.skipped += 1;
            continue;
          }
          if (before !== undefined && !before.publicKey.equals(peer.publicKey)) await removePeer(peer.role, before.publicKey);
          try {
            await device.configure({
              peers: [
                {
                  publicKey: peer.publicKey,
                  ...(options.presharedKey ? { presharedKey: options.presharedKey } : {}),
                  endpoint: peer.endpoint,
                  persistentKeepaliveInterval: options.persistentKeepaliveInterval,
                  replaceAllowedIPs: true,
                  allowedIPs: peer.allowedIPs,
                },
              ],
            });
            applied.set(slot, { publicKey: peer.publicKey, fingerprint: print });
            report.peersSet += 1;
            changed = true;
            logger.info({ ...fields, device: device.name, endpoint: peer.endpoint, allowedIPs: peer.allowedIPs }, 'subnet added');
          } catch (error) {
            applied.delete(slot);
            report.failed += 1;
            logger.error({ ...fields, device: device.name, err: error }, `failed to set up peer ${peer.publicKey.toString()}: ${(error as Error).message}`);
          }
        }
        return changed;
      };
      const removed = async (lease: Lease): Promise<void> => {
        for (const role of ['v4', 'v6', 'single'] as const) {
          const slot = slotOf(lease, role);
          const before = applied.get(slot);
          if (before !== undefined) {
            applied.delete(slot);
            await removePeer(role, before.publicKey);
            continue;
          }
          // Never configured here (e.g. before a restart): remove by the key the lease names.
          const { peers } = wireguardLeasePeers(lease, options.local);
          for (const peer of peers) if (peer.role === role) await removePeer(role, peer.publicKey);
        }
        logger.info({ subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString() }, 'subnet removed');
      };
      const handle = async (event: LeaseEvent): Promise<boolean> => {
        if (event.lease.attributes.backendType !== 'wireguard') {
          report.skipped += 1;
          logger.warn({ subnet: event.lease.subnet?.toString(), backendType: event.lease.attributes.backendType }, `ignoring non-wireguard subnet: type=${event.lease.attributes.backendType ?? ''}`);
          return false;
        }
        if (event.type === 'added') return added(event.lease);
        await removed(event.lease);
        return false;
      };
      try {
        const batches = watchScreenedLeaseEvents({
          subnetManager: options.subnetManager,
          lease: options.lease,
          signal,
          logger,
          conflictKeys: (lease: Lease) => wireguardConflictKeys(lease, options.local.mode),
          ...(options.leaseRules === undefined ? {} : { leaseRules: options.leaseRules }),
          ...(options.reassertIntervalMs === undefined ? {} : { reassertIntervalMs: options.reassertIntervalMs }),
        });
        for await (const batch of batches) {
          Object.assign(report, { peersSet: 0, peersRemoved: 0, failed: 0, skipped: 0 });
          let anyAdded = false;
          for (const event of batch) anyAdded = (await handle(event)) || anyAdded;
          if (anyAdded) {
            for (const route of options.routes) {
              await options.netlink.replaceRoute(route).catch((error: unknown) => {
                logger.error({ destination: route.destination, err: error }, `failed to add route to ${route.destination}: ${(error as Error).message}`);
              });
            }
          }
          options.onBatch?.({ ...report });
        }
      } catch (error) {
        if (!signal.aborted) throw error;
      } finally {
        await removeDevices();
      }
    },
  };
}
