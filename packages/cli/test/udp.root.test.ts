// flannel-ts udp on three lab hosts with real etcd (facts §2.7): a config without `Backend` runs udp, as
// flannel's README config does. flannel0 is a TUN with `<subnet>.0/32`, MTU = 1500 − 28, one route for the
// whole Network; the lease carries PublicIP only; pod traffic flows between every pair, follows a changed
// PublicIP, stops for a removed lease (ICMP net-unreachable), and the daemon survives SIGTERM and kill -9.
import { readFile } from 'node:fs/promises';
import { isRoot, rootSkipReason, waitFor } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cluster } from './cluster.js';
import { addPodBridge, etcdLeases, failedPairs, json, linkDetails, pingFrom, PREFIX, readEnv, routeLines, startCluster, startDaemon, subnetKey, transferChecked, waitReady } from './cluster.js';

const NETWORK = '10.7.0.0/16';

describe.skipIf(!isRoot())(`flannel-ts udp on three hosts ${rootSkipReason() ?? ''}`, () => {
  let cluster: Cluster;
  const subnets: string[] = [];
  const pods: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ hosts: 3, config: { Network: NETWORK } });
    for (const node of cluster.nodes) {
      const podCidr = (await readEnv(node.subnetFile)).get('FLANNEL_SUBNET')!;
      pods.push(podCidr.split('/')[0]!);
      subnets.push(podCidr.replace(/\.1\//, '.0/'));
      await addPodBridge(node.host, [podCidr]);
    }
  });
  afterAll(async () => {
    await cluster?.close();
  });

  // The forwarder's routes follow the lease watch; the first ping of a pair may race a peer's lease.
  const allPairsPing = async (): Promise<void> => {
    expect(await failedPairs(cluster.nodes.map((node, index) => ({ host: node.host, pod: pods[index]! })), 15_000)).toEqual([]);
  };

  it('writes subnet.env with MTU − 28 and a lease without BackendType', async () => {
    const leases = await etcdLeases(cluster.lab);
    for (const [index, node] of cluster.nodes.entries()) {
      expect(await readFile(node.subnetFile, 'utf8')).toBe(`FLANNEL_NETWORK=${NETWORK}\nFLANNEL_SUBNET=${pods[index]}/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=false\n`);
      expect(leases.get(`${PREFIX}/subnets/${subnetKey(subnets[index]!)}`)).toBe(`{"PublicIP":"${node.host.address}","PublicIPv6":null}`);
    }
  });

  it('creates flannel0 as flannel does: TUN, <subnet>.0/32, MTU 1472, up, one route for the Network', async () => {
    for (const [index, node] of cluster.nodes.entries()) {
      const link = await linkDetails(node.host, 'flannel0');
      expect(link?.linkinfo?.info_kind).toBe('tun');
      expect(link?.mtu).toBe(1472);
      expect(link?.flags).toContain('UP');
      const addresses = await json<{ addr_info: { local: string; prefixlen: number }[] }[]>(node.host, 'ip', ['-4', 'addr', 'show', 'dev', 'flannel0']);
      expect(addresses[0]?.addr_info.map((info) => `${info.local}/${info.prefixlen}`)).toEqual([`${subnets[index]!.split('/')[0]}/32`]);
      expect(await routeLines(node.host, 4, 'flannel0')).toEqual([`${NETWORK} dev flannel0`]);
      const sockets = await node.host.exec('ss', ['-u', '-a', '-n', '-H'], { check: true });
      expect(sockets.stdout).toContain(`${node.host.address}:8285`);
    }
  });

  it('carries pod traffic between every pair of hosts', allPairsPing);

  it('carries iperf3 TCP between two hosts (TSO super-packets cut on one side, joined on the other)', async () => {
    const [h1, h2] = cluster.nodes;
    const server = h2!.host.spawn('iperf3', ['-s', '-1', '--forceflush', '-B', pods[1]!]);
    try {
      await server.waitForOutput(/Server listening/);
      const run = await h1!.host.exec('iperf3', ['-c', pods[1]!, '-B', pods[0]!, '-t', '2', '-J'], { timeoutMs: 30_000, check: true });
      const report = JSON.parse(run.stdout) as { end: { sum_sent: { bytes: number }; sum_received: { bytes: number } } };
      expect(report.end.sum_received.bytes).toBeGreaterThan(1_000_000);
    } finally {
      await server.stop();
    }
  });

  it('delivers a TCP stream intact, its segments sent with UDP GSO and received with UDP GRO', async () => {
    const [h1, h2] = cluster.nodes;
    // Both daemons found the kernel's UDP offloads (this kernel has them) and say so.
    for (const node of [h1!, h2!]) expect(node.process.stdout + node.process.stderr).toMatch(/"udpGso":true,"udpGro":true/);
    const txPackets = async (): Promise<number> => {
      const [link] = await json<{ stats64: { tx: { packets: number } } }[]>(h1!.host, 'ip', ['-s', '-j', 'link', 'show', 'eth0']);
      return link!.stats64.tx.packets;
    };
    const bytes = 32 << 20;
    const before = await txPackets();
    const transfer = await transferChecked(h1!.host, pods[0]!, h2!.host, pods[1]!, bytes);
    const packets = (await txPackets()) - before;
    expect(transfer.received).toEqual(transfer.sent);
    expect(transfer.received.bytes).toBe(bytes);
    // One datagram per 1,420-byte segment would be ~23,600 packets; GSO messages of up to 44 datagrams cross
    // the underlay veth as one packet each (a NIC would cut them, into exactly those datagrams).
    expect(packets).toBeLessThan(bytes / 1420 / 4);
    // …and the reverse direction, received on h1 with GRO.
    const back = await transferChecked(h2!.host, pods[1]!, h1!.host, pods[0]!, bytes);
    expect(back.received).toEqual(back.sent);
  });

  it('passes a DF packet that fits the MTU and refuses a larger one', async () => {
    const [h1] = cluster.nodes;
    const df = (size: number) => h1!.host.exec('ping', ['-n', '-q', '-c', '1', '-W', '3', '-M', 'do', '-s', String(size), '-I', pods[0]!, pods[1]!], { timeoutMs: 10_000 });
    expect((await df(1472 - 28)).code).toBe(0);
    // Refused at flannel0 (EMSGSIZE or a local "frag needed"): nothing comes back.
    const oversized = await df(1472 - 28 + 1);
    expect(oversized.code).not.toBe(0);
    expect(`${oversized.stdout}${oversized.stderr}`).toMatch(/message too long|mtu ?= ?1472|1 packets transmitted, 0 received/i);
  });

  it('sends traffic to a changed PublicIP', async () => {
    // The PublicIP changes with h2's daemon down and h2 restarts with it as --public-ip, so it keeps its
    // subnet. (Writing the key of a running daemon is an overwrite, which that daemon undoes.)
    const [h1, h2] = cluster.nodes;
    // h2 gets a second underlay address (its socket binds the --public-ip); a raw-table rule counts every packet to it.
    const moved = '192.168.77.42';
    await h2!.host.exec('ip', ['addr', 'add', `${moved}/24`, 'dev', 'eth0'], { check: true });
    await h2!.host.exec('iptables', ['-t', 'raw', '-A', 'PREROUTING', '-d', moved, '-p', 'udp', '--dport', '8285', '-j', 'ACCEPT'], { check: true });
    const key = `${PREFIX}/subnets/${subnetKey(subnets[1]!)}`;
    const { stdout } = await cluster.lab.etcd.etcdctl(['get', key, '--print-value-only'], { check: true });
    expect(stdout.trim()).toBe(`{"PublicIP":"${h2!.host.address}","PublicIPv6":null}`);
    expect((await h2!.process.stop(10_000)).code).toBe(0);
    await cluster.lab.etcd.etcdctl(['put', '--ignore-lease', key, `{"PublicIP":"${moved}","PublicIPv6":null}`], { check: true });
    h2!.process = startDaemon(cluster.lab, h2!.host, h2!.subnetFile, ['--public-ip', moved]);
    await waitReady(h2!.process);
    expect((await cluster.lab.etcd.etcdctl(['get', key, '--print-value-only'], { check: true })).stdout.trim()).toBe(`{"PublicIP":"${moved}","PublicIPv6":null}`);
    const counted = async (): Promise<number> => {
      const rules = await h2!.host.exec('iptables', ['-t', 'raw', '-L', 'PREROUTING', '-v', '-n', '-x'], { check: true });
      const line = rules.stdout.split('\n').find((each) => each.includes(moved)) ?? '';
      return Number(line.trim().split(/\s+/)[0] ?? 0);
    };
    await waitFor(async () => (await pingFrom(h1!.host, pods[0]!, pods[1]!, 1)) && (await counted()) > 0, { timeoutMs: 15_000 });
    expect(await pingFrom(h1!.host, pods[0]!, pods[1]!)).toBe(true);
    // Back to the cluster's flags (and h2's first PublicIP) for the tests that follow.
    expect((await h2!.process.stop(10_000)).code).toBe(0);
    await cluster.lab.etcd.etcdctl(['put', '--ignore-lease', key, `{"PublicIP":"${h2!.host.address}","PublicIPv6":null}`], { check: true });
    cluster.start(h2!);
    await waitReady(h2!.process);
  });

  it('exits 0 on SIGTERM and removes flannel0; after kill -9 a restart recovers', async () => {
    const node = cluster.nodes[0]!;
    const exit = await node.process.stop(10_000);
    expect(exit.code).toBe(0);
    expect(await linkDetails(node.host, 'flannel0')).toBeUndefined();
    cluster.start(node);
    await waitReady(node.process);
    await allPairsPing();
    node.process.kill('SIGKILL');
    await node.process.waitForExit();
    expect(await linkDetails(node.host, 'flannel0')).toBeUndefined();
    cluster.start(node);
    await waitReady(node.process);
    expect((await readEnv(node.subnetFile)).get('FLANNEL_SUBNET')).toBe(`${pods[0]}/24`);
    await allPairsPing();
  });

  it('stops forwarding to a removed lease and answers a UDP packet to it with ICMP net-unreachable', async () => {
    const [h1] = cluster.nodes;
    const host = h1!.host;
    // The reply comes from flannel0's own address to a cni0 address of the same host: a real pod is in its
    // own namespace, here the host must accept a local source on flannel0.
    await host.exec('sysctl', ['-w', 'net.ipv4.conf.flannel0.accept_local=1', 'net.ipv4.conf.flannel0.rp_filter=0', 'net.ipv4.conf.all.rp_filter=0'], { check: true });
    const counter = async (on: typeof host, name: string): Promise<number> => {
      const { stdout } = await on.exec('nstat', ['-az', name], { check: true });
      return Number(new RegExp(`${name}\\s+(\\d+)`).exec(stdout)?.[1] ?? Number.NaN);
    };
    const h3 = cluster.nodes[2]!.host;
    const sendUdp = () =>
      host.exec('node', ['-e', `const s = require('dgram').createSocket('udp4'); s.bind({ address: '${pods[0]}' }, () => s.send('x', 9, '${pods[2]}', () => s.close()));`], { check: true });
    // While h3 holds its lease, a datagram to its pod address is forwarded and h3 answers port-unreachable.
    const h3Before = await counter(h3, 'IcmpOutDestUnreachs');
    await waitFor(async () => {
      await sendUdp();
      return (await counter(h3, 'IcmpOutDestUnreachs')) > h3Before;
    }, { timeoutMs: 10_000 });
    await cluster.lab.etcd.etcdctl(['del', `${PREFIX}/subnets/${subnetKey(subnets[2]!)}`], { check: true });
    // Then h1's forwarder has no route: h1 gets net-unreachable from its own flannel0, h3 sees nothing.
    const h1Before = await counter(host, 'IcmpInDestUnreachs');
    await waitFor(async () => {
      await sendUdp();
      return (await counter(host, 'IcmpInDestUnreachs')) > h1Before;
    }, { timeoutMs: 15_000 });
    const h3After = await counter(h3, 'IcmpOutDestUnreachs');
    await sendUdp();
    expect(await pingFrom(host, pods[0]!, pods[2]!, 1)).toBe(false);
    expect(await counter(h3, 'IcmpOutDestUnreachs')).toBe(h3After);
  });
});
