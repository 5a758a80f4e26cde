// The run loop the backends (vxlan, host-gw) share: the lease watch through a LeaseWatcher, a periodic
// check and any other "re-check everything" triggers wake one loop that runs one reconcile pass at a
// time. Lease events after a full pass are handed over for an incremental pass; a snapshot, a trigger
// and a failed pass make the next pass full. What a pass does to the kernel is the backend's business.
//
// Split full passes (`splitFullPasses`): flannel has no periodic full check for vxlan
// (pkg/backend/vxlan/vxlan_network.go only handles lease events; pkg/backend/route_network.go re-adds routes
// every 10 s in a goroutine beside them), so ours must not delay lease events: with 5,000 peers its dump and diff
// took ~150 ms, and one join in ~70 waited for it. A split full pass reads the kernel first and then calls
// `pass.beginApply()`; until then the lease events that arrive get incremental passes of their own, one at a
// time, beside it. `beginApply()` waits for the incremental in flight and holds the next ones back until the
// full pass ends, so writes never interleave. The pass then reads `leases` (never before: an incremental may
// have programmed a newer set meanwhile, which a stale desired set would undo) and diffs them against its
// dump. The dump may or may not show what those incrementals changed, so the backend must take their writes
// over the dump (vxlan and route-network keep a `KernelJournal`, whose file says why the dump alone is not
// enough: a changed entry whose lease is gone by the apply phase); then an entry they added is at most
// rewritten (replace never fails with EEXIST), one they removed is not deleted again, and one they changed is
// diffed as it is now. Events that arrive during the apply phase wait for it (the next incremental diffs them
// against what the full pass programmed). A full pass after a snapshot (the first one included) is never
// split: it must see the whole new lease set alone.
import type { Lease, LeaseEvent } from './lease.js';
import { LeaseWatcher } from './lease-watcher.js';
import type { LeaseRules } from './lease-rules.js';
import { leaseDefences } from './screened-lease-events.js';
import type { Logger } from './logger.js';
import type { SubnetManager } from './subnet-manager.js';
import { intervalTicks } from './interval-ticks.js';
import { createWakeup } from './wakeup.js';

/**
 * Which pass the loop asks for:
 * - `before-leases`: the first lease snapshot has not arrived, so the lease set is unknown and nothing may
 *   be deleted (that would break a restart); only with `passBeforeLeases`.
 * - `full`: every known lease against a fresh read of the kernel (first pass after the snapshot, every
 *   snapshot, periodic check, trigger, and after a pass that called `requestFull`).
 * - `incremental`: only the lease events since the previous pass.
 */
export type LeaseReconcilePassKind = 'before-leases' | 'full' | 'incremental';

/** What one pass is given. */
export interface LeaseReconcilePass {
  readonly kind: LeaseReconcilePassKind;
  /**
   * The remote leases known now that may be programmed (own lease excluded, leases breaking the rules or
   * losing a conflict left out; empty before the first snapshot). Read it when needed: it follows the watch.
   */
  readonly leases: readonly Lease[];
  /** For `incremental`: the lease events since the previous pass, oldest first. Empty for the other kinds. */
  readonly events: readonly LeaseEvent[];
  /**
   * The pass left work undone: the next pass is full. After an `incremental` pass it runs at once;
   * after any other it waits for the next wake (lease event, periodic check, trigger).
   */
  requestFull(): void;
  /**
   * Ends the read phase of a split full pass (see {@link LeaseReconcileLoopOptions.splitFullPasses}): resolves once
   * the incremental pass in flight (if any) has finished, and no other starts until this pass ends. Read `leases`
   * only after it. Resolves at once in every other pass and on a second call. Always set by the loop; optional so
   * a pass built by hand (a test, a backend composing passes) need not provide it.
   */
  readonly beginApply?: () => Promise<void>;
}

/**
 * Options of {@link runLeaseReconcileLoop}. The names match the backends' own network options (`lease`,
 * `subnetManager`, `logger`, `checkIntervalMs`, `ticks`, `onReconcile`), so a backend can spread them in.
 */
