import type { LabProcess } from './lab-process.js';

/**
 * One member of an {@link EtcdCluster}. Its URLs stay valid across stop/restart (same ports, same data dir).
 */
export class EtcdMember {
  /** Position in the cluster (0-based). */
  readonly index: number;
  /** etcd `--name`, e.g. `m0`. */
  readonly name: string;
  /** Client URL reachable from the test process. */
  readonly clientUrl: string;
  /** Client URL reachable from inside lab hosts (the same as `clientUrl` for a standalone cluster). */
  readonly hostClientUrl: string;
  /** Peer URL (raft traffic). */
  readonly peerUrl: string;
  /** `--data-dir`. */
  readonly dataDir: string;
  /** The running process, or `undefined` while stopped. */
  process: LabProcess | undefined;
  #lastLogs = '';

  constructor(fields: { index: number; name: string; clientUrl: string; hostClientUrl: string; peerUrl: string; dataDir: string }) {
    this.index = fields.index;
    this.name = fields.name;
    this.clientUrl = fields.clientUrl;
    this.hostClientUrl = fields.hostClientUrl;
    this.peerUrl = fields.peerUrl;
    this.dataDir = fields.dataDir;
  }

  /** Whether the member's process is running. */
  get running(): boolean {
    return this.process !== undefined && this.process.exit === undefined;
  }

  /** The member's pid while it runs. */
  get pid(): number | undefined {
    return this.running ? this.process?.pid : undefined;
  }

  /** The last `lines` lines etcd wrote to stderr (its log), from the current or the last run. */
  logTail(lines = 30): string {
    const logs = this.process?.stderr ?? this.#lastLogs;
    return logs.split('\n').slice(-lines - 1).join('\n');
  }

  /** @internal Keeps the logs of a process that is being replaced. */
  retire(): void {
    if (this.process) this.#lastLogs = this.process.stderr;
    this.process = undefined;
  }
}
