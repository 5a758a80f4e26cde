// Design note — the wireguard backend (flannel's pkg/backend/wireguard).
//
// An encrypted overlay. Devices: `flannel-wg` (IPv4) and `flannel-wg-v6` (IPv6) in Mode "separate" (the
// default), one `flannel-wg` for both families in "auto"/"ipv4"/"ipv6"; MTU = (MTU option or interface
// MTU) − 80; an existing link of that name is deleted and recreated. One private key for both, from the
// key file (/run/flannel/wgkey or WIREGUARD_KEY_FILE, generated 0400 when absent). The lease publishes
// `{"PublicKey":"<base64>","Port":<ListenPort>}` as BackendData (and with ListenPortV6 as BackendV6Data,
// even in single-device modes: flannel's quirk). Each device holds `<subnet address>/32` (`/128`) and
// routes the whole flannel network to itself (`scope link`); per remote host one peer with endpoint
// `<PublicIP>:<Port>`, AllowedIPs = its subnet(s), the PSK and keepalive. WireGuard's cryptokey routing
// then picks the host. Devices come from a driver: the kernel module or wireguard-go. Keys never reach
// a log line or an error.
import { FlannelError, IpNet, leaseRulesFor, silentLogger, throwIfAborted } from '@flannel-ts/core';
import type { Backend, BackendContext, BackendFactory, Logger } from '@flannel-ts/core';
import type { Netlink, Route } from '@flannel-ts/netlink';
import { createAutoWireguardDriver } from './auto-driver.js';
import { createKernelWireguardDriver } from './kernel-driver.js';
import type { WireguardGenetlink } from './kernel-driver.js';
import { createFileKeyStore, keyFilePath } from './key-store.js';
import type { WireguardKeyStore } from './key-store.js';
import type { WireguardDevice, WireguardDriver } from './wireguard-device.js';
import { createWireguardGoDriver } from './wireguard-go-driver.js';
import { encodeWireguardLeaseData } from './wireguard-lease-data.js';
import type { WireguardBatchReport } from './wireguard-network.js';
import { createWireguardNetwork } from './wireguard-network.js';
import { parseWireguardOptions } from './wireguard-options.js';
import type { WireguardDeviceRole } from './wireguard-peers.js';

/** The rtnetlink operations of the wireguard backend (devices come from the driver). */
export type WireguardNetlink = Pick<Netlink, 'findLink' | 'deleteLink' | 'addLink' | 'setLink' | 'listAddresses' | 'addAddress' | 'deleteAddress' | 'replaceRoute'>;

/** Injected boundaries of the wireguard backend. */
export interface WireguardBackendOptions {
  /** rtnetlink on the node's network namespace. */
  readonly netlink: WireguardNetlink;
  /** Defaults to the daemon's logger from the `BackendContext`. */
  readonly logger?: Logger;
  /**
   * Creates the devices. Default: with `genetlink`, the kernel module first and wireguard-go when the
   * kernel has no WireGuard ({@link createAutoWireguardDriver}); without it, wireguard-go.
   */
  readonly driver?: WireguardDriver;
  /** Generic netlink for the kernel driver (family "wireguard" resolved through it). */
  readonly genetlink?: WireguardGenetlink;
  /** The private key; default the key file ({@link createFileKeyStore} at {@link keyFilePath}). */
  readonly keyStore?: WireguardKeyStore;
  /** Called after each batch of lease events. */
  readonly onBatch?: (report: WireguardBatchReport) => void;
}

/** Bytes WireGuard adds to a packet (flannel's `overhead`). */
export const WIREGUARD_OVERHEAD = 80;

/**
 * The wireguard backend factory.
 *
 * @example
 * ```ts
 * const backends = { wireguard: createWireguardBackend({ netlink }) };
 * // config: {"Network":"10.5.0.0/16","Backend":{"Type":"wireguard","PersistentKeepaliveInterval":25}}
 * ```
 */
