// flannel's CNI commands (cni-plugin `flannel.go` `cmdAdd`/`cmdDel`/`cmdCheck`, `flannel_linux.go`
// `doCmdAdd`/`doCmdDel`):
// - ADD: config → subnet.env → delegate map → scratch file (before the delegate runs) → delegate ADD →
//   its result printed (in the version the config asked for);
// - DEL: never reads subnet.env; replays the scratch file to the delegate and removes the file whatever
//   the delegate said; no scratch file is success (idempotent);
// - CHECK: nothing to check (flannel's is a no-op); GC and STATUS are skel's no-ops.
import { goJsonParse } from '../go-json/go-json-parse.js';
import { goJsonEncode } from '../go-json/go-json-encode.js';
import type { GoJsonValue } from '../go-json/go-json-encode.js';
import { decodeGoJson } from '../go-json/go-json-decode.js';
import { convertCniResult, formatCniResult, parseDelegateResult } from '../result/cni-result.js';
import { CniError } from '../skel/cni-error.js';
import { runDelegate } from '../skel/invoke.js';
import type { PluginExec } from '../skel/invoke.js';
import type { CmdArgs, CniFuncs, Writer } from '../skel/skel.js';
import { buildDelegate } from './delegate.js';
import { loadFlannelNetConf } from './net-conf.js';
import { readScratchNetConf, removeScratchNetConf, saveScratchNetConf } from './scratch-file.js';
import { loadFlannelSubnetEnv } from './subnet-env.js';

/** What the commands need from the process. */
export interface FlannelPluginOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly exec: PluginExec;
}

/** `types.NetConf` as DEL decodes the stored delegate config: only `type` and `cniVersion` are used. */
const STORED_CONF = {
  kind: 'struct',
  name: 'PluginConf',
  fields: {
    cniVersion: { kind: 'string' },
    name: { kind: 'string' },
    type: { kind: 'string' },
    capabilities: { kind: 'map', name: 'map[string]bool', elem: { kind: 'bool' } },
    ipam: { kind: 'struct', name: 'types.IPAM', fields: { type: { kind: 'string' } } },
    prevResult: { kind: 'map', name: 'map[string]interface {}', elem: { kind: 'any' } },
  },
} as const;

function add(options: FlannelPluginOptions, args: CmdArgs): void {
  let conf;
  try {
    conf = loadFlannelNetConf(goJsonParse(args.stdinData));
  } catch (error) {
    throw new Error(`failed to load flannel netconf file: ${(error as Error).message}`, { cause: error });
  }
  let env;
  try {
    env = loadFlannelSubnetEnv(conf.subnetFile);
  } catch (error) {
    throw new Error(`failed to load flannel 'subnet.env' file: ${(error as Error).message}. Check the flannel pod log for this node.`, { cause: error });
  }
  const delegate = buildDelegate(conf, env);
  const bytes = Buffer.from(goJsonEncode(delegate as GoJsonValue, { sortKeys: true }));
  options.stderr.write('delegateAdd: netconf sent to delegate plugin:\n');
  options.stderr.write(bytes);
  saveScratchNetConf(args.containerId, conf.dataDir, bytes);
  let stdout: Buffer;
  try {
    stdout = runDelegate(options.exec, options.env, 'ADD', delegate['type'] as string, bytes);
  } catch (error) {
    if (CniError.isInstance(error)) throw error;
    throw new Error(`failed to delegate add: ${(error as Error).message}`, { cause: error });
  }
  const requested = conf.cniVersion === '' ? '0.1.0' : conf.cniVersion;
  let text: string;
  try {
    text = formatCniResult(convertCniResult(parseDelegateResult(stdout, requested), requested));
  } catch (error) {
    throw new Error(`failed to delegate add: ${(error as Error).message}`, { cause: error });
  }
  options.stdout.write(text);
}

function del(options: FlannelPluginOptions, args: CmdArgs): void {
  const conf = loadFlannelNetConf(goJsonParse(args.stdinData));
  const stored = readScratchNetConf(args.containerId, conf.dataDir);
  if (stored === undefined) return;
  let type: string;
  try {
    const fields = decodeGoJson(goJsonParse(stored), STORED_CONF) as Record<string, unknown> | null;
    type = typeof fields?.['type'] === 'string' ? fields['type'] : '';
  } catch (error) {
    // flannel keeps the file and succeeds: the veth stays on the bridge until the node reboots.
    options.stderr.write(`failed to parse netconf: ${(error as Error).message}`);
    return;
  }
  try {
    runDelegate(options.exec, options.env, 'DEL', type, stored);
  } finally {
    removeScratchNetConf(args.containerId, conf.dataDir);
  }
}

/**
 * flannel's ADD, DEL and CHECK for {@link pluginMain}.
 *
 * @example
 * ```ts
 * const io = processPluginIo();
 * process.exitCode = pluginMain(flannelPlugin({ env: io.env, stdout: io.stdout, stderr: io.stderr, exec: processPluginExec(io.stderr) }), io, about);
 * ```
 */
export function flannelPlugin(options: FlannelPluginOptions): CniFuncs {
  return {
    add: (args) => add(options, args),
    del: (args) => del(options, args),
    check: () => {},
  };
}
