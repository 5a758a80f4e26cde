// The smallest kernel fixture: two namespaces joined directly by one veth pair, `eth0` on both ends — no
// bridge, no default route, no etcd. Backend root tests program one host and judge it with `ip`/`bridge`.
// It is a run like a lab's (state file, exit hook), so `sweepLeftovers` never touches a live pair and
// removes a crashed one.
import { execFileSync } from 'node:child_process';
import { registerForCleanup, unregisterForCleanup } from './cleanup-hooks.js';
import { TestlabError } from './errors.js';
import { newRunId } from './names.js';
import { requireRoot } from './root.js';
import { RunRecord } from './run-record.js';
import { destroyRunSync } from './sweep.js';

/** One namespace of a {@link HostPair}. Commands run synchronously, so assertions read plainly. */
export interface PairHost {
  /** Namespace name (≤ 15 characters), e.g. `ft3k9a-vxa`. */
  readonly name: string;
  /** IPv4 address of `eth0` (`192.168.77.1` or `.2`, in a /24). */
  readonly address: string;
  /** IPv6 address of `eth0` (`fd77::1` or `::2`, in a /64, without DAD). */
  readonly address6: string;
  /** Runs a command inside the namespace and returns its stdout; throws on a non-zero exit. */
  exec(command: string, ...args: string[]): string;
  /** `ip -j <args>` inside the namespace, parsed (`[]` for empty output). */
  ipJson<T>(...args: string[]): T;
  /** `bridge -j <args>` inside the namespace, parsed (`[]` for empty output). */
  bridgeJson<T>(...args: string[]): T;
  /** Writes `value` to `/proc/sys/<path>` inside the namespace (e.g. `net/ipv4/ip_forward`). */
  writeSysctl(path: string, value: string): Promise<void>;
}

/** Two hosts on one L2 segment: `a` is `192.168.77.1/24` + `fd77::1/64`, `b` is `.2` / `::2`. */
export interface HostPair extends Disposable {
  /** The run id every name of the pair starts with (what `findLeftovers` takes). */
  readonly runId: string;
  readonly a: PairHost;
  readonly b: PairHost;
  /** Deletes both namespaces (and anything inside them). Idempotent. */
  remove(): void;
}

/** Options of {@link createHostPair}. */
export interface HostPairOptions {
  /** Up to 6 lowercase letters or digits in the namespace names, to tell tests apart (`vx` → `ft3k9a-vxa`). */
  readonly tag?: string;
}

const TAG = /^[a-z0-9]{0,6}$/;

/**
 * Creates two namespaces joined by a veth pair named `eth0` at both ends, addressed and up. Needs root.
 * Remove it in `afterEach` (or with `using`), even when the test fails.
 *
 * @example
 * ```ts
 * using pair = createHostPair({ tag: 'hg' });
 * const netlink = await createNetlink({ netns: { name: pair.a.name } });
 * // … run the backend on pair.a …
 * expect(pair.a.ipJson<{ gateway: string }[]>('route', 'show', '10.5.2.0/24')[0]?.gateway).toBe(pair.b.address);
 * ```
 */
export function createHostPair(options: HostPairOptions = {}): HostPair {
  const tag = options.tag ?? '';
  if (!TAG.test(tag)) {
    throw new TestlabError('INVALID_OPTIONS', `tag "${tag}" is invalid: must be at most 6 lowercase letters or digits`);
  }
  requireRoot('createHostPair');
  const runId = newRunId();
  const names = [`${runId}-${tag}a`, `${runId}-${tag}b`] as const;
  const record = new RunRecord(runId);
  registerForCleanup(record);
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    destroyRunSync(record.state, record.path);
    record.delete();
    unregisterForCleanup(record);
  };
  try {
    for (const name of names) {
      record.add('namespaces', name);
      execFileSync('ip', ['netns', 'add', name]);
    }
    execFileSync('ip', ['link', 'add', 'eth0', 'netns', names[0], 'type', 'veth', 'peer', 'name', 'eth0', 'netns', names[1]]);
    const a = pairHost(names[0], 1);
    const b = pairHost(names[1], 2);
    return { runId, a, b, remove, [Symbol.dispose]: remove };
  } catch (error) {
    remove();
    throw error;
  }
}

function pairHost(name: string, n: number): PairHost {
  const exec = (command: string, ...args: string[]): string =>
    execFileSync('ip', ['netns', 'exec', name, command, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  exec('ip', 'link', 'set', 'lo', 'up');
  exec('ip', 'addr', 'add', `192.168.77.${n}/24`, 'dev', 'eth0');
  exec('ip', 'addr', 'add', `fd77::${n}/64`, 'dev', 'eth0', 'nodad');
  exec('ip', 'link', 'set', 'eth0', 'up');
  return {
    name,
    address: `192.168.77.${n}`,
    address6: `fd77::${n}`,
    exec,
    ipJson: <T>(...args: string[]) => JSON.parse(exec('ip', '-j', ...args) || '[]') as T,
    bridgeJson: <T>(...args: string[]) => JSON.parse(exec('bridge', '-j', ...args) || '[]') as T,
    writeSysctl: async (path, value) =>
      void execFileSync('ip', ['netns', 'exec', name, 'tee', `/proc/sys/${path}`], { input: value, stdio: ['pipe', 'ignore', 'pipe'] }),
  };
}
