import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease } from './lease.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import { OwnLeaseGuard } from './own-lease-guard.js';
import type { SubnetManager } from './subnet-manager.js';

const OWN: Lease = {
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse('10.5.8.0/24'),
  attributes: { publicIP: '192.168.1.1', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"0e:00:00:00:00:01"}' },
};

function guard(reassertIntervalMs: number) {
  const renewed: Lease[] = [];
  const errors: string[] = [];
  const logger = { ...silentLogger, error: (_fields: unknown, message: string) => void errors.push(message) } as unknown as Logger;
  const manager: Pick<SubnetManager, 'renewLease'> = {
    renewLease: async (lease) => {
      renewed.push(lease);
      return lease;
    },
  };
  const controller = new AbortController();
  const value = new OwnLeaseGuard({ lease: OWN, subnetManager: manager, logger, signal: controller.signal, reassertIntervalMs });
  return { guard: value, renewed, errors, controller };
}

describe('OwnLeaseGuard', () => {
  it('ignores the own lease re-announced with its own attributes (a renewal)', async () => {
    const g = guard(0);
    g.guard.observe({ kind: 'events', events: [{ type: 'added', lease: { ...OWN, revision: 9n } }], cursor: undefined });
    g.guard.observe({ kind: 'snapshot', leases: [OWN], cursor: undefined });
    await g.guard.settled();
    expect(g.renewed).toEqual([]);
    expect(g.errors).toEqual([]);
  });

  it('logs an overwrite naming the foreign PublicIP and re-asserts the own attributes', async () => {
    const g = guard(0);
    const hijack: Lease = { ...OWN, attributes: { ...OWN.attributes, publicIP: '192.168.1.66' } };
    g.guard.observe({ kind: 'events', events: [{ type: 'added', lease: hijack }], cursor: undefined });
    await g.guard.settled();
    expect(g.renewed).toEqual([OWN]);
    expect(g.errors).toEqual([
      "this node's lease 10.5.8.0/24 was overwritten by someone else (PublicIP 192.168.1.66); re-asserting this node's attributes",
    ]);
  });

  it('re-asserts at most once per interval when the overwrites go on', async () => {
    const g = guard(60_000);
    const hijack: Lease = { ...OWN, attributes: { ...OWN.attributes, publicIP: '192.168.1.66' } };
    for (let i = 0; i < 5; i += 1) g.guard.observe({ kind: 'snapshot', leases: [hijack], cursor: undefined });
    await g.guard.settled();
    expect(g.renewed).toHaveLength(1);
    expect(g.errors).toHaveLength(5);
    g.controller.abort(); // the pending re-assertion is dropped
  });
});
