// Recording fakes of the udp backend's boundaries: a TUN opener that creates the device in a
// RecordingNetlink (so the kernel picture prints as `ip` commands), a socket opener that records binds
// (and grants UDP GSO/GRO when asked, as a current kernel does),
// and a forwarder that keeps its route table in memory and prints it.
import type { Netlink } from '@flannel-ts/netlink';
import type { Forwarder, ForwarderOptions, ForwarderStarter, ForwarderStats, TunDevice, TunOpener, UdpSocketOpener } from '../udp-boundaries.js';
import { UdpRouteTable } from '../udp-route-table.js';
import type { UdpRoute } from '../udp-route-table.js';

const dotted = (value: number): string => [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');

/** A route as text: `10.5.2.0/24 -> 192.168.1.2:8285`. */
export function formatUdpRoute(route: UdpRoute): string {
  return `${dotted(route.network)}/${route.prefixLength} -> ${dotted(route.nextHop)}:${route.port}`;
}

/** What the fakes recorded, shared by every backend created with them (a restart sees the same kernel). */
export interface RecordingUdpBoundaries {
  readonly openTun: TunOpener;
  readonly openSocket: UdpSocketOpener;
  readonly startForwarder: ForwarderStarter;
  /** TUN devices open now, by name. */
  readonly openTuns: ReadonlySet<string>;
  /** Sockets open now, as `address:port`. */
  readonly openSockets: ReadonlySet<string>;
  /** Every forwarder started, in order, with its options. */
  readonly forwarders: readonly { readonly options: ForwarderOptions; readonly running: () => boolean }[];
  /** The routes of the running forwarder (sorted text), or `[]`. */
  routes(): string[];
  /** Resolves at the next `sync()` of a forwarder: the routes posted before it are in effect. */
  nextSync(): Promise<void>;
  /** Makes the next `openSocket` reject with `error`. */
  failNextSocket(error: Error): void;
}

/**
 * Creates the fakes. With `netlink` (a RecordingNetlink), opening a TUN adds a `tun` link named from the
 * template and closing it deletes the link, as the kernel does.
 *
 * @example
 * ```ts
 * const fakes = createRecordingUdpBoundaries({ netlink });
 * const backend = createUdpBackend({ netlink, ...fakes });
 * fakes.routes(); // ['10.5.2.0/24 -> 192.168.1.2:8285']
 * ```
 */
export function createRecordingUdpBoundaries(options: { readonly netlink?: Pick<Netlink, 'addLink' | 'deleteLink' | 'findLink'> } = {}): RecordingUdpBoundaries {
  const openTuns = new Set<string>();
  const openSockets = new Set<string>();
  const forwarders: { options: ForwarderOptions; running: () => boolean; table: UdpRouteTable }[] = [];
  let syncWaiters: (() => void)[] = [];
  let socketFailure: Error | undefined;

  const openTun: TunOpener = async ({ nameTemplate, offload = false }) => {
    let name = nameTemplate;
    for (let index = 0; name.includes('%d'); index += 1) {
      const candidate = nameTemplate.replace('%d', String(index));
      if (!openTuns.has(candidate) && (await options.netlink?.findLink(candidate)) === undefined) name = candidate;
    }
    await options.netlink?.addLink({ kind: 'tun', name });
    openTuns.add(name);
    let open = true;
    const device: TunDevice = {
      name,
      fd: -1,
      offload,
      async close() {
        if (!open) return;
        open = false;
        openTuns.delete(name);
        await options.netlink?.deleteLink(name);
      },
    };
    return device;
  };

  // A kernel with UDP GSO and GRO: both are granted when asked for.
  const openSocket: UdpSocketOpener = ({ address, port, bufferBytes, offload = false }) => {
    if (socketFailure !== undefined) {
      const error = socketFailure;
      socketFailure = undefined;
      throw error;
    }
    const key = `${address}:${port}`;
    openSockets.add(key);
    return { fd: -1, receiveBufferBytes: bufferBytes, gso: offload, gro: offload, close: () => void openSockets.delete(key) };
  };

  const startForwarder: ForwarderStarter = (forwarderOptions) => {
    const table = new UdpRouteTable();
    let running = true;
    let resolveExit!: () => void;
    const exited = new Promise<void>((resolve) => (resolveExit = resolve));
    const stats: ForwarderStats = { tunPackets: 0, sentDatagrams: 0, receivedDatagrams: 0, tunWrites: 0, noRoute: 0, dropped: 0, polls: 0, coalesced: 0, gsoMessages: 0, groMessages: 0 };
    forwarders.push({ options: forwarderOptions, running: () => running, table });
    const forwarder: Forwarder = {
      setRoute: (route) => void (running && table.set(route)),
      deleteRoute: (network, prefixLength) => void (running && table.delete(network, prefixLength)),
      sync: async () => {
        const waiters = syncWaiters;
        syncWaiters = [];
        for (const waiter of waiters) waiter();
      },
      stats: async () => stats,
      stop: async () => {
        running = false;
        resolveExit();
      },
      exited,
    };
    return forwarder;
  };

  return {
    openTun,
    openSocket,
    startForwarder,
    openTuns,
    openSockets,
    forwarders,
    routes: () => {
      const current = forwarders.findLast((each) => each.running());
      return current === undefined ? [] : current.table.routes.map(formatUdpRoute).sort();
    },
    nextSync: () => new Promise((resolve) => syncWaiters.push(resolve)),
    failNextSocket: (error) => void (socketFailure = error),
  };
}
