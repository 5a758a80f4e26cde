import { describe, expect, it } from 'vitest';
import { IpNet } from './ip-net.js';
import type { Lease, LeaseEvent } from './lease.js';
import { compareLeaseOrder, LeaseScreen } from './lease-screen.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

const lease = (subnet: string, mac: string, publicIP = '192.168.1.9'): Lease => ({
  enableIPv4: true,
  enableIPv6: false,
  subnet: IpNet.parse(subnet),
  attributes: { publicIP, backendType: 'vxlan', backendData: mac },
});
const OWN = lease('10.5.8.0/24', 'own', '192.168.1.1');
const added = (l: Lease): LeaseEvent => ({ type: 'added', lease: l });
const removed = (l: Lease): LeaseEvent => ({ type: 'removed', lease: l });
const show = (events: readonly LeaseEvent[]): string[] => events.map((e) => `${e.type} ${e.lease.subnet?.toString()} ${e.lease.attributes.backendData}`);

function screen() {
  const warnings: Array<{ fields: unknown; message: string }> = [];
  const logger = { ...silentLogger, warn: (fields: unknown, message: string) => void warnings.push({ fields, message }) } as unknown as Logger;
  const value = new LeaseScreen({
    rules: { network: IpNet.parse('10.5.0.0/16'), subnetLen: 24, ownLease: OWN },
    logger,
    conflictKeys: (l) => [`VtepMAC ${l.attributes.backendData}`],
  });
  return { screen: value, warnings };
}

describe('LeaseScreen', () => {
  it('passes good leases through and leaves out bad ones, warning once per lease and reason', () => {
    const { screen: s, warnings } = screen();
    const rogue = lease('10.5.30.0/25', 'm2');
    expect(show(s.update([added(lease('10.5.30.0/24', 'm1')), added(rogue)]))).toEqual(['added 10.5.30.0/24 m1']);
    s.update([added(rogue)]);
    expect(warnings.map((w) => w.message)).toEqual([
      'ignoring lease 10.5.30.0/25: subnet 10.5.30.0/25 is invalid: its prefix length must be SubnetLen 24',
    ]);
    expect(s.leases.map((l) => l.subnet?.toString())).toEqual(['10.5.30.0/24']);
  });

  it('gives a VtepMAC to the lease that sorts first, whatever the order of arrival, naming both leases once', () => {
    for (const order of [0, 1]) {
      const { screen: s, warnings } = screen();
      const low = lease('10.5.3.0/24', 'dup');
      const high = lease('10.5.9.0/24', 'dup');
      const first = order === 0 ? [low, high] : [high, low];
      s.update([added(first[0]!)]);
      s.update([added(first[1]!)]);
      expect(s.leases).toEqual([low]);
      // A renewal re-announces both: nothing changes, nothing is logged again.
      expect(s.update([added({ ...high }), added({ ...low })]).map((e) => e.type)).toEqual(['added']);
      expect(s.leases.map((l) => l.subnet?.toString())).toEqual(['10.5.3.0/24']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toEqual({
        fields: { lease: '10.5.9.0/24', conflictsWith: '10.5.3.0/24', claim: 'VtepMAC dup' },
        message: 'ignoring lease 10.5.9.0/24: VtepMAC dup is also claimed by lease 10.5.3.0/24, which is older (or sorts first) and is kept',
      });
    }
  });

  it('hands a key over when its holder leaves or changes, and takes it back deterministically', () => {
    const { screen: s } = screen();
    const low = lease('10.5.3.0/24', 'dup');
    const high = lease('10.5.9.0/24', 'dup');
    s.update([added(low), added(high)]);
    expect(show(s.update([removed(low)]))).toEqual(['removed 10.5.3.0/24 dup', 'added 10.5.9.0/24 dup']);
    expect(show(s.update([added(low)]))).toEqual(['added 10.5.3.0/24 dup', 'removed 10.5.9.0/24 dup']);
    const moved = lease('10.5.3.0/24', 'fresh');
    expect(show(s.update([added(moved)]))).toEqual(['added 10.5.3.0/24 fresh', 'added 10.5.9.0/24 dup']);
  });

  it("refuses a lease claiming one of this node's own keys, warning once naming the lease", () => {
    const { screen: s, warnings } = screen();
    const thief = lease('10.5.9.0/24', 'own');
    expect(s.update([added(thief)])).toEqual([]);
    s.update([added({ ...thief })]);
    expect(warnings).toEqual([{ fields: { lease: '10.5.9.0/24' }, message: "ignoring lease 10.5.9.0/24: VtepMAC own is this node's own" }]);
    // It claims nothing, so a real peer with a key of its own is unaffected.
    expect(show(s.update([added(lease('10.5.3.0/24', 'm3'))]))).toEqual(['added 10.5.3.0/24 m3']);
    expect(show(s.update([added(lease('10.5.9.0/24', 'fixed'))]))).toEqual(['added 10.5.9.0/24 fixed']);
  });

  it('passes a removal of a lease it never accepted as nothing', () => {
    const { screen: s } = screen();
    const rogue = lease('10.5.0.0/16', 'x');
    s.update([added(rogue)]);
    expect(s.update([removed(rogue)])).toEqual([]);
    expect(s.leases).toEqual([]);
  });
});

describe('compareLeaseOrder', () => {
  it('puts the older key first when both leases carry create_revision, else the lower subnet', () => {
    const old = { ...lease('10.5.9.0/24', 'dup'), createRevision: 10n };
    const rogue = { ...lease('10.5.0.0/24', 'dup'), createRevision: 99n };
    expect([rogue, old].sort(compareLeaseOrder)).toEqual([old, rogue]);
    expect([lease('10.5.9.0/24', 'x'), lease('10.5.3.0/24', 'x')].sort(compareLeaseOrder).map((l) => l.subnet?.toString())).toEqual([
      '10.5.3.0/24',
      '10.5.9.0/24',
    ]);
  });

  it('lets the older lease keep a VtepMAC against a rogue with a lower subnet', () => {
    const { screen: s } = screen();
    const peer = { ...lease('10.5.9.0/24', 'dup'), createRevision: 10n };
    const rogue = { ...lease('10.5.2.0/24', 'dup'), createRevision: 99n };
    s.update([added(peer), added(rogue)]);
    expect(s.leases).toEqual([peer]);
  });
});
