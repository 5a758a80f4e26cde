import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { EtcdMember } from './etcd-member.js';
import { TestlabError } from './errors.js';
import { execCommand, type ExecOptions, type ExecResult } from './exec.js';
import { spawnIn } from './spawn.js';
import type { RunRecord } from './run-record.js';
import { waitFor } from './wait-for.js';

/** Where and how the members run; built by `startEtcd` or by the lab. */
export interface EtcdClusterLayout {
  /** Cluster token and log prefix. */
  runId: string;
  /** Namespace the members run in, or `undefined` for the current one. */
  netns: string | undefined;
  /** Per member: the address/port pairs. */
  members: { name: string; clientUrl: string; hostClientUrl: string; peerUrl: string; listenClientUrls: string[] }[];
  /** Parent of the members' data dirs. */
  dataRoot: string;
  /** The run's record: member pids are written through for exact sweeping. */
  record: RunRecord;
  /** Removes what the cluster owns (its record and temp dir when standalone), after the members stopped. */
  release: () => void;
  startTimeoutMs: number;
  extraArgs: readonly string[];
}

/** A member's answer to `/v3/maintenance/status` (the fields the lab uses). */
export interface EtcdMemberStatus {
  memberId: string;
  leaderId: string;
  raftTerm: string;
  revision: string;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * A running etcd cluster (1 or 3 members) with member control for failure tests. Close it (or let the lab
 * close it) to stop every member and remove the data dirs.
 *
 * @example
 * ```ts
 * await using etcd = await startEtcd({ members: 3 });
 * const leader = await etcd.leader();
 * await etcd.kill(leader);
 * await etcd.put('/coreos.com/network/config', '{"Network":"10.5.0.0/16"}');
 * ```
 */
export class EtcdCluster implements AsyncDisposable {
  /** The members, in order. */
  readonly members: readonly EtcdMember[];
  readonly #layout: EtcdClusterLayout;
  #closed = false;

  /** @internal Use `startEtcd` or `createLab({ etcd: … })`. */
  constructor(layout: EtcdClusterLayout) {
    this.#layout = layout;
    this.members = layout.members.map(
      (member, index) => new EtcdMember({ index, ...member, dataDir: join(layout.dataRoot, member.name) }),
    );
  }

  /** Client URLs reachable from the test process. */
  get clientUrls(): string[] {
    return this.members.map((member) => member.clientUrl);
  }

  /** Client URLs reachable from inside lab hosts (what flannel's `--etcd-endpoints` gets there). */
  get hostClientUrls(): string[] {
    return this.members.map((member) => member.hostClientUrl);
  }

  /** `clientUrls` joined with commas, for `--endpoints`. */
  get endpoints(): string {
    return this.clientUrls.join(',');
  }

  /** `hostClientUrls` joined with commas, for `--etcd-endpoints` inside a host. */
  get hostEndpoints(): string {
    return this.hostClientUrls.join(',');
  }

  /** @internal Starts every member and waits until each is healthy. */
  async startAll(): Promise<void> {
    for (const member of this.members) this.#spawn(member, 'new');
    await Promise.all(this.members.map((member) => this.waitHealthy(member)));
  }

  #member(member: EtcdMember | number): EtcdMember {
    const found = typeof member === 'number' ? this.members[member] : this.members.find((candidate) => candidate === member);
    if (!found) throw new TestlabError('NOT_FOUND', `etcd member ${typeof member === 'number' ? member : member.name} is not in this cluster`);
    return found;
  }

  #spawn(member: EtcdMember, state: 'new' | 'existing'): void {
    if (this.#closed) throw new TestlabError('LAB_CLOSED', 'the etcd cluster is closed');
    const layout = this.#layout;
    mkdirSync(member.dataDir, { recursive: true, mode: 0o700 });
    const args = [
      `--name=${member.name}`,
      `--data-dir=${member.dataDir}`,
      `--listen-client-urls=${layout.members[member.index]?.listenClientUrls.join(',')}`,
      `--advertise-client-urls=${member.hostClientUrl}`,
      `--listen-peer-urls=${member.peerUrl}`,
      `--initial-advertise-peer-urls=${member.peerUrl}`,
      `--initial-cluster=${this.members.map((each) => `${each.name}=${each.peerUrl}`).join(',')}`,
      `--initial-cluster-state=${state}`,
      `--initial-cluster-token=${layout.runId}`,
      // Fast failure detection keeps leader-loss tests short; the lab's links have sub-millisecond latency.
      '--heartbeat-interval=50',
      '--election-timeout=500',
      '--logger=zap',
      '--log-outputs=stderr',
      ...layout.extraArgs,
    ];
    member.retire();
    member.process = spawnIn(layout.netns, 'etcd', args, { env: { ETCD_UNSUPPORTED_ARCH: process.env.ETCD_UNSUPPORTED_ARCH } });
    const started = member.process;
    layout.record.addProcess(started.pid, `etcd ${member.name}`);
    void started.exited.then(() => layout.record.removeProcess(started.pid));
  }

  /** Whether `member` answers `/health` with `{"health":"true"}` (it has a leader and no alarms). */
  async isHealthy(member: EtcdMember | number): Promise<boolean> {
    const target = this.#member(member);
    try {
      const response = await fetch(`${target.clientUrl}/health`, { signal: AbortSignal.timeout(1_000) });
      const body = (await response.json()) as { health?: string };
      return response.ok && body.health === 'true';
    } catch {
      return false;
    }
  }

