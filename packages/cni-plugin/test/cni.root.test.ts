// End to end, as a kubelet/containerd node runs it: three testlab hosts running the flannel-ts daemon
// (vxlan, --ip-masq as kube-flannel runs flanneld), kube-flannel's own conflist (flannel with
// hairpinMode/isDefaultGateway, then portmap), Debian's bridge/host-local/portmap as delegates, and every
// plugin call made through libcni (the Go driver in libcni-driver/) with CRI-style CNI_ARGS.
//
// Lab hosts share one file system, so each host's conflist also names its own subnetFile, dataDir and
// host-local store (ipam.dataDir, passed through by flannel); nothing touches /var/lib/cni or /run/flannel.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLab, execCommand, isRoot, rootSkipReason } from '@flannel-ts/testlab';
import type { Lab, LabHost, LabProcess } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCniDriver, driverArgs, kubePodArgs, libcniSkipReason } from './libcni.js';
import type { LibcniCall } from './libcni.js';
import { installCni } from '../src/install/install-cni.js';
import { bundlePlugin } from './plugin-bundle.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The daemon over its sources (packages/cli's end-to-end launcher; tsx maps @flannel-ts/* to src). */
const DAEMON_SCRIPT = join(REPO_ROOT, 'packages/cli/test/flannel-ts-source.ts');

