// The kernel driver: flannel's own path (pkg/backend/wireguard/device.go through wgctrl). The device is
// an rtnetlink link of kind "wireguard" (`ip link add flannel-wg type wireguard`); its keys, port and
// peers go over generic netlink family "wireguard" (WG_CMD_SET_DEVICE / WG_CMD_GET_DEVICE). The family
// id comes from an injected resolver (CTRL_CMD_GETFAMILY), so this file holds no socket code.
import { FlannelError, silentLogger } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import type { Netlink } from '@flannel-ts/netlink';
import { decodeGetDevice, encodeGetDevice, encodeSetDevice } from './genl/wireguard-genl-codec.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, WG_GENL_NAME } from './genl/wireguard-genl-constants.js';
import type { WireguardDevice, WireguardDriver } from './wireguard-device.js';

/** Generic netlink as the kernel driver needs it. */
export interface WireguardGenetlink {
  /** The family id of `name` (CTRL_CMD_GETFAMILY); rejects when the kernel has no such family. */
  resolveFamily(name: string): Promise<number>;
  /**
   * Sends one request: `nlmsghdr` (type = `familyId`, `flags`) + `payload` (genlmsghdr + attributes).
   * Resolves the payloads of the reply messages (none for an ack, every part of a dump); rejects with
   * the kernel's error.
   */
  request(familyId: number, flags: number, payload: Uint8Array): Promise<Uint8Array[]>;
  /** Optional: closes the socket under it (a later call opens a fresh one). Idempotent. */
  close?(): Promise<void>;
}

/** The rtnetlink operations of the kernel driver. */
export type KernelWireguardNetlink = Pick<Netlink, 'findLink' | 'deleteLink' | 'addLink'>;

/** Options of {@link createKernelWireguardDriver}. */
export interface KernelWireguardDriverOptions {
  readonly netlink: KernelWireguardNetlink;
  readonly genetlink: WireguardGenetlink;
  readonly logger?: Logger;
}

function errnoName(error: unknown): string | undefined {
  const record = error as { errnoName?: unknown; code?: unknown } | undefined;
  if (typeof record?.errnoName === 'string') return record.errnoName;
  return typeof record?.code === 'string' ? record.code : undefined;
}

/** errno names that mean "this kernel has no WireGuard" when creating the link or resolving the family. */
const UNSUPPORTED = new Set(['EOPNOTSUPP', 'ENOTSUP', 'ENOENT', 'EPROTONOSUPPORT', 'ENODEV']);

/**
 * Creates the kernel driver.
 *
 * @example
 * ```ts
 * const driver = createKernelWireguardDriver({ netlink, genetlink });
 * const device = await driver.createDevice('flannel-wg', 1420); // ip link add flannel-wg mtu 1420 type wireguard
 * ```
 */
export function createKernelWireguardDriver(options: KernelWireguardDriverOptions): WireguardDriver {
  const logger = options.logger ?? silentLogger;
  const { netlink, genetlink } = options;
  let familyId: number | undefined;
  const family = async (): Promise<number> => {
    if (familyId !== undefined) return familyId;
    try {
      familyId = await genetlink.resolveFamily(WG_GENL_NAME);
      return familyId;
    } catch (error) {
      throw new FlannelError('BACKEND_UNSUPPORTED', `the kernel has no generic netlink family "${WG_GENL_NAME}" (${errnoName(error) ?? (error as Error).message}): WireGuard module missing`, { cause: error });
    }
  };
  return {
    kind: 'kernel',
    async createDevice(name, mtu) {
      const existing = await netlink.findLink(name);
      if (existing !== undefined) {
        logger.warn({ device: name, kind: existing.kind }, `"${name}" already exists; recreating device`);
        await netlink.deleteLink(name);
      }
      let link;
      try {
        link = await netlink.addLink({ kind: 'wireguard', name, mtu });
      } catch (error) {
        const errno = errnoName(error);
        if (errno !== undefined && UNSUPPORTED.has(errno)) {
          throw new FlannelError('BACKEND_UNSUPPORTED', `could not create wireguard interface ${name}: the kernel has no wireguard link type (${errno})`, { cause: error });
        }
        throw new FlannelError('BACKEND_FAILED', `could not create wireguard interface ${name}: ${(error as Error).message}`, { cause: error });
      }
      let id: number;
      try {
        id = await family();
      } catch (error) {
        await netlink.deleteLink(name).catch(() => undefined);
        throw error;
      }
      const ref = { index: link.index };
      let removed = false;
      const device: WireguardDevice = {
        name,
        index: link.index,
        async configure(config) {
          try {
            await genetlink.request(id, NLM_F_REQUEST | NLM_F_ACK, encodeSetDevice(ref, config));
          } catch (error) {
            throw new FlannelError('BACKEND_FAILED', `failed to configure device ${name} (${errnoName(error) ?? 'error'})`, { cause: error });
          }
        },
        async read() {
          return decodeGetDevice(await genetlink.request(id, NLM_F_REQUEST | NLM_F_DUMP, encodeGetDevice(ref)));
        },
        async remove() {
          if (removed) return;
          removed = true;
          await netlink.deleteLink(name).catch((error: unknown) => logger.debug({ device: name, err: error }, 'device already gone'));
        },
      };
      return device;
    },
    async close() {
      await genetlink.close?.();
    },
  };
}
