import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseAttributes, LeaseEvent } from './lease.js';
import { LeaseWatcher } from './lease-watcher.js';
import { ScanningLeaseWatcher } from './testing/scanning-lease-watcher.js';
import { seededRandom } from './__fixtures__/seeded-random.js';

// Few subnets, so leases collide often: equal IpNets parsed separately (distinct objects), v4 and v6.
const V4 = ['10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.3.0/25'];
const V6 = ['fc00:0:0:1::/64', 'fc00:0:0:2::/64', 'fc00:0:0:2::/65'];
const PUBLIC_IPS = ['192.168.0.1', '192.168.0.2'];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

/** Any mix of flags and subnets, including flags without the subnet and subnets without the flag. */
function randomLease(next: () => number): Lease {
  const subnet = next() < 0.85 ? IpNet.parse(pick(next, V4)) : undefined;
  const ipv6Subnet = next() < 0.5 ? IpNet.parse(pick(next, V6)) : undefined;
  const flags = next();
  const attributes: LeaseAttributes = {
    publicIP: pick(next, PUBLIC_IPS),
    ...(next() < 0.3 && { backendData: pick(next, ['{"VNI":1}', '{"VNI":2}']) }),
  };
  return {
    enableIPv4: flags < 0.3 || (flags >= 0.6 && flags < 0.85),
    enableIPv6: flags >= 0.3 && flags < 0.85,
    ...(subnet !== undefined && { subnet }),
    ...(ipv6Subnet !== undefined && { ipv6Subnet }),
    attributes,
  };
}

/** Batches compared by lease identity, not just shape: both sides must hand back the very same objects. */
function describeBatch(batch: readonly LeaseEvent[], ids: Map<Lease, number>): string[] {
  return batch.map((event) => `${event.type} #${ids.get(event.lease) ?? '?'}`);
}

describe('LeaseWatcher (indexed) against the list-scanning reference', () => {
  it('gives the same batches and known lists over random snapshots and events', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const next = seededRandom(seed);
      const ids = new Map<Lease, number>();
      const make = (): Lease => {
        const lease = randomLease(next);
        ids.set(lease, ids.size);
        return lease;
      };
      const own = next() < 0.8 ? make() : undefined;
      const reference = new ScanningLeaseWatcher(own);
      const indexed = new LeaseWatcher(own);
      for (let step = 0; step < 40; step += 1) {
        let expected: LeaseEvent[];
        let actual: LeaseEvent[];
        if (next() < 0.25) {
          const snapshot = Array.from({ length: Math.floor(next() * 10) }, make);
          // Sometimes re-send known leases (same objects), as a snapshot after compaction does.
          for (const known of reference.leases) if (next() < 0.5) snapshot.splice(Math.floor(next() * (snapshot.length + 1)), 0, known);
          expected = reference.reset(snapshot);
          actual = indexed.reset(snapshot);
        } else {
          const events: LeaseEvent[] = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
            const known = reference.leases;
            const lease = known.length > 0 && next() < 0.3 ? pick(next, known) : make();
            return { type: next() < 0.6 ? 'added' : 'removed', lease };
          });
          expected = reference.update(events);
          actual = indexed.update(events);
        }
        const where = `seed ${seed} step ${step}`;
        expect(describeBatch(actual, ids), where).toEqual(describeBatch(expected, ids));
        expect(actual, where).toEqual(expected);
        expect(
          indexed.leases.map((lease) => ids.get(lease)),
          where,
        ).toEqual(reference.leases.map((lease) => ids.get(lease)));
      }
    }
  });
});
