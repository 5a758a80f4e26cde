// Split full passes (`splitFullPasses`): incremental passes run beside a full pass while it reads the kernel,
// never while it applies. Driven by hand: gates a test opens decide where each pass stands, ticks are manual.
import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseWatchResult } from './lease.js';
import { runLeaseReconcileLoop } from './lease-reconcile-loop.js';
import type { LeaseReconcileLoopOptions, LeaseReconcilePass } from './lease-reconcile-loop.js';
import { silentLogger } from './logger.js';
import { createMemorySubnetManager } from './testing/memory-subnet-manager.js';
import { manualTicks } from './testing/manual-ticks.js';

const CONFIG = JSON.stringify({ Network: '10.5.0.0/16', Backend: { Type: 'vxlan' } });
const subnetOf = (lease: Lease): string => lease.subnet?.toString() ?? '?';

/** Resolves once `predicate` holds, checking once per turn of the event loop (no timers). */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setImmediate(resolve));
}

/** Lets the loop run for a few turns of the event loop: long enough for anything not held by a gate to happen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise a test resolves by hand. */
function gate(): { readonly wait: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * A loop whose passes log what they do. A full pass numbered `n` (from 0) stops at `read[n]` (its read phase)
 * and, after `beginApply()`, at `apply[n]`; incremental passes stop at `incremental[m]` when one is set.
 */
async function setup(options: Partial<LeaseReconcileLoopOptions<string>> & { callsBeginApply?: boolean } = {}) {
  const manager = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
  const own = await manager.acquireLease({ publicIP: '192.168.1.1', backendType: 'vxlan' });
  const put = (subnet: string): Lease => manager.putLease({ subnet: IpNet.parse(subnet), attributes: { publicIP: '192.168.1.9', backendType: 'vxlan' } });
  const ticks = manualTicks();
  const controller = new AbortController();
  const log: string[] = [];
  const read = new Map<number, ReturnType<typeof gate>>();
  const apply = new Map<number, ReturnType<typeof gate>>();
  const incremental = new Map<number, ReturnType<typeof gate>>();
  let fulls = 0;
  let incrementals = 0;
  // What writes at this moment: never two at once.
  let writing: string | undefined;
  const write = (who: string): void => {
    if (writing !== undefined) log.push(`INTERLEAVED ${who} with ${writing}`);
    writing = who;
  };
  const pass = async (pass: LeaseReconcilePass): Promise<string> => {
    if (pass.kind === 'incremental') {
      const n = incrementals++;
      const name = `incremental ${pass.events.map((event) => `${event.type} ${subnetOf(event.lease)}`).join(', ')}`;
      write(name);
      log.push(`${name}: start`);
      await incremental.get(n)?.wait;
      log.push(`${name}: end`);
      writing = undefined;
      return name;
    }
    const n = fulls++;
    log.push(`full ${n}: read`);
    await read.get(n)?.wait;
    if (options.callsBeginApply !== false) await pass.beginApply?.();
    const name = `full ${n} [${pass.leases.map(subnetOf).join(' ')}]`;
    write(name);
    log.push(`${name}: apply`);
    await apply.get(n)?.wait;
    log.push(`full ${n}: end`);
    writing = undefined;
    return name;
  };
  const reports: string[] = [];
  const done = runLeaseReconcileLoop<string>({
    lease: own,
    subnetManager: manager,
    signal: controller.signal,
    logger: silentLogger,
    ticks: (signal) => ticks.source(signal),
    splitFullPasses: true,
    pass,
    onReconcile: (report) => void reports.push(report),
    ...options,
  });
  return {
    manager,
    put,
    ticks,
    log,
    reports,
    /** Holds full pass `n` in its read phase until the returned gate opens. */
    holdRead: (n: number) => read.set(n, gate()).get(n)!,
    /** Holds full pass `n` in its apply phase until the returned gate opens. */
    holdApply: (n: number) => apply.set(n, gate()).get(n)!,
    /** Holds incremental pass `n` until the returned gate opens. */
    holdIncremental: (n: number) => incremental.set(n, gate()).get(n)!,
    async stop(): Promise<void> {
      controller.abort();
      await done;
    },
  };
}

/**
 * After the first pass: a periodic full pass held in its read phase, and beside it the incremental pass for
 * a lease put on `subnet`, held at its start.
 */
async function incrementalBesideRead(h: Awaited<ReturnType<typeof setup>>, subnet: string) {
  await until(() => h.reports.length === 1);
  const reading = h.holdRead(1);
  const first = h.holdIncremental(0);
  h.ticks.tick();
  await until(() => h.log.includes('full 1: read'));
  h.put(subnet);
  await until(() => h.log.includes(`incremental added ${subnet}: start`));
  return { reading, first };
}

describe('runLeaseReconcileLoop with splitFullPasses', () => {
  it('runs an incremental pass for an event that arrives while a periodic full pass reads, before that pass ends', async () => {
    const h = await setup();
    await until(() => h.reports.length === 1);
    const reading = h.holdRead(1);
    h.ticks.tick();
    await until(() => h.log.includes('full 1: read'));
    h.put('10.5.34.0/24');
    await until(() => h.reports.length === 2);
    expect(h.reports[1]).toBe('incremental added 10.5.34.0/24');
    expect(h.log).not.toContain('full 1: end');
    reading.open();
    await until(() => h.reports.length === 3);
    // The full pass reads the leases after beginApply(): it sees what the incremental programmed.
    expect(h.reports[2]).toBe('full 1 [10.5.34.0/24]');
    await h.stop();
    expect(h.log.filter((line) => line.startsWith('INTERLEAVED'))).toEqual([]);
  });

  it('holds incremental passes back while a full pass applies, then runs them with every event', async () => {
    const h = await setup();
    await until(() => h.reports.length === 1);
    const applying = h.holdApply(1);
    h.ticks.tick();
    await until(() => h.log.includes('full 1 []: apply'));
    h.put('10.5.34.0/24');
    h.put('10.5.35.0/24');
    await settle();
    expect(h.log.some((line) => line.startsWith('incremental'))).toBe(false);
    applying.open();
    await until(() => h.reports.length === 3);
    expect(h.reports.slice(1)).toEqual(['full 1 []', 'incremental added 10.5.34.0/24, added 10.5.35.0/24']);
    await h.stop();
    expect(h.log.filter((line) => line.startsWith('INTERLEAVED'))).toEqual([]);
  });

  it('makes beginApply() wait for the incremental pass in flight, and starts no other until the full pass ends', async () => {
    const h = await setup();
    const { reading, first } = await incrementalBesideRead(h, '10.5.34.0/24');
    reading.open();
    await settle();
    expect(h.log.some((line) => line.startsWith('full 1 ['))).toBe(false);
    h.put('10.5.35.0/24');
    first.open();
    await until(() => h.reports.length === 4);
    expect(h.log.filter((line) => !line.endsWith(': read'))).toEqual([
      'full 0 []: apply',
      'full 0: end',
      'incremental added 10.5.34.0/24: start',
      'incremental added 10.5.34.0/24: end',
      // 10.5.35.0/24 arrived before the full pass read its leases: it is in them, and gets its incremental after.
      'full 1 [10.5.34.0/24 10.5.35.0/24]: apply',
      'full 1: end',
      'incremental added 10.5.35.0/24: start',
      'incremental added 10.5.35.0/24: end',
    ]);
    await h.stop();
  });

  it('runs incremental passes one after another during one read phase, losing no event', async () => {
    const h = await setup();
    const { reading, first } = await incrementalBesideRead(h, '10.5.34.0/24');
    h.put('10.5.35.0/24');
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    first.open();
    await until(() => h.reports.length === 3);
    expect(h.reports.slice(1)).toEqual(['incremental added 10.5.34.0/24', 'incremental added 10.5.35.0/24, removed 10.5.34.0/24']);
    reading.open();
    await until(() => h.reports.length === 4);
    expect(h.reports[3]).toBe('full 1 [10.5.35.0/24]');
    await h.stop();
    expect(h.log.filter((line) => line.startsWith('INTERLEAVED'))).toEqual([]);
  });

  it('lets in an event that came in while a read phase never yielded, and runs its incremental before the apply phase', async () => {
    let put: (subnet: string) => Lease = () => undefined as never;
    const log: string[] = [];
    let fulls = 0;
    const h = await setup({
      pass: async (pass) => {
        if (pass.kind === 'incremental') {
          log.push(`incremental ${pass.events.map((event) => subnetOf(event.lease)).join(' ')}`);
          return 'incremental';
        }
        if (fulls++ === 1) setImmediate(() => put('10.5.34.0/24')); // I/O that is pending while the dump is read
        await pass.beginApply?.();
        log.push(`full [${pass.leases.map(subnetOf).join(' ')}]`);
        return 'full';
      },
    });
    put = h.put;
    await until(() => h.reports.length === 1);
    h.ticks.tick();
    await until(() => h.reports.length === 3);
    expect(log).toEqual(['full []', 'incremental 10.5.34.0/24', 'full [10.5.34.0/24]']);
    await h.stop();
  });

  it('does not split the first full pass after a snapshot: events wait for it', async () => {
    const h = await setup();
    const reading = h.holdRead(0);
    await until(() => h.log.includes('full 0: read'));
    h.put('10.5.34.0/24');
    await settle();
    expect(h.reports).toEqual([]);
    reading.open();
    await until(() => h.reports.length === 2);
    expect(h.reports).toEqual(['full 0 [10.5.34.0/24]', 'incremental added 10.5.34.0/24']);
    await h.stop();
  });

  it('keeps full passes whole without splitFullPasses, even when a pass never calls beginApply()', async () => {
    const h = await setup({ splitFullPasses: false, callsBeginApply: false });
    await until(() => h.reports.length === 1);
    const reading = h.holdRead(1);
    h.ticks.tick();
    await until(() => h.log.includes('full 1: read'));
    h.put('10.5.34.0/24');
    await settle();
    expect(h.reports).toHaveLength(1);
    reading.open();
    await until(() => h.reports.length === 3);
    expect(h.reports.slice(1)).toEqual(['full 1 [10.5.34.0/24]', 'incremental added 10.5.34.0/24']);
    await h.stop();
  });

  it('runs the full pass a tick asked for during a read phase once the split pass ends', async () => {
    const h = await setup();
    await until(() => h.reports.length === 1);
    const reading = h.holdRead(1);
    h.ticks.tick();
    await until(() => h.log.includes('full 1: read'));
    h.ticks.tick();
    await settle();
    reading.open();
    await until(() => h.reports.length === 3);
    expect(h.reports.slice(1)).toEqual(['full 1 []', 'full 2 []']);
    await h.stop();
  });

  it('runs a full pass at once after an incremental pass beside a full pass asks for one', async () => {
    const h = await setup({
      pass: async (pass) => {
        if (pass.kind === 'incremental') pass.requestFull();
        if (pass.kind === 'full') await pass.beginApply?.();
        return pass.kind;
      },
    });
    await until(() => h.reports.length === 1);
    h.put('10.5.34.0/24');
    await until(() => h.reports.length === 3);
    expect(h.reports).toEqual(['full', 'incremental', 'full']);
    await h.stop();
  });

  it('stops incremental passes beside a full pass once a snapshot arrives: the next full pass covers them', async () => {
    const manager = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
    const own = await manager.acquireLease({ publicIP: '192.168.1.1', backendType: 'vxlan' });
    const lease = (subnet: string): Lease => ({ enableIPv4: true, enableIPv6: false, subnet: IpNet.parse(subnet), attributes: { publicIP: '192.168.1.9', backendType: 'vxlan' } });
    // The watch yields what the test pushes.
    const results: LeaseWatchResult[] = [{ kind: 'snapshot', leases: [own], cursor: 1 }];
    let wake: () => void = () => undefined;
    const push = (result: LeaseWatchResult): void => {
      results.push(result);
      wake();
    };
    const h = await setup({
      subnetManager: {
        ...manager,
        async *watchLeases({ signal }: { signal?: AbortSignal } = {}) {
          while (!signal?.aborted) {
            const next = results.shift();
            if (next !== undefined) yield next;
            else
              await new Promise<void>((resolve) => {
                wake = resolve;
                signal?.addEventListener('abort', () => resolve(), { once: true });
              });
          }
        },
      },
    });
    await until(() => h.reports.length === 1);
    const reading = h.holdRead(1);
    h.ticks.tick();
    await until(() => h.log.includes('full 1: read'));
    push({ kind: 'snapshot', leases: [own, lease('10.5.34.0/24')], cursor: 2 });
    push({ kind: 'events', events: [{ type: 'added', lease: lease('10.5.35.0/24') }], cursor: 3 });
    await settle();
    expect(h.reports).toHaveLength(1);
    reading.open();
    await until(() => h.reports.length === 3);
    await settle();
    expect(h.reports).toEqual(['full 0 []', 'full 1 [10.5.34.0/24 10.5.35.0/24]', 'full 2 [10.5.34.0/24 10.5.35.0/24]']);
    await h.stop();
  });

  it('waits for the incremental pass in flight when stopped during a read phase', async () => {
    const h = await setup();
    const { reading, first } = await incrementalBesideRead(h, '10.5.34.0/24');
    const stopped = h.stop();
    reading.open();
    first.open();
    await stopped;
    expect(h.log).toContain('incremental added 10.5.34.0/24: end');
    expect(h.log).toContain('full 1: end');
  });
});
