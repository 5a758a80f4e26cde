// Both run loops screen remote leases (LeaseScreen) and guard the own lease (OwnLeaseGuard): whatever the
// backend, a rogue lease is never handed over and an overwritten own lease is re-asserted.
import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseWatchResult } from './lease.js';
import { runLeaseEventLoop } from './lease-event-loop.js';
import { runLeaseReconcileLoop } from './lease-reconcile-loop.js';
import { leaseRulesFor } from './lease-rules.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import { parseNetworkConfig } from './parse-network-config.js';
import type { SubnetManager } from './subnet-manager.js';

const lease = (subnet: string, publicIP = '192.168.1.9'): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'extension' },
});
const OWN = lease('10.5.1.0/24', '192.168.1.1');
const config = parseNetworkConfig('{"Network":"10.5.0.0/16","Backend":{"Type":"extension"}}').config;
const SNAPSHOT: LeaseWatchResult = {
  kind: 'snapshot',
  leases: [OWN, lease('10.5.2.0/24'), lease('10.5.3.0/25'), lease('10.5.0.0/16'), lease('10.5.4.0/24', '127.0.0.1'), lease('10.5.5.0/24', '192.168.1.1')],
  cursor: 1,
};
const HIJACK: LeaseWatchResult = { kind: 'events', events: [{ type: 'added', lease: { ...OWN, attributes: { ...OWN.attributes, publicIP: '192.168.1.66' } } }], cursor: 2 };

function manager(results: readonly LeaseWatchResult[], renewed: Lease[]): SubnetManager {
  return {
    async *watchLeases() {
      for (const result of results) yield result;
    },
    renewLease: async (renewing: Lease) => {
      renewed.push(renewing);
      return renewing;
    },
  } as unknown as SubnetManager;
}

function recordingLogger(): { logger: Logger; warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger = {
    ...silentLogger,
    warn: (_fields: unknown, message: string) => void warnings.push(message),
    error: (_fields: unknown, message: string) => void errors.push(message),
  } as unknown as Logger;
  return { logger, warnings, errors };
}

describe('the run loops with untrusted leases', () => {
  it('runLeaseEventLoop hands over only the well-formed peer and re-asserts the overwritten own lease', async () => {
    const renewed: Lease[] = [];
    const { logger, warnings, errors } = recordingLogger();
    const handled: string[] = [];
    await runLeaseEventLoop({
      lease: OWN,
      subnetManager: manager([SNAPSHOT, HIJACK], renewed),
      signal: new AbortController().signal,
      logger,
      leaseRules: leaseRulesFor(config, OWN),
      reassertIntervalMs: 0,
      handle: async (event) => void handled.push(`${event.type} ${event.lease.subnet?.toString()}`),
    });
    expect(handled).toEqual(['added 10.5.2.0/24']);
    expect(warnings).toHaveLength(4);
    expect(renewed).toEqual([OWN]);
    expect(errors).toHaveLength(1);
  });

  it('runLeaseReconcileLoop gives its passes only the well-formed peer', async () => {
    const renewed: Lease[] = [];
    const { logger, warnings } = recordingLogger();
    const seen: string[][] = [];
    const controller = new AbortController();
    await runLeaseReconcileLoop({
      lease: OWN,
      subnetManager: manager([SNAPSHOT], renewed),
      signal: controller.signal,
      logger,
      leaseRules: leaseRulesFor(config, OWN),
      ticks: async function* () {},
      pass: async (pass) => {
        seen.push(pass.leases.map((each) => each.subnet!.toString()));
        controller.abort();
      },
    }).catch(() => undefined);
    expect(seen).toEqual([['10.5.2.0/24']]);
    expect(warnings.filter((message) => message.startsWith('ignoring lease'))).toHaveLength(4);
    expect(renewed).toEqual([]);
  });
});
