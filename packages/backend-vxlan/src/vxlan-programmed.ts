// The incremental fast path: what a vxlan network believes it has programmed on one device (seeded by a
// full dump + diff), and the diff for just the subnets a lease event touched, taken against that model
// instead of a fresh kernel dump.
import type { Family } from '@flannel-ts/netlink';
import type { Lease } from '@flannel-ts/core';
import { diffVxlanState } from './vxlan-state.js';
import type { VxlanDesiredState, VxlanPeer, VxlanStateDiff } from './vxlan-state.js';

/** What a vxlan network believes it has programmed on one device, keyed by remote subnet (`VxlanPeer.subnet`). */
export type VxlanProgrammed = Map<string, VxlanPeer>;

/**
 * The key a lease's entries on a device of `family` are filed under: its subnet of that family as text
 * (the same text as `VxlanPeer.subnet`), or `undefined` when the lease has none.
 *
 * @example
 * ```ts
 * vxlanPeerKey(lease, 4); // '10.5.34.0/24'
 * ```
 */
export function vxlanPeerKey(lease: Lease, family: Family): string | undefined {
  return (family === 6 ? lease.ipv6Subnet : lease.subnet)?.toString();
}

/**
 * The diff for the `subnets` a lease event touched, against the programmed model instead of the kernel.
 * `desired` must hold the desired state of those subnets only (`desiredVxlanState` over their current
 * leases). A stale FDB entry or neighbour still used by another programmed peer (two leases with one
 * VTEP MAC) is kept, as a full pass would keep it.
 *
 * @example
 * ```ts
 * const desired = desiredVxlanState([joined], device);
 * await applyVxlanDiff(netlink, diffVxlanPeers(desired, programmed, ['10.5.34.0/24']), logger);
 * ```
 */
export function diffVxlanPeers(
  desired: VxlanDesiredState,
  programmed: ReadonlyMap<string, VxlanPeer>,
  subnets: Iterable<string>,
): VxlanStateDiff {
  const changed = new Set(subnets);
  const neighbours = [];
  const fdb = [];
  const routes = [];
  for (const subnet of changed) {
    const peer = programmed.get(subnet);
    if (peer === undefined) continue;
    if (peer.neighbour !== undefined) neighbours.push(peer.neighbour);
    if (peer.fdb !== undefined) fdb.push(peer.fdb);
    routes.push(peer.route);
  }
  const diff = diffVxlanState(desired, { neighbours, fdb, routes });
  if (diff.staleFdb.length === 0 && diff.staleNeighbours.length === 0) return diff;
  // Each stale entry (one or two per event) is looked up in the rest of the model without building an
  // index of it: under churn this runs for every event, and a Set of every peer's MAC and address per event
  // was most of what the daemon allocated (bench/churn.ts).
  return {
    ...diff,
    staleFdb: diff.staleFdb.filter((entry) => !usedElsewhere(programmed, changed, entry.hardwareAddress.toLowerCase(), fdbMac)),
    staleNeighbours: diff.staleNeighbours.filter((entry) => !usedElsewhere(programmed, changed, entry.address, neighbourAddress)),
  };
}

const fdbMac = (peer: VxlanPeer): string | undefined => peer.fdb?.hardwareAddress.toLowerCase();
const neighbourAddress = (peer: VxlanPeer): string | undefined => peer.neighbour?.address;

/** Whether a programmed peer outside `changed` still uses `value` (its MAC or neighbour address); allocates nothing per peer. */
function usedElsewhere(
  programmed: ReadonlyMap<string, VxlanPeer>,
  changed: ReadonlySet<string>,
  value: string,
  read: (peer: VxlanPeer) => string | undefined,
): boolean {
  let used = false;
  programmed.forEach((peer, subnet) => {
    if (!used && read(peer) === value && !changed.has(subnet)) used = true;
  });
  return used;
}
