// The conformance suite every SubnetManager implementation runs (memory, etcd, kube).
import { afterEach, describe, expect, it } from 'vitest';
import { FlannelError } from '../../errors.js';
import { IpNet } from '../../ip-net.js';
import type { Lease, LeaseAttributes, LeaseEvent, LeaseWatchResult } from '../../lease.js';
import type { SubnetManager } from '../../subnet-manager.js';

/** A lease written into the datastore from outside, as another node or an operator would. */
export interface HarnessLease {
  readonly subnet?: IpNet;
  readonly ipv6Subnet?: IpNet;
  readonly attributes: LeaseAttributes;
  /** Time to live in ms; absent → a reservation (no expiry). */
  readonly ttlMs?: number;
}

/**
 * What a datastore gives the conformance suite: the manager under test (acting as "this node") over
 * a fresh, empty datastore, and levers to change the datastore behind the manager's back.
 */
export interface SubnetManagerHarness {
  readonly manager: SubnetManager;
  /** Stores the network config JSON (etcd: `<prefix>/config`). */
  setConfig(configJson: string): Promise<void> | void;
  /** Writes a lease as another node would (etcd: a key under `<prefix>/subnets`). */
  putLease(lease: HarnessLease): Promise<void> | void;
  /** Deletes the lease holding these subnets (etcd: delete the key). */
  deleteLease(lease: { readonly subnet?: IpNet; readonly ipv6Subnet?: IpNet }): Promise<void> | void;
  /** Closes the manager and removes everything the harness created. */
  close(): Promise<void> | void;
}

/** Groups of the suite a datastore may opt out of (the kube manager does not allocate or expire). */
export type SubnetManagerFeature = 'allocation' | 'reservations' | 'ipv6' | 'renewal' | 'watch-resume' | 'revocation';

/** Options of {@link testSubnetManager}. */
export interface TestSubnetManagerOptions {
  /** Feature groups to skip, each reported as skipped. */
  readonly skip?: readonly SubnetManagerFeature[];
}

const CONFIG = '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}';
const DUAL_CONFIG = '{"Network":"10.5.0.0/16","EnableIPv6":true,"IPv6Network":"fd00:5::/48","Backend":{"Type":"vxlan"}}';
// /28 → SubnetLen 30, SubnetMin 10.5.0.4, SubnetMax 10.5.0.12: exactly three subnets.
const TINY_CONFIG = '{"Network":"10.5.0.0/28","Backend":{"Type":"vxlan"}}';

function attributes(publicIP: string, extra: Partial<LeaseAttributes> = {}): LeaseAttributes {
  return { publicIP, backendType: 'vxlan', backendData: `{"VNI":1,"VtepMAC":"02:00:00:00:00:${publicIP.split('.').at(-1)!.padStart(2, '0').slice(-2)}"}`, ...extra };
}

async function expectCode(promise: Promise<unknown>, code: FlannelError['code']): Promise<FlannelError> {
  try {
    await promise;
  } catch (error) {
    expect(FlannelError.isInstance(error) ? error.code : error).toBe(code);
    return error as FlannelError;
  }
  throw new Error(`expected a FlannelError ${code}, but the call succeeded`);
}

function inRange(subnet: IpNet | undefined, min: string, max: string, prefixLength: number): boolean {
  if (subnet === undefined) return false;
  const lo = IpNet.parseAddress(min).value;
  const hi = IpNet.parseAddress(max).value;
  return subnet.prefixLength === prefixLength && subnet.value >= lo && subnet.value <= hi;
}

/** Reads watch results until `predicate` matches one of the events (or a snapshot satisfying it). */
async function waitFor(
  iterator: AsyncIterator<LeaseWatchResult>,
  predicate: (event: LeaseEvent) => boolean,
): Promise<{ event: LeaseEvent; result: LeaseWatchResult }> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) throw new Error('watch ended before the expected event');
    if (next.value.kind === 'events') {
      const event = next.value.events.find(predicate);
      if (event !== undefined) return { event, result: next.value };
    }
  }
}

async function snapshot(manager: SubnetManager): Promise<readonly Lease[]> {
  const controller = new AbortController();
  const iterator = manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
  try {
    const first = await iterator.next();
    if (first.done === true || first.value.kind !== 'snapshot') throw new Error('a watch must start with a snapshot');
    return first.value.leases;
  } finally {
    controller.abort();
    await iterator.return?.();
  }
}

/**
 * Registers vitest tests that check a {@link SubnetManager} against flannel's semantics: config,
 * acquisition (reuse by PublicIP, previous subnet, random free subnet, exhaustion), reservations,
 * dual stack, renewal, watch (snapshot, events, cursors, abort), `completeLease` revocation, and
 * cancellation. `factory` is called once per test and must return a harness over an empty datastore.
 *
 * @example
 * ```ts
 * // memory-subnet-manager.test.ts
 * testSubnetManager('memory', () => {
 *   const manager = createMemorySubnetManager();
 *   return { manager, setConfig: (c) => manager.setConfig(c), putLease: (l) => void manager.putLease(l),
 *            deleteLease: (l) => void manager.deleteLease(l), close: () => manager.close() };
 * });
 * ```
 */
