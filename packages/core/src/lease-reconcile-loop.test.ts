import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseWatchResult } from './lease.js';
import { runLeaseReconcileLoop } from './lease-reconcile-loop.js';
import type { LeaseReconcileLoopOptions, LeaseReconcilePass, LeaseReconcilePassKind } from './lease-reconcile-loop.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { SubnetManager } from './subnet-manager.js';
import { createMemorySubnetManager } from './testing/memory-subnet-manager.js';
import { manualTicks } from './testing/manual-ticks.js';

const CONFIG = JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } });

interface Seen {
  readonly kind: LeaseReconcilePassKind;
  readonly leases: string[];
  readonly events: string[];
}

const subnetOf = (lease: Lease): string => lease.subnet?.toString() ?? '?';

/** Resolves once `predicate` holds, checking once per turn of the event loop (no timers). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

async function setup(overrides: Partial<LeaseReconcileLoopOptions<Seen>> & { gate?: boolean; initial?: string[] } = {}) {
  const manager = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
  const own = await manager.acquireLease({ publicIP: '192.168.1.1', backendType: 'vxlan' });
  const put = (subnet: string): Lease => manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP: '192.168.1.9', backendType: 'vxlan' } });
  for (const subnet of overrides.initial ?? []) put(subnet);
  const ticks = manualTicks();
  const seen: Seen[] = [];
  const waiters = new Set<() => void>();
  let behaviour: (pass: LeaseReconcilePass) => void = () => undefined;
  const controller = new AbortController();
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_fields: unknown, message?: string) => void warnings.push(message ?? '') } as Logger;
  // Holds the watch back until `open()` so tests can wake the loop before the first snapshot.
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const subnetManager: SubnetManager = {
    ...manager,
    async *watchLeases(options) {
      if (overrides.gate === true) await opened;
      yield* manager.watchLeases(options) as AsyncIterable<LeaseWatchResult>;
    },
  };
  const done = runLeaseReconcileLoop<Seen>({
    lease: own,
    subnetManager,
    signal: controller.signal,
    logger,
    ticks: (signal) => ticks.source(signal),
    pass: async (pass) => {
      const entry = { kind: pass.kind, leases: pass.leases.map(subnetOf), events: pass.events.map((event) => `${event.type} ${subnetOf(event.lease)}`) };
      behaviour(pass);
      return entry;
    },
    onReconcile: (report) => {
      seen.push(report);
      waiters.forEach((wake) => wake());
    },
    ...overrides,
  });
  /** Resolves once `count` reports in all have been seen. */
  const reports = (count: number): Promise<Seen[]> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (seen.length < count) return;
        waiters.delete(check);
        resolve(seen.slice());
      };
      waiters.add(check);
      check();
    });
  return {
    manager,
    ticks,
    seen,
    warnings,
    reports,
    put,
    open,
    done,
    behave(next: (pass: LeaseReconcilePass) => void): void {
      behaviour = next;
    },
    async stop(): Promise<void> {
      controller.abort();
      await done;
    },
  };
}

