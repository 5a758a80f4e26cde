// The demo's pods: on each lab host, network namespaces added through the `flannel` CNI plugin the way a
// container runtime adds them (libcni: the conflist's plugin config with `name` and `cniVersion` filled in
// on stdin, `CNI_*` in the environment, the plugin found in `CNI_PATH`). The plugin reads the host's
// subnet.env and delegates to `bridge` + `host-local` from /usr/lib/cni, which create `cni0`, the veth pair
// and the pod's address.
//
// Lab hosts share one file system: each host's conflist names its own subnet.env, the plugin's `dataDir` and
// host-local's store, so nothing touches /var/lib/cni or /run/flannel.
import { dirname, join } from 'node:path';
import type { ExecOptions, ExecResult } from '@flannel-ts/testlab';

/** The demo's network name (kube-flannel's is `cbr0`). */
export const DEMO_NETWORK_NAME = 'flannel-demo';

/** The CNI spec version the demo's conflist asks for. */
export const DEMO_CNI_VERSION = '1.0.0';

/** Where Debian's containernetworking-plugins install `bridge` and `host-local`. */
export const SYSTEM_CNI_DIR = '/usr/lib/cni';

/** Runs a command inside one lab host (`LabHost.exec`). */
export type HostExec = (command: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/** A pod of the demo: a network namespace with an `eth0` the plugin added. */
export interface DemoPod {
  /** `h1-a`, `h1-b`, … */
  readonly name: string;
  /** The lab host it runs on. */
  readonly host: string;
  /** Its network namespace (`/run/netns/<netns>`). */
  readonly netns: string;
  /** CNI_CONTAINERID. */
  readonly containerId: string;
  /** Its IPv4 address on eth0 (no prefix length). */
  readonly address: string;
}

/**
 * The conflist a demo host uses: the flannel plugin alone, with this host's files (`<hostDir>/subnet.env`
 * is what its daemon writes).
 *
 * @example
 * ```ts
 * demoConflist('/tmp/lab/h1'); // { name: 'flannel-demo', cniVersion: '1.0.0', plugins: [{ type: 'flannel', subnetFile: '/tmp/lab/h1/subnet.env', … }] }
 * ```
 */
export function demoConflist(hostDir: string): { name: string; cniVersion: string; plugins: Record<string, unknown>[] } {
  return {
    name: DEMO_NETWORK_NAME,
    cniVersion: DEMO_CNI_VERSION,
    plugins: [{ type: 'flannel', subnetFile: join(hostDir, 'subnet.env'), dataDir: join(hostDir, 'flannel'), ipam: { dataDir: join(hostDir, 'ipam') } }],
  };
}

/**
 * The network config a runtime writes to the plugin's stdin for a one-plugin conflist, as libcni builds it
 * (`libcni/api.go` `buildOneConfig`: the list's `name` and `cniVersion` set on the plugin's own config).
 *
 * @example
 * ```ts
 * pluginNetworkConfig(demoConflist('/tmp/lab/h1')).name; // 'flannel-demo'
 * ```
 */
export function pluginNetworkConfig(conflist: { name: string; cniVersion: string; plugins: readonly Record<string, unknown>[] }): Record<string, unknown> {
  if (conflist.plugins.length !== 1) throw new Error(`the demo's conflist ${conflist.name} must hold exactly one plugin, not ${conflist.plugins.length}`);
  return { ...conflist.plugins[0], name: conflist.name, cniVersion: conflist.cniVersion };
}

/** What one plugin call needs besides the command. */
export interface CniCall {
  /** The plugin executable (`<bin dir>/flannel`). */
  readonly plugin: string;
  readonly conflist: { name: string; cniVersion: string; plugins: readonly Record<string, unknown>[] };
  readonly containerId: string;
  /** The pod's network namespace name. */
  readonly netns: string;
}

/**
 * The environment of one plugin call, merged over the demo's own as a runtime passes its environment on:
 * the CNI_* variables of the spec, with CNI_PATH the plugin's own directory then Debian's, and PATH led by
 * the directory of the `node` running the demo (the script's `#!/usr/bin/env node` then finds the same
 * Node.js, also under sudo). `NODE_EXTRA_CA_CERTS` and `NODE_OPTIONS` are removed (`undefined`): a
 * node's containerd or CRI-O sets neither, the plugin makes no TLS connection, and a CA bundle the demo's
 * process was given (this machine's, or one for an API server stand-in) would be read by every plugin
 * process before its first line (docs/cni.md).
 *
 * @example
 * ```ts
 * cniEnvironment('ADD', call, '/usr/bin').CNI_PATH; // '/tmp/lab/cni-bin:/usr/lib/cni'
 * ```
 */
export function cniEnvironment(command: 'ADD' | 'DEL', call: CniCall, nodeDir = dirname(process.execPath)): Record<string, string | undefined> {
  return {
    NODE_EXTRA_CA_CERTS: undefined,
    NODE_OPTIONS: undefined,
    CNI_COMMAND: command,
    CNI_CONTAINERID: call.containerId,
    CNI_NETNS: `/run/netns/${call.netns}`,
    CNI_IFNAME: 'eth0',
    CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=${call.containerId}`,
    CNI_PATH: `${dirname(call.plugin)}:${SYSTEM_CNI_DIR}`,
    PATH: `${nodeDir}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`,
  };
}

/** The plugin's error JSON (`{"code":…,"msg":…,"details":…}`) as one line, or its raw output. */
function pluginFailure(command: string, call: CniCall, result: ExecResult): Error {
  let text = (result.stdout.trim() || result.stderr.trim()) || `exit status ${result.code}`;
  try {
    const parsed = JSON.parse(result.stdout) as { code?: number; msg?: string; details?: string };
    if (typeof parsed.msg === 'string') text = `${parsed.msg}${parsed.details ? `: ${parsed.details}` : ''} (CNI error code ${parsed.code ?? '?'})`;
  } catch {
    // Not JSON: the raw text above says what happened.
  }
  return new Error(`CNI ${command} of ${call.containerId} in ${call.netns} failed: ${text}`);
}

/**
 * CNI ADD through the plugin (equals `CNI_COMMAND=ADD … flannel < config` inside the host) and returns the
 * pod's first IPv4 address from the result.
 *
 * @example
 * ```ts
 * const address = await cniAdd((cmd, args, opts) => host.exec(cmd, args, opts), call); // '10.5.3.2'
 * ```
 */
export async function cniAdd(exec: HostExec, call: CniCall): Promise<string> {
  const result = await exec(call.plugin, [], { env: cniEnvironment('ADD', call), input: JSON.stringify(pluginNetworkConfig(call.conflist)), timeoutMs: 30_000 });
  if (result.code !== 0) throw pluginFailure('ADD', call, result);
  const parsed = JSON.parse(result.stdout) as { ips?: { address?: string }[] };
  const address = parsed.ips?.map((ip) => ip.address ?? '').find((each) => !each.includes(':'));
  if (address === undefined) throw new Error(`CNI ADD of ${call.containerId} returned no IPv4 address: ${result.stdout.trim()}`);
  return address.split('/')[0]!;
}

/**
 * CNI DEL through the plugin (idempotent: releases host-local's address and removes the veth).
 *
 * @example
 * ```ts
 * await cniDel((cmd, args, opts) => host.exec(cmd, args, opts), call);
 * ```
 */
export async function cniDel(exec: HostExec, call: CniCall): Promise<void> {
  const result = await exec(call.plugin, [], { env: cniEnvironment('DEL', call), input: JSON.stringify(pluginNetworkConfig(call.conflist)), timeoutMs: 30_000 });
  if (result.code !== 0) throw pluginFailure('DEL', call, result);
}