export function createWireguardBackend(options: WireguardBackendOptions): BackendFactory {
  return (context: BackendContext): Backend => {
    const ext = context.externalInterface;
    const logger = (options.logger ?? context.logger ?? silentLogger).child({ backend: 'wireguard' });
    const { netlink } = options;
    const userspace = (): WireguardDriver => createWireguardGoDriver({ netlink, logger });
    const driver =
      options.driver ??
      (options.genetlink ? createAutoWireguardDriver([createKernelWireguardDriver({ netlink, genetlink: options.genetlink, logger }), userspace()], { logger }) : userspace());
    const keyStore = options.keyStore ?? createFileKeyStore({ path: keyFilePath() });
    return {
      specificationVersion: 'v1',
      type: 'wireguard',
      async registerNetwork({ config, previous, signal }) {
        throwIfAborted(signal);
        const wg = parseWireguardOptions(config);
        const privateKey = await keyStore.loadPrivateKey();
        const publicKey = privateKey.publicKey();
        const deviceMtu = (wg.mtu ?? ext.mtu) - WIREGUARD_OVERHEAD;
        const plan: Array<{ role: WireguardDeviceRole; name: string; port: number }> = [];
        if (wg.mode === 'separate') {
          if (config.enableIPv4) plan.push({ role: 'v4', name: 'flannel-wg', port: wg.listenPort });
          if (config.enableIPv6) plan.push({ role: 'v6', name: 'flannel-wg-v6', port: wg.listenPortV6 });
        } else {
          plan.push({ role: 'single', name: 'flannel-wg', port: wg.listenPort });
        }
        const devices: Partial<Record<WireguardDeviceRole, WireguardDevice>> = {};
        const closeDriver = async (): Promise<void> => {
          await driver.close?.().catch((error: unknown) => logger.warn({ err: error }, `error while closing the WireGuard driver: ${(error as Error).message}`));
        };
        const cleanup = async (): Promise<void> => {
          for (const device of Object.values(devices)) await device.remove().catch(() => undefined);
          await closeDriver();
        };
        try {
          for (const { role, name, port } of plan) {
            const device = await driver.createDevice(name, deviceMtu, signal);
            devices[role] = device;
            await device.configure({ privateKey, listenPort: port, replacePeers: true });
            logger.info({ device: name, driver: driver.kind, mtu: deviceMtu, listenPort: port, publicKey: publicKey.toString() }, `created ${name}`);
          }
          throwIfAborted(signal);
          const publicIP = ext.publicIP ?? ext.address;
          const publicIPv6 = config.enableIPv6 ? (ext.publicIPv6 ?? ext.address6) : undefined;
          const lease = await context.subnetManager.acquireLease(
            {
              backendType: 'wireguard',
              publicIP: publicIP ?? '0.0.0.0',
              ...(publicIPv6 !== undefined ? { publicIPv6 } : {}),
              ...(config.enableIPv4 ? { backendData: encodeWireguardLeaseData({ publicKey, port: wg.listenPort }) } : {}),
              ...(config.enableIPv6 ? { backendV6Data: encodeWireguardLeaseData({ publicKey, port: wg.listenPortV6 }) } : {}),
            },
            { ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) },
          );
          const routes: Route[] = [];
          if (config.enableIPv4) {
            if (lease.subnet === undefined || config.network === undefined) throw new FlannelError('BACKEND_FAILED', 'failed to configure wg interface: IPv4 is enabled but the lease has no IPv4');
            const device = (devices.v4 ?? devices.single)!;
            await ensureAddress(netlink, device.index, 4, lease.subnet.address, config.network);
            await netlink.setLink(device.index, { up: true });
            const route: Route = { family: 4, destination: config.network.toString(), index: device.index, scope: 'link' };
            await netlink.replaceRoute(route);
            routes.push(route);
          }
          if (config.enableIPv6) {
            if (lease.ipv6Subnet === undefined || config.ipv6Network === undefined) throw new FlannelError('BACKEND_FAILED', 'failed to configure wg interface: IPv6 is enabled but the lease has no IPv6');
            const device = (devices.v6 ?? devices.single)!;
            await ensureAddress(netlink, device.index, 6, lease.ipv6Subnet.address, config.ipv6Network);
            await netlink.setLink(device.index, { up: true });
            const route: Route = { family: 6, destination: config.ipv6Network.toString(), index: device.index, scope: 'link' };
            await netlink.replaceRoute(route);
            routes.push(route);
          }
          logger.info({ subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), mtu: deviceMtu, mode: wg.mode }, 'wireguard network registered');
          return createWireguardNetwork({
            subnetManager: context.subnetManager,
            netlink,
            logger,
            lease,
            mtu: deviceMtu,
            local: {
              mode: wg.mode,
              listenPort: wg.listenPort,
              listenPortV6: wg.listenPortV6,
              hasV4Device: devices.v4 !== undefined || devices.single !== undefined,
              hasV6Device: devices.v6 !== undefined,
              ...(publicIP !== undefined ? { publicIP } : {}),
              ...(publicIPv6 !== undefined ? { publicIPv6 } : {}),
            },
            devices,
            ...(wg.presharedKey ? { presharedKey: wg.presharedKey } : {}),
            persistentKeepaliveInterval: wg.persistentKeepaliveInterval,
            routes,
            leaseRules: leaseRulesFor(config, lease),
            ...(options.onBatch ? { onBatch: options.onBatch } : {}),
            close: closeDriver,
          });
        } catch (error) {
          await cleanup();
          throw error;
        }
      },
    };
  };
}

/**
 * flannel's EnsureV4AddressOnLink / EnsureV6AddressOnLink: `<address>/32` (`/128`) on the device; other
 * addresses of that family inside the flannel network (IPv6: every non-link-local one) are removed.
 */
async function ensureAddress(netlink: WireguardNetlink, index: number, family: 4 | 6, address: string, network: IpNet): Promise<void> {
  const prefixLength = family === 4 ? 32 : 128;
  let present = false;
  for (const existing of await netlink.listAddresses({ family, index })) {
    if (IpNet.canonicalAddress(existing.address) === IpNet.canonicalAddress(address) && existing.prefixLength === prefixLength) {
      present = true;
      continue;
    }
    const stale = family === 4 ? network.contains(existing.address) : !existing.address.toLowerCase().startsWith('fe80:');
    if (stale) await netlink.deleteAddress(existing);
  }
  if (!present) await netlink.addAddress({ family, index, address, prefixLength });
}
