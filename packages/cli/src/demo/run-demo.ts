// `flannel-ts demo`: a whole cluster on this machine in well under a minute. A testlab (hosts in network
// namespaces on an underlay bridge, real etcd), flannel-ts on every host, two pods per host (network
// namespaces) added through the `flannel` CNI plugin (which delegates to bridge + host-local), pings between
// every pair of pods, a summary, CNI DEL for every pod and everything removed again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCni } from '@flannel-ts/cni-plugin';
import { createLab, execCommand, waitFor } from '@flannel-ts/testlab';
import type { Lab, LabHost, LabProcess } from '@flannel-ts/testlab';
import { readSubnetEnv } from '@flannel-ts/subnet-env';
import type { TextSink } from '../cli-io.js';
import { builtDaemonLaunch, startLabNode } from './lab-node.js';
import type { DaemonLaunch } from './lab-node.js';
import { startKubeDemo } from './kube-demo.js';
import type { DemoSubnetManager, KubeDemo } from './kube-demo.js';
import { cniAdd, cniDel, demoConflist } from './demo-pods.js';
import type { CniCall, DemoPod } from './demo-pods.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the summary goes. */
  readonly out: TextSink;
  /** Hosts in the lab (default 3). */
  readonly hosts?: number;
  /** One of {@link DEMO_BACKENDS}; default `vxlan`. */
  readonly backend?: string;
  /** How to start the daemon (default: the built bin). */
  readonly launch?: DaemonLaunch;
  /** `etcd` (default) or `kube`: the Kubernetes API server stand-in and `--kube-subnet-mgr` (`demo --kube`). */
  readonly subnet?: DemoSubnetManager;
  /** Where the built CNI plugin is (`flannel.cjs` or `flannel-sea`; default @flannel-ts/cni-plugin's dist). */
  readonly cniArtifactsDir?: string;
}

/** One host's row of the summary. */
export interface DemoHost {
  readonly name: string;
  readonly underlay: string;
  readonly subnet: string;
  readonly mtu: number;
  readonly vtepMac?: string;
  /** The lease as stored in etcd (flannel's JSON), or the node's flannel annotations (kube). */
  readonly leaseJson?: string;
}

export type { DemoPod } from './demo-pods.js';

/** One ping of the matrix, pod to pod (by {@link DemoPod.name}). */
export interface DemoPing {
  readonly from: string;
  readonly to: string;
  readonly ok: boolean;
  /** Average round-trip time in ms. */
  readonly averageMs?: number;
}

/** What {@link runDemo} found. */
export interface DemoReport {
  readonly hosts: readonly DemoHost[];
  /** Two per host, added through the CNI plugin. */
  readonly pods: readonly DemoPod[];
  readonly pings: readonly DemoPing[];
  /** CNI DEL succeeded for every pod. */
  readonly podsDeleted: boolean;
  /** Every daemon exited 0 on SIGTERM. */
  readonly cleanExits: boolean;
  readonly seconds: number;
}

const PREFIX = '/coreos.com/network';

/** The backends the demo can run. */
export { DEMO_BACKENDS } from './demo-backends.js';

/**
 * The network config's `Backend` section per demo backend. extension: the commands build host-gw by hand
 * (each daemon runs inside its host, so `ip route` acts there).
 */
function demoBackendConfig(backend: string): Record<string, unknown> {
  if (backend === 'extension') {
    return {
      Type: 'extension',
      PreStartupCommand: 'hostname',
      SubnetAddCommand: 'ip route replace $SUBNET via $PUBLIC_IP dev eth0',
      SubnetRemoveCommand: 'ip route del $SUBNET via $PUBLIC_IP dev eth0',
    };
  }
  return { Type: backend };
}

/**
 * Environment of each daemon. wireguard: wireguard-go's UAPI socket directory (/var/run/wireguard) is
 * global, and every lab host names its device flannel-wg, so each host's wireguard-go runs in a private
 * mount namespace; and each host gets its own key file in the lab's temp dir.
 */
