// The kernel side of flannel0 once the TUN exists (pkg/backend/udp/udp_network_amd64.go, configureIface):
// address `<lease subnet network address>/32`, the MTU, link up, and one route for the whole flannel
// Network through the device. Per-remote routes are not kernel routes: they live in the forwarder.
import { FlannelError } from '@flannel-ts/core';
import type { IpNet } from '@flannel-ts/core';
import { NetlinkError } from '@flannel-ts/netlink';
import type { Netlink } from '@flannel-ts/netlink';

/** The netlink operations the udp backend needs. */
export type UdpNetlink = Pick<Netlink, 'getLink' | 'addAddress' | 'setLink' | 'addRoute'>;

/** What {@link configureUdpDevice} programs. */
export interface UdpDeviceSettings {
  /** The TUN's name (`flannel0`). */
  readonly name: string;
  /** The lease's subnet: its network address goes on the device as a /32. */
  readonly subnet: IpNet;
  /** The flannel Network, routed through the device. */
  readonly network: IpNet;
  readonly mtu: number;
}

function isExists(error: unknown): boolean {
  return NetlinkError.isInstance(error) && error.errnoName === 'EEXIST';
}

/**
 * Configures the TUN device (equals `ip addr add 10.5.34.0/32 dev flannel0; ip link set flannel0 mtu 1472 up;
 * ip route add 10.5.0.0/16 dev flannel0`). An address or route that already exists is accepted. Rejects
 * `BACKEND_FAILED` naming the step. Returns the device's index.
 *
 * @example
 * ```ts
 * await configureUdpDevice(netlink, { name: 'flannel0', subnet, network, mtu: 1472 });
 * ```
 */
export async function configureUdpDevice(netlink: UdpNetlink, settings: UdpDeviceSettings): Promise<number> {
  const step = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      if (isExists(error)) return;
      throw new FlannelError('BACKEND_FAILED', `cannot ${what}: ${(error as Error).message}`, { cause: error });
    }
  };
  let index = 0;
  await step(`find the TUN device ${settings.name}`, async () => {
    index = (await netlink.getLink(settings.name)).index;
  });
  const address = settings.subnet.address;
  await step(`add address ${address}/32 to ${settings.name}`, () => netlink.addAddress({ family: 4, index, address, prefixLength: 32 }));
  await step(`set ${settings.name} MTU ${settings.mtu} and up`, () => netlink.setLink(index, { mtu: settings.mtu, up: true }));
  const destination = settings.network.toString();
  await step(`add route ${destination} dev ${settings.name}`, () => netlink.addRoute({ family: 4, destination, index, scope: 'universe' }));
  return index;
}
