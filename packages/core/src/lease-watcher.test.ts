import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseWatchResult } from './lease.js';
import { isSameLeaseSubnet, LeaseWatcher } from './lease-watcher.js';
import type { SubnetManager } from './subnet-manager.js';
import { watchLeaseEvents } from './watch-lease-events.js';

function lease(subnet: string | undefined, ipv6Subnet?: string, publicIP = '192.168.0.1'): Lease {
  return {
    enableIPv4: subnet !== undefined,
    enableIPv6: ipv6Subnet !== undefined,
    ...(subnet !== undefined && { subnet: IpNet.parse(subnet) }),
    ...(ipv6Subnet !== undefined && { ipv6Subnet: IpNet.parse(ipv6Subnet) }),
    attributes: { publicIP },
  };
}

const names = (batch: { type: string; lease: Lease }[]) =>
  batch.map((event) => `${event.type} ${event.lease.subnet?.toString() ?? '-'} ${event.lease.ipv6Subnet?.toString() ?? '-'}`);

describe('isSameLeaseSubnet', () => {
  it('compares by the reference lease flags', () => {
    expect(isSameLeaseSubnet(lease('10.0.1.0/24'), lease('10.0.1.0/24', 'fc00::/64'))).toBe(true);
    expect(isSameLeaseSubnet(lease('10.0.1.0/24', 'fc00::/64'), lease('10.0.1.0/24', 'fc00:0:0:1::/64'))).toBe(false);
    expect(isSameLeaseSubnet(lease(undefined, 'fc00::/64'), lease('10.9.9.0/24', 'fc00::/64'))).toBe(true);
    const flagless: Lease = { ...lease('10.0.1.0/24'), enableIPv4: false };
    expect(isSameLeaseSubnet(flagless, lease('10.0.1.0/24'))).toBe(true);
  });
});

describe('LeaseWatcher', () => {
  const own = lease('10.0.1.0/24');

  it('turns a snapshot into added events, leaving out the own lease', () => {
    const watcher = new LeaseWatcher(own);
    const batch = watcher.reset([lease('10.0.1.0/24'), lease('10.0.2.0/24'), lease('10.0.3.0/24')]);
    expect(names(batch)).toEqual(['added 10.0.2.0/24 -', 'added 10.0.3.0/24 -']);
    expect(watcher.leases.map((l) => l.subnet?.toString())).toEqual(['10.0.2.0/24', '10.0.3.0/24']);
  });

  it('diffs a later snapshot: new added, missing removed, unchanged silent, changed re-added', () => {
    const watcher = new LeaseWatcher(own);
    watcher.reset([lease('10.0.2.0/24'), lease('10.0.3.0/24'), lease('10.0.4.0/24')]);
    const batch = watcher.reset([lease('10.0.2.0/24'), lease('10.0.4.0/24', undefined, '192.168.0.9'), lease('10.0.5.0/24')]);
    expect(names(batch)).toEqual(['added 10.0.4.0/24 -', 'added 10.0.5.0/24 -', 'removed 10.0.3.0/24 -']);
    expect(batch[0]?.lease.attributes.publicIP).toBe('192.168.0.9');
  });

  it('applies events with set semantics and drops own-lease events', () => {
    const watcher = new LeaseWatcher(own);
    const batch = watcher.update([
      { type: 'added', lease: lease('10.0.2.0/24') },
      { type: 'added', lease: lease('10.0.2.0/24', undefined, '192.168.0.7') },
      { type: 'removed', lease: own },
      { type: 'added', lease: lease('10.0.3.0/24') },
      { type: 'removed', lease: lease('10.0.3.0/24') },
    ]);
    expect(names(batch)).toEqual(['added 10.0.2.0/24 -', 'added 10.0.2.0/24 -', 'added 10.0.3.0/24 -', 'removed 10.0.3.0/24 -']);
    expect(watcher.leases).toEqual([lease('10.0.2.0/24', undefined, '192.168.0.7')]);
  });

  it('passes on a removal of an unknown lease, as flannel does', () => {
    expect(names(new LeaseWatcher(own).update([{ type: 'removed', lease: lease('10.0.9.0/24') }]))).toEqual(['removed 10.0.9.0/24 -']);
  });

  it('reports the known lease (with its attributes) on removal', () => {
    const watcher = new LeaseWatcher();
    watcher.update([{ type: 'added', lease: lease('10.0.2.0/24', undefined, '192.168.0.2') }]);
    const [event] = watcher.update([{ type: 'removed', lease: lease('10.0.2.0/24', undefined, '0.0.0.0') }]);
    expect(event?.lease.attributes.publicIP).toBe('192.168.0.2');
  });

  it('tells dual-stack leases apart by both subnets', () => {
    const watcher = new LeaseWatcher(lease('10.0.1.0/24', 'fc00:0:0:1::/64'));
    const batch = watcher.reset([lease('10.0.1.0/24', 'fc00:0:0:1::/64'), lease('10.0.2.0/24', 'fc00:0:0:2::/64'), lease('10.0.2.0/24', 'fc00:0:0:3::/64')]);
    expect(names(batch)).toEqual(['added 10.0.2.0/24 fc00:0:0:2::/64', 'added 10.0.2.0/24 fc00:0:0:3::/64']);
  });

  it('handles IPv6-only leases by their IPv6 subnet', () => {
    const watcher = new LeaseWatcher(lease(undefined, 'fc00:0:0:1::/64'));
    expect(names(watcher.update([{ type: 'added', lease: lease(undefined, 'fc00:0:0:1::/64') }]))).toEqual([]);
    expect(names(watcher.update([{ type: 'added', lease: lease(undefined, 'fc00:0:0:2::/64') }]))).toEqual(['added - fc00:0:0:2::/64']);
  });
});

describe('watchLeaseEvents', () => {
  function managerYielding(results: LeaseWatchResult[]): SubnetManager {
    return {
      watchLeases: async function* () {
        yield* results;
      },
    } as unknown as SubnetManager;
  }

  it('yields the initial batch even when empty, then only non-empty batches', async () => {
    const own = lease('10.0.1.0/24');
    const manager = managerYielding([
      { kind: 'snapshot', leases: [own], cursor: 1 },
      { kind: 'events', events: [{ type: 'added', lease: own }], cursor: 2 },
      { kind: 'events', events: [{ type: 'added', lease: lease('10.0.2.0/24') }], cursor: 3 },
    ]);
    const batches = [];
    for await (const batch of watchLeaseEvents(manager, own, new AbortController().signal)) batches.push(names(batch));
    expect(batches).toEqual([[], ['added 10.0.2.0/24 -']]);
  });
});
