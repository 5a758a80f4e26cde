import { LabHost } from './lab-host.js';
import type { PairHost } from './host-pair.js';

/**
 * What a root test started and must stop: cleanups run newest first, and runs that go on in the background
 * until then (a backend's `network.run(signal)`, a watch). Call {@link RootTestResources.cleanUp} from
 * `afterEach`/`afterAll`; a cleanup that fails does not stop the others.
 *
 * @example
 * ```ts
 * const resources = new RootTestResources();
 * afterEach(() => resources.cleanUp());
 * const netlink = await createNetlink({ netns: { name: host.name } });
 * resources.defer(() => netlink.close());
 * resources.runInBackground((signal) => network.run(signal));
 * ```
 */
export class RootTestResources {
  readonly #cleanups: Array<() => unknown> = [];

  /** Runs `cleanup` at {@link cleanUp}, before every cleanup deferred earlier. */
  defer(cleanup: () => unknown): void {
    this.#cleanups.push(cleanup);
  }

  /** Starts `run` now; at {@link cleanUp} its signal aborts and its promise is awaited (a rejection is ignored). */
  runInBackground(run: (signal: AbortSignal) => Promise<unknown>): void {
    const controller = new AbortController();
    const done = run(controller.signal);
    this.defer(async () => {
      controller.abort();
      await done;
    });
  }

  /** Runs every deferred cleanup, newest first, and forgets them. */
  async cleanUp(): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // The other cleanups still run; leftovers are the sweep's business.
      }
    }
  }
}

/**
 * Adds the pod bridge `cni0` holding `addresses` (CIDRs; IPv6 without DAD) and sets it up, as the CNI
 * bridge plugin would on a flannel node. Equals `ip link add cni0 type bridge; ip addr add <address> dev
 * cni0 [nodad]; ip link set cni0 up`.
 *
 * @example
 * ```ts
 * await addPodBridge(host, [`${network.lease.subnet!.firstHost()}/24`]);
 * ```
 */
export async function addPodBridge(host: LabHost | PairHost, addresses: readonly string[]): Promise<void> {
  const commands = [
    ['link', 'add', 'cni0', 'type', 'bridge'],
    ...addresses.map((address) => ['addr', 'add', address, 'dev', 'cni0', ...(address.includes(':') ? ['nodad'] : [])]),
    ['link', 'set', 'cni0', 'up'],
  ];
  for (const args of commands) {
    if (host instanceof LabHost) await host.exec('ip', args, { check: true });
    else host.exec('ip', ...args);
  }
}