function demoDaemonEnv(backend: string, keyFile: string): Record<string, string> | undefined {
  // Hosts share this machine's file system: each needs its own key file, or they would share one key.
  return backend === 'wireguard' ? { ...(process.env as Record<string, string>), FLANNEL_WIREGUARD_GO_MOUNT_NAMESPACE: 'private', WIREGUARD_KEY_FILE: keyFile } : undefined;
}

/** Pings `to` from inside the pod's namespace (`ip netns exec <pod> ping …`). */
async function ping(from: DemoPod, to: string, count = 3): Promise<{ ok: boolean; averageMs?: number }> {
  const result = await execCommand('ip', ['netns', 'exec', from.netns, 'ping', '-n', '-q', '-c', String(count), '-i', '0.2', '-w', String(count), to], { timeoutMs: 8_000 });
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(result.stdout);
  return { ok: result.code === 0, ...(rtt?.[1] === undefined ? {} : { averageMs: Number(rtt[1]) }) };
}

async function routesTo(host: LabHost): Promise<string[]> {
  const { stdout } = await host.exec('ip', ['-j', 'route', 'show'], { check: true });
  return (JSON.parse(stdout) as { dst: string }[]).map((route) => route.dst);
}

const pad = (text: string, width: number): string => text.padEnd(width);

