// Running the real `flannel-ts` daemon inside a testlab host: shared by the demo, the end-to-end tests
// and the benchmarks. The daemon is either the built bin (`bin/flannel-ts.js` → `dist`) or the sources
// through tsx (tests, no build needed).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabHost, LabProcess } from '@flannel-ts/testlab';

/** How to start the daemon with `node`: a script and the flags `node` itself gets. */
export interface DaemonLaunch {
  readonly script: string;
  readonly execArgv: readonly string[];
  /** Working directory (tsx finds the root tsconfig's path mappings from here). */
  readonly cwd?: string;
}

/** The directory of `flannel-ts` (holding its package.json), found from this module's location. */
export function cliPackageDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'flannel-ts') return directory;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('cannot find the flannel-ts package directory');
    directory = parent;
  }
}

/** The built bin, `bin/flannel-ts.js` (needs `pnpm build`). */
export function builtDaemonLaunch(): DaemonLaunch {
  return { script: join(cliPackageDirectory(), 'bin', 'flannel-ts.js'), execArgv: [] };
}

/** The sources through tsx (`node --import tsx test/flannel-ts-source.ts`, from the repository root). */
export function sourceDaemonLaunch(): DaemonLaunch {
  const cli = cliPackageDirectory();
  return { script: join(cli, 'test', 'flannel-ts-source.ts'), execArgv: ['--import', 'tsx'], cwd: join(cli, '..', '..') };
}

/** Options of {@link startLabNode}. */
export interface StartLabNodeOptions {
  readonly launch: DaemonLaunch;
  /** `--etcd-endpoints` as hosts reach etcd (`lab.etcd.hostEndpoints`). */
  readonly etcdEndpoints: string;
  /** `--subnet-file`; hosts share one file system, so each needs its own. */
  readonly subnetFile: string;
  /** More flanneld flags. */
  readonly args?: readonly string[];
  readonly env?: Record<string, string | undefined>;
}

/**
 * Starts `flannel-ts` in `host` (equals `ip netns exec <host> flannel-ts --etcd-endpoints=… --subnet-file=…`).
 *
 * @example
 * ```ts
 * const node = startLabNode(lab.hosts[0], { launch: builtDaemonLaunch(), etcdEndpoints: lab.etcd.hostEndpoints, subnetFile });
 * await node.waitForOutput(/flannel is ready/, { timeoutMs: 20_000 });
 * ```
 */
export function startLabNode(host: LabHost, options: StartLabNodeOptions): LabProcess {
  return host.spawnNode(
    options.launch.script,
    [`--etcd-endpoints=${options.etcdEndpoints}`, `--subnet-file=${options.subnetFile}`, ...(options.args ?? [])],
    {
      execArgv: options.launch.execArgv,
      ...(options.launch.cwd === undefined ? {} : { cwd: options.launch.cwd }),
      ...(options.env === undefined ? {} : { env: options.env }),
    },
  );
}