/** kube-flannel's `cni-conf.json` (Documentation/kube-flannel.yml, v0.28.x). */
const KUBE_FLANNEL_CONFLIST = {
  name: 'cbr0',
  cniVersion: '0.3.1',
  plugins: [
    { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

interface Node {
  readonly host: LabHost;
  readonly dir: string;
  readonly subnetFile: string;
  readonly conflist: string;
  daemon: LabProcess;
}

interface Pod {
  readonly node: Node;
  readonly id: string;
  readonly netns: string;
  readonly address: string;
  readonly hostVeth: string;
}

const lacking = rootSkipReason() ?? libcniSkipReason();

describe.skipIf(!isRoot() || lacking !== undefined)(`flannel CNI plugin through libcni on three vxlan hosts ${lacking ?? ''}`, () => {
  let lab: Lab;
  let driver: string;
  let binDir: string;
  const nodes: Node[] = [];
  const pods: Pod[] = [];
  const namespaces: string[] = [];

  /** Writes a host's conflist: kube-flannel's, with this host's files. */
  const writeConflist = (dir: string, subnetFile: string, file: string, patch: Record<string, unknown> = {}): string => {
    const [flannel, portmap] = KUBE_FLANNEL_CONFLIST.plugins;
    const conflist = {
      ...KUBE_FLANNEL_CONFLIST,
      ...patch,
      plugins: [{ ...flannel, subnetFile, dataDir: join(dir, 'flannel'), ipam: { dataDir: join(dir, 'ipam') } }, portmap],
    };
    writeFileSync(join(dir, file), JSON.stringify(conflist, null, 2));
    return join(dir, file);
  };

  const call = (node: Node, id: string, netns: string, conflist = node.conflist): LibcniCall => ({
    conflist,
    netns: `/run/netns/${netns}`,
    containerId: id,
    cniPath: [binDir, '/usr/lib/cni'],
    cacheDir: join(node.dir, 'cache'),
    args: kubePodArgs('default', id),
  });

  const runDriver = (node: Node, command: 'add' | 'check' | 'del', libcni: LibcniCall) => node.host.exec(driver, driverArgs(command, libcni), { timeoutMs: 120_000 });

  const newNamespace = async (suffix: string): Promise<string> => {
    const netns = `${lab.runId}-${suffix}`;
    namespaces.push(netns);
    await execCommand('ip', ['netns', 'add', netns], { check: true });
    await execCommand('ip', ['-n', netns, 'link', 'set', 'lo', 'up'], { check: true });
    return netns;
  };

  const addPod = async (node: Node, suffix: string, conflist?: string): Promise<Pod> => {
    const netns = await newNamespace(suffix);
    const id = `pod-${suffix}`;
    const result = await runDriver(node, 'add', call(node, id, netns, conflist));
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ips: { address: string }[]; interfaces: { name: string; sandbox?: string }[] };
    const hostVeth = parsed.interfaces.find((each) => each.sandbox === undefined && each.name !== 'cni0')!.name;
    return { node, id, netns, address: parsed.ips[0]!.address.split('/')[0]!, hostVeth };
  };

  const ping = async (from: Pod, to: string): Promise<boolean> => {
    const result = await execCommand('ip', ['netns', 'exec', from.netns, 'ping', '-n', '-q', '-c', '1', '-W', '3', to], { timeoutMs: 15_000 });
    return result.code === 0;
  };

  beforeAll(async () => {
    driver = buildCniDriver();
    lab = await createLab({ hosts: 3, etcd: true });
    await lab.etcd.put('/coreos.com/network/config', JSON.stringify({ Network: '10.244.0.0/16', Backend: { Type: 'vxlan' } }));
    // Installed as kube-flannel's init container would: the bundled script (no SEA built) and the conflist.
    const artifacts = join(lab.tempDir, 'dist');
    mkdirSync(artifacts);
    const { renameSync } = await import('node:fs');
    renameSync(await bundlePlugin(artifacts), join(artifacts, 'flannel.cjs'));
    writeFileSync(join(lab.tempDir, 'cni-conf.json'), JSON.stringify(KUBE_FLANNEL_CONFLIST));
    binDir = join(lab.tempDir, 'bin');
    const installed = installCni({ binDir, conf: join(lab.tempDir, 'cni-conf.json'), confDir: join(lab.tempDir, 'net.d'), artifactsDir: artifacts });
    expect(installed.plugin).toMatchObject({ path: join(binDir, 'flannel'), kind: 'script', changed: true });
    for (const host of lab.hosts) {
      const dir = join(lab.tempDir, host.name);
      mkdirSync(dir);
      const subnetFile = join(dir, 'subnet.env');
      const daemon = host.spawnNode(DAEMON_SCRIPT, [`--etcd-endpoints=${lab.etcd.hostEndpoints}`, `--subnet-file=${subnetFile}`, '--ip-masq'], { execArgv: ['--import', 'tsx'], cwd: REPO_ROOT });
      nodes.push({ host, dir, subnetFile, conflist: writeConflist(dir, subnetFile, '10-flannel.conflist'), daemon });
    }
    await Promise.all(nodes.map((node) => node.daemon.waitForOutput(/flannel is ready/, { timeoutMs: 90_000 })));
    for (const node of nodes) {
      for (const letter of ['a', 'b']) pods.push(await addPod(node, `${node.host.name}${letter}`));
    }
  }, 300_000);

  afterAll(async () => {
    for (const netns of namespaces) await execCommand('ip', ['netns', 'del', netns]);
    await lab?.close();
  });

  it('gives each pod an address in its host\'s flannel subnet', () => {
    expect(pods).toHaveLength(6);
    expect(new Set(pods.map((pod) => pod.address)).size).toBe(6);
    for (const pod of pods) {
      const prefix = pods.filter((other) => other.node === pod.node).map((other) => other.address.split('.').slice(0, 3).join('.'));
      expect(new Set(prefix).size).toBe(1);
    }
    expect(new Set(pods.map((pod) => pod.address.split('.').slice(0, 3).join('.'))).size).toBe(3);
  });

  it('lets every pod ping every other pod, across hosts over vxlan', async () => {
    const failures: string[] = [];
    for (const from of pods) {
      const results = await Promise.all(pods.filter((to) => to !== from).map(async (to) => ((await ping(from, to.address)) ? undefined : `${from.id} → ${to.id} (${to.address})`)));
      failures.push(...results.filter((each): each is string => each !== undefined));
    }
    expect(failures).toEqual([]);
  });

  it('keeps one scratch file per pod, byte-compatible with flannel\'s (compact, sorted, 0600)', async () => {
    const node = nodes[0]!;
    const files = readdirSync(join(node.dir, 'flannel')).sort();
    expect(files).toEqual(pods.filter((pod) => pod.node === node).map((pod) => pod.id).sort());
    const { readFileSync, statSync } = await import('node:fs');
    const text = readFileSync(join(node.dir, 'flannel', files[0]!), 'utf8');
    expect(text).toMatch(/^\{"cniVersion":"0\.3\.1","hairpinMode":true,"ipMasq":false,"ipam":\{"dataDir":"[^"]+","ranges":\[\[\{"subnet":"10\.244\.\d+\.0\/24"\}\]\],"routes":\[\{"dst":"10\.244\.0\.0\/16"\}\],"type":"host-local"\},"isDefaultGateway":true,"isGateway":true,"mtu":1450,"name":"cbr0","type":"bridge"\}$/);
    expect(statSync(join(node.dir, 'flannel', files[0]!)).mode & 0o777).toBe(0o600);
  });

  it('refuses CHECK for kube-flannel\'s 0.3.1 conflist in libcni, and passes it for a 1.0.0 conflist', async () => {
    const node = nodes[0]!;
    const refused = await runDriver(node, 'check', call(node, pods[0]!.id, pods[0]!.netns));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('does not support the CHECK command');
    const conflist = writeConflist(node.dir, node.subnetFile, 'v1.conflist', { cniVersion: '1.0.0' });
    const pod = await addPod(node, `${node.host.name}v`, conflist);
    const checked = await runDriver(node, 'check', call(node, pod.id, pod.netns, conflist));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(await ping(pod, pods[5]!.address)).toBe(true);
    const deleted = await runDriver(node, 'del', call(node, pod.id, pod.netns, conflist));
    expect(deleted.code, deleted.stdout).toBe(0);
  });

  it('DEL releases the address in host-local\'s store and removes the veth; a second DEL succeeds', async () => {
    const pod = pods[1]!;
    const store = join(pod.node.dir, 'ipam', 'cbr0');
    expect(existsSync(join(store, pod.address))).toBe(true);
    const first = await runDriver(pod.node, 'del', call(pod.node, pod.id, pod.netns));
    expect(first.code, first.stdout).toBe(0);
    expect(existsSync(join(store, pod.address))).toBe(false);
    expect((await pod.node.host.exec('ip', ['link', 'show', pod.hostVeth])).code).not.toBe(0);
    expect(existsSync(join(pod.node.dir, 'flannel', pod.id))).toBe(false);
    const second = await runDriver(pod.node, 'del', call(pod.node, pod.id, pod.netns));
    expect(second.code, second.stdout).toBe(0);
  });

  it('fails ADD without subnet.env with flannel\'s message and leaves nothing behind', async () => {
    const node = nodes[1]!;
    const missing = join(node.dir, 'absent-subnet.env');
    const conflist = writeConflist(node.dir, missing, 'missing.conflist');
    const netns = await newNamespace(`${node.host.name}m`);
    const before = readdirSync(join(node.dir, 'ipam', 'cbr0')).sort();
    const result = await runDriver(node, 'add', call(node, 'pod-missing', netns, conflist));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      code: 999,
      error: `plugin type="flannel" failed (add): failed to load flannel 'subnet.env' file: open ${missing}: no such file or directory. Check the flannel pod log for this node.`,
    });
    expect(existsSync(join(node.dir, 'flannel', 'pod-missing'))).toBe(false);
    expect(readdirSync(join(node.dir, 'ipam', 'cbr0')).sort()).toEqual(before);
    const links = await execCommand('ip', ['-n', netns, '-o', 'link', 'show'], { check: true });
    expect(links.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('gives 30 concurrent ADDs on one host 30 distinct addresses, all reachable from another host\'s pod', async () => {
    const node = nodes[2]!;
    const netnsList = await Promise.all(Array.from({ length: 30 }, (_, index) => newNamespace(`c${index}`)));
    const results = await Promise.all(netnsList.map((netns, index) => runDriver(node, 'add', call(node, `burst-${index}`, netns))));
    expect(results.filter((result) => result.code !== 0).map((result) => result.stdout)).toEqual([]);
    const addresses = results.map((result) => (JSON.parse(result.stdout) as { ips: { address: string }[] }).ips[0]!.address.split('/')[0]!);
    expect(new Set(addresses).size).toBe(30);
    const from = pods[0]!;
    const unreachable = (await Promise.all(addresses.map(async (address) => ((await ping(from, address)) ? undefined : address)))).filter(Boolean);
    expect(unreachable).toEqual([]);
  }, 300_000);
});
