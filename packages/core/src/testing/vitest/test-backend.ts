// The conformance suite every Backend implementation runs (vxlan, host-gw, alloc, …). It checks the
// contract, not the data path: what goes into the lease, the MTU, cancellation, clean failure, restart
// and that lease events are consumed. Kernel effects are observed only through the harness's hooks, so
// core needs no netlink dependency.
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend, BackendContext, ExternalInterface, Network } from '../../backend.js';
import { FlannelError } from '../../errors.js';
import type { FlannelErrorCode } from '../../errors.js';
import { IpNet } from '../../ip-net.js';
import type { Lease, LeaseAttributes } from '../../lease.js';
import { silentLogger } from '../../logger.js';
import { createMemorySubnetManager } from '../memory-subnet-manager.js';
import type { MemorySubnetManager } from '../memory-subnet-manager.js';

/**
 * What a backend gives the conformance suite for one test. `createBackend` may be called more than
 * once per test (the suite restarts the node); every call must share one (fake) kernel.
 */
export interface BackendHarness {
  /** Creates the backend under test; bind its own boundaries (a `RecordingNetlink`, ticks…) here. */
  createBackend(context: BackendContext): Backend | Promise<Backend>;
  /** The node's external interface. Default: `eth0`, index 2, MTU 1500, `192.168.1.1` (and `fd00::1`). */
  readonly externalInterface?: ExternalInterface;
  /** The attributes another node of this backend publishes (vxlan: its `BackendData`). Default `{ publicIP, backendType }`. */
  remoteAttributes?(publicIP: string): LeaseAttributes;
  /**
   * Attributes of a remote lease this backend cannot use. Default: another backend type with broken
   * `BackendData`. A backend that routes to leases of every type (udp, as flannel's) gives an unusable
   * PublicIP instead.
   */
  unusableRemoteAttributes?(publicIP: string): LeaseAttributes;
  /**
   * A comparable picture of everything the backend may have created (e.g. `netlink.toCommands()`);
   * compared before and after a registration that must fail, which may leave nothing behind.
   */
  state?(): unknown;
  /** How many kernel entries the node holds for `remote` (routes, neighbours, FDB entries…). */
  remoteEntries?(remote: Lease): number | Promise<number>;
  /**
   * Resolves at the running network's next reconcile pass. Required with `remoteEntries`: the suite
   * waits on passes, never on timers.
   */
  nextPass?(): Promise<void>;
  /** Releases what the harness holds (fake netlink, namespaces). */
  close?(): Promise<void> | void;
}

/** Options of {@link testBackend}. */
export interface TestBackendOptions {
  /** The config's `Backend` section, e.g. `{ Type: 'vxlan', VNI: 1 }`. Default `{ Type: <name> }`. */
  readonly backendConfig?: Readonly<Record<string, unknown>>;
  /**
   * The type published as `BackendType` in the lease; `null` when the backend publishes none (alloc,
   * udp). Default: the backend's `type`.
   */
  readonly leaseBackendType?: string | null;
  /** A `Backend` section `registerNetwork` must refuse before acquiring a lease, and the code it rejects with (default `CONFIG_INVALID`). */
  readonly invalidBackendConfig?: { readonly config: Readonly<Record<string, unknown>>; readonly code?: FlannelErrorCode };
  /** Also run the dual-stack checks (the external interface needs `address6`; the lease must publish `PublicIPv6`). */
  readonly ipv6?: boolean;
}

const NETWORK = '10.5.0.0/16';
const IPV6_NETWORK = 'fd10::/56';
const DEFAULT_INTERFACE: ExternalInterface = { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1', address6: 'fd00::1' };
const REMOTE_IP = '192.168.1.2';

async function expectCode(promise: Promise<unknown>, code: FlannelErrorCode): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(FlannelError.isInstance(error) ? error.code : error).toBe(code);
    return;
  }
  throw new Error(`expected a FlannelError ${code}, but the call succeeded`);
}

/** A promise's outcome so far, read without waiting for it. */
function track(promise: Promise<void>): { readonly settled: () => boolean; readonly done: Promise<void> } {
  let settled = false;
  const done = promise.finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  return { settled: () => settled, done };
}

