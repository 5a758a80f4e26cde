// Turns the lease watch a backend consumes into peer and renewal events, without touching the contract:
// the agent hands the backend a SubnetManager that forwards every call and, on the way, compares what
// the watch yields with the peers already reported. Several watches (dual-stack, a restarted watch) see
// the same leases; the shared map reports each change once.
import type { Lease, LeaseWatchResult, SubnetManager } from '@flannel-ts/core';
import type { AgentEmitter } from './agent-events.js';

const keyOf = (lease: Lease): string => `${lease.subnet?.toString() ?? '-'} ${lease.ipv6Subnet?.toString() ?? '-'}`;
const sameLease = (a: Lease, b: Lease): boolean =>
  JSON.stringify(a.attributes) === JSON.stringify(b.attributes) && a.subnet?.toString() === b.subnet?.toString() && a.ipv6Subnet?.toString() === b.ipv6Subnet?.toString();

/**
 * Wraps `subnetManager` so that the leases its watches yield become `peer-added`, `peer-removed` and
 * (for the own lease, once acquired through the wrapper) `lease-renewed` events on `events`.
 *
 * @example
 * ```ts
 * const observed = observeSubnetManager(subnetManager, events);
 * const backend = await factory({ subnetManager: observed, externalInterface, logger });
 * ```
 */
export function observeSubnetManager(subnetManager: SubnetManager, events: AgentEmitter): SubnetManager {
  const peers = new Map<string, Lease>();
  let own: Lease | undefined;
  const isOwn = (lease: Lease): boolean => own !== undefined && keyOf(lease) === keyOf(own);
  const added = (lease: Lease): void => {
    if (isOwn(lease)) {
      own = lease;
      events.emit('lease-renewed', lease);
      return;
    }
    const key = keyOf(lease);
    const known = peers.get(key);
    if (known !== undefined && sameLease(known, lease)) return;
    peers.set(key, lease);
    events.emit('peer-added', lease);
  };
  const removed = (lease: Lease): void => {
    const key = keyOf(lease);
    const known = peers.get(key);
    if (known === undefined) return;
    peers.delete(key);
    events.emit('peer-removed', known);
  };
  const observe = (result: LeaseWatchResult): void => {
    if (result.kind === 'events') {
      for (const event of result.events) (event.type === 'added' ? added : removed)(event.lease);
      return;
    }
    const present = new Set(result.leases.map(keyOf));
    for (const [key, lease] of [...peers]) if (!present.has(key)) removed(lease);
    for (const lease of result.leases) if (!isOwn(lease)) added(lease);
  };
  return {
    specificationVersion: subnetManager.specificationVersion,
    name: subnetManager.name,
    getNetworkConfig: (options) => subnetManager.getNetworkConfig(options),
    acquireLease: async (attributes, options) => {
      own = await subnetManager.acquireLease(attributes, options);
      return own;
    },
    renewLease: (lease, options) => subnetManager.renewLease(lease, options),
    watchLeases: (options) => ({
      async *[Symbol.asyncIterator]() {
        for await (const result of subnetManager.watchLeases(options)) {
          observe(result);
          yield result;
        }
      },
    }),
    ...(subnetManager.watchLease === undefined ? {} : { watchLease: observeOwn(subnetManager.watchLease.bind(subnetManager), (lease) => isOwn(lease) && added(lease)) }),
    completeLease: (lease, options) => subnetManager.completeLease(lease, options),
    getStoredNodeData: (options) => subnetManager.getStoredNodeData(options),
    close: () => subnetManager.close(),
  };
}

/** A single-lease watch (alloc's) that reports the own lease it shows (`lease-renewed`) and nothing about peers. */
function observeOwn(watchLease: NonNullable<SubnetManager['watchLease']>, seen: (lease: Lease) => void): NonNullable<SubnetManager['watchLease']> {
  return (lease, options) => ({
    async *[Symbol.asyncIterator]() {
      for await (const result of watchLease(lease, options)) {
        if (result.kind === 'snapshot') result.leases.forEach(seen);
        else for (const event of result.events) if (event.type === 'added') seen(event.lease);
        yield result;
      }
    },
  });
}
