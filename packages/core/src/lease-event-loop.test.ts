import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseWatchResult } from './lease.js';
import { runLeaseEventLoop } from './lease-event-loop.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { SubnetManager } from './subnet-manager.js';

const lease = (subnet: string, publicIP = '192.168.1.9'): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'extension' },
});
const OWN = lease('10.5.1.0/24', '192.168.1.1');

/** A manager whose watch yields `results` and then ends (the loop then resolves). */
function scripted(results: readonly LeaseWatchResult[]): SubnetManager {
  return {
    async *watchLeases() {
      for (const result of results) yield result;
    },
  } as unknown as SubnetManager;
}

async function run(results: readonly LeaseWatchResult[], fail?: (subnet: string) => boolean) {
  const handled: string[] = [];
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_fields: unknown, message?: string) => void warnings.push(message ?? '') } as Logger;
  const batches: Array<{ handled: number; failed: number }> = [];
  await runLeaseEventLoop({
    lease: OWN,
    subnetManager: scripted(results),
    signal: new AbortController().signal,
    logger,
    handle: async (event) => {
      const subnet = event.lease.subnet?.toString() ?? '?';
      handled.push(`${event.type} ${subnet} ${event.lease.attributes.publicIP}`);
      if (fail?.(subnet)) throw new Error('command exited 1');
    },
    onBatch: (batch) => batches.push(batch),
  });
  return { handled, warnings, batches };
}

describe('runLeaseEventLoop', () => {
  it('hands every remote lease of the first snapshot over once, and never the own lease', async () => {
    const { handled } = await run([{ kind: 'snapshot', leases: [OWN, lease('10.5.2.0/24'), lease('10.5.3.0/24')], cursor: 1 }]);
    expect(handled).toEqual(['added 10.5.2.0/24 192.168.1.9', 'added 10.5.3.0/24 192.168.1.9']);
  });

  it('does not repeat an added lease whose attributes did not change (an etcd renewal)', async () => {
    const { handled } = await run([
      { kind: 'snapshot', leases: [lease('10.5.2.0/24')], cursor: 1 },
      { kind: 'events', events: [{ type: 'added', lease: lease('10.5.2.0/24') }], cursor: 2 },
      { kind: 'events', events: [{ type: 'added', lease: lease('10.5.2.0/24', '192.168.1.7') }], cursor: 3 },
    ]);
    expect(handled).toEqual(['added 10.5.2.0/24 192.168.1.9', 'added 10.5.2.0/24 192.168.1.7']);
  });

  it('hands over only the differences of a snapshot after a reconnect', async () => {
    const { handled } = await run([
      { kind: 'snapshot', leases: [lease('10.5.2.0/24'), lease('10.5.3.0/24')], cursor: 1 },
      { kind: 'snapshot', leases: [lease('10.5.3.0/24'), lease('10.5.4.0/24')], cursor: 5 },
    ]);
    expect(handled).toEqual([
      'added 10.5.2.0/24 192.168.1.9',
      'added 10.5.3.0/24 192.168.1.9',
      'added 10.5.4.0/24 192.168.1.9',
      'removed 10.5.2.0/24 192.168.1.9',
    ]);
  });

  it('logs a failed action naming the lease and goes on without retrying it', async () => {
    const { handled, warnings, batches } = await run(
      [{ kind: 'snapshot', leases: [lease('10.5.2.0/24'), lease('10.5.3.0/24')], cursor: 1 }],
      (subnet) => subnet === '10.5.2.0/24',
    );
    expect(handled).toEqual(['added 10.5.2.0/24 192.168.1.9', 'added 10.5.3.0/24 192.168.1.9']);
    expect(warnings).toEqual(['handling added lease 10.5.2.0-24 failed: command exited 1']);
    expect(batches).toEqual([{ handled: 2, failed: 1 }]);
  });

  it('hands a removed lease over even when it comes back later', async () => {
    const { handled } = await run([
      { kind: 'snapshot', leases: [lease('10.5.2.0/24')], cursor: 1 },
      { kind: 'events', events: [{ type: 'removed', lease: lease('10.5.2.0/24') }], cursor: 2 },
      { kind: 'events', events: [{ type: 'added', lease: lease('10.5.2.0/24') }], cursor: 3 },
    ]);
    expect(handled).toEqual(['added 10.5.2.0/24 192.168.1.9', 'removed 10.5.2.0/24 192.168.1.9', 'added 10.5.2.0/24 192.168.1.9']);
  });
});