describe('runLeaseReconcileLoop', () => {
  it('runs a full pass over the remote leases once the first snapshot arrives', async () => {
    const h = await setup({ initial: ['10.5.34.0/24'] });
    const [first] = await h.reports(1);
    expect(first).toEqual({ kind: 'full', leases: ['10.5.34.0/24'], events: [] });
    await h.stop();
  });

  it('hands the lease events since the previous pass to an incremental pass, without the own lease', async () => {
    const h = await setup();
    await h.reports(1);
    h.put('10.5.34.0/24');
    const [, second] = await h.reports(2);
    expect(second).toEqual({ kind: 'incremental', leases: ['10.5.34.0/24'], events: ['added 10.5.34.0/24'] });
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    const [, , third] = await h.reports(3);
    expect(third).toEqual({ kind: 'incremental', leases: [], events: ['removed 10.5.34.0/24'] });
    await h.stop();
  });

  it('makes the pass after a periodic tick or a trigger full', async () => {
    const trigger = manualTicks();
    const h = await setup({ initial: ['10.5.34.0/24'], fullPassTriggers: [(signal) => trigger.source(signal)] });
    await h.reports(1);
    h.ticks.tick();
    expect((await h.reports(2))[1]).toEqual({ kind: 'full', leases: ['10.5.34.0/24'], events: [] });
    trigger.tick();
    expect((await h.reports(3))[2]?.kind).toBe('full');
    await h.stop();
  });

  it('runs a full pass at once after an incremental pass asks for one', async () => {
    const h = await setup();
    await h.reports(1);
    h.behave((pass) => {
      if (pass.kind === 'incremental') pass.requestFull();
    });
    h.put('10.5.34.0/24');
    const seen = await h.reports(3);
    expect(seen.map((report) => report.kind)).toEqual(['full', 'incremental', 'full']);
    await h.stop();
  });

  it('retries a full pass that asks for one at the next wake, not at once', async () => {
    const h = await setup();
    h.behave((pass) => {
      if (pass.kind === 'full' && h.seen.length === 0) pass.requestFull();
    });
    await h.reports(1);
    h.put('10.5.34.0/24');
    const seen = await h.reports(2);
    expect(seen.map((report) => report.kind)).toEqual(['full', 'full']);
    await h.stop();
    expect(h.seen.map((pass) => pass.kind)).toEqual(['full', 'full']);
  });

  it('skips wakes before the first snapshot by default', async () => {
    const h = await setup({ gate: true });
    h.ticks.tick();
    h.ticks.tick();
    h.open();
    const [first] = await h.reports(1);
    expect(first?.kind).toBe('full');
    await h.stop();
    expect(h.seen.map((report) => report.kind)).not.toContain('before-leases');
  });

  it('runs before-leases passes when asked, and keeps the first pass after the snapshot full', async () => {
    const h = await setup({ gate: true, passBeforeLeases: true });
    h.ticks.tick();
    const [first] = await h.reports(1);
    expect(first).toEqual({ kind: 'before-leases', leases: [], events: [] });
    h.open();
    const [, second] = await h.reports(2);
    expect(second?.kind).toBe('full');
    await h.stop();
  });

  it('logs a rejected pass and makes the next pass full', async () => {
    const h = await setup();
    await h.reports(1);
    h.behave((pass) => {
      if (pass.kind === 'incremental') throw new Error('boom');
    });
    h.put('10.5.34.0/24');
    await until(() => h.warnings.length > 0);
    expect(h.warnings[0]).toContain('boom');
    h.behave(() => undefined);
    h.put('10.5.35.0/24');
    expect((await h.reports(2))[1]?.kind).toBe('full');
    await h.stop();
  });

  it('logs a failing trigger and keeps running on the other wake-ups', async () => {
    const trigger = manualTicks();
    const h = await setup({ fullPassTriggers: [(signal) => trigger.source(signal)] });
    await h.reports(1);
    trigger.fail(new Error('no link events'));
    await until(() => h.warnings.length > 0);
    expect(h.warnings).toEqual(['full-pass trigger stopped; relying on the other wake-ups']);
    h.put('10.5.34.0/24');
    expect((await h.reports(2))[1]?.kind).toBe('incremental');
    await h.stop();
  });

  it('stops every source and rejects with the watch error when the lease watch fails', async () => {
    const manager = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
    const own = await manager.acquireLease({ publicIP: '192.168.1.1', backendType: 'vxlan' });
    const ended: string[] = [];
    const watchError = new Error('etcd gone');
    // Sources that yield nothing and end when the loop stops them.
    const source = (name: string) =>
      async function* (signal: AbortSignal): AsyncIterable<void> {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        ended.push(name);
        yield* [];
      };
    const run = runLeaseReconcileLoop({
      lease: own,
      subnetManager: {
        ...manager,
        watchLeases: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(watchError) }) }),
      },
      signal: new AbortController().signal,
      logger: silentLogger,
      ticks: source('ticks'),
      fullPassTriggers: [source('links')],
      pass: async () => 'never',
    });
    await expect(run).rejects.toBe(watchError);
    expect(ended.sort()).toEqual(['links', 'ticks']);
  });

  it('resolves at once when its signal has already aborted', async () => {
    const manager = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
    const own = await manager.acquireLease({ publicIP: '192.168.1.1', backendType: 'vxlan' });
    let passes = 0;
    await runLeaseReconcileLoop({
      lease: own,
      subnetManager: manager,
      signal: AbortSignal.abort(),
      logger: silentLogger,
      pass: async () => (passes += 1),
    });
    expect(passes).toBe(0);
  });
});
