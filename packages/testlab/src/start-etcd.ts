import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerForCleanup, unregisterForCleanup } from './cleanup-hooks.js';
import { EtcdCluster, removeTree, type EtcdClusterLayout } from './etcd-cluster.js';
import { TestlabError } from './errors.js';
import { newRunId, TEMP_DIR_PREFIX } from './names.js';
import { RunRecord } from './run-record.js';

/** Options for {@link startEtcd} and for `createLab({ etcd })`. */
export interface StartEtcdOptions {
  /** Cluster size (default 1). */
  members?: 1 | 3;
  /** How long each member may take to become healthy (default 20 000 ms). */
  startTimeoutMs?: number;
  /** Extra `etcd` flags, e.g. `['--auto-compaction-retention=1']`. */
  extraArgs?: readonly string[];
}

/** @internal Reads and checks the member count. */
export function memberCount(options: StartEtcdOptions): number {
  const members = options.members ?? 1;
  if (members !== 1 && members !== 3) {
    throw new TestlabError('INVALID_OPTIONS', `etcd members ${String(members)} is invalid: must be 1 or 3`);
  }
  return members;
}

async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/**
 * Starts a real etcd cluster in the current network namespace, listening on 127.0.0.1 on free ports, with
 * data dirs in a fresh temp dir. Needs no root. It is reachable from the test process only; for a cluster
 * that lab hosts can reach, use `createLab({ etcd: { members } })` and `lab.etcd`.
 *
 * Ports are probed free and then handed to etcd; if another process takes one in between, the start is
 * retried with new ports (up to three times).
 *
 * @example
 * ```ts
 * await using etcd = await startEtcd({ members: 1 });
 * await etcd.put('/coreos.com/network/config', JSON.stringify({ Network: '10.5.0.0/16' }));
 * const client = createEtcdClient({ hosts: etcd.clientUrls });
 * ```
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdCluster> {
  const members = memberCount(options);
  const runId = newRunId();
  const record = new RunRecord(runId);
  registerForCleanup(record);
  const tempDir = mkdtempSync(join(tmpdir(), `${TEMP_DIR_PREFIX}${runId}-`));
  record.add('tempDirs', tempDir);
  const release = (): void => {
    removeTree(tempDir);
    record.delete();
    unregisterForCleanup(record);
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const ports = await freePorts(members * 2);
    const layout: EtcdClusterLayout = {
      runId,
      netns: undefined,
      members: Array.from({ length: members }, (_, index) => {
        const clientUrl = `http://127.0.0.1:${ports[2 * index]}`;
        return {
          name: `m${index}`,
          clientUrl,
          hostClientUrl: clientUrl,
          peerUrl: `http://127.0.0.1:${ports[2 * index + 1]}`,
          listenClientUrls: [clientUrl],
        };
      }),
      dataRoot: join(tempDir, `attempt-${attempt}`),
      record,
      release: () => undefined,
      startTimeoutMs: options.startTimeoutMs ?? 20_000,
      extraArgs: options.extraArgs ?? [],
    };
    const cluster = new EtcdCluster(layout);
    try {
      await cluster.startAll();
      layout.release = release;
      return cluster;
    } catch (error) {
      lastError = error;
      await cluster.close();
      const portTaken = cluster.members.some((member) => /address already in use/.test(member.logTail(200)));
      if (!portTaken) break;
    }
  }
  release();
  throw lastError;
}
