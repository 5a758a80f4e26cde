// The daemon's WireGuard driver: the kernel module first (flannel's only path, pkg/backend/wireguard/device.go
// through wgctrl), wireguard-go when the kernel has no WireGuard. The kernel driver's generic netlink socket
// is opened only when the kernel accepted a `wireguard` link (so a kernel without the module never opens
// one), closed again when the family cannot be resolved, and otherwise kept while the network runs (every
// peer change goes through it); the daemon's shutdown closes it through the network's `close()`.
import { createAutoWireguardDriver, createKernelWireguardDriver, createWireguardGoDriver, genetlinkFromSocket } from '@flannel-ts/backend-wireguard';
import type { GenericNetlinkLike, KernelWireguardNetlink, WireguardDriver, WireguardGenetlink, WireguardGoDriverOptions, WireguardGoNetlink } from '@flannel-ts/backend-wireguard';
import type { Logger } from '@flannel-ts/core';

/** A generic netlink socket that can be closed (`openGenericNetlink()` of @flannel-ts/netlink). */
export type ClosableGenericNetlink = GenericNetlinkLike & { close(): Promise<void> };

/**
 * Generic netlink for the kernel driver over a socket opened on first use; a failed family resolution
 * (no WireGuard module) and `close()` close it, and the next use opens a fresh one.
 *
 * @example
 * ```ts
 * const genetlink = lazyGenetlink(() => openGenericNetlink());
 * await genetlink.resolveFamily('wireguard'); // opens the socket: genl ctrl get name wireguard
 * ```
 */
export function lazyGenetlink(open: () => ClosableGenericNetlink): WireguardGenetlink {
  let current: { socket: ClosableGenericNetlink; genetlink: WireguardGenetlink } | undefined;
  const connect = () => {
    if (current === undefined) {
      const socket = open();
      current = { socket, genetlink: genetlinkFromSocket(socket) };
    }
    return current;
  };
  return {
    async resolveFamily(name) {
      const connection = connect();
      try {
        return await connection.genetlink.resolveFamily(name);
      } catch (error) {
        if (current === connection) current = undefined;
        await connection.socket.close().catch(() => undefined);
        throw error;
      }
    },
    request: (familyId, flags, payload) => connect().genetlink.request(familyId, flags, payload),
    async close() {
      const connection = current;
      current = undefined;
      await connection?.socket.close();
    },
  };
}

/** Options of {@link createDaemonWireguardDriver}. */
export interface DaemonWireguardDriverOptions {
  /** rtnetlink of the node's namespace (both drivers create the link through it). */
  readonly netlink: KernelWireguardNetlink & WireguardGoNetlink;
  readonly logger: Logger;
  /** Opens a generic netlink socket in the node's namespace (`() => openGenericNetlink()`). */
  readonly openGenericNetlink: () => ClosableGenericNetlink;
  /** The wireguard-go driver's options besides netlink and logger (`mountNamespace`, and in tests `commandPrefix`). */
  readonly wireguardGo?: Omit<WireguardGoDriverOptions, 'netlink' | 'logger'>;
}

/**
 * The daemon's automatic WireGuard driver: kernel, then wireguard-go (`chosen()` says which one runs).
 *
 * @example
 * ```ts
 * const driver = createDaemonWireguardDriver({ netlink, logger, openGenericNetlink: () => openGenericNetlink() });
 * await driver.createDevice('flannel-wg', 1420); // ip link add flannel-wg type wireguard, else wireguard-go -f flannel-wg
 * driver.chosen(); // 'kernel' or 'wireguard-go'
 * ```
 */
export function createDaemonWireguardDriver(options: DaemonWireguardDriverOptions): WireguardDriver & { readonly chosen: () => string | undefined } {
  const { netlink, logger } = options;
  const kernel = createKernelWireguardDriver({ netlink, genetlink: lazyGenetlink(options.openGenericNetlink), logger: logger.child({ component: 'wireguard-kernel' }) });
  const userspace = createWireguardGoDriver({ ...options.wireguardGo, netlink, logger: logger.child({ component: 'wireguard-go' }) });
  return createAutoWireguardDriver([kernel, userspace], { logger });
}
