import { FlannelError, IpNet } from '@flannel-ts/core';
import type { Logger, Network, NetworkConfig, StoredNodeData } from '@flannel-ts/core';
import { createMemorySubnetManager, manualTicks, passWaiters } from '@flannel-ts/core/testing';
import type { ManualTicks, MemorySubnetManager } from '@flannel-ts/core/testing';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { RecordingNetlink } from '@flannel-ts/netlink/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createVxlanBackend } from './vxlan-backend.js';
import { encodeVxlanLeaseData } from './vxlan-lease-data.js';
import type { VxlanReconcileReport } from './vxlan-network.js';

const VTEP = '12:34:56:78:9a:bc';
const random = (size: number): Uint8Array => new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc]).subarray(0, size);

interface LogLine {
  readonly level: string;
  readonly message: string;
}

function captureLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (...args: [string] | [Record<string, unknown>, string]): void =>
      void lines.push({ level, message: args.length === 1 ? args[0] : args[1] });
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

interface Harness {
  readonly netlink: RecordingNetlink;
  readonly manager: MemorySubnetManager;
  readonly config: NetworkConfig;
  readonly logs: LogLine[];
  readonly sysctls: string[];
  readonly ticks: ManualTicks;
  /** Every report of a running network, in order. */
  readonly reports: VxlanReconcileReport[];
  /** The kernel dumps the backend asked for (`listRoutes`, `listNeighbours`, `listFdb`), in order. */
  readonly dumps: string[];
  register(): Promise<Network>;
  /** Starts `run` and waits for the first pass over the lease snapshot. */
  start(network: Network): Promise<void>;
  /** Waits (on reconcile reports, no timers) until `check` holds. */
  until(check: () => boolean): Promise<void>;
}

const running: Array<{ controller: AbortController; done: Promise<void> }> = [];
afterEach(async () => {
  for (const { controller, done } of running.splice(0)) {
    controller.abort();
    await done;
  }
});