/**
 * Runs the demo and prints its summary to `options.out`. Needs root and the built daemon (or a `launch`
 * from sources). Always removes the lab, even when a step fails.
 *
 * @example
 * ```ts
 * const report = await runDemo({ out: process.stdout });
 * report.pings.every((each) => each.ok); // true
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const out = (line = ''): void => void options.out.write(`${line}\n`);
  const since = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const count = options.hosts ?? 3;
  const backend = options.backend ?? 'vxlan';
  const launch = options.launch ?? builtDaemonLaunch();
  const subnetManager = options.subnet ?? 'etcd';
  out(`flannel-ts demo: ${count} hosts in network namespaces, ${subnetManager === 'kube' ? 'a Kubernetes API server stand-in' : 'real etcd'}, the ${backend} backend`);

  let lab: Lab | undefined;
  let kube: KubeDemo | undefined;
  const nodes: LabProcess[] = [];
  /** Pod namespaces created so far, and the CNI calls whose ADD ran (DEL'd on the way out, whatever happens). */
  const namespaces: string[] = [];
  const added: { host: LabHost; call: CniCall }[] = [];
  try {
    lab = await createLab({ hosts: count, etcd: true });
    out(`  ✓ lab ${lab.runId}: hosts ${lab.hosts.map((host) => `${host.name} (${host.address})`).join(', ')} on bridge ${lab.underlay.bridge}, etcd at ${lab.etcd.hostEndpoints}   [${since()}]`);
    const config = JSON.stringify({ Network: '10.5.0.0/16', Backend: demoBackendConfig(backend) });
    if (subnetManager === 'kube') {
      // etcd runs only for the lab's root link, which the stand-in listens on.
      kube = await startKubeDemo(lab, JSON.parse(config) as object);
      out(`  ✓ API server stand-in at ${kube.api.hostUrl}; Nodes ${lab.hosts.map((host) => `${host.name} (${String((kube!.api.server.getNode(host.name)?.['spec'] as { podCIDR?: string } | undefined)?.podCIDR)})`).join(', ')}; net-conf.json = ${config}`);
    } else {
      await lab.etcd.put(`${PREFIX}/config`, config);
      out(`  ✓ etcd ${PREFIX}/config = ${config}`);
    }

    const etcd = lab.etcd;
    // Hosts share this machine's file system: each keeps its subnet.env, conflist and CNI state in <tmp>/<host>.
    const hostDir = (host: LabHost): string => join(lab!.tempDir, host.name);
    const subnetFile = (host: LabHost): string => join(hostDir(host), 'subnet.env');
    for (const host of lab.hosts) {
      mkdirSync(hostDir(host));
      const env = kube?.env(host) ?? demoDaemonEnv(backend, join(lab.tempDir, `${host.name}-wgkey`));
      const args = ['--ip-masq', ...(kube?.args(host) ?? [])];
      nodes.push(startLabNode(host, { launch, etcdEndpoints: etcd.hostEndpoints, subnetFile: subnetFile(host), args, ...(env ? { env } : {}) }));
    }
    await Promise.all(nodes.map((node) => node.waitForOutput(/flannel is ready/, { timeoutMs: 30_000 })));
    out(`  ✓ flannel-ts running on ${lab.hosts.map((host) => host.name).join(', ')}; each wrote its subnet.env   [${since()}]`);

    const hosts: DemoHost[] = [];
    for (const host of lab.hosts) {
      const env = await readSubnetEnv(subnetFile(host));
      const subnet = env.subnet ?? '';
      const lease = kube === undefined ? await etcd.get(`${PREFIX}/subnets/${subnet.replace('/', '-')}`) : kube.annotationsOf(host);
      const backendData = kube === undefined ? undefined : (JSON.parse(lease ?? '{}') as Record<string, string>)['flannel.alpha.coreos.com/backend-data'];
      const data = lease === undefined ? undefined : kube === undefined ? (JSON.parse(lease) as { BackendData?: { VtepMAC?: string } }).BackendData : (JSON.parse(backendData ?? '{}') as { VtepMAC?: string });
      hosts.push({
        name: host.name,
        underlay: host.address,
        subnet,
        mtu: env.mtu,
        ...(data?.VtepMAC ? { vtepMac: data.VtepMAC } : {}),
        ...(lease === undefined ? {} : { leaseJson: lease }),
      });
    }

    // The plugin as kube-flannel's init container installs it, then two pods per host through it.
    const binDir = join(lab.tempDir, 'cni-bin');
    const installed = installCni({ binDir, ...(options.cniArtifactsDir === undefined ? {} : { artifactsDir: options.cniArtifactsDir }) });
    const pods: DemoPod[] = [];
    for (const host of lab.hosts) {
      const conflist = demoConflist(hostDir(host));
      writeFileSync(join(hostDir(host), 'flannel.conflist'), `${JSON.stringify(conflist, null, 2)}\n`);
      for (const letter of ['a', 'b']) {
        const netns = `${lab.runId}-${host.name}-${letter}`;
        namespaces.push(netns);
        await execCommand('ip', ['netns', 'add', netns], { check: true });
        await execCommand('ip', ['-n', netns, 'link', 'set', 'lo', 'up'], { check: true });
        const call: CniCall = { plugin: installed.plugin.path, conflist, containerId: `${host.name}-${letter}`, netns };
        added.push({ host, call });
        const address = await cniAdd((command, args, execOptions) => host.exec(command, args, execOptions), call);
        pods.push({ name: call.containerId, host: host.name, netns, containerId: call.containerId, address });
      }
    }
    out(`  ✓ ${pods.length} pods added by CNI ADD through the flannel plugin (${installed.plugin.kind}, ${installed.plugin.path}) → bridge + host-local   [${since()}]`);

    if (backend === 'udp') {
      // udp keeps per-host routes in its forwarder; the kernel has one route, the whole Network via flannel0.
      for (const host of lab.hosts) await waitFor(async () => (await routesTo(host)).includes('10.5.0.0/16'), { timeoutMs: 15_000 });
      out(`  ✓ every host routes 10.5.0.0/16 through flannel0 (per-host routes live in the udp forwarder)   [${since()}]`);
    } else {
      for (const host of lab.hosts) {
        const others = hosts.filter((other) => other.name !== host.name).map((other) => other.subnet);
        // wireguard routes the whole network to flannel-wg; the peers' AllowedIPs pick the host.
        const wanted = backend === 'wireguard' ? ['10.5.0.0/16'] : others;
        await waitFor(async () => {
          const routes = await routesTo(host);
          return wanted.every((subnet) => routes.includes(subnet));
        }, { timeoutMs: 15_000 });
      }
      out(`  ✓ every host has a route to ${backend === 'wireguard' ? 'the network via flannel-wg' : "every other host's subnet"}   [${since()}]`);
    }
    // Warm-up, one echo per pair, results ignored: the first packets may be lost while a path is set up
    // (a WireGuard handshake, a neighbour entry), and the table below should show the steady state.
    await Promise.all(pods.map(async (from) => {
      for (const to of pods) if (to !== from) await ping(from, to.address, 1);
    }));
    out();
    out(`  ${pad('host', 6)}${pad('underlay', 16)}${pad('subnet (etcd lease)', 21)}${pad('MTU', 6)}${backend === 'vxlan' ? 'VTEP MAC (flannel.1)' : ''}`);
    for (const host of hosts) {
      out(`  ${pad(host.name, 6)}${pad(host.underlay, 16)}${pad(host.subnet, 21)}${pad(String(host.mtu), 6)}${host.vtepMac ?? ''}`);
    }
    const example = hosts[0]!;
    if (kube === undefined) out(`  etcd ${PREFIX}/subnets/${example.subnet.replace('/', '-')} = ${example.leaseJson ?? '(missing)'}`);
    else out(`  node ${example.name} annotations: ${example.leaseJson ?? '(missing)'}`);
    out(`  pods: ${pods.map((pod) => `${pod.name} ${pod.address}`).join(', ')} (eth0 in each pod's namespace, cni0 on its host)`);
    out(`  ${example.name}'s conflist ${join(hostDir(lab.host(example.name)), 'flannel.conflist')}`);
    out();

    const pings: DemoPing[] = [];
    // One source pod at a time, its destinations in parallel.
    for (const from of pods) {
      const results = await Promise.all(pods.filter((to) => to !== from).map(async (to) => ({ from: from.name, to: to.name, ...(await ping(from, to.address)) })));
      pings.push(...results);
    }
    out(`  pod-to-pod pings, eth0 to eth0 (3 echoes, average round trip):`);
    out(`  ${pad('from \\ to', 11)}${pods.map((pod) => pad(pod.name, 11)).join('')}`.trimEnd());
    for (const from of pods) {
      const cells = pods.map((to) => {
        if (to === from) return pad('-', 11);
        const result = pings.find((each) => each.from === from.name && each.to === to.name)!;
        return pad(result.ok ? `${(result.averageMs ?? 0).toFixed(3)} ms` : 'LOST', 11);
      });
      out(`  ${pad(from.name, 11)}${cells.join('')}`.trimEnd());
    }
    const reachable = pings.filter((each) => each.ok).length;
    out();
    out(`  ${reachable === pings.length ? '✓' : '✗'} ${reachable}/${pings.length} pod pairs reachable through flannel-ts   [${since()}]`);

    const deletions = await Promise.allSettled(added.splice(0).map(({ host, call }) => cniDel((command, args, execOptions) => host.exec(command, args, execOptions), call)));
    const failed = deletions.filter((each): each is PromiseRejectedResult => each.status === 'rejected');
    const podsDeleted = failed.length === 0;
    out(`  ${podsDeleted ? '✓' : '✗'} CNI DEL for every pod: ${podsDeleted ? 'addresses released, veths removed' : failed.map((each) => String((each.reason as Error).message)).join('; ')}`);

    const exits = await Promise.all(nodes.map((node) => node.stop(5_000)));
    const cleanExits = exits.every((exit) => exit.code === 0);
    out(`  ${cleanExits ? '✓' : '✗'} SIGTERM: every daemon exited ${cleanExits ? '0 ("Exiting cleanly...")' : exits.map((exit) => exit.code ?? exit.signal).join('/')}`);
    return { hosts, pods, pings, podsDeleted, cleanExits, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    for (const [index, node] of nodes.entries()) {
      out(`  --- daemon on h${index + 1} (last lines) ---`);
      out(node.stderr.split('\n').slice(-15).join('\n'));
    }
    throw error;
  } finally {
    // Pods first (CNI DEL, best effort: on failure the namespaces go anyway), then the lab.
    await Promise.allSettled(added.map(({ host, call }) => cniDel((command, args, execOptions) => host.exec(command, args, execOptions), call)));
    for (const netns of namespaces) await execCommand('ip', ['netns', 'del', netns]).catch(() => undefined);
    await kube?.close();
    await lab?.close();
    out(`  ✓ lab removed (pod and host namespaces, etcd, temp files)   total ${since()}`);
  }
}
