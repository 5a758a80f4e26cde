// A conformance scenario any `Netlink` implementation can run; RecordingNetlink is the reference and
// the kernel implementation is compared with it in fake-vs-kernel.root.test.ts. No test framework here.
import { NetlinkError, NetlinkNotFoundError } from '../errors.js';
import type { Netlink, NetlinkEvent } from '../netlink.js';
import type { FdbEntry, Neighbour, Route } from '../types.js';

/**
 * Runs one step and reports `ok` or the errno name, marked `!` for a refusal before sending and
 * `(not found)` for a `NetlinkNotFoundError`.
 */
async function outcome(step: () => Promise<unknown>): Promise<string> {
  try {
    await step();
    return 'ok';
  } catch (error) {
    if (!NetlinkError.isInstance(error)) throw error;
    if (error.code === 'NETLINK_INVALID_ARGUMENT') return `${error.errnoName}!`;
    return NetlinkNotFoundError.isInstance(error) ? `${error.errnoName} (not found)` : error.errnoName;
  }
}

const mac = (n: number): string => `0e:2a:00:00:00:${n.toString(16).padStart(2, '0')}`;

/**
 * A conformance scenario for any `Netlink` on an empty namespace: flannel's VXLAN programming per
 * remote host, bridges, veth pairs, IPv6, deletes, link down, and the mistakes a backend could make
 * (duplicates, unknown devices, unreachable gateways, out-of-range values). Returns each step's
 * outcome: `ok`, an errno name, `EINVAL!` (refused before sending) or `ENOENT (not found)`
 * (a `NetlinkNotFoundError`). Two implementations agree when the outcomes and
 * `captureNetlinkState` agree.
 *
 * @example
 * ```ts
 * expect(await runNetlinkScenario(createRecordingNetlink())).toEqual(await runNetlinkScenario(kernel));
 * ```
 */
