import { describe, expect, it } from 'vitest';
import type { RawSubnetEntry } from './etcd-registry.js';
import { RecentListing } from './recent-listing.js';

const entry = (name: string, revision: bigint, value = '{}'): RawSubnetEntry => ({
  key: `/p/subnets/${name}`,
  name,
  value,
  leaseId: '7',
  modRevision: revision,
});

describe('RecentListing', () => {
  it('hands the kept listing out once, with own writes laid over it in key order', () => {
    const recent = new RecentListing(() => 0);
    recent.keep({ entries: [entry('10.0.1.0-24', 3n), entry('10.0.3.0-24', 4n), entry('10.0.5.0-24', 5n)], revision: 9n });
    recent.wrote('/p/subnets/10.0.3.0-24', undefined, 10n);
    recent.wrote('/p/subnets/10.0.5.0-24', entry('10.0.5.0-24', 11n, '{"new":1}'), 11n);
    recent.wrote('/p/subnets/10.0.2.0-24', entry('10.0.2.0-24', 12n), 12n);
    const taken = recent.take();
    expect(taken?.revision).toBe(9n);
    expect(taken?.entries.map((each) => [each.name, each.modRevision, each.value])).toEqual([
      ['10.0.1.0-24', 3n, '{}'],
      ['10.0.2.0-24', 12n, '{}'],
      ['10.0.5.0-24', 11n, '{"new":1}'],
    ]);
    expect([...(taken?.ownWritesShown ?? [])]).toEqual([
      ['/p/subnets/10.0.3.0-24', 10n],
      ['/p/subnets/10.0.5.0-24', 11n],
      ['/p/subnets/10.0.2.0-24', 12n],
    ]);
    expect(recent.take()).toBeUndefined();
  });

  it('keeps only the latest listing, and none past its age or after clear()', () => {
    let now = 0;
    const recent = new RecentListing(() => now, 1_000);
    recent.keep({ entries: [entry('10.0.1.0-24', 3n)], revision: 3n });
    recent.keep({ entries: [], revision: 4n });
    expect(recent.take()).toEqual({ entries: [], revision: 4n, ownWritesShown: new Map() });
    recent.keep({ entries: [], revision: 5n });
    now = 1_001;
    expect(recent.take()).toBeUndefined();
    now = 0;
    recent.keep({ entries: [], revision: 6n });
    recent.clear();
    expect(recent.take()).toBeUndefined();
    recent.wrote('/p/subnets/10.0.1.0-24', undefined, 7n); // nothing kept: ignored
    expect(recent.take()).toBeUndefined();
  });
});
