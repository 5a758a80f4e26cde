import type { Logger } from '@flannel-ts/core';
import type { BatchResult, Netlink, NetlinkOperation } from '@flannel-ts/netlink';
import type { VxlanStateDiff } from './vxlan-state.js';

/** Most operations per `Netlink.batch` call (a peer's operations always go in the same call). */
export const VXLAN_BATCH_SIZE = 512;

/** What {@link applyVxlanDiff} did. */
export interface VxlanApplyResult {
  /** Operations sent. */
  readonly operations: number;
  /** Operations the kernel refused. */
  readonly failed: number;
  /** Subnets of the peers that were rolled back (a refused operation); the next pass retries them. */
  readonly failedPeers: readonly string[];
}

/** Receives the results of one group of operations: `results[at]` is the first one's. */
type Settle = (results: readonly BatchResult[], at: number) => void;

/**
 * Streams groups of operations into `Netlink.batch` calls of at most `size` operations, a group never split
 * across two calls; each group's results are handed to its {@link Settle} as soon as its call returns, and the
 * call's operations, requests and results are garbage once it is settled. So memory stays bounded by `size`
 * whatever the diff holds.
 */
class ChunkedBatch {
  private operations: NetlinkOperation[] = [];
  private settlers: Array<{ readonly at: number; readonly settle: Settle }> = [];

  constructor(
    private readonly netlink: Pick<Netlink, 'batch'>,
    private readonly size: number,
  ) {}

  async add(operations: readonly NetlinkOperation[], settle: Settle): Promise<void> {
    if (this.operations.length > 0 && this.operations.length + operations.length > this.size) await this.flush();
    this.settlers.push({ at: this.operations.length, settle });
    for (const operation of operations) this.operations.push(operation);
  }

  async flush(): Promise<void> {
    if (this.operations.length === 0) return;
    const { operations, settlers } = this;
    this.operations = [];
    this.settlers = [];
    const results = await this.netlink.batch(operations);
    for (const { at, settle } of settlers) settle(results, at);
  }
}

/**
 * Applies a diff through `Netlink.batch` calls of at most {@link VXLAN_BATCH_SIZE} operations, streamed in
 * the diff's order (stale routes, then each peer's neighbour → FDB → route, then stale FDB entries, then
 * stale neighbours; a peer's operations always share one call). A peer with a refused operation is rolled
 * back (what was written for it is deleted again, as flannel removes the neighbour when the FDB entry fails
 * and both when the route fails) and logged at warn; the next pass retries it. Each programmed peer and
 * removed entry is logged at debug; one info line sums the pass up.
 *
 * @example
 * ```ts
 * const { failed } = await applyVxlanDiff(netlink, diffVxlanState(desired, actual), logger);
 * ```
 */
export async function applyVxlanDiff(netlink: Pick<Netlink, 'batch'>, diff: VxlanStateDiff, logger: Logger): Promise<VxlanApplyResult> {
  const chunks = new ChunkedBatch(netlink, VXLAN_BATCH_SIZE);
  const rollback: NetlinkOperation[] = [];
  const failedPeers: string[] = [];
  let operations = 0;
  let failed = 0;
  let programmed = 0;
  const removed = { routes: 0, fdb: 0, neighbours: 0 };

  const removeStale = async (operation: NetlinkOperation, kind: keyof typeof removed, what: string): Promise<void> => {
    operations += 1;
    await chunks.add([operation], (results, at) => {
      const result = results[at]!;
      if (result.ok) {
        removed[kind] += 1;
        logger.debug({ op: operation.op }, `removed ${what}`);
        return;
      }
      failed += 1;
      logger.warn({ op: operation.op, err: result.error }, `could not remove a stale entry: ${result.error.message}`);
    });
  };

  for (const route of diff.staleRoutes) {
    await removeStale({ op: 'deleteRoute', route }, 'routes', `the route to ${route.destination}`);
  }
  for (const peer of diff.peers) {
    if (peer.operations.length === 0) continue;
    operations += peer.operations.length;
    await chunks.add(peer.operations, (results, at) => {
      let refused = false;
      for (let i = 0; i < peer.operations.length; i += 1) {
        const result = results[at + i]!;
        if (result.ok) continue;
        failed += 1;
        if (!refused) failedPeers.push(peer.subnet);
        refused = true;
        const operation = peer.operations[i]!;
        logger.warn({ subnet: peer.subnet, op: operation.op, err: result.error }, `could not program ${peer.subnet}: ${operation.op}: ${result.error.message}`);
      }
      if (!refused) {
        programmed += 1;
        logger.debug({ subnet: peer.subnet }, `programmed ${peer.subnet}`);
        return;
      }
      // Undone in reverse (the route before the neighbour); the whole list is reversed once at the end.
      for (let i = 0; i < peer.operations.length; i += 1) if (results[at + i]!.ok) rollback.push(undo(peer.operations[i]!));
    });
  }
  for (const entry of diff.staleFdb) await removeStale({ op: 'deleteFdb', entry }, 'fdb', `the FDB entry of ${entry.hardwareAddress}`);
  for (const neighbour of diff.staleNeighbours) await removeStale({ op: 'deleteNeighbour', neighbour }, 'neighbours', `the neighbour ${neighbour.address}`);
  await chunks.flush();

  if (operations > 0) {
    logger.info(
      { peers: programmed, failedPeers: failedPeers.length, staleRoutes: removed.routes, staleFdb: removed.fdb, staleNeighbours: removed.neighbours, operations, failed },
      `programmed ${programmed} peer(s)` +
        (failedPeers.length > 0 ? `, ${failedPeers.length} rolled back` : '') +
        (removed.routes + removed.fdb + removed.neighbours > 0 ? `; removed ${removed.routes} stale route(s), ${removed.fdb} FDB entr(ies), ${removed.neighbours} neighbour(s)` : ''),
    );
  }
  if (rollback.length > 0) {
    rollback.reverse();
    for (let start = 0; start < rollback.length; start += VXLAN_BATCH_SIZE) await netlink.batch(rollback.slice(start, start + VXLAN_BATCH_SIZE));
  }
  return { operations, failed, failedPeers };
}

function undo(operation: NetlinkOperation): NetlinkOperation {
  switch (operation.op) {
    case 'replaceNeighbour':
      return { op: 'deleteNeighbour', neighbour: operation.neighbour };
    case 'replaceFdb':
      return { op: 'deleteFdb', entry: operation.entry };
    case 'replaceRoute':
    case 'addRoute':
      return { op: 'deleteRoute', route: operation.route };
    default:
      return operation;
  }
}
