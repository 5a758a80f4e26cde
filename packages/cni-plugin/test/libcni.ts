// The runtime side of the end-to-end tests and the bench: a small Go program on libcni (the library
// containerd and CRI-O call plugins with), built from Debian's golang-github-appc-cni-dev sources in GOPATH
// mode (offline, no module download) into a cache directory keyed by the driver's source hash. The binary
// is never committed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DRIVER_SOURCE = fileURLToPath(new URL('./libcni-driver/', import.meta.url));
/** Where Debian installs the CNI library's Go sources. */
export const DEBIAN_GOPATH = '/usr/share/gocode';

/** Why the driver cannot be built here (no Go, no libcni sources), or undefined when it can. */
export function libcniSkipReason(): string | undefined {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    return '(skipped: go is not installed; apt-get install golang-go)';
  }
  if (!existsSync(join(DEBIAN_GOPATH, 'src/github.com/containernetworking/cni/libcni'))) return '(skipped: libcni sources missing; apt-get install golang-github-appc-cni-dev)';
  return undefined;
}

/** Builds (once per source version) and returns the path of the `cni-driver` binary. */
export function buildCniDriver(): string {
  const hash = createHash('sha256').update(readFileSync(join(DRIVER_SOURCE, 'main.go'))).digest('hex').slice(0, 12);
  const directory = join(tmpdir(), 'flannel-ts-cni-driver', hash);
  const binary = join(directory, 'cni-driver');
  if (existsSync(binary)) return binary;
  mkdirSync(directory, { recursive: true });
  const staging = `${binary}.${process.pid}`;
  execFileSync('go', ['build', '-o', staging, '.'], {
    cwd: DRIVER_SOURCE,
    env: { ...process.env, GOPATH: DEBIAN_GOPATH, GO111MODULE: 'off', GOFLAGS: '', GOCACHE: join(directory, 'gocache') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  renameSync(staging, binary);
  return binary;
}

/** The flags of one libcni call. */
export interface LibcniCall {
  readonly conflist: string;
  readonly netns: string;
  readonly containerId: string;
  readonly cniPath: readonly string[];
  readonly cacheDir: string;
  /** CNI_ARGS as a runtime sends them (`IgnoreUnknown=1;K8S_POD_NAMESPACE=…;K8S_POD_NAME=…`). */
  readonly args?: string;
  readonly ifName?: string;
}

/** The driver's arguments for `add`, `check` or `del`. */
export function driverArgs(command: 'add' | 'check' | 'del', call: LibcniCall): string[] {
  return [
    command,
    '-conflist', call.conflist,
    '-netns', call.netns,
    '-id', call.containerId,
    '-ifname', call.ifName ?? 'eth0',
    '-args', call.args ?? '',
    '-path', call.cniPath.join(':'),
    '-cache-dir', call.cacheDir,
  ];
}

/** CNI_ARGS as kubelet's CRI runtimes pass them for a pod. */
export function kubePodArgs(namespace: string, name: string): string {
  return `IgnoreUnknown=1;K8S_POD_NAMESPACE=${namespace};K8S_POD_NAME=${name};K8S_POD_INFRA_CONTAINER_ID=${name}-sandbox`;
}