export function testSubnetManager(
  name: string,
  factory: () => SubnetManagerHarness | Promise<SubnetManagerHarness>,
  options: TestSubnetManagerOptions = {},
): void {
  const skipped = new Set(options.skip ?? []);
  const feature = (group: SubnetManagerFeature) => (skipped.has(group) ? describe.skip : describe);

  describe(`SubnetManager conformance: ${name}`, () => {
    let harness: SubnetManagerHarness | undefined;
    const open = async (config?: string): Promise<SubnetManagerHarness> => {
      harness = await factory();
      if (config !== undefined) await harness.setConfig(config);
      return harness;
    };
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });

    describe('network config', () => {
      it('rejects CONFIG_NOT_FOUND, retryable, before a config is stored', async () => {
        const { manager } = await open();
        const error = await expectCode(manager.getNetworkConfig(), 'CONFIG_NOT_FOUND');
        expect(error.isRetryable).toBe(true);
      });

      it('returns the stored config with defaults resolved', async () => {
        const { manager } = await open(CONFIG);
        const config = await manager.getNetworkConfig();
        expect(config.network?.toString()).toBe('10.5.0.0/16');
        expect(config.subnetLen).toBe(24);
        expect(config.backendType).toBe('vxlan');
      });
    });

    feature('allocation')('acquisition', () => {
      it('leases a subnet of SubnetLen between SubnetMin and SubnetMax with the given attributes', async () => {
        const { manager } = await open(CONFIG);
        const lease = await manager.acquireLease(attributes('192.168.1.1'));
        expect(lease.enableIPv4).toBe(true);
        expect(inRange(lease.subnet, '10.5.1.0', '10.5.255.0', 24)).toBe(true);
        expect(lease.attributes).toEqual(attributes('192.168.1.1'));
        expect(lease.expiration === undefined || lease.expiration.getTime() > Date.now() - 60_000).toBe(true);
        expect((await snapshot(manager)).map((l) => l.subnet?.toString())).toContain(lease.subnet?.toString());
      });

      it('gives nodes with different PublicIPs non-overlapping subnets', async () => {
        const { manager } = await open(CONFIG);
        const leases = [];
        for (let i = 1; i <= 5; i++) leases.push(await manager.acquireLease(attributes(`192.168.1.${i}`)));
        for (const [i, a] of leases.entries()) {
          for (const b of leases.slice(i + 1)) expect(a.subnet!.overlaps(b.subnet!)).toBe(false);
        }
      });

      it('reuses the lease carrying the same PublicIP and updates its attributes', async () => {
        const { manager } = await open(CONFIG);
        const first = await manager.acquireLease(attributes('192.168.1.1'));
        const changed = attributes('192.168.1.1', { backendData: '{"VNI":1,"VtepMAC":"02:00:00:00:00:99"}' });
        const second = await manager.acquireLease(changed);
        expect(second.subnet?.toString()).toBe(first.subnet?.toString());
        expect(second.attributes).toEqual(changed);
        const stored = await snapshot(manager);
        expect(stored).toHaveLength(1);
        expect(stored[0]?.attributes).toEqual(changed);
      });

      it('replaces a lease for its PublicIP that no longer fits the config', async () => {
        const harness = await open(CONFIG);
        await harness.putLease({ subnet: IpNet.parse('10.9.0.0/24'), attributes: attributes('192.168.1.1'), ttlMs: 3_600_000 });
        const lease = await harness.manager.acquireLease(attributes('192.168.1.1'));
        expect(inRange(lease.subnet, '10.5.1.0', '10.5.255.0', 24)).toBe(true);
        expect((await snapshot(harness.manager)).map((l) => l.subnet?.toString())).toEqual([lease.subnet?.toString()]);
      });

      it('takes the previous subnet when it is free and fits', async () => {
        const { manager } = await open(CONFIG);
        const lease = await manager.acquireLease(attributes('192.168.1.1'), { previous: { subnet: IpNet.parse('10.5.77.0/24') } });
        expect(lease.subnet?.toString()).toBe('10.5.77.0/24');
      });

      it('ignores the previous subnet when another node holds it', async () => {
        const harness = await open(CONFIG);
        await harness.putLease({ subnet: IpNet.parse('10.5.77.0/24'), attributes: attributes('192.168.1.2'), ttlMs: 3_600_000 });
        const lease = await harness.manager.acquireLease(attributes('192.168.1.1'), { previous: { subnet: IpNet.parse('10.5.77.0/24') } });
        expect(lease.subnet?.toString()).not.toBe('10.5.77.0/24');
        expect(inRange(lease.subnet, '10.5.1.0', '10.5.255.0', 24)).toBe(true);
      });

      it('ignores a previous subnet that does not fit the config', async () => {
        const { manager } = await open(CONFIG);
        for (const previous of ['10.6.1.0/24', '10.5.0.0/24', '10.5.7.0/25']) {
          const lease = await manager.acquireLease(attributes('192.168.1.1'), { previous: { subnet: IpNet.parse(previous) } });
          expect(lease.subnet?.toString()).not.toBe(previous);
          expect(inRange(lease.subnet, '10.5.1.0', '10.5.255.0', 24)).toBe(true);
        }
      });

      it('skips subnets other nodes hold', async () => {
        const harness = await open(TINY_CONFIG);
        await harness.putLease({ subnet: IpNet.parse('10.5.0.4/30'), attributes: attributes('192.168.1.2'), ttlMs: 3_600_000 });
        await harness.putLease({ subnet: IpNet.parse('10.5.0.12/30'), attributes: attributes('192.168.1.3'), ttlMs: 3_600_000 });
        const lease = await harness.manager.acquireLease(attributes('192.168.1.1'));
        expect(lease.subnet?.toString()).toBe('10.5.0.8/30');
      });

      it('rejects SUBNETS_EXHAUSTED when every subnet is leased', async () => {
        const { manager } = await open(TINY_CONFIG);
        for (let i = 1; i <= 3; i++) await manager.acquireLease(attributes(`192.168.1.${i}`));
        const error = await expectCode(manager.acquireLease(attributes('192.168.1.4')), 'SUBNETS_EXHAUSTED');
        expect(error.isRetryable).toBe(false);
      });

      it('rejects ABORTED when the signal is already aborted', async () => {
        const { manager } = await open(CONFIG);
        await expectCode(manager.acquireLease(attributes('192.168.1.1'), { signal: AbortSignal.abort() }), 'ABORTED');
      });
    });

    feature('reservations')('reservations', () => {
      it('reuses a reservation carrying its PublicIP and keeps it non-expiring', async () => {
        const harness = await open(CONFIG);
        await harness.putLease({ subnet: IpNet.parse('10.5.42.0/24'), attributes: attributes('192.168.1.1') });
        const lease = await harness.manager.acquireLease(attributes('192.168.1.1'));
        expect(lease.subnet?.toString()).toBe('10.5.42.0/24');
        expect(lease.expiration).toBeUndefined();
      });
    });

    feature('ipv6')('dual stack', () => {
      it('leases an IPv4 and an IPv6 subnet together', async () => {
        const { manager } = await open(DUAL_CONFIG);
        const lease = await manager.acquireLease(attributes('192.168.1.1', { publicIPv6: 'fd00:1::1' }));
        expect(lease.enableIPv4 && lease.enableIPv6).toBe(true);
        expect(inRange(lease.subnet, '10.5.1.0', '10.5.255.0', 24)).toBe(true);
        expect(inRange(lease.ipv6Subnet, 'fd00:5:0:1::', 'fd00:5:0:ffff::', 64)).toBe(true);
        expect(lease.attributes.publicIPv6).toBe('fd00:1::1');
      });

      it('reuses both subnets for the same PublicIP', async () => {
        const { manager } = await open(DUAL_CONFIG);
        const first = await manager.acquireLease(attributes('192.168.1.1', { publicIPv6: 'fd00:1::1' }));
        const second = await manager.acquireLease(attributes('192.168.1.1', { publicIPv6: 'fd00:1::1' }));
        expect(second.subnet?.toString()).toBe(first.subnet?.toString());
        expect(second.ipv6Subnet?.toString()).toBe(first.ipv6Subnet?.toString());
      });
    });

    feature('renewal')('renewal', () => {
      it('extends the expiry and keeps subnet and attributes', async () => {
        const { manager } = await open(CONFIG);
        const lease = await manager.acquireLease(attributes('192.168.1.1'));
        const renewed = await manager.renewLease(lease);
        expect(renewed.subnet?.toString()).toBe(lease.subnet?.toString());
        expect(renewed.attributes).toEqual(lease.attributes);
        expect(renewed.expiration!.getTime()).toBeGreaterThanOrEqual(lease.expiration!.getTime());
      });
    });

    describe('watch', () => {
      it('starts with a snapshot of every lease, the own one included', async () => {
        const harness = await open(CONFIG);
        await harness.putLease({ subnet: IpNet.parse('10.5.3.0/24'), attributes: attributes('192.168.1.3'), ttlMs: 3_600_000 });
        const own = await harness.manager.acquireLease(attributes('192.168.1.1'));
        const subnets = (await snapshot(harness.manager)).map((l) => l.subnet?.toString()).sort();
        expect(subnets).toEqual([own.subnet?.toString(), '10.5.3.0/24'].sort());
      });

      it('reports leases added and removed by other nodes, with their attributes', async () => {
        const harness = await open(CONFIG);
        const controller = new AbortController();
        const iterator = harness.manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
        try {
          const first = await iterator.next();
          expect(first.done !== true && first.value.kind).toBe('snapshot');
          const subnet = IpNet.parse('10.5.8.0/24');
          await harness.putLease({ subnet, attributes: attributes('192.168.1.8'), ttlMs: 3_600_000 });
          const added = await waitFor(iterator, (e) => e.type === 'added' && subnet.equals(e.lease.subnet));
          expect(added.event.lease.attributes).toEqual(attributes('192.168.1.8'));
          await harness.deleteLease({ subnet });
          await waitFor(iterator, (e) => e.type === 'removed' && subnet.equals(e.lease.subnet));
        } finally {
          controller.abort();
          await iterator.return?.();
        }
      });

      it('ends when its signal aborts', async () => {
        const { manager } = await open(CONFIG);
        const controller = new AbortController();
        const iterator = manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
        await iterator.next();
        const pending = iterator.next();
        controller.abort();
        expect((await pending).done).toBe(true);
      });

      it("watchLease (when offered) shows the own lease and then only its own key's events", async (context) => {
        const harness = await open(CONFIG);
        if (harness.manager.watchLease === undefined) context.skip();
        const own = await harness.manager.acquireLease(attributes('192.168.1.1'));
        const controller = new AbortController();
        const iterator = harness.manager.watchLease!(own, { signal: controller.signal })[Symbol.asyncIterator]();
        try {
          const first = await iterator.next();
          expect(first.done !== true && first.value.kind === 'snapshot' ? first.value.leases.map((l) => l.subnet?.toString()) : first).toEqual([own.subnet?.toString()]);
          await harness.putLease({ subnet: IpNet.parse('10.5.200.0/24'), attributes: attributes('192.168.1.200'), ttlMs: 3_600_000 });
          await harness.putLease({ subnet: own.subnet!, attributes: attributes('192.168.1.66'), ttlMs: 3_600_000 });
          const next = await iterator.next();
          expect(next.done !== true && next.value.kind === 'events' ? next.value.events.map((e) => `${e.type} ${e.lease.subnet?.toString()} ${e.lease.attributes.publicIP}`) : next).toEqual([
            `added ${own.subnet?.toString()} 192.168.1.66`,
          ]);
        } finally {
          controller.abort();
          await iterator.return?.();
        }
      });

      feature('watch-resume')('resuming', () => {
        it('resumes after a cursor with the later events only', async () => {
          const harness = await open(CONFIG);
          const controller = new AbortController();
          const iterator = harness.manager.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
          const first = await iterator.next();
          controller.abort();
          await iterator.return?.();
          if (first.done === true) throw new Error('watch ended');
          await harness.putLease({ subnet: IpNet.parse('10.5.9.0/24'), attributes: attributes('192.168.1.9'), ttlMs: 3_600_000 });
          const resumed = new AbortController();
          const again = harness.manager.watchLeases({ signal: resumed.signal, cursor: first.value.cursor })[Symbol.asyncIterator]();
          try {
            const next = await again.next();
            expect(next.done !== true && next.value.kind).toBe('events');
            if (next.done !== true && next.value.kind === 'events') {
              expect(next.value.events.map((e) => `${e.type} ${e.lease.subnet?.toString()}`)).toEqual(['added 10.5.9.0/24']);
            }
          } finally {
            resumed.abort();
            await again.return?.();
          }
        });
      });
    });

    feature('revocation')('completeLease', () => {
      it('resolves when its signal aborts', async () => {
        const { manager } = await open(CONFIG);
        const lease = await manager.acquireLease(attributes('192.168.1.1'));
        const controller = new AbortController();
        const running = manager.completeLease(lease, { signal: controller.signal });
        controller.abort();
        await expect(running).resolves.toBeUndefined();
      });

      it('rejects LEASE_REVOKED when the own lease is deleted', async () => {
        const harness = await open(CONFIG);
        const lease = await harness.manager.acquireLease(attributes('192.168.1.1'));
        const controller = new AbortController();
        const running = harness.manager.completeLease(lease, { signal: controller.signal });
        // Observe the outcome before deleting: a real datastore may reject before deleteLease resolves.
        const outcome = expectCode(running, 'LEASE_REVOKED');
        try {
          await harness.deleteLease(lease);
          await outcome;
        } finally {
          controller.abort();
          await running.catch(() => undefined);
        }
      });
    });

    it('closes idempotently', async () => {
      const { manager } = await open(CONFIG);
      await manager.close();
      await manager.close();
    });
  });
}
