import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerForCleanup, unregisterForCleanup } from './cleanup-hooks.js';
import { EtcdCluster } from './etcd-cluster.js';
import { TestlabError } from './errors.js';
import { execCommand } from './exec.js';
import { ipv4At, ipv6At, numberToIpv4, parseIpv4Cidr, parseIpv6Prefix64, type Ipv4Prefix } from './ip-math.js';
import { LabHost } from './lab-host.js';
import { newRunId, TEMP_DIR_PREFIX } from './names.js';
import { createRootLink, type RootLink } from './root-link.js';
import { requireRoot } from './root.js';
import { RunRecord } from './run-record.js';
import { memberCount, type StartEtcdOptions } from './start-etcd.js';
import { destroyNamespaceSync, destroyRunSync } from './sweep.js';

/** Options for {@link createLab}. */
export interface LabOptions {
  /** How many hosts to create up front (default 2). */
  hosts?: number;
  /** Underlay IPv4 prefix (default `192.168.77.0/24`): the bridge holds `.1`, host *i* holds `.(10+i)`. */
  underlay?: string;
  /** Also give the underlay IPv6: `true` for `fd77::/64`, or a /64 of your choice. Default off. */
  ipv6?: boolean | string;
  /** MTU of the hosts' `eth0` and their bridge ports (default: the kernel's, 1500). */
  mtu?: number;
  /** Enable IPv4 (and, when dual-stack, IPv6) forwarding inside each host, as a cluster node has (default true). */
  forwarding?: boolean;
  /** Start etcd in the underlay namespace: `true` for one member, or options (e.g. `{ members: 3 }`). */
  etcd?: boolean | StartEtcdOptions;
}

/** Options for {@link Lab.addHost}. */
export interface AddHostOptions {
  /** Host name: a lowercase letter then up to 7 letters or digits. Default `h<index>`. */
  name?: string;
  /** 1-based index, which fixes the address (`.(10+index)`). Default: the lowest free one. */
  index?: number;
}

/** The underlay as seen from outside the hosts. */
export interface LabUnderlay {
  /** The namespace holding the bridge (and etcd), e.g. `ft3k9a-u`. */
  netns: string;
  /** The bridge's name inside `netns`. */
  bridge: string;
  /** Underlay IPv4 prefix, e.g. `192.168.77.0/24`. */
  cidr: string;
  /** The bridge's IPv4 address: every host's default gateway, and where etcd listens for hosts. */
  gateway: string;
  /** Underlay IPv6 prefix when dual-stack. */
  cidr6: string | undefined;
  /** The bridge's IPv6 address when dual-stack. */
  gateway6: string | undefined;
}

const BRIDGE = 'br0';
const HOST_NAME = /^[a-z][a-z0-9]{0,7}$/;
const ETCD_CLIENT_PORT = 2379;

/**
 * A simulated cluster on one machine. See the package README for the topology. Close it with `close()` or
 * `await using`; crashes are cleaned by exit hooks and, failing those, by `sweepLeftovers()`.
 */
export class Lab implements AsyncDisposable {
  /** This run's unique prefix (`ft` + 4 characters), the start of every name the lab creates. */
  readonly runId: string;
  /** The underlay's namespace and addresses. */
  readonly underlay: LabUnderlay;
  /** Where this run's state file is (for `sweepLeftovers`). */
  readonly statePath: string;
  /** The lab's temp dir (etcd data lives below it); removed on close. */
  readonly tempDir: string;
  readonly #record: RunRecord;
  readonly #prefix: Ipv4Prefix;
  readonly #prefix6: number[] | undefined;
  readonly #options: LabOptions;
  readonly #hosts: LabHost[] = [];
  #rootLink: RootLink | undefined;
  #etcd: EtcdCluster | undefined;
  #closed = false;

