import type { Logger } from '@flannel-ts/core';
import { NetlinkNotFoundError } from '@flannel-ts/netlink';
import type { BatchResult, Netlink, NetlinkOperation } from '@flannel-ts/netlink';
import type { ChangeSummary, OnceLog } from '@flannel-ts/route-network';
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

/** How {@link applyVxlanDiff} reports, when a running network shares its logs across passes. */
export interface VxlanApplyLogging {
  /** Refusals are logged at warn once per subnet, operation and errno (then at debug) instead of at every pass. */
  readonly once?: OnceLog;
  /** Receives the pass's counts instead of an info line per apply. */
  readonly summary?: ChangeSummary;
  /** The pass kind, for the summary (a full pass is reported at once). */
  readonly mode?: 'full' | 'incremental';
}

/** One peer's operations, or the delete of one stale entry: what always goes in a single `Netlink.batch` call. */
type Group = VxlanStateDiff['peers'][number] | NetlinkOperation;

/** What an apply did so far; settles each group's results. */
class Outcome {
  operations = 0;
  failed = 0;
  programmed = 0;
  readonly removed = { routes: 0, fdb: 0, neighbours: 0 };
  readonly failedPeers: string[] = [];
  /** What to undo for rolled-back peers, in the order written (reversed once at the end). */
  readonly rollback: NetlinkOperation[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly once: OnceLog | undefined,
    /** A stale entry the kernel no longer has is what was wanted, not a failure (full passes; see applyVxlanDiff). */
    private readonly goneIsRemoved: boolean,
  ) {}

  settle(group: Group, results: readonly BatchResult[], at: number): void {
    if ('operations' in group) this.settlePeer(group, results, at);
    else this.settleStale(group, results[at]!);
  }

  private settleStale(operation: NetlinkOperation, result: BatchResult): void {
    if (!result.ok && this.goneIsRemoved && NetlinkNotFoundError.isInstance(result.error)) {
      this.logger.debug({ op: operation.op, err: result.error }, 'stale entry already gone');
      return;
    }
    if (!result.ok) {
      this.failed += 1;
      this.refused(`stale|${operation.op}|${result.error.message}`, { op: operation.op, err: result.error }, `could not remove a stale entry: ${result.error.message}`);
      return;
    }
    switch (operation.op) {
      case 'deleteRoute':
        this.removed.routes += 1;
        this.logger.debug({ op: operation.op }, `removed the route to ${operation.route.destination}`);
        break;
      case 'deleteFdb':
        this.removed.fdb += 1;
        this.logger.debug({ op: operation.op }, `removed the FDB entry of ${operation.entry.hardwareAddress}`);
        break;
      case 'deleteNeighbour':
        this.removed.neighbours += 1;
        this.logger.debug({ op: operation.op }, `removed the neighbour ${operation.neighbour.address}`);
        break;
      default:
        break;
    }
  }

  /** A refusal: at warn, or through the once-log (warn the first time, debug after) when there is one. */
  private refused(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.once === undefined) this.logger.warn(fields, message);
    else this.once.log(key, 'warn', fields, message);
  }

  private settlePeer(peer: VxlanStateDiff['peers'][number], results: readonly BatchResult[], at: number): void {
    let refused = false;
    for (let i = 0; i < peer.operations.length; i += 1) {
      const result = results[at + i]!;
      if (result.ok) continue;
      this.failed += 1;
      if (!refused) this.failedPeers.push(peer.subnet);
      refused = true;
      const operation = peer.operations[i]!;
      const errno = (result.error as { errnoName?: string }).errnoName ?? result.error.message;
      this.refused(`refused|${peer.subnet}|${operation.op}|${errno}`, { subnet: peer.subnet, op: operation.op, errno }, `could not program ${peer.subnet}: ${operation.op}: ${result.error.message}`);
    }
    if (!refused) {
      this.programmed += 1;
      this.logger.debug({ subnet: peer.subnet }, `programmed ${peer.subnet}`);
      return;
    }
    // Undone in reverse (the route before the neighbour); the whole list is reversed once at the end.
    for (let i = 0; i < peer.operations.length; i += 1) if (results[at + i]!.ok) this.rollback.push(undo(peer.operations[i]!));
  }
}

