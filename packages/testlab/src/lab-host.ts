import { TestlabError } from './errors.js';
import { execCommand, type ExecOptions, type ExecResult } from './exec.js';
import type { LabProcess } from './lab-process.js';
import type { RunRecord } from './run-record.js';
import { spawnIn, type SpawnOptions } from './spawn.js';

/** Options for {@link LabHost.spawnNode}. */
export interface SpawnNodeOptions extends SpawnOptions {
  /** Flags for `node` itself, before the script (e.g. `['--enable-source-maps']`). */
  execArgv?: readonly string[];
}

/** Options for {@link LabHost.ping}. */
export interface PingOptions {
  /** Echo requests to send (default 1). */
  count?: number;
  /** Overall deadline (default 2 000 ms; rounded up to whole seconds, as `ping -w` takes). */
  timeoutMs?: number;
}

/** The outcome of {@link LabHost.ping}. */
export interface PingResult {
  /** At least one reply came back (`ping` exited 0). */
  ok: boolean;
  /** Echo requests sent. */
  transmitted: number;
  /** Echo replies received. */
  received: number;
  /** `ping`'s full output, for assertion messages. */
  output: string;
}

/** What the lab knows about a host when it creates it. */
export interface LabHostFields {
  name: string;
  index: number;
  netns: string;
  ifname: string;
  peerIfname: string;
  address: string;
  prefixLength: number;
  gateway: string;
  address6: string | undefined;
  gateway6: string | undefined;
  mtu: number | undefined;
}

/**
 * One simulated machine: a network namespace whose `eth0` is a veth attached to the lab's underlay bridge,
 * with a default route via the underlay gateway (so "the interface of the default route" is `eth0`).
 */
export class LabHost {
  /** Short name, e.g. `h1`. */
  readonly name: string;
  /** 1-based position; the underlay address ends in `10 + index`. */
  readonly index: number;
  /** Network namespace name, e.g. `ft3k9a-h1`. */
  readonly netns: string;
  /** The host's underlay interface (`eth0`). */
  readonly ifname: string;
  /** The bridge-side end of the host's veth, inside the underlay namespace. */
  readonly peerIfname: string;
  /** Underlay IPv4 address, e.g. `192.168.77.11`. */
  readonly address: string;
  /** Prefix length of the underlay (24 by default). */
  readonly prefixLength: number;
  /** The default route's next hop (the bridge's address in the underlay namespace). */
  readonly gateway: string;
  /** Underlay IPv6 address when the lab is dual-stack, e.g. `fd77::11`. */
  readonly address6: string | undefined;
  /** IPv6 default route's next hop when dual-stack. */
  readonly gateway6: string | undefined;
  /** The MTU set on `eth0`, if the lab was given one. */
  readonly mtu: number | undefined;
  readonly #record: RunRecord;
  readonly #processes = new Set<LabProcess>();
  #removed = false;

  /** @internal Hosts are made by `createLab` / `lab.addHost`. */
  constructor(fields: LabHostFields, record: RunRecord) {
    this.name = fields.name;
    this.index = fields.index;
    this.netns = fields.netns;
    this.ifname = fields.ifname;
    this.peerIfname = fields.peerIfname;
    this.address = fields.address;
    this.prefixLength = fields.prefixLength;
    this.gateway = fields.gateway;
    this.address6 = fields.address6;
    this.gateway6 = fields.gateway6;
    this.mtu = fields.mtu;
    this.#record = record;
  }

  /** `/run/netns/<netns>`, for `setns(2)` or a netlink socket opened in the host. */
  get netnsPath(): string {
    return `/run/netns/${this.netns}`;
  }

  #assertLive(): void {
    if (this.#removed) throw new TestlabError('LAB_CLOSED', `host ${this.name} (${this.netns}) was removed`);
  }

  /**
   * Runs a command inside the host and collects its output; a non-zero exit is returned, not thrown, unless
   * `check` is set. Equals `ip netns exec NETNS CMD ARGS…`.
   *
   * @example
   * ```ts
   * const { stdout } = await h1.exec('ip', ['-j', 'route', 'show'], { check: true });
   * ```
   */
  exec(command: string, args: readonly string[] = [], options: ExecOptions = {}): Promise<ExecResult> {
    this.#assertLive();
    return execCommand('ip', ['netns', 'exec', this.netns, command, ...args], options);
  }

  /**
   * Starts a long-running command inside the host. It is stopped when the host is removed or the lab closes.
   *
   * @example
   * ```ts
   * const server = h2.spawn('iperf3', ['-s', '-1']);
   * await server.waitForOutput(/Server listening/);
   * ```
   */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): LabProcess {
    this.#assertLive();
    const started = spawnIn(this.netns, command, args, options);
    this.#processes.add(started);
    this.#record.addProcess(started.pid, `${this.name}: ${command}`);
    void started.exited.then(() => {
      this.#processes.delete(started);
      this.#record.removeProcess(started.pid);
    });
    return started;
  }

  /**
   * Runs a Node.js script (plain JavaScript, e.g. a built `dist/*.js`) inside the host with this process's
   * `node` binary.
   *
   * @example
   * ```ts
   * const daemon = h1.spawnNode('packages/cli/dist/main.js', ['--iface', 'eth0'], { env: { DEBUG: '1' } });
   * ```
   */
  spawnNode(scriptPath: string, args: readonly string[] = [], options: SpawnNodeOptions = {}): LabProcess {
    return this.spawn(process.execPath, [...(options.execArgv ?? []), scriptPath, ...args], options);
  }

  /**
   * Pings `address` (IPv4 or IPv6) from inside the host. Never throws for unreachable targets: check `ok`.
   * Equals `ip netns exec NETNS ping -c COUNT -w SECONDS ADDRESS`.
   */
  async ping(address: string, options: PingOptions = {}): Promise<PingResult> {
    const count = options.count ?? 1;
    const seconds = Math.max(1, Math.ceil((options.timeoutMs ?? 2_000) / 1_000));
    const result = await this.exec('ping', ['-n', '-q', '-c', String(count), '-i', '0.2', '-w', String(seconds), address], {
      timeoutMs: seconds * 1_000 + 5_000,
    });
    const output = result.stdout + result.stderr;
    const match = output.match(/(\d+) packets transmitted, (\d+) (?:packets )?received/);
    return { ok: result.code === 0, transmitted: Number(match?.[1] ?? 0), received: Number(match?.[2] ?? 0), output };
  }

  /** @internal Stops every process this host started (SIGTERM, then SIGKILL after `graceMs`). */
  async stopProcesses(graceMs = 2_000): Promise<void> {
    await Promise.all([...this.#processes].map((started) => started.stop(graceMs)));
  }

  /** @internal Marks the host removed; later calls throw `LAB_CLOSED`. */
  markRemoved(): void {
    this.#removed = true;
  }
}