  /** @internal Use {@link createLab}. */
  constructor(runId: string, record: RunRecord, tempDir: string, options: LabOptions) {
    this.runId = runId;
    this.#record = record;
    this.statePath = record.path;
    this.tempDir = tempDir;
    this.#options = options;
    this.#prefix = parseIpv4Cidr(options.underlay ?? '192.168.77.0/24', 'underlay');
    const ipv6 = options.ipv6 === true ? 'fd77::/64' : options.ipv6 || undefined;
    this.#prefix6 = ipv6 === undefined ? undefined : parseIpv6Prefix64(ipv6);
    this.underlay = {
      netns: `${runId}-u`,
      bridge: BRIDGE,
      cidr: `${numberToIpv4(this.#prefix.network)}/${this.#prefix.prefixLength}`,
      gateway: ipv4At(this.#prefix, 1),
      cidr6: ipv6,
      gateway6: this.#prefix6 && ipv6At(this.#prefix6, 1),
    };
  }

  /** The hosts, in index order. */
  get hosts(): readonly LabHost[] {
    return [...this.#hosts].sort((a, b) => a.index - b.index);
  }

  /** Whether `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The lab's etcd cluster; throws `NOT_FOUND` if the lab was created without `etcd`. */
  get etcd(): EtcdCluster {
    if (!this.#etcd) throw new TestlabError('NOT_FOUND', 'this lab has no etcd: create it with createLab({ etcd: true }) or call lab.startEtcd()');
    return this.#etcd;
  }

  /** The root-namespace link to the underlay, once etcd has been started. */
  get rootLink(): RootLink | undefined {
    return this.#rootLink;
  }

  /** The host called `name`; throws `NOT_FOUND`. */
  host(name: string): LabHost {
    const found = this.#hosts.find((host) => host.name === name);
    if (!found) throw new TestlabError('NOT_FOUND', `no host ${name} in lab ${this.runId} (hosts: ${this.#hosts.map((host) => host.name).join(', ')})`);
    return found;
  }

  #assertOpen(): void {
    if (this.#closed) throw new TestlabError('LAB_CLOSED', `lab ${this.runId} is closed`);
  }

  /** @internal Creates the underlay namespace and bridge. */
  async createUnderlay(): Promise<void> {
    const { netns, gateway, gateway6 } = this.underlay;
    this.#record.add('namespaces', netns);
    await execCommand('ip', ['netns', 'add', netns], { check: true });
    const commands = [
      'link set lo up',
      `link add ${BRIDGE} type bridge`,
      `addr add ${gateway}/${this.#prefix.prefixLength} dev ${BRIDGE}`,
      ...(gateway6 ? [`addr add ${gateway6}/64 dev ${BRIDGE} nodad`] : []),
      `link set ${BRIDGE} up`,
    ];
    await execCommand('ip', ['-n', netns, '-batch', '-'], { check: true, input: `${commands.join('\n')}\n` });
  }

  /**
   * Adds a host (a node joining the cluster): a namespace, a veth `eth0` on the underlay bridge, addresses and
   * default routes. Equals, roughly:
   * `ip netns add RUN-h3; ip -n RUN-u link add h3 type veth peer name eth0 netns RUN-h3; ip -n RUN-u link set h3 master br0 up;
   * ip -n RUN-h3 addr add 192.168.77.13/24 dev eth0; ip -n RUN-h3 route add default via 192.168.77.1`.
   */
  async addHost(options: AddHostOptions = {}): Promise<LabHost> {
    this.#assertOpen();
    const used = new Set(this.#hosts.map((host) => host.index));
    let index = options.index ?? 1;
    if (options.index === undefined) while (used.has(index)) index += 1;
    if (!Number.isInteger(index) || index < 1 || used.has(index)) {
      throw new TestlabError('INVALID_OPTIONS', `host index ${index} is invalid: must be a positive integer not already in use`);
    }
    const name = options.name ?? `h${index}`;
    if (!HOST_NAME.test(name) || this.#hosts.some((host) => host.name === name)) {
      throw new TestlabError('INVALID_OPTIONS', `host name ${name} is invalid: must match ${HOST_NAME} and be unique in the lab`);
    }
    const { mtu } = this.#options;
    const host = new LabHost(
      {
        name,
        index,
        netns: `${this.runId}-${name}`,
        ifname: 'eth0',
        peerIfname: name,
        address: ipv4At(this.#prefix, 10 + index),
        prefixLength: this.#prefix.prefixLength,
        gateway: this.underlay.gateway,
        address6: this.#prefix6 && ipv6At(this.#prefix6, 10 + index),
        gateway6: this.underlay.gateway6,
        mtu,
      },
      this.#record,
    );
    this.#record.add('namespaces', host.netns);
    this.#hosts.push(host);
    await execCommand('ip', ['netns', 'add', host.netns], { check: true });
    const mtuArgs = mtu === undefined ? '' : ` mtu ${mtu}`;
    // The veth is born with each end already in its namespace, so no name ever appears in the root namespace.
    await execCommand('ip', ['-n', this.underlay.netns, '-batch', '-'], {
      check: true,
      input: [
        `link add ${host.peerIfname}${mtuArgs} type veth peer name ${host.ifname}${mtuArgs} netns ${host.netns}`,
        `link set ${host.peerIfname} master ${BRIDGE}`,
        `link set ${host.peerIfname} up`,
        '',
      ].join('\n'),
    });
    await execCommand('ip', ['-n', host.netns, '-batch', '-'], {
      check: true,
      input: [
        'link set lo up',
        `addr add ${host.address}/${host.prefixLength} dev ${host.ifname}`,
        ...(host.address6 ? [`addr add ${host.address6}/64 dev ${host.ifname} nodad`] : []),
        `link set ${host.ifname} up`,
        `route add default via ${host.gateway} dev ${host.ifname}`,
        ...(host.gateway6 ? [`route add default via ${host.gateway6} dev ${host.ifname}`] : []),
        '',
      ].join('\n'),
    });
    if (this.#options.forwarding ?? true) {
      const settings = ['net.ipv4.ip_forward=1', ...(host.address6 ? ['net.ipv6.conf.all.forwarding=1'] : [])];
      await host.exec('sysctl', ['-q', '-w', ...settings], { check: true });
    }
    return host;
  }

  /**
   * Removes a host (a node leaving): stops its processes, kills anything else in its namespace and deletes
   * the namespace and its veth pair. Equals `ip -n RUN-u link del h2; ip netns del RUN-h2`.
   */
  async removeHost(host: LabHost | string): Promise<void> {
    const target = typeof host === 'string' ? this.host(host) : host;
    if (!this.#hosts.includes(target)) throw new TestlabError('NOT_FOUND', `host ${target.name} is not in lab ${this.runId}`);
    await target.stopProcesses();
    target.markRemoved();
    // Delete the veth explicitly: a deleted namespace's devices are torn down asynchronously by the kernel,
    // and a host rejoining under the same name would find the old bridge port still there.
    await execCommand('ip', ['-n', this.underlay.netns, 'link', 'del', target.peerIfname]);
    destroyNamespaceSync(target.netns);
    this.#hosts.splice(this.#hosts.indexOf(target), 1);
    this.#record.remove('namespaces', target.netns);
  }

  /**
   * Starts etcd inside the underlay namespace (done by `createLab({ etcd })`). Members listen on the bridge
   * address for hosts (`hostClientUrls`, ports 2379, 12379, 22379) and on the underlay end of the root link for
   * the test process (`clientUrls`).
   */
  async startEtcd(options: StartEtcdOptions = {}): Promise<EtcdCluster> {
    this.#assertOpen();
    if (this.#etcd && !this.#etcd.closed) throw new TestlabError('INVALID_OPTIONS', `lab ${this.runId} already runs etcd`);
    const members = memberCount(options);
    this.#rootLink ??= await createRootLink(this.runId, this.underlay.netns, this.#record);
    const rootSide = this.#rootLink.underlayAddress;
    const { gateway } = this.underlay;
    const generation = Date.now().toString(36);
    const cluster = new EtcdCluster({
      runId: `${this.runId}-${generation}`,
      netns: this.underlay.netns,
      members: Array.from({ length: members }, (_, index) => {
        const clientPort = ETCD_CLIENT_PORT + index * 10_000;
        return {
          name: `m${index}`,
          clientUrl: `http://${rootSide}:${clientPort}`,
          hostClientUrl: `http://${gateway}:${clientPort}`,
          peerUrl: `http://${gateway}:${clientPort + 1}`,
          listenClientUrls: [`http://${gateway}:${clientPort}`, `http://${rootSide}:${clientPort}`],
        };
      }),
      dataRoot: join(this.tempDir, `etcd-${generation}`),
      record: this.#record,
      release: () => undefined,
      startTimeoutMs: options.startTimeoutMs ?? 20_000,
      extraArgs: options.extraArgs ?? [],
    });
    this.#etcd = cluster;
    await cluster.startAll();
    return cluster;
  }

  /**
   * Tears everything down: host processes (SIGTERM, then SIGKILL), etcd, every namespace (killing whatever
   * still runs inside), the root link, the temp dir and the state file. Idempotent; never throws.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#hosts.map((host) => host.stopProcesses()), this.#etcd?.close()]);
    for (const host of this.#hosts) host.markRemoved();
    destroyRunSync(this.#record.state, this.#record.path);
    this.#record.delete();
    unregisterForCleanup(this.#record);
  }

  /** Same as {@link Lab.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Builds a lab: an underlay namespace with a bridge, `hosts` host namespaces on it, and optionally etcd.
 * Needs root. Everything is named `<runId>-…` with a fresh run id, so concurrent labs never collide.
 *
 * @example
 * ```ts
 * await using lab = await createLab({ hosts: 3, ipv6: true, etcd: { members: 1 } });
 * const [h1, h2] = lab.hosts;
 * expect((await h1.ping(h2.address)).ok).toBe(true);
 * await h1.exec('etcdctl', ['--endpoints', lab.etcd.hostEndpoints, 'put', 'k', 'v'], { check: true });
 * ```
 */
export async function createLab(options: LabOptions = {}): Promise<Lab> {
  requireRoot('createLab');
  const hostCount = options.hosts ?? 2;
  if (!Number.isInteger(hostCount) || hostCount < 0 || hostCount > 200) {
    throw new TestlabError('INVALID_OPTIONS', `hosts ${hostCount} is invalid: must be an integer from 0 to 200`);
  }
  if (options.mtu !== undefined && (!Number.isInteger(options.mtu) || options.mtu < 576 || options.mtu > 65_535)) {
    throw new TestlabError('INVALID_OPTIONS', `mtu ${options.mtu} is invalid: must be an integer from 576 to 65535`);
  }
  const runId = newRunId();
  const record = new RunRecord(runId);
  registerForCleanup(record);
  let lab: Lab | undefined;
  try {
    const tempDir = mkdtempSync(join(tmpdir(), `${TEMP_DIR_PREFIX}${runId}-`));
    record.add('tempDirs', tempDir);
    lab = new Lab(runId, record, tempDir, options);
    await lab.createUnderlay();
    for (let index = 0; index < hostCount; index += 1) await lab.addHost();
    if (options.etcd) await lab.startEtcd(options.etcd === true ? {} : options.etcd);
    return lab;
  } catch (error) {
    if (lab) await lab.close();
    else {
      destroyRunSync(record.state, record.path);
      unregisterForCleanup(record);
    }
    throw error;
  }
}