  /**
   * Waits until `member` is healthy; throws `ETCD_FAILED` with the tail of its log if it exits first or the
   * time (default: the cluster's start timeout) runs out.
   */
  async waitHealthy(member: EtcdMember | number, timeoutMs = this.#layout.startTimeoutMs): Promise<void> {
    const target = this.#member(member);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await this.isHealthy(target)) return;
      if (!target.running) {
        throw new TestlabError('ETCD_FAILED', `etcd member ${target.name} exited before becoming healthy (${JSON.stringify(target.process?.exit ?? null)})`, {
          detail: target.logTail(),
        });
      }
      if (Date.now() > deadline) {
        throw new TestlabError('ETCD_FAILED', `etcd member ${target.name} was not healthy at ${target.clientUrl}/health within ${timeoutMs} ms`, {
          detail: target.logTail(),
        });
      }
      await delay(100);
    }
  }

  /** Stops a member gracefully (SIGTERM, SIGKILL after `graceMs`). Its data dir is kept for `restart`. */
  async stop(member: EtcdMember | number, graceMs = 5_000): Promise<void> {
    await this.#member(member).process?.stop(graceMs);
  }

  /** Kills a member with SIGKILL (a crash) and waits for it to be gone. */
  async kill(member: EtcdMember | number): Promise<void> {
    const target = this.#member(member);
    target.process?.kill('SIGKILL');
    await target.process?.exited;
  }

  /**
   * Starts a stopped or killed member again on its old data dir and ports (stopping it first if it still
   * runs). With `wait` (default true) resolves once it is healthy.
   */
  async restart(member: EtcdMember | number, options: { wait?: boolean; timeoutMs?: number } = {}): Promise<void> {
    const target = this.#member(member);
    if (target.running) await this.stop(target);
    this.#spawn(target, 'existing');
    if (options.wait ?? true) await this.waitHealthy(target, options.timeoutMs);
  }

  async #post<T>(member: EtcdMember, path: string, body: unknown): Promise<T> {
    const response = await fetch(`${member.clientUrl}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
      // Short: a proposal made while there is no leader is dropped and would only time out server-side.
      signal: AbortSignal.timeout(1_000),
    });
    const text = await response.text();
    if (!response.ok) throw new TestlabError('ETCD_FAILED', `POST ${member.clientUrl}${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** A member's view of the cluster (`etcdctl endpoint status`), via the JSON gateway. */
  async status(member: EtcdMember | number): Promise<EtcdMemberStatus> {
    const target = this.#member(member);
    const answer = await this.#post<{ header?: { member_id?: string; revision?: string; raft_term?: string }; leader?: string }>(
      target,
      '/v3/maintenance/status',
      {},
    );
    return {
      memberId: answer.header?.member_id ?? '0',
      leaderId: answer.leader ?? '0',
      raftTerm: answer.header?.raft_term ?? '0',
      revision: answer.header?.revision ?? '0',
    };
  }

  /** The current leader among the running members, waiting up to `timeoutMs` (default 10 000) for an election. */
  async leader(timeoutMs = 10_000): Promise<EtcdMember> {
    return waitFor(
      async () => {
        const running = this.members.filter((member) => member.running);
        const statuses = await Promise.all(running.map((member) => this.status(member).catch(() => undefined)));
        for (const [index, status] of statuses.entries()) {
          if (status && status.leaderId !== '0' && status.leaderId === status.memberId) return running[index];
        }
        return undefined;
      },
      { timeoutMs, intervalMs: 100, description: 'an etcd leader' },
    );
  }

  async #withAnyMember<T>(what: string, timeoutMs: number, operation: (member: EtcdMember) => Promise<T>): Promise<T> {
    return waitFor(
      async () => {
        let lastError: unknown;
        for (const member of this.members.filter((candidate) => candidate.running)) {
          try {
            return { value: await operation(member) };
          } catch (error) {
            lastError = error;
          }
        }
        throw lastError ?? new TestlabError('ETCD_FAILED', 'no etcd member is running');
      },
      { timeoutMs, intervalMs: 100, description: what },
    ).then((result) => result.value);
  }

  /**
   * Writes a key through any running member, retrying for up to `timeoutMs` (default 5 000) across members
   * and elections. Equals `etcdctl put KEY VALUE`.
   */
  async put(key: string, value: string, timeoutMs = 5_000): Promise<void> {
    await this.#withAnyMember(`etcd put ${key}`, timeoutMs, (member) =>
      this.#post(member, '/v3/kv/put', { key: base64(key), value: base64(value) }),
    );
  }

  /** Reads a key (linearizable) through any running member; `undefined` if absent. Equals `etcdctl get KEY`. */
  async get(key: string, timeoutMs = 5_000): Promise<string | undefined> {
    return this.#withAnyMember(`etcd get ${key}`, timeoutMs, async (member) => {
      const answer = await this.#post<{ kvs?: { value?: string }[] }>(member, '/v3/kv/range', { key: base64(key) });
      const value = answer.kvs?.[0]?.value;
      return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
    });
  }

  /**
   * Runs `etcdctl` (API v3) from the test process against every member.
   *
   * @example
   * ```ts
   * const { stdout } = await etcd.etcdctl(['endpoint', 'status', '-w', 'json'], { check: true });
   * ```
   */
  etcdctl(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    return execCommand('etcdctl', [`--endpoints=${this.endpoints}`, ...args], {
      ...options,
      env: { ETCDCTL_API: '3', ...options.env },
    });
  }

  /** Whether `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Kills every member and removes what the cluster owns. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // SIGKILL: the data is thrown away, and a graceful stop of a whole cluster at once waits on leader transfers.
    await Promise.all(this.members.map((member) => this.kill(member)));
    this.#layout.release();
  }

  /** Same as {@link EtcdCluster.close}, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** @internal Removes a directory tree, ignoring errors. */
export function removeTree(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}
