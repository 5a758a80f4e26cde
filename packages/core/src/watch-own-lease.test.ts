import { describe, expect, it } from 'vitest';
import { FlannelError } from './errors.js';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseWatchResult } from './lease.js';
import { silentLogger } from './logger.js';
import { watchOwnLease } from './watch-own-lease.js';

const OWN: Lease = { enableIPv4: true, enableIPv6: false, subnet: IpNet.parse('10.5.8.0/24'), attributes: { publicIP: '192.168.1.1' } };

describe('watchOwnLease', () => {
  it('re-asserts the lease from its single-lease watch and resolves only once the signal aborts', async () => {
    const renewed: Lease[] = [];
    const controller = new AbortController();
    const results: LeaseWatchResult[] = [
      { kind: 'snapshot', leases: [OWN], cursor: undefined },
      { kind: 'events', events: [{ type: 'added', lease: { ...OWN, attributes: { publicIP: '192.168.1.66' } } }], cursor: undefined },
    ];
    let finished = false;
    const done = watchOwnLease({
      subnetManager: {
        async *watchLease() {
          yield* results;
        },
        renewLease: async (lease) => {
          renewed.push(lease);
          return lease;
        },
      },
      lease: OWN,
      signal: controller.signal,
      logger: silentLogger,
    }).then(() => {
      finished = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(renewed).toEqual([OWN]);
    expect(finished).toBe(false); // the watch ended by itself: still running
    controller.abort();
    await done;
  });

  it('rejects when the watch fails for another reason than the abort', async () => {
    const failure = new FlannelError('DATASTORE_UNAVAILABLE', 'etcd is gone');
    const run = watchOwnLease({
      subnetManager: {
        // eslint-disable-next-line require-yield
        async *watchLease() {
          throw failure;
        },
        renewLease: async (lease) => lease,
      },
      lease: OWN,
      signal: new AbortController().signal,
      logger: silentLogger,
    });
    await expect(run).rejects.toBe(failure);
  });
});