function harness(
  options: { backend?: Record<string, unknown>; ipv6?: boolean; stored?: StoredNodeData; routes?: boolean } = {},
): Harness {
  const netlink = createRecordingNetlink({
    links: [{ name: 'eth0', addresses: ['192.168.1.1/24', ...(options.ipv6 ? ['fd00::1/64'] : [])] }],
    ...(options.routes ? { routes: [{ family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.254' }] } : {}),
  });
  const config = {
    Network: '10.5.0.0/16',
    ...(options.ipv6 ? { EnableIPv6: true, IPv6Network: 'fd10::/56' } : {}),
    Backend: { Type: 'vxlan', ...options.backend },
  };
  const manager = createMemorySubnetManager({ config: JSON.stringify(config), random: () => 0, ...(options.stored ? { storedNodeData: options.stored } : {}) });
  const logs: LogLine[] = [];
  const sysctls: string[] = [];
  const ticks = manualTicks();
  const passes = passWaiters<VxlanReconcileReport>();
  const reports: VxlanReconcileReport[] = [];
  const dumps: string[] = [];
  const counted = new Set(['listRoutes', 'listNeighbours', 'listFdb']);
  // The backend's view of the recorder, noting every dump it asks for (`calls` records mutations only).
  const observed = new Proxy(netlink, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || !counted.has(property) || typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        dumps.push(property);
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const factory = createVxlanBackend({
    netlink: observed,
    random,
    logger: captureLogger(logs),
    ticks: (signal) => ticks.source(signal),
    writeSysctl: async (path, value) => void sysctls.push(`${path}=${value}`),
    onReconcile: (report: VxlanReconcileReport) => {
      reports.push(report);
      passes.notify(report);
    },
  });
  const until = (check: () => boolean): Promise<void> => passes.until(check);
  let parsed: NetworkConfig | undefined;
  return {
    netlink,
    manager,
    get config() {
      return parsed!;
    },
    logs,
    sysctls,
    ticks,
    reports,
    dumps,
    async register() {
      parsed = await manager.getNetworkConfig();
      const backend = await factory({
        subnetManager: manager,
        externalInterface: { name: 'eth0', index: 2, mtu: 1500, address: '192.168.1.1', ...(options.ipv6 ? { address6: 'fd00::1' } : {}) },
        logger: captureLogger(logs),
      });
      return backend.registerNetwork({ config: parsed });
    },
    async start(network) {
      const controller = new AbortController();
      const before = reports.length;
      running.push({ controller, done: network.run(controller.signal) });
      await until(() => reports.length > before);
    },
    until,
  };
}

function remote(manager: MemorySubnetManager, subnet: string, publicIP: string, mac: string, backendType = 'vxlan') {
  return manager.putLease({
    subnet: IpNet.parse(subnet),
    attributes: { publicIP, backendType, backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: mac }) },
  });
}

const DEVICE = [
  `ip link add flannel.1 address ${VTEP} mtu 1450 type vxlan id 1 local 192.168.1.1 dev eth0 dstport 8472 nolearning`,
  'ip link set flannel.1 up',
];

/** What registering the network programs: the device, up, with the subnet's address. */
const DEVICE_COMMANDS = [
  'ip link add flannel.1 address 12:34:56:78:9a:bc mtu 1450 type vxlan id 1 local 192.168.1.1 dev eth0 dstport 8472 nolearning',
  'ip link set flannel.1 up',
  'ip addr add 10.5.1.0/32 dev flannel.1',
];
/** The dumps of one full pass. */
const ONE_DUMP = ['listNeighbours', 'listFdb', 'listRoutes'];

describe('createVxlanBackend', () => {
  it('creates flannel.1, acquires a lease publishing its VTEP MAC and puts the subnet address on it', async () => {
    const h = harness();
    const network = await h.register();
    expect(network.mtu).toBe(1450);
    expect(network.lease.attributes).toEqual({
      publicIP: '192.168.1.1',
      backendType: 'vxlan',
      backendData: `{"VNI":1,"VtepMAC":"${VTEP}"}`,
    });
    const subnet = network.lease.subnet!;
    expect(h.netlink.toCommands()).toEqual([...DEVICE, `ip addr add ${subnet.address}/32 dev flannel.1`]);
  });

  it('programs neighbour, FDB entry and onlink route per remote, in that order, and removes them in reverse', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    const own = `ip addr add ${network.lease.subnet!.address}/32 dev flannel.1`;
    expect(h.netlink.toCommands()).toEqual([
      ...DEVICE,
      own,
      'ip route add 10.5.34.0/24 via 10.5.34.0 dev flannel.1 onlink proto 70',
      'ip neigh replace 10.5.34.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:02 nud permanent',
      'bridge fdb append aa:aa:aa:aa:aa:02 dev flannel.1 self dst 192.168.1.2 permanent',
    ]);
    const start = h.netlink.calls.length;
    const calls = (): string[] => h.netlink.callNames().slice(start);

    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.until(() => calls().length >= 3);
    expect(calls()).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute']);

    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    await h.until(() => calls().length >= 6);
    expect(calls().slice(3)).toEqual(['deleteRoute', 'deleteFdb', 'deleteNeighbour']);
    expect(h.netlink.toCommands()).toEqual([
      ...DEVICE,
      own,
      'ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70',
      'ip neigh replace 10.5.35.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:03 nud permanent',
      'bridge fdb append aa:aa:aa:aa:aa:03 dev flannel.1 self dst 192.168.1.3 permanent',
    ]);
  });

  it('ignores leases of another backend type with a debug log', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.40.0/24', '192.168.1.9', 'aa:aa:aa:aa:aa:09', 'host-gw');
    await h.start(network);
    expect(h.netlink.toCommands()).toEqual(DEVICE_COMMANDS);
    expect(h.logs).toContainEqual({ level: 'debug', message: 'ignoring lease: BackendType "host-gw" is not vxlan' });
  });

  it('replaces an incompatible flannel.1 and reuses a compatible one with its MAC', async () => {
    const h = harness();
    await h.netlink.outside.addLink({ kind: 'vxlan', name: 'flannel.1', hardwareAddress: '02:00:00:00:00:99', vxlan: { vni: 2 } });
    const first = await h.register();
    expect(h.netlink.callNames().slice(0, 2)).toEqual(['deleteLink', 'addLink']);
    expect(first.lease.attributes.backendData).toBe(`{"VNI":1,"VtepMAC":"${VTEP}"}`);

    const again = harness();
    await again.netlink.outside.addLink({
      kind: 'vxlan',
      name: 'flannel.1',
      mtu: 1400,
      hardwareAddress: '02:00:00:00:00:99',
      vxlan: { vni: 1, local: '192.168.1.1', underlayIndex: 2, learning: false },
    });
    const second = await again.register();
    expect(again.netlink.callNames()).not.toContain('addLink');
    expect(second.lease.attributes.backendData).toBe('{"VNI":1,"VtepMAC":"02:00:00:00:00:99"}');
    expect(second.mtu).toBe(1450);
    expect((await again.netlink.getLink('flannel.1')).mtu).toBe(1450);
  });

  it('keeps the VTEP MAC stored by a previous run', async () => {
    const h = harness({ stored: { vtepMac: '0e:2a:00:00:00:01' } });
    const network = await h.register();
    expect(network.lease.attributes.backendData).toBe('{"VNI":1,"VtepMAC":"0e:2a:00:00:00:01"}');
    expect((await h.netlink.getLink('flannel.1')).hardwareAddress).toBe('0e:2a:00:00:00:01');
  });

  it('recreates a deleted flannel.1 with its address and every entry', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    const before = h.netlink.toCommands();
    await h.netlink.outside.deleteLink('flannel.1');
    expect(h.netlink.toCommands()).toEqual([]);
    await h.until(() => h.netlink.toCommands().length === before.length);
    expect(h.netlink.toCommands()).toEqual(before);
  });

  it('restores a deleted route at the periodic check', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    const before = h.netlink.toCommands();
    const [route] = await h.netlink.listRoutes({ family: 4, index: (await h.netlink.getLink('flannel.1')).index });
    await h.netlink.outside.deleteRoute(route!);
    await h.netlink.outside.deleteFdb({ index: route!.index!, hardwareAddress: 'aa:aa:aa:aa:aa:02', destination: '192.168.1.2' });
    expect(h.netlink.toCommands()).not.toEqual(before);
    h.ticks.tick();
    await h.until(() => h.netlink.toCommands().length === before.length);
    expect(h.netlink.toCommands()).toEqual(before);
  });

  it('rejects bad options before creating anything', async () => {
    const h = harness({ backend: { VNI: -1 } });
    const error = await h.register().catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toBe('Backend.VNI -1 is invalid: must be an integer 0..16777215');
    expect(h.netlink.calls).toEqual([]);
    expect(h.manager.listLeases()).toEqual([]);
  });

  it('deletes the device it created when registration fails', async () => {
    const h = harness();
    h.netlink.failNext({ operation: 'addAddress', errno: 'EPERM' });
    await expect(h.register()).rejects.toThrow();
    expect(h.netlink.toCommands()).toEqual([]);
    expect(h.netlink.callNames()).toEqual(['addLink', 'addAddress', 'deleteLink']);
  });

  it('rolls back a peer whose route fails and programs it at the next check', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    h.netlink.failNext({ operation: 'replaceRoute', errno: 'ENOBUFS' });
    await h.start(network);
    expect(h.netlink.toCommands()).toEqual(DEVICE_COMMANDS);
    expect(h.logs.some((line) => line.level === 'warn' && line.message.startsWith('could not program 10.5.34.0/24: replaceRoute'))).toBe(true);
    h.ticks.tick();
    await h.until(() => h.netlink.toCommands().length === 6);
  });

  it('routes directly via the PublicIP of a host on the same segment with DirectRouting', async () => {
    const h = harness({ backend: { DirectRouting: true }, routes: true });
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    remote(h.manager, '10.5.35.0/24', '172.16.0.3', 'aa:aa:aa:aa:aa:03');
    await h.start(network);
    expect(h.netlink.toCommands().slice(3)).toEqual([
      'ip route add 10.5.34.0/24 via 192.168.1.2 dev eth0 proto 70',
      'ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70',
      'ip neigh replace 10.5.35.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:03 nud permanent',
      'bridge fdb append aa:aa:aa:aa:aa:03 dev flannel.1 self dst 172.16.0.3 permanent',
    ]);
  });

  it('sets up flannel-v6.1 for dual stack, with accept_ra off and entries from BackendV6Data', async () => {
    const h = harness({ ipv6: true });
    const network = await h.register();
    expect(h.sysctls).toEqual(['net/ipv6/conf/flannel-v6.1/accept_ra=0']);
    expect(network.lease.attributes).toEqual({
      publicIP: '192.168.1.1',
      publicIPv6: 'fd00::1',
      backendType: 'vxlan',
      backendData: `{"VNI":1,"VtepMAC":"${VTEP}"}`,
      backendV6Data: `{"VNI":1,"VtepMAC":"${VTEP}"}`,
    });
    h.manager.putLease({
      subnet: IpNet.parse('10.5.34.0/24'),
      ipv6Subnet: IpNet.parse('fd10:0:0:34::/64'),
      attributes: {
        publicIP: '192.168.1.2',
        publicIPv6: 'fd00::2',
        backendType: 'vxlan',
        backendData: encodeVxlanLeaseData({ vni: 1, vtepMac: 'aa:aa:aa:aa:aa:02' }),
        backendV6Data: encodeVxlanLeaseData({ vni: 1, vtepMac: 'ba:bb:bb:bb:bb:02' }),
      },
    });
    await h.start(network);
    const v6 = h.netlink.toCommands().filter((line) => line.includes('flannel-v6.1'));
    expect(v6).toEqual([
      `ip link add flannel-v6.1 address ${VTEP} mtu 1430 type vxlan id 1 local fd00::1 dev eth0 dstport 8472 nolearning`,
      'ip link set flannel-v6.1 up',
      `ip addr add ${network.lease.ipv6Subnet!.address}/128 dev flannel-v6.1`,
      'ip route add fd10:0:0:34::/64 via fd10:0:0:34:: dev flannel-v6.1 onlink proto 70',
      'ip neigh replace fd10:0:0:34:: dev flannel-v6.1 lladdr ba:bb:bb:bb:bb:02 nud permanent',
      'bridge fdb append ba:bb:bb:bb:bb:02 dev flannel-v6.1 self dst fd00::2 permanent',
    ]);
  });

  it('restarts without touching a single entry: same device, same lease, nothing rewritten', async () => {
    const h = harness();
    const first = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(first);
    const state = h.netlink.toCommands();
    // Stop the first run, as a daemon restart would; the data path stays.
    for (const { controller, done } of running.splice(0)) {
      controller.abort();
      await done;
    }
    expect(h.netlink.toCommands()).toEqual(state);
    const mark = h.netlink.calls.length;
    const second = await h.register();
    await h.start(second);
    expect(second.lease.subnet?.toString()).toBe(first.lease.subnet?.toString());
    expect(second.lease.attributes).toEqual(first.lease.attributes);
    expect(h.netlink.callNames().slice(mark)).toEqual([]);
    expect(h.netlink.toCommands()).toEqual(state);
  });

  it('removes entries left by leases that disappeared while it was not running', async () => {
    const h = harness();
    const network = await h.register();
    const index = (await h.netlink.getLink('flannel.1')).index;
    await h.netlink.outside.replaceNeighbour({ family: 4, index, address: '10.5.99.0', hardwareAddress: 'aa:aa:aa:aa:aa:99' });
    await h.netlink.outside.replaceFdb({ index, hardwareAddress: 'aa:aa:aa:aa:aa:99', destination: '192.168.1.99' });
    await h.netlink.outside.replaceRoute({ family: 4, destination: '10.5.99.0/24', gateway: '10.5.99.0', index, onlink: true });
    await h.start(network);
    expect(h.netlink.toCommands()).toEqual(DEVICE_COMMANDS);
  });

  it('handles lease events after the first pass from its model, without dumping the kernel', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    expect(h.dumps.toSorted()).toEqual(['listFdb', 'listNeighbours', 'listRoutes']);
    const start = h.netlink.calls.length;
    const calls = (): string[] => h.netlink.callNames().slice(start);

    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.until(() => calls().length >= 3);
    // The peer seeded by the first (full) pass is removed from the model alone.
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    await h.until(() => calls().length >= 6);
    expect(calls()).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute', 'deleteRoute', 'deleteFdb', 'deleteNeighbour']);
    expect(h.dumps).toEqual(ONE_DUMP);
    expect(h.reports.slice(1).map((report) => report.mode)).not.toContain('full');
    expect(h.reports.at(-1)).toMatchObject({ mode: 'incremental', failed: 0, peers: 1 });

    // The periodic check still dumps, and finds nothing to change.
    const passes = h.reports.length;
    h.ticks.tick();
    await h.until(() => h.reports.slice(passes).some((report) => report.mode === 'full'));
    expect(h.dumps).toEqual([...ONE_DUMP, ...ONE_DUMP]);
    expect(h.reports.at(-1)).toMatchObject({ operations: 0, peers: 1 });
    expect(calls()).toEqual(['replaceNeighbour', 'replaceFdb', 'replaceRoute', 'deleteRoute', 'deleteFdb', 'deleteNeighbour']);
  });

  it('changes nothing for an event that repeats what is programmed', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    const start = h.netlink.calls.length;
    const passes = h.reports.length;
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.until(() => h.reports.length > passes);
    expect(h.reports.at(-1)).toMatchObject({ mode: 'incremental', operations: 0 });
    expect(h.netlink.calls.length).toBe(start);
    expect(h.dumps).toEqual(ONE_DUMP);
  });

  it('leaves out a lease that reuses a peer\'s VTEP MAC while the peer holds it, and programs it once the peer is gone', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.start(network);
    const start = h.netlink.calls.length;
    const calls = (): string[] => h.netlink.callNames().slice(start);
    // 10.5.35.0/24 now publishes 10.5.34.0/24's MAC: 10.5.34.0/24 sorts first and keeps it, 10.5.35.0/24 is removed.
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:02');
    await h.until(() => calls().length >= 3);
    expect(calls()).toEqual(['deleteRoute', 'deleteFdb', 'deleteNeighbour']);
    expect(h.netlink.toCommands()).toContain('bridge fdb append aa:aa:aa:aa:aa:02 dev flannel.1 self dst 192.168.1.2 permanent');
    expect(h.netlink.toCommands().join('\n')).not.toContain('10.5.35.0');
    // The MAC's holder leaves: the other lease takes it over.
    h.manager.deleteLease({ subnet: IpNet.parse('10.5.34.0/24') });
    await h.until(() => h.netlink.toCommands().some((command) => command.includes('10.5.35.0 dev flannel.1 lladdr')));
    expect(calls().slice(3)).toEqual(['deleteRoute', 'replaceNeighbour', 'replaceFdb', 'replaceRoute', 'deleteNeighbour']);
    expect(h.netlink.toCommands().slice(3)).toEqual([
      'ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70',
      'ip neigh replace 10.5.35.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:02 nud permanent',
      'bridge fdb append aa:aa:aa:aa:aa:02 dev flannel.1 self dst 192.168.1.3 permanent',
    ]);
    expect(h.dumps).toEqual(ONE_DUMP);
  });

  it('repairs a failed incremental apply with a full pass', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    const complete = [...h.netlink.toCommands(), 'ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70'];
    h.netlink.failNext({ operation: 'replaceRoute', errno: 'ENOBUFS' });
    const mark = h.reports.length;
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.until(() => h.reports.slice(mark).some((report) => report.mode === 'full'));
    expect(h.reports.slice(mark).map((report) => report.mode)).toEqual(['incremental', 'full']);
    expect(h.reports.at(-2)).toMatchObject({ failed: 1 });
    expect(h.reports.at(-1)).toMatchObject({ failed: 0, peers: 2 });
    expect(h.dumps).toEqual([...ONE_DUMP, ...ONE_DUMP]);
    expect(h.netlink.toCommands()).toEqual([
      ...DEVICE_COMMANDS,
      'ip route add 10.5.34.0/24 via 10.5.34.0 dev flannel.1 onlink proto 70',
      'ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70',
      'ip neigh replace 10.5.34.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:02 nud permanent',
      'ip neigh replace 10.5.35.0 dev flannel.1 lladdr aa:aa:aa:aa:aa:03 nud permanent',
      'bridge fdb append aa:aa:aa:aa:aa:02 dev flannel.1 self dst 192.168.1.2 permanent',
      'bridge fdb append aa:aa:aa:aa:aa:03 dev flannel.1 self dst 192.168.1.3 permanent',
    ]);
    expect(h.netlink.toCommands()).toEqual(expect.arrayContaining(complete));
    expect(h.logs.some((line) => line.level === 'warn' && line.message.startsWith('could not program 10.5.35.0/24: replaceRoute'))).toBe(true);
  });

  it('retries at the periodic check when the full pass after a failed incremental apply fails too', async () => {
    const h = harness();
    const network = await h.register();
    await h.start(network);
    h.netlink.failNext({ operation: 'replaceFdb', errno: 'ENOBUFS', times: 2 });
    const mark = h.reports.length;
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.until(() => h.reports.slice(mark).some((report) => report.mode === 'full'));
    expect(h.reports.at(-1)).toMatchObject({ failed: 1 });
    expect(h.netlink.toCommands()).toEqual(DEVICE_COMMANDS);
    h.ticks.tick();
    await h.until(() => h.netlink.toCommands().length === 6);
    expect(h.reports.at(-1)).toMatchObject({ mode: 'full', failed: 0, peers: 1 });
  });

  it('does a full pass when its device is deleted, and uses the new device for later events', async () => {
    const h = harness();
    const network = await h.register();
    remote(h.manager, '10.5.34.0/24', '192.168.1.2', 'aa:aa:aa:aa:aa:02');
    await h.start(network);
    await h.netlink.outside.deleteLink('flannel.1');
    await h.until(() => h.reports.at(-1)?.recreated.length === 1);
    expect(h.reports.at(-1)?.mode).toBe('full');
    remote(h.manager, '10.5.35.0/24', '192.168.1.3', 'aa:aa:aa:aa:aa:03');
    await h.until(() => h.netlink.toCommands().length === 9);
    expect(h.reports.at(-1)?.mode).toBe('incremental');
    expect(h.netlink.toCommands()).toContain('ip route add 10.5.35.0/24 via 10.5.35.0 dev flannel.1 onlink proto 70');
  });
});
