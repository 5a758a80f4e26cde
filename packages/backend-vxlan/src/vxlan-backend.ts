// Design note — the vxlan backend (flannel's pkg/backend/vxlan).
//
// One device per address family, `flannel.<VNI>` (and `flannel-v6.<VNI>`), a VXLAN device bound to the
// external interface with learning off and no multicast group, so the kernel never floods: every
// remote VTEP is programmed explicitly. The device carries the lease subnet's network address as /32
// (/128) — no broadcast routes, yet a source address for host-to-pod traffic — and its MAC is published
// in the lease (`BackendData.VtepMAC`) so other nodes can program us.
//
// Per remote host (lease with BackendType "vxlan") three entries, written in this order so the kernel
// never has to ARP (flannel handles no L2/L3 misses):
//   1. neighbour  <remote subnet address> lladdr <remote VtepMAC> nud permanent   (inner ARP answer)
//   2. FDB        <remote VtepMAC> dst <remote PublicIP> self permanent          (which host to tunnel to)
//   3. route      <remote subnet> via <remote subnet address> dev flannel.<VNI> onlink
// and removed in reverse. With DirectRouting, a host whose PublicIP is on-link gets only
// `<remote subnet> via <PublicIP>` (like host-gw): no encapsulation on a shared L2 segment.
// Table growth is 1 neighbour + 1 FDB + 1 route per remote host.
//
// The running network reconciles: leases → desired entries → diff against what the kernel holds →
// batched replace/delete. Lease events, a 10 s check and link-deletion events all trigger a pass, so
// deleted entries and a deleted device come back.
import { FlannelError, IpNet, leaseRulesFor, silentLogger, throwIfAborted } from '@flannel-ts/core';
import type { Backend, BackendContext, BackendDependencies, BackendFactory, LeaseAttributes } from '@flannel-ts/core';
import type { Family, Link } from '@flannel-ts/netlink';
import { randomBytes } from 'node:crypto';
import { writeProcSysctl } from './sysctl.js';
import type { WriteSysctl } from './sysctl.js';
import { normaliseMac, randomVtepMac } from './vtep-mac.js';
import type { RandomBytes } from './vtep-mac.js';
import { configureVxlanDevice, ensureVxlanDevice, MAX_LINK_NAME_LENGTH, vxlanDeviceName } from './vxlan-device.js';
import type { VxlanDeviceSpec } from './vxlan-device.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import { createVxlanNetwork } from './vxlan-network.js';
import type { VxlanNetworkDevice, VxlanNetworkNetlink, VxlanReconcileReport } from './vxlan-network.js';
import { parseVxlanOptions, VXLAN6_OVERHEAD, VXLAN_OVERHEAD } from './vxlan-options.js';

/**
 * The boundaries vxlan takes from the daemon's set (`BackendDependencies` (`@flannel-ts/core`)): the kernel only, and
 * a logger (default: the daemon's logger from the `BackendContext`).
 */
export type VxlanBackendDependencies = Partial<Pick<BackendDependencies, 'logger'>> & { readonly netlink: VxlanNetworkNetlink };

/** Injected boundaries and tuning of the vxlan backend. */
export interface VxlanBackendOptions extends VxlanBackendDependencies {
  /** Random bytes for a new VTEP MAC; default `crypto.randomBytes`. */
  readonly random?: RandomBytes;
  /** Writes `accept_ra=0` for the IPv6 device; default writes `/proc/sys`. */
  readonly writeSysctl?: WriteSysctl;
  /** Periodic check interval, default 10 000 ms. */
  readonly checkIntervalMs?: number;
  /** Replaces the periodic timer (tests push ticks by hand). */
  readonly ticks?: (signal: AbortSignal) => AsyncIterable<unknown>;
  /** Called after each reconcile pass of a running network. */
  readonly onReconcile?: (report: VxlanReconcileReport) => void;
}

/**
 * The vxlan backend factory. Bind its boundaries once, give it to the daemon's backend map.
 *
 * @example
 * ```ts
 * const backends = { vxlan: createVxlanBackend({ netlink }), 'host-gw': createHostGwBackend({ netlink }) };
 * const backend = await backends.vxlan({ subnetManager, externalInterface, logger });
 * const network = await backend.registerNetwork({ config });
 * await network.run(signal);
 * ```
 */
