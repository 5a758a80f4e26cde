import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseEvent } from './lease.js';
import { leaseRulesFor } from './lease-rules.js';
import { parseNetworkConfig } from './parse-network-config.js';
import { watchScreenedLeaseEvents } from './screened-lease-events.js';
import { createMemorySubnetManager, recordingLogger } from './testing/index.js';

const config = parseNetworkConfig('{"Network":"10.5.0.0/16"}').config;

describe('watchScreenedLeaseEvents', () => {
  it('yields the initial state, then one batch per change, emptied when the change was refused', async () => {
    const manager = createMemorySubnetManager({ config, random: () => 0 });
    const own: Lease = await manager.acquireLease({ publicIP: '192.168.1.1', backendType: 'udp' });
    const logger = recordingLogger();
    const controller = new AbortController();
    const batches: LeaseEvent[][] = [];
    const writes = [
      () => manager.putLease({ subnet: IpNet.parse('10.5.9.0/24'), attributes: { publicIP: '192.168.1.9' } }),
      () => manager.putLease({ subnet: IpNet.parse('10.5.10.0/24'), attributes: { publicIP: '127.0.0.1' } }),
      () => manager.putLease({ subnet: IpNet.parse('10.5.9.0/24'), attributes: { publicIP: '224.0.0.1' } }),
    ];
    for await (const batch of watchScreenedLeaseEvents({ subnetManager: manager, lease: own, signal: controller.signal, logger, leaseRules: leaseRulesFor(config, own) })) {
      batches.push(batch);
      const write = writes.shift();
      if (write === undefined) break;
      write();
    }
    expect(batches.map((batch) => batch.map((event) => `${event.type} ${event.lease.subnet} ${event.lease.attributes.publicIP}`))).toEqual([
      [],
      ['added 10.5.9.0/24 192.168.1.9'],
      [],
      ['removed 10.5.9.0/24 192.168.1.9'],
    ]);
    expect(logger.messages('warn')).toEqual([
      'ignoring lease 10.5.10.0/24: PublicIP "127.0.0.1" is invalid: must not be a loopback address',
      'ignoring lease 10.5.9.0/24: PublicIP "224.0.0.1" is invalid: must not be a multicast address',
    ]);
    controller.abort();
  });
});
