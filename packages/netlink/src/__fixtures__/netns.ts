// Root-test helper: a uniquely named network namespace that is always removed, with `ip`/`bridge` as the judge.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** A throwaway namespace (`nl<random>-<tag>`, ≤ 15 chars). */
export interface TestNetns {
  readonly name: string;
  /** Runs `ip -n <ns> <args…>` (or `bridge`), returning stdout. */
  ip(...args: string[]): string;
  bridge(...args: string[]): string;
  /** `ip -j …` / `bridge -j …` parsed. */
  ipJson<T = Record<string, unknown>[]>(...args: string[]): T;
  bridgeJson<T = Record<string, unknown>[]>(...args: string[]): T;
  /** Deletes the namespace (idempotent). */
  remove(): void;
}

/** True when running as root (root tests skip with a visible reason otherwise). */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Creates a fresh namespace with `lo` up. Remove it in `afterEach` (or `finally`). */
export function createTestNetns(tag: string): TestNetns {
  const name = `nl${randomBytes(3).toString('hex')}-${tag}`.slice(0, 15);
  execFileSync('ip', ['netns', 'add', name]);
  let removed = false;
  const run = (tool: string, args: string[]): string => execFileSync(tool, ['-n', name, ...args], { encoding: 'utf8' });
  const netns: TestNetns = {
    name,
    ip: (...args) => run('ip', args),
    bridge: (...args) => run('bridge', args),
    ipJson: <T>(...args: string[]) => JSON.parse(run('ip', ['-j', ...args]) || '[]') as T,
    bridgeJson: <T>(...args: string[]) => JSON.parse(run('bridge', ['-j', ...args]) || '[]') as T,
    remove() {
      if (removed) return;
      removed = true;
      execFileSync('ip', ['netns', 'del', name]);
    },
  };
  netns.ip('link', 'set', 'lo', 'up');
  return netns;
}