/**
 * Streams groups into `Netlink.batch` calls of at most `size` operations, a group never split across two calls;
 * each group is settled as soon as its call returns, and the call's operations, requests and results are garbage
 * once it is. So memory stays bounded by `size` whatever the diff holds.
 */
class ChunkedBatch {
  private operations: NetlinkOperation[] = [];
  /** The groups of the pending call, and where each one's operations start in it. */
  private groups: Group[] = [];
  private offsets: number[] = [];
  /** A group that did not fit the call just filled: the first of the next one. */
  private held: Group | undefined;

  constructor(
    private readonly netlink: Pick<Netlink, 'batch'>,
    private readonly size: number,
    private readonly outcome: Outcome,
  ) {}

  /**
   * Adds a group of `count` operations to the pending call (synchronous: no promise per group); true when the
   * call is full and must be flushed before the next group. A group that does not fit any more is held back and
   * goes first into the next call.
   */
  add(group: Group, count: number): boolean {
    this.outcome.operations += count;
    if (this.operations.length > 0 && this.operations.length + count > this.size) {
      this.held = group;
      return true;
    }
    this.push(group);
    return this.operations.length >= this.size;
  }

  private push(group: Group): void {
    this.groups.push(group);
    this.offsets.push(this.operations.length);
    if ('operations' in group) for (let i = 0; i < group.operations.length; i += 1) this.operations.push(group.operations[i]!);
    else this.operations.push(group);
  }

  /** Sends the pending call and settles its groups; a held-back group then starts the next call. */
  async flush(): Promise<void> {
    if (this.operations.length > 0) {
      const { operations, groups, offsets } = this;
      this.operations = [];
      this.groups = [];
      this.offsets = [];
      const results = await this.netlink.batch(operations);
      for (let i = 0; i < groups.length; i += 1) this.outcome.settle(groups[i]!, results, offsets[i]!);
    }
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) this.push(held);
  }
}

/**
 * Applies a diff through `Netlink.batch` calls of at most {@link VXLAN_BATCH_SIZE} operations, streamed in
 * the diff's order (stale routes, then each peer's neighbour → FDB → route, then stale FDB entries, then
 * stale neighbours; a peer's operations always share one call). A peer with a refused operation is rolled
 * back (what was written for it is deleted again, as flannel removes the neighbour when the FDB entry fails
 * and both when the route fails) and logged at warn; the next pass retries it. Each programmed peer and
 * removed entry is logged at debug; one info line sums the pass up (or, with `logging.summary`, the
 * running network's summary, at most once a minute for incremental passes). In a full pass a stale entry
 * the kernel no longer has (ENOENT, ESRCH, ENODEV) counts as removed: its dump may predate an incremental
 * pass that deleted it, or someone else did; in an incremental pass it is a failure, so a full pass follows.
 *
 * @example
 * ```ts
 * const { failed } = await applyVxlanDiff(netlink, diffVxlanState(desired, actual), logger);
 * ```
 */
export async function applyVxlanDiff(
  netlink: Pick<Netlink, 'batch'>,
  diff: VxlanStateDiff,
  logger: Logger,
  logging: VxlanApplyLogging = {},
): Promise<VxlanApplyResult> {
  const outcome = new Outcome(logger, logging.once, (logging.mode ?? 'full') === 'full');
  const chunks = new ChunkedBatch(netlink, VXLAN_BATCH_SIZE, outcome);
  // Plain loops (no generator step per group); `await` only when a call is full.
  for (const route of diff.staleRoutes) {
    if (chunks.add({ op: 'deleteRoute', route }, 1)) await chunks.flush();
  }
  for (let i = 0; i < diff.peers.length; i += 1) {
    const peer = diff.peers[i]!;
    if (peer.operations.length > 0 && chunks.add(peer, peer.operations.length)) await chunks.flush();
  }
  for (const entry of diff.staleFdb) {
    if (chunks.add({ op: 'deleteFdb', entry }, 1)) await chunks.flush();
  }
  for (const neighbour of diff.staleNeighbours) {
    if (chunks.add({ op: 'deleteNeighbour', neighbour }, 1)) await chunks.flush();
  }
  await chunks.flush();

  const { operations, failed, programmed, removed, failedPeers, rollback } = outcome;
  if (logging.summary !== undefined) {
    logging.summary.add(programmed, removed.routes + removed.fdb + removed.neighbours, logging.mode ?? 'full');
  } else if (operations > 0) {
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