/** Lets every queued promise job and I/O callback run once (no timers involved). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Registers vitest tests that check a {@link Backend} against the contract of `backend.ts`: the lease
 * carries the backend's type and the external interface's PublicIP; `network.lease` and `network.mtu`
 * are sane; `run` resolves after, and only after, its signal aborts; an aborted or invalid registration
 * rejects without a lease and leaves nothing behind; a network closed without running leaves what a shutdown
 * leaves (with `state`); a restart reuses the subnet; remote lease events
 * are consumed (and, with `remoteEntries`, programmed and removed). Each test uses a fresh
 * {@link createMemorySubnetManager} and a fresh harness from `factory`.
 *
 * @example
 * ```ts
 * // vxlan-conformance.test.ts
 * testBackend('vxlan', () => {
 *   const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['192.168.1.1/24'] }] });
 *   return { createBackend: createVxlanBackend({ netlink }), state: () => netlink.toCommands() };
 * }, { invalidBackendConfig: { config: { Type: 'vxlan', VNI: -1 } } });
 * ```
 */
export function testBackend(name: string, factory: () => BackendHarness | Promise<BackendHarness>, options: TestBackendOptions = {}): void {
  const backendConfig = options.backendConfig ?? { Type: name };

  describe(`Backend conformance: ${name}`, () => {
    let harness: BackendHarness | undefined;
    const running: Array<{ controller: AbortController; done: Promise<void> }> = [];
    afterEach(async () => {
      for (const { controller, done } of running.splice(0)) {
        controller.abort();
        await done.catch(() => undefined);
      }
      await harness?.close?.();
      harness = undefined;
    });

    const setup = async (config: { backend?: Readonly<Record<string, unknown>>; ipv6?: boolean } = {}) => {
      harness = await factory();
      const h = harness;
      const ext = h.externalInterface ?? DEFAULT_INTERFACE;
      const manager: MemorySubnetManager = createMemorySubnetManager({
        config: JSON.stringify({ Network: NETWORK, ...(config.ipv6 ? { EnableIPv6: true, IPv6Network: IPV6_NETWORK } : {}), Backend: config.backend ?? backendConfig }),
      });
      const backend = async (): Promise<Backend> => h.createBackend({ subnetManager: manager, externalInterface: ext, logger: silentLogger });
      const register = async (signal?: AbortSignal): Promise<Network> =>
        (await backend()).registerNetwork({ config: await manager.getNetworkConfig(), ...(signal ? { signal } : {}) });
      const start = (network: Network) => {
        const controller = new AbortController();
        const run = track(network.run(controller.signal));
        running.push({ controller, done: run.done });
        return { controller, ...run };
      };
      return { harness: h, ext, manager, backend, register, start };
    };

    it('reports its type and specification version', async () => {
      const { backend } = await setup();
      const created = await backend();
      expect(created.specificationVersion).toBe('v1');
      expect(created.type).toBe(name);
    });

    it("acquires a lease carrying the backend's type and the interface's PublicIP", async () => {
      const { ext, manager, register, backend } = await setup();
      const type = (await backend()).type;
      const network = await register();
      const expectedType = options.leaseBackendType === undefined ? type : options.leaseBackendType ?? undefined;
      expect(network.lease.attributes.publicIP).toBe(ext.publicIP ?? ext.address);
      expect(network.lease.attributes.backendType).toBe(expectedType);
      const stored = manager.listLeases();
      expect(stored.map((lease) => lease.subnet?.toString())).toEqual([network.lease.subnet?.toString()]);
      expect(stored[0]?.attributes).toEqual(network.lease.attributes);
    });

    it('returns a lease inside the network and an MTU no larger than the interface MTU', async () => {
      const { ext, register } = await setup();
      const network = await register();
      const config = IpNet.parse(NETWORK);
      expect(network.lease.enableIPv4).toBe(true);
      expect(network.lease.subnet?.prefixLength).toBe(24);
      expect(config.contains(network.lease.subnet!)).toBe(true);
      expect(Number.isInteger(network.mtu)).toBe(true);
      expect(network.mtu).toBeGreaterThanOrEqual(68);
      expect(network.mtu).toBeLessThanOrEqual(ext.mtu);
    });

    it('runs until its signal aborts, then resolves', async () => {
      const { harness: h, register, start } = await setup();
      const network = await register();
      const pass = h.nextPass?.();
      const run = start(network);
      if (pass) await pass;
      for (let i = 0; i < 5; i++) await turn();
      expect(run.settled()).toBe(false);
      run.controller.abort();
      await expect(run.done).resolves.toBeUndefined();
    });

    it('resolves run at once when its signal is already aborted', async () => {
      const { register } = await setup();
      const network = await register();
      await expect(network.run(AbortSignal.abort())).resolves.toBeUndefined();
    });

    it('rejects ABORTED for an already-aborted signal and leaves no lease and nothing behind', async () => {
      const { harness: h, manager, register } = await setup();
      const before = h.state?.();
      await expectCode(register(AbortSignal.abort()), 'ABORTED');
      expect(manager.listLeases()).toEqual([]);
      if (h.state) expect(h.state()).toEqual(before);
    });

    it.skipIf(options.invalidBackendConfig === undefined)('rejects invalid backend options before acquiring a lease', async () => {
      const invalid = options.invalidBackendConfig!;
      const { harness: h, manager, register } = await setup({ backend: invalid.config });
      const before = h.state?.();
      await expectCode(register(), invalid.code ?? 'CONFIG_INVALID');
      expect(manager.listLeases()).toEqual([]);
      if (h.state) expect(h.state()).toEqual(before);
    });

    it('reuses the same subnet when registering again after a restart', async () => {
      const { manager, register, start } = await setup();
      const first = await register();
      const run = start(first);
      run.controller.abort();
      await run.done;
      const second = await register();
      expect(second.lease.subnet?.toString()).toBe(first.lease.subnet?.toString());
      expect(second.lease.attributes.publicIP).toBe(first.lease.attributes.publicIP);
      expect(manager.listLeases()).toHaveLength(1);
    });

    // The daemon closes a network that never ran when a start-up step after `registerNetwork` fails (traffic
    // rules, a stop): what that leaves must be what a normal shutdown leaves, not half of it (wireguard's
    // devices, udp's TUN).
    it('leaves, closed without running, what a run ended by its signal leaves', async (context) => {
      const { harness: h, register, start } = await setup();
      if (!h.state) return context.skip('the harness gives no state() to compare');
      const ran = await register();
      const run = start(ran);
      run.controller.abort();
      await run.done;
      await ran.close?.();
      const afterShutdown = h.state();
      const never = await register();
      await never.close?.();
      expect(h.state()).toEqual(afterShutdown);
      await never.close?.();
      expect(h.state()).toEqual(afterShutdown);
    });

    it('consumes remote lease additions and removals without failing', async () => {
      const { harness: h, manager, register, start, backend } = await setup();
      const type = (await backend()).type;
      const network = await register();
      const remoteAttributes = h.remoteAttributes?.(REMOTE_IP) ?? { publicIP: REMOTE_IP, backendType: type };
      const subnet = IpNet.parse('10.5.200.0/24');
      const first = h.nextPass?.();
      const run = start(network);
      if (first) await first;
      // Waits on reconcile passes until `check` holds; the waiter is armed before each check.
      const until = async (check: () => Promise<boolean>): Promise<void> => {
        for (;;) {
          const pass = h.nextPass!();
          if (await check()) return;
          await pass;
        }
      };
      const remote = manager.putLease({ subnet, attributes: remoteAttributes, ttlMs: 3_600_000 });
      if (h.remoteEntries) await until(async () => (await h.remoteEntries!(remote)) > 0);
      manager.deleteLease({ subnet });
      if (h.remoteEntries) await until(async () => (await h.remoteEntries!(remote)) === 0);
      for (let i = 0; i < 5; i++) await turn();
      expect(run.settled()).toBe(false);
      run.controller.abort();
      await expect(run.done).resolves.toBeUndefined();
    });

    it('ignores a remote lease it cannot use without failing', async () => {
      const { harness: h, manager, register, start } = await setup();
      const network = await register();
      const first = h.nextPass?.();
      const run = start(network);
      if (first) await first;
      const pass = h.nextPass?.();
      const subnet = IpNet.parse('10.5.201.0/24');
      const attributes = h.unusableRemoteAttributes?.(REMOTE_IP) ?? { publicIP: REMOTE_IP, backendType: 'no-such-backend', backendData: '{"not":"yours"' };
      const remote = manager.putLease({ subnet, attributes, ttlMs: 3_600_000 });
      if (pass) await pass;
      if (h.remoteEntries) expect(await h.remoteEntries(remote)).toBe(0);
      expect(run.settled()).toBe(false);
      run.controller.abort();
      await expect(run.done).resolves.toBeUndefined();
    });

    describe.skipIf(options.ipv6 !== true)('dual stack', () => {
      it('leases an IPv6 subnet inside the IPv6 network as well', async () => {
        const { ext, register } = await setup({ ipv6: true });
        const network = await register();
        expect(network.lease.enableIPv6).toBe(true);
        expect(IpNet.parse(IPV6_NETWORK).contains(network.lease.ipv6Subnet!)).toBe(true);
        expect(IpNet.parse(NETWORK).contains(network.lease.subnet!)).toBe(true);
        expect(network.lease.attributes.publicIPv6).toBe(ext.publicIPv6 ?? ext.address6);
        expect(network.mtu).toBeLessThanOrEqual(ext.mtu);
      });
    });
  });
}