export async function runNetlinkScenario(netlink: Netlink): Promise<Record<string, string>> {
  const log: Record<string, string> = {};
  const step = async (name: string, run: () => Promise<unknown>): Promise<void> => {
    log[name] = await outcome(run);
  };

  await step('add bridge br0', () => netlink.addLink({ name: 'br0', kind: 'bridge', up: true }));
  const br0 = (await netlink.getLink('br0')).index;
  await step('add 192.168.50.1/24 to br0', () => netlink.addAddress({ family: 4, index: br0, address: '192.168.50.1', prefixLength: 24 }));
  await step('add fd50::1/64 to br0', () => netlink.addAddress({ family: 6, index: br0, address: 'fd50::1', prefixLength: 64 }));
  const vxlan = { vni: 1, local: '192.168.50.1', underlayIndex: br0, learning: false };
  await step('add flannel.1', () => netlink.addLink({ name: 'flannel.1', kind: 'vxlan', mtu: 1450, hardwareAddress: mac(1), vxlan }));
  await step('add flannel.1 again', () => netlink.addLink({ name: 'flannel.1', kind: 'bridge' }));
  await step('add a second device with VNI 1', () => netlink.addLink({ name: 'flannel.x', kind: 'vxlan', vxlan }));
  await step('add a device with VNI 2^24', () => netlink.addLink({ name: 'flannel.y', kind: 'vxlan', vxlan: { ...vxlan, vni: 1 << 24 } }));
  await step('add flannel.3 with MTU above underlay - 50', () =>
    netlink.addLink({ name: 'flannel.3', kind: 'vxlan', mtu: 1451, vxlan: { ...vxlan, vni: 3 } }));
  const f1 = (await netlink.getLink('flannel.1')).index;
  await step('add 10.5.72.0/32', () => netlink.addAddress({ family: 4, index: f1, address: '10.5.72.0', prefixLength: 32 }));
  await step('add 10.5.72.0/32 again', () => netlink.addAddress({ family: 4, index: f1, address: '10.5.72.0', prefixLength: 32 }));
  const onlink = (subnet: number): Route => ({ family: 4, destination: `10.5.${subnet}.0/24`, gateway: `10.5.${subnet}.0`, index: f1, onlink: true });
  await step('onlink route while down', () => netlink.addRoute(onlink(30)));
  await step('set flannel.1 up', () => netlink.setLink(f1, { up: true }));

  for (const subnet of [31, 32, 33]) {
    const neighbour: Neighbour = { family: 4, index: f1, address: `10.5.${subnet}.0`, hardwareAddress: mac(subnet), state: 'permanent' };
    const fdb: FdbEntry = { index: f1, hardwareAddress: mac(subnet), destination: `192.168.50.${subnet}`, self: true };
    await step(`neigh ${subnet}`, () => netlink.replaceNeighbour(neighbour));
    await step(`fdb ${subnet}`, () => netlink.replaceFdb(fdb));
    await step(`route ${subnet}`, () => netlink.replaceRoute(onlink(subnet)));
  }
  await step('replace neigh 31 with a new MAC', () =>
    netlink.replaceNeighbour({ family: 4, index: f1, address: '10.5.31.0', hardwareAddress: mac(0x91) }));
  await step('replace fdb 31 with a new VTEP', () =>
    netlink.replaceFdb({ index: f1, hardwareAddress: mac(31), destination: '192.168.50.131' }));
  await step('add route 31 again', () => netlink.addRoute(onlink(31)));
  await step('route via an unreachable gateway', () =>
    netlink.addRoute({ family: 4, destination: '10.5.99.0/24', gateway: '10.5.99.0', index: f1 }));
  await step('host-gw route via br0 gateway', () => netlink.addRoute({ family: 4, destination: '10.6.0.0/24', gateway: '192.168.50.7' }));
  await step('IPv6 route via br0 gateway', () => netlink.addRoute({ family: 6, destination: 'fd60::/64', gateway: 'fd50::7', index: br0 }));
  await step('route with IPv6 gateway for IPv4 destination', () =>
    netlink.addRoute({ family: 4, destination: '10.7.0.0/24', gateway: 'fd50::7' }));
  await step('route with host bits', () => netlink.addRoute({ family: 4, destination: '10.7.0.1/24', index: f1 }));
  await step('replace all-zeros fdb', () =>
    netlink.replaceFdb({ index: f1, hardwareAddress: '00:00:00:00:00:00', destination: '192.168.50.9' }));
  await step('set flannel.1 MTU above underlay - 50', () => netlink.setLink(f1, { mtu: 1451 }));

  await step('delete route 32', () => netlink.deleteRoute(onlink(32)));
  await step('delete route 32 again', () => netlink.deleteRoute(onlink(32)));
  await step('delete neigh 32', () => netlink.deleteNeighbour({ family: 4, index: f1, address: '10.5.32.0' }));
  await step('delete neigh 32 again', () => netlink.deleteNeighbour({ family: 4, index: f1, address: '10.5.32.0' }));
  await step('delete fdb 32', () => netlink.deleteFdb({ index: f1, hardwareAddress: mac(32), destination: '192.168.50.32' }));
  await step('delete fdb 32 again', () => netlink.deleteFdb({ index: f1, hardwareAddress: mac(32), destination: '192.168.50.32' }));
  await step('delete a missing address', () => netlink.deleteAddress({ family: 4, index: f1, address: '10.5.73.0', prefixLength: 32 }));
  await step('route on a missing device', () => netlink.addRoute({ family: 4, destination: '10.8.0.0/24', index: 999 }));
  await step('delete a missing link', () => netlink.deleteLink('flannel.9'));

  // A second device whose deletion must take its address, routes, neighbours and FDB entries along.
  await step('add flannel.2', () => netlink.addLink({ name: 'flannel.2', kind: 'vxlan', up: true, vxlan: { ...vxlan, vni: 2 } }));
  const f2 = (await netlink.getLink('flannel.2')).index;
  await step('flannel.2 address', () => netlink.addAddress({ family: 4, index: f2, address: '10.9.0.0', prefixLength: 32 }));
  await step('flannel.2 neigh', () => netlink.replaceNeighbour({ family: 4, index: f2, address: '10.9.1.0', hardwareAddress: mac(0x21) }));
  await step('flannel.2 fdb', () => netlink.replaceFdb({ index: f2, hardwareAddress: mac(0x21), destination: '192.168.50.21' }));
  await step('flannel.2 route', () => netlink.replaceRoute({ family: 4, destination: '10.9.1.0/24', gateway: '10.9.1.0', index: f2, onlink: true }));
  await step('delete flannel.2', () => netlink.deleteLink('flannel.2'));

  // A bridge taken down keeps its IPv4 address but loses its IPv6 one, its routes and neighbours.
  await step('add br1', () => netlink.addLink({ name: 'br1', kind: 'bridge', up: true }));
  const br1 = (await netlink.getLink('br1')).index;
  await step('br1 address', () => netlink.addAddress({ family: 4, index: br1, address: '10.10.0.1', prefixLength: 24 }));
  await step('br1 IPv6 address', () => netlink.addAddress({ family: 6, index: br1, address: 'fd10::1', prefixLength: 64 }));
  await step('br1 route', () => netlink.addRoute({ family: 4, destination: '10.11.0.0/24', gateway: '10.10.0.5', index: br1 }));
  await step('br1 neigh', () => netlink.replaceNeighbour({ family: 4, index: br1, address: '10.10.0.5', hardwareAddress: mac(0x55) }));
  await step('br1 down', () => netlink.setLink(br1, { up: false }));

  // Bridge ports, veth pairs, blackholes, IPv6 over VXLAN, deletes by destination only.
  await step('add veth pair', () => netlink.addLink({ name: 'vetha', kind: 'veth', peerName: 'vethb' }));
  await step('enslave vetha to br0', () => netlink.setLink('vetha', { masterIndex: br0, up: true }));
  await step('enslave vetha to flannel.1', () => netlink.setLink('vetha', { masterIndex: f1 }));
  await step('change vethb MAC', () => netlink.setLink('vethb', { hardwareAddress: mac(0xbb) }));
  await step('delete vethb', () => netlink.deleteLink('vethb'));
  await step('vetha gone with its peer', () => netlink.getLink('vetha'));
  await step('blackhole route', () => netlink.addRoute({ family: 4, destination: '10.99.0.0/16', type: 'blackhole' }));
  await step('delete route 33 by destination', () => netlink.deleteRoute({ family: 4, destination: '10.5.33.0/24' }));
  await step('delete route 31 with the wrong gateway', () =>
    netlink.deleteRoute({ family: 4, destination: '10.5.31.0/24', gateway: '10.5.31.9' }));
  await step('add flannel-v6.1', () =>
    netlink.addLink({ name: 'flannel-v6.1', kind: 'vxlan', up: true, vxlan: { vni: 1, local: 'fd50::1', underlayIndex: br0, learning: false } }));
  const f6 = (await netlink.getLink('flannel-v6.1')).index;
  await step('v6 address', () => netlink.addAddress({ family: 6, index: f6, address: 'fd70:0:0:72::', prefixLength: 128 }));
  await step('v6 neigh', () => netlink.replaceNeighbour({ family: 6, index: f6, address: 'fd70:0:0:34::', hardwareAddress: mac(0x61) }));
  await step('v6 fdb', () => netlink.replaceFdb({ index: f6, hardwareAddress: mac(0x61), destination: 'fd50::34' }));
  await step('v6 onlink route', () =>
    netlink.replaceRoute({ family: 6, destination: 'fd70:0:0:34::/64', gateway: 'fd70:0:0:34::', index: f6, onlink: true }));
  await step('v6 route again', () =>
    netlink.addRoute({ family: 6, destination: 'fd70:0:0:34::/64', gateway: 'fd70:0:0:34::', index: f6, onlink: true }));
  await step('delete br1 address', () => netlink.deleteAddress({ family: 4, index: br1, address: '10.10.0.1', prefixLength: 24 }));
  await step('delete the connected route of br0 by destination', () => netlink.deleteRoute({ family: 4, destination: '192.168.50.0/24' }));
  await step('route via a gateway no longer connected', () => netlink.addRoute({ family: 4, destination: '10.6.1.0/24', gateway: '192.168.50.8' }));
  return log;
}

