import { describe, expect, it } from 'vitest';
import { IpNet } from '../ip-net.js';
import type { LeaseEvent } from '../lease.js';
import { watchLeaseEvents } from '../watch-lease-events.js';
import { createMemorySubnetManager, type MemoryClock } from './memory-subnet-manager.js';
import { testSubnetManager } from './vitest/test-subnet-manager.js';

testSubnetManager('memory', () => {
  const manager = createMemorySubnetManager();
  return {
    manager,
    setConfig: (config) => manager.setConfig(config),
    putLease: (lease) => void manager.putLease(lease),
    deleteLease: (lease) => void manager.deleteLease(lease),
    close: () => manager.close(),
  };
});

/** A clock that only moves when told to, firing due timers. */
function manualClock(start = 1_000_000): MemoryClock & { advance(ms: number): void } {
  let now = start;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, callback, id });
      return id;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    advance(ms) {
      now += ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= now).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) return;
        timers = timers.filter((timer) => timer !== due);
        due.callback();
      }
    },
  };
}

const CONFIG = '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}';

describe('createMemorySubnetManager', () => {
  it('picks among free subnets with the injected random source', async () => {
    const first = createMemorySubnetManager({ config: CONFIG, random: () => 0 });
    expect((await first.acquireLease({ publicIP: '192.168.0.1' })).subnet?.toString()).toBe('10.5.1.0/24');
    // 100 candidates at most: 0.999 picks the 100th free subnet.
    const last = createMemorySubnetManager({ config: CONFIG, random: () => 0.999 });
    expect((await last.acquireLease({ publicIP: '192.168.0.1' })).subnet?.toString()).toBe('10.5.100.0/24');
  });

  it('expires leases after the TTL and tells watchers', async () => {
    const clock = manualClock();
    const manager = createMemorySubnetManager({ config: CONFIG, clock, ttlMs: 10_000 });
    manager.putLease({ subnet: IpNet.parse('10.5.4.0/24'), attributes: { publicIP: '192.168.0.4' }, ttlMs: 5_000 });
    manager.putLease({ subnet: IpNet.parse('10.5.5.0/24'), attributes: { publicIP: '192.168.0.5' } });
    const controller = new AbortController();
    const batches = watchLeaseEvents(manager, undefined, controller.signal)[Symbol.asyncIterator]();
    expect(((await batches.next()).value as LeaseEvent[]).map((event) => `${event.type} ${event.lease.subnet}`)).toEqual(['added 10.5.4.0/24', 'added 10.5.5.0/24']);
    clock.advance(5_000);
    const removal = await batches.next();
    expect(removal.value?.map((e) => `${e.type} ${e.lease.subnet?.toString()}`)).toEqual(['removed 10.5.4.0/24']);
    expect(manager.listLeases().map((listed) => listed.subnet?.toString())).toEqual(['10.5.5.0/24']);
    controller.abort();
    await batches.return(undefined);
  });

  it('renews the own lease before expiry while completeLease runs', async () => {
    const clock = manualClock();
    const manager = createMemorySubnetManager({ config: CONFIG, clock, ttlMs: 10_000, renewMarginMs: 2_000 });
    const lease = await manager.acquireLease({ publicIP: '192.168.0.1' });
    const controller = new AbortController();
    const running = manager.completeLease(lease, { signal: controller.signal });
    await Promise.resolve();
    clock.advance(8_000);
    await new Promise((resolve) => setImmediate(resolve));
    const renewed = manager.listLeases()[0];
    expect(renewed?.expiration?.getTime()).toBe(1_000_000 + 8_000 + 10_000);
    clock.advance(8_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(manager.listLeases().map((listed) => listed.subnet?.toString())).toEqual([lease.subnet?.toString()]);
    controller.abort();
    await running;
  });

  it('sends a snapshot to a watcher resuming behind a compaction', async () => {
    const manager = createMemorySubnetManager({ config: CONFIG });
    manager.putLease({ subnet: IpNet.parse('10.5.4.0/24'), attributes: { publicIP: '192.168.0.4' } });
    manager.compact();
    const controller = new AbortController();
    const iterator = manager.watchLeases({ signal: controller.signal, cursor: 0 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value?.kind).toBe('snapshot');
    controller.abort();
    await iterator.return?.();
  });

  it('returns the stored node data it was given', async () => {
    const manager = createMemorySubnetManager({ storedNodeData: { vtepMac: '02:00:00:00:00:01' } });
    expect(await manager.getStoredNodeData()).toEqual({ vtepMac: '02:00:00:00:00:01' });
  });
});
