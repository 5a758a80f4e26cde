import type { Logger } from '@flannel-ts/core';
import type { BatchResult, Netlink, NetlinkOperation } from '@flannel-ts/netlink';
import { vxlanDiffOperations } from './vxlan-state.js';
import type { VxlanStateDiff } from './vxlan-state.js';

/** Operations per `Netlink.batch` call. */
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

/**
 * Applies a diff through `Netlink.batch` in windows of {@link VXLAN_BATCH_SIZE}. A peer with a refused
 * operation is rolled back (what was written for it is deleted again, as flannel removes the neighbour
 * when the FDB entry fails and both when the route fails) and logged; the next pass retries it.
 *
 * @example
 * ```ts
 * const { failed } = await applyVxlanDiff(netlink, diffVxlanState(desired, actual), logger);
 * ```
 */
export async function applyVxlanDiff(netlink: Pick<Netlink, 'batch'>, diff: VxlanStateDiff, logger: Logger): Promise<VxlanApplyResult> {
  const flat = vxlanDiffOperations(diff);
  if (flat.length === 0) return { operations: 0, failed: 0, failedPeers: [] };
  const results: BatchResult[] = [];
  for (let start = 0; start < flat.length; start += VXLAN_BATCH_SIZE) {
    results.push(...(await netlink.batch(flat.slice(start, start + VXLAN_BATCH_SIZE))));
  }
  const rollback: NetlinkOperation[] = [];
  const failedPeers: string[] = [];
  // Peers follow the stale routes in `flat`; walk each peer's range of results to roll a failed one back.
  let offset = diff.staleRoutes.length;
  for (const peer of diff.peers) {
    const at = offset;
    offset += peer.operations.length;
    let refused = false;
    for (let i = 0; i < peer.operations.length; i += 1) {
      const result = results[at + i];
      if (result === undefined || result.ok) continue;
      if (!refused) failedPeers.push(peer.subnet);
      refused = true;
      const operation = peer.operations[i]!;
      logger.warn({ subnet: peer.subnet, op: operation.op, err: result.error }, `could not program ${peer.subnet}: ${operation.op}: ${result.error.message}`);
    }
    if (!refused) {
      logger.info({ subnet: peer.subnet, operations: peer.operations.map((operation) => operation.op) }, `programmed ${peer.subnet}`);
      continue;
    }
    peer.operations.forEach((operation, i) => {
      if (results[at + i]?.ok === true) rollback.unshift(undo(operation));
    });
  }
  diff.staleRoutes.forEach((route, i) => {
    if (results[i]?.ok === true) logger.info({ destination: route.destination }, `removed the route to ${route.destination}`);
  });
  let failed = 0;
  results.forEach((result, i) => {
    if (result.ok) return;
    failed += 1;
    const operation = flat[i]!;
    if (operation.op.startsWith('delete')) logger.warn({ op: operation.op, err: result.error }, `could not remove a stale entry: ${result.error.message}`);
  });
  if (rollback.length > 0) await netlink.batch(rollback);
  return { operations: flat.length, failed, failedPeers };
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