export interface LeaseReconcileLoopOptions<Report> {
  /** The node's own lease (its events are dropped). */
  readonly lease: Lease;
  readonly subnetManager: SubnetManager;
  /** Stops the loop; it then resolves once every source has ended. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Periodic check interval, default 10 000 ms (flannel's route check). */
  readonly checkIntervalMs?: number;
  /** Replaces the periodic timer (tests push ticks by hand). Each item makes the next pass full. */
  readonly ticks?: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** More sources whose every item makes the next pass full (a deleted device…); a failing one is logged and dropped. */
  readonly fullPassTriggers?: ReadonlyArray<(signal: AbortSignal) => AsyncIterable<unknown>>;
  /** Run `before-leases` passes on wakes before the first snapshot. Default false: such wakes are skipped. */
  readonly passBeforeLeases?: boolean;
  /**
   * Full passes other than the first after a snapshot read the kernel first, then call `pass.beginApply()`;
   * lease events that arrive before that call get incremental passes at once, beside the full pass. Default
   * false: every pass runs alone (a pass that never calls `beginApply()` would otherwise overlap incrementals
   * throughout).
   */
  readonly splitFullPasses?: boolean;
  /** One reconcile pass. Should catch its own errors; a rejection is logged and makes the next pass full. */
  readonly pass: (pass: LeaseReconcilePass) => Promise<Report>;
  /** Called with the report of each pass that returned. */
  readonly onReconcile?: (report: Report) => void;
  /**
   * What remote leases are checked against (`leaseRulesFor` of the network config and the own lease).
   * Default: the own lease only (no overlap with it, no reuse of its PublicIP, unicast PublicIPs).
   */
  readonly leaseRules?: LeaseRules;
  /** Keys no two programmed leases may share besides their subnets (vxlan: the VtepMAC); see `LeaseScreen`. */
  readonly conflictKeys?: (lease: Lease) => readonly string[];
  /** Least time between two re-assertions of an overwritten own lease; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
}

/**
 * Runs a backend's reconcile loop until `signal` aborts, then waits for every source to end and
 * resolves. Rejects with the lease watch's error when the watch fails (after stopping everything).
 * Any number of wakes while a pass runs coalesce into one next pass. With `splitFullPasses`, incremental passes
 * also run during a full pass's read phase (until it calls `beginApply()`), one at a time.
 *
 * @example
 * ```ts
 * await runLeaseReconcileLoop({
 *   ...networkOptions, // lease, subnetManager, logger, ticks, onReconcile…
 *   signal,
 *   pass: async ({ kind, leases, events, requestFull }) =>
 *     kind === 'incremental' ? applyEvents(events, requestFull) : reconcileAll(leases, requestFull),
 * });
 * // Split full passes: read the kernel, then beginApply(), then the leases.
 * await runLeaseReconcileLoop({
 *   ...networkOptions,
 *   signal,
 *   splitFullPasses: true,
 *   pass: async (pass) => {
 *     if (pass.kind === 'incremental') return applyEvents(pass.events, pass.requestFull);
 *     const kernel = await dump();
 *     await pass.beginApply?.();
 *     return apply(diff(desired(pass.leases), kernel));
 *   },
 * });
 * ```
 */
export async function runLeaseReconcileLoop<Report>(options: LeaseReconcileLoopOptions<Report>): Promise<void> {
  const { signal, logger } = options;
  const inner = new AbortController();
  const stop = (): void => inner.abort();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  const wakeup = createWakeup();
  const watcher = new LeaseWatcher(options.lease);
  // Leases are untrusted: passes see only those that pass the rules and win their conflicts.
  const { screen, guard } = leaseDefences({ ...options, signal: inner.signal });
  // Before the first snapshot the lease set is unknown: deleting entries then would break a restart.
  let leasesKnown = false;
  let fullNeeded = true;
  // A snapshot arrived since the last full pass began: the next full pass is not split.
  let snapshotPending = false;
  let events: LeaseEvent[] = [];
  let failure: unknown;

  const watching = (async () => {
    try {
      for await (const result of options.subnetManager.watchLeases({ signal: inner.signal })) {
        // A snapshot's differences are not kept: the full pass it asks for reads every lease.
        guard.observe(result);
        if (result.kind === 'snapshot') {
          screen.update(watcher.reset(result.leases));
          fullNeeded = true;
          snapshotPending = true;
        } else {
          for (const event of screen.update(watcher.update(result.events))) events.push(event);
        }
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
  const trigger = async (source: (signal: AbortSignal) => AsyncIterable<unknown>, what: string): Promise<void> => {
    try {
      for await (const _ of source(inner.signal)) {
        fullNeeded = true;
        wakeup.notify();
      }
    } catch (error) {
      if (!inner.signal.aborted) logger.warn({ err: error }, `${what} stopped; relying on the other wake-ups`);
    }
  };
  const ticks = options.ticks ?? ((stopped: AbortSignal) => intervalTicks(options.checkIntervalMs ?? 10_000, stopped));
  const triggers = [
    trigger(ticks, 'periodic check'),
    ...(options.fullPassTriggers ?? []).map((source) => trigger(source, 'full-pass trigger')),
  ];

  const passOf = (kind: LeaseReconcilePassKind, taken: readonly LeaseEvent[], beginApply = async (): Promise<void> => undefined): LeaseReconcilePass => ({
    kind,
    get leases() {
      return screen.leases;
    },
    events: taken,
    requestFull() {
      fullNeeded = true;
      if (kind === 'incremental') wakeup.notify();
    },
    beginApply,
  });
  const run = async (pass: LeaseReconcilePass): Promise<void> => {
    let report: Report;
    try {
      report = await options.pass(pass);
    } catch (error) {
      fullNeeded = true;
      logger.warn({ err: error }, `reconcile pass failed: ${(error as Error).message}; retrying with a full pass`);
      return;
    }
    options.onReconcile?.(report);
  };
  const takeEvents = (): LeaseEvent[] => {
    const taken = events;
    events = [];
    return taken;
  };

  /** A split full pass, with incremental passes for the events that arrive during its read phase. */
  const runSplit = async (): Promise<void> => {
    const reading = new AbortController();
    const endReading = (): void => reading.abort();
    inner.signal.addEventListener('abort', endReading, { once: true });
    let incremental: Promise<void> = Promise.resolve();
    const full = run(passOf('full', [], async () => {
      // A dump read to its end never yields to the event loop (its netlink replies are drained in one go), so
      // a lease event that came in meanwhile is still unread: one turn lets it in, and its incremental start.
      if (!reading.signal.aborted) await new Promise<void>((resolve) => setImmediate(resolve));
      endReading();
      await incremental;
    })).finally(endReading);
    // A wake taken here but not served (a tick, a request for a full pass, events once reading ended) is handed
    // back to the main loop afterwards.
    let unserved = false;
    const beside = (async () => {
      for (;;) {
        const woke = await wakeup.wait(reading.signal);
        // After a snapshot the next full pass covers the events; the running one may not (it may have read leases).
        if (reading.signal.aborted || snapshotPending || events.length === 0) {
          unserved ||= woke;
          if (reading.signal.aborted) return;
          continue;
        }
        incremental = run(passOf('incremental', takeEvents()));
        await incremental;
      }
    })();
    try {
      await Promise.all([full, beside]);
    } finally {
      inner.signal.removeEventListener('abort', endReading);
    }
    if (unserved) wakeup.notify();
  };

  try {
    while (!inner.signal.aborted) {
      await wakeup.wait(inner.signal);
      if (inner.signal.aborted) break;
      if (!leasesKnown && options.passBeforeLeases !== true) continue;
      const kind: LeaseReconcilePassKind = !leasesKnown ? 'before-leases' : fullNeeded ? 'full' : 'incremental';
      // Everything so far is covered by this pass; whatever arrives during it goes to the next one.
      fullNeeded = !leasesKnown;
      const taken = takeEvents();
      if (kind !== 'full') {
        await run(passOf(kind, kind === 'incremental' ? taken : []));
        continue;
      }
      const split = options.splitFullPasses === true && !snapshotPending;
      snapshotPending = false;
      await (split ? runSplit() : run(passOf('full', [])));
    }
  } finally {
    stop();
    signal.removeEventListener('abort', stop);
    await Promise.allSettled([watching, ...triggers, guard.settled()]);
  }
  if (failure !== undefined) throw failure;
}
