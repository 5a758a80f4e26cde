// Root-test helper: two throwaway namespaces joined by a veth pair named eth0 on both ends (the
// underlay), judged with `ip`/`bridge`. Always remove it in afterEach.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** True when running as root. */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** One namespace of the pair. */
export interface TestHost {
  /** Namespace name (≤ 15 chars). */
  readonly name: string;
  /** Underlay address of eth0. */
  readonly address: string;
  readonly address6: string;
  /** Runs a command inside the namespace, returning stdout. */
  exec(command: string, ...args: string[]): string;
  /** `ip -j …` / `bridge -j …` parsed. */
  ipJson<T>(...args: string[]): T;
  bridgeJson<T>(...args: string[]): T;
  /** Writes `/proc/sys/<path>` inside the namespace. */
  writeSysctl(path: string, value: string): Promise<void>;
}

/** Two hosts on one segment: 192.168.77.1/24 + fd77::1/64 and .2 / ::2. */
export interface TwoHosts {
  readonly a: TestHost;
  readonly b: TestHost;
  remove(): void;
}

/** Creates the pair; `tag` is a short test name. */
export function createTwoHosts(tag: string): TwoHosts {
  const prefix = `fb${randomBytes(2).toString('hex')}${tag}`.slice(0, 12);
  const names = [`${prefix}-a`, `${prefix}-b`] as const;
  const created: string[] = [];
  const remove = (): void => {
    for (const name of created.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'del', name]);
      } catch {
        // already gone
      }
    }
  };
  try {
    for (const name of names) {
      execFileSync('ip', ['netns', 'add', name]);
      created.push(name);
    }
    execFileSync('ip', ['link', 'add', 'eth0', 'netns', names[0], 'type', 'veth', 'peer', 'name', 'eth0', 'netns', names[1]]);
    const host = (name: string, n: number): TestHost => {
      const exec = (command: string, ...args: string[]): string =>
        execFileSync('ip', ['netns', 'exec', name, command, ...args], { encoding: 'utf8' });
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
        writeSysctl: async (path, value) => void exec('sh', '-c', `echo ${value} > /proc/sys/${path}`),
      };
    };
    return { a: host(names[0], 1), b: host(names[1], 2), remove };
  } catch (error) {
    remove();
    throw error;
  }
}