/**
 * One line per event, for the objects the model covers: main-table routes (the fake has no local
 * table) and neighbours other than IPv6 multicast ones the kernel makes for MLD.
 */
function eventLine(event: NetlinkEvent): string | undefined {
  if ('link' in event) return `${event.type} ${event.link.name} ${event.link.up ? 'up' : 'down'}`;
  if ('address' in event) return `${event.type} ${event.address.address}/${event.address.prefixLength}`;
  if ('route' in event) return (event.route.table ?? 254) === 254 ? `${event.type} ${event.route.destination}` : undefined;
  if ('neighbour' in event) return /^ff/i.test(event.neighbour.address) ? undefined : `${event.type} ${event.neighbour.address}`;
  return `${event.type} ${event.entry.hardwareAddress} ${event.entry.destination ?? '-'}`;
}

/**
 * Events scenario: subscribes, programs `flannel.1` for one remote, has `removeFromOutside` delete it
 * (as an operator would), and returns one line per event up to its RTM_DELLINK, for objects both
 * implementations model (main-table routes; no IPv6 multicast neighbours).
 *
 * @example
 * ```ts
 * const lines = await runNetlinkEventScenario(fake, () => fake.outside.deleteLink('flannel.1'));
 * ```
 */
export async function runNetlinkEventScenario(netlink: Netlink, removeFromOutside: () => Promise<unknown>): Promise<string[]> {
  const controller = new AbortController();
  const events = netlink.subscribe(['link', 'ipv4-address', 'ipv4-route', 'neighbour'], { signal: controller.signal });
  const lines: string[] = [];
  const collected = (async () => {
    for await (const event of events) {
      const line = eventLine(event);
      if (line) lines.push(line);
      if (event.type === 'dellink') break;
    }
  })();
  const link = await netlink.addLink({ name: 'flannel.1', kind: 'vxlan', vxlan: { vni: 1, learning: false } });
  await netlink.setLink(link.index, { up: true });
  await netlink.addAddress({ family: 4, index: link.index, address: '10.5.72.0', prefixLength: 24 });
  await netlink.replaceNeighbour({ family: 4, index: link.index, address: '10.5.34.0', hardwareAddress: mac(0x34) });
  await netlink.replaceFdb({ index: link.index, hardwareAddress: mac(0x34), destination: '192.168.50.34' });
  await netlink.replaceRoute({ family: 4, destination: '10.5.34.0/24', gateway: '10.5.34.0', index: link.index, onlink: true });
  await removeFromOutside();
  await collected;
  controller.abort();
  return lines;
}