export function createVxlanBackend(options: VxlanBackendOptions): BackendFactory {
  return (context: BackendContext): Backend => {
    const logger = (options.logger ?? context.logger ?? silentLogger).child({ backend: 'vxlan' });
    const { netlink } = options;
    const random = options.random ?? ((size: number) => new Uint8Array(randomBytes(size)));
    const writeSysctl = options.writeSysctl ?? writeProcSysctl;
    const ext = context.externalInterface;
    const manager = context.subnetManager;

    const disableRouterAdvertisements = async (name: string): Promise<void> => {
      try {
        await writeSysctl(`net/ipv6/conf/${name}/accept_ra`, '0');
      } catch (error) {
        logger.warn({ device: name, err: error }, `could not set accept_ra=0 on ${name}`);
      }
    };

    return {
      specificationVersion: 'v1',
      type: 'vxlan',
      async registerNetwork({ config, previous, signal }) {
        throwIfAborted(signal);
        const vxlan = parseVxlanOptions(config.backend);
        const families: Family[] = [];
        if (config.enableIPv4) families.push(4);
        if (config.enableIPv6) families.push(6);
        for (const family of families) {
          const name = vxlanDeviceName(vxlan.vni, family);
          if (name.length > MAX_LINK_NAME_LENGTH) {
            throw new FlannelError('CONFIG_INVALID', `Backend.VNI ${vxlan.vni} is invalid: device name ${name} is longer than ${MAX_LINK_NAME_LENGTH} bytes`);
          }
          if ((family === 4 ? ext.address : ext.address6) === undefined) {
            throw new FlannelError('BACKEND_FAILED', `vxlan needs an IPv${family} address on ${ext.name} for ${name}, and it has none`);
          }
        }
        const mtu = (vxlan.mtu || ext.mtu) - VXLAN_OVERHEAD;
        // flannel asks for MTU − 50 on both devices; the kernel caps the IPv6 one at MTU − 70, so ask for that.
        const mtu6 = (vxlan.mtu || ext.mtu) - VXLAN6_OVERHEAD;
        if (mtu < 68 || (config.enableIPv6 && mtu6 < 1280)) {
          throw new FlannelError('BACKEND_FAILED', `MTU ${vxlan.mtu || ext.mtu} is too small for vxlan: the device needs at least 68 bytes after ${VXLAN_OVERHEAD} of overhead (IPv6: 1280 after ${VXLAN6_OVERHEAD})`);
        }

        const stored = await manager.getStoredNodeData({ ...(signal ? { signal } : {}) });
        const created: Link[] = [];
        try {
          const devices: Array<{ spec: VxlanDeviceSpec; link: Link }> = [];
          for (const family of families) {
            const storedMac = family === 4 ? stored.vtepMac : stored.vtepMacV6;
            const mac = storedMac === undefined ? undefined : normaliseMac(storedMac);
            if (storedMac !== undefined && mac === undefined) logger.warn({ mac: storedMac }, 'ignoring an invalid stored VTEP MAC');
            const spec = {
              name: vxlanDeviceName(vxlan.vni, family),
              family,
              mtu: family === 4 ? mtu : mtu6,
              hardwareAddress: mac,
              vxlan: {
                vni: vxlan.vni,
                local: family === 4 ? ext.address! : ext.address6!,
                underlayIndex: ext.index,
                port: vxlan.port,
                learning: vxlan.learning,
                gbp: vxlan.gbp,
              },
            };
            const ensured = await ensureVxlanDevice(netlink, spec, { fallbackMac: () => randomVtepMac(random), logger });
            if (ensured.created) created.push(ensured.link);
            devices.push({ spec: { ...spec, hardwareAddress: ensured.link.hardwareAddress! }, link: ensured.link });
            if (family === 6) await disableRouterAdvertisements(spec.name);
          }

          const v4 = devices.find((device) => device.spec.family === 4);
          const v6 = devices.find((device) => device.spec.family === 6);
          const attributes: LeaseAttributes = {
            publicIP: ext.publicIP ?? ext.address ?? '0.0.0.0',
            ...(config.enableIPv6 ? { publicIPv6: ext.publicIPv6 ?? ext.address6 } : {}),
            backendType: 'vxlan',
            ...(v4 ? { backendData: encodeVxlanLeaseData({ vni: vxlan.vni, vtepMac: v4.spec.hardwareAddress }) } : {}),
            ...(v6 ? { backendV6Data: encodeVxlanLeaseData({ vni: vxlan.vni, vtepMac: v6.spec.hardwareAddress }) } : {}),
          };
          const lease = await manager.acquireLease(attributes, { ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) });

          const networkDevices: VxlanNetworkDevice[] = [];
          for (const { spec, link } of devices) {
            const v6Family = spec.family === 6;
            const subnet = v6Family ? lease.ipv6Subnet : lease.subnet;
            if (subnet === undefined) {
              throw new FlannelError('BACKEND_FAILED', `the lease has no IPv${spec.family} subnet although IPv${spec.family} is enabled`);
            }
            const address = IpNet.fromAddress(subnet.address, v6Family ? 128 : 32);
            const network = v6Family ? config.ipv6Network : config.network;
            await configureVxlanDevice(netlink, link, address, network);
            networkDevices.push({
              spec,
              address,
              index: link.index,
              ownSubnet: subnet,
              ...(network ? { network } : {}),
            });
          }
          logger.info({ subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), mtu }, 'vxlan network registered');
          return createVxlanNetwork({
            netlink,
            subnetManager: manager,
            logger,
            lease,
            mtu,
            devices: networkDevices,
            directRouting: vxlan.directRouting,
            externalIndex: ext.index,
            leaseRules: leaseRulesFor(config, lease),
            ...(options.checkIntervalMs !== undefined ? { checkIntervalMs: options.checkIntervalMs } : {}),
            ...(options.ticks ? { ticks: options.ticks } : {}),
            ...(options.onReconcile ? { onReconcile: options.onReconcile } : {}),
            onDeviceRecreated: async (device) => {
              if (device.spec.family === 6) await disableRouterAdvertisements(device.spec.name);
            },
          });
        } catch (error) {
          for (const link of created) {
            await netlink.deleteLink(link.index).catch((cleanup: unknown) => {
              logger.warn({ device: link.name, err: cleanup }, `could not delete ${link.name} after a failed registration`);
            });
          }
          throw error;
        }
      },
    };
  };
}
