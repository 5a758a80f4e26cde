// The plugin side of the CNI protocol as containernetworking/cni v1.3.0's `pkg/skel` runs it, which is
// what flannel's `main` hands everything to (`skel.PluginMain(cmdAdd, cmdCheck, cmdDel, version.All, …)`):
// 1. environment: every variable the command needs (`required env variables [CNI_NETNS,CNI_IFNAME] missing`,
//    code 4), container ID and interface name validated as they are read;
// 2. no CNI_COMMAND at all: the "about" banner on stderr, exit 0;
// 3. stdin (not for VERSION) must be JSON with a valid `name` (codes 6, 7);
// 4. per command: the config's cniVersion must be one the plugin supports (code 1); CHECK needs ≥ 0.4.0,
//    GC and STATUS ≥ 1.1.0; ADD and DEL refuse a CNI_NETNS that is the plugin's own namespace (code 8,
//    checked after the command ran, as skel does);
// 5. a command's error becomes code 999 unless it already is a CNI error (a delegate's keeps its code).
import { statSync } from 'node:fs';
import { goJsonParse } from '../go-json/go-json-parse.js';
import { decodeGoJson } from '../go-json/go-json-decode.js';
import { CNI_ERROR_CODES, CniError } from './cni-error.js';
import { cniVersionAtLeast, goQuoteList, SUPPORTED_VERSIONS, versionInfoText } from './cni-version.js';

/** What a command gets (`skel.CmdArgs`). */
export interface CmdArgs {
  readonly containerId: string;
  readonly netns: string;
  readonly ifName: string;
  readonly args: string;
  readonly path: string;
  readonly stdinData: Buffer;
}

/** The commands a plugin implements; a missing GC or STATUS succeeds with no output, as in skel. */
export interface CniFuncs {
  add(args: CmdArgs): void;
  check(args: CmdArgs): void;
  del(args: CmdArgs): void;
  gc?(args: CmdArgs): void;
  status?(args: CmdArgs): void;
}

/** Something text or bytes can be written to. */
export interface Writer {
  write(chunk: string | Uint8Array): unknown;
}

/** The process boundary of a plugin run. */
export interface PluginIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** All of stdin (not called for VERSION). */
  readStdin(): Buffer;
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** True when `path` is the plugin's own network namespace (default: same inode as /proc/self/ns/net). */
  isOwnNetns?(path: string): boolean;
}

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

type Requirement = Readonly<Record<string, boolean>>;
const ALL = { ADD: true, CHECK: true, DEL: true, GC: true, STATUS: true };
const ENV_VARIABLES: readonly { name: string; required: Requirement; validate?: (value: string) => CniError | undefined }[] = [
  { name: 'CNI_COMMAND', required: ALL },
  { name: 'CNI_CONTAINERID', required: { ADD: true, CHECK: true, DEL: true }, validate: validateContainerId },
  { name: 'CNI_NETNS', required: { ADD: true, CHECK: true, DEL: false } },
  { name: 'CNI_IFNAME', required: { ADD: true, CHECK: true, DEL: true }, validate: validateInterfaceName },
  { name: 'CNI_ARGS', required: {} },
  { name: 'CNI_PATH', required: ALL },
  { name: 'CNI_NETNS_OVERRIDE', required: {} },
];

/** `utils.ValidateContainerID`. */
export function validateContainerId(id: string): CniError | undefined {
  if (id === '') return new CniError(CNI_ERROR_CODES.ErrUnknownContainer, 'missing containerID');
  if (!NAME_PATTERN.test(id)) return new CniError(CNI_ERROR_CODES.ErrInvalidEnvironmentVariables, 'invalid characters in containerID', id);
  return undefined;
}

/** `utils.ValidateInterfaceName` (the kernel's rules: ≤ 15 bytes, not `.`/`..`, no `/`, `:` or space). */
export function validateInterfaceName(name: string): CniError | undefined {
  const code = CNI_ERROR_CODES.ErrInvalidEnvironmentVariables;
  if (name === '') return new CniError(code, 'interface name is empty');
  if (Buffer.byteLength(name) > 15) return new CniError(code, 'interface name is too long', 'interface name should be less than 16 characters');
  if (name === '.' || name === '..') return new CniError(code, 'interface name is . or ..');
  if (/[/:\s\u0085\u00a0]/u.test(name)) return new CniError(code, 'interface name contains / or : or whitespace characters');
  return undefined;
}

/** `utils.ValidateNetworkName`. */
export function validateNetworkName(name: string): CniError | undefined {
  if (name === '') return new CniError(CNI_ERROR_CODES.ErrInvalidNetworkConfig, 'missing network name:');
  if (!NAME_PATTERN.test(name)) return new CniError(CNI_ERROR_CODES.ErrInvalidNetworkConfig, 'invalid characters found in network name', name);
  return undefined;
}

/**
 * One string field of the config, decoded as skel's `validateConfig` and `create.DecodeVersion` decode it: into an
 * anonymous struct, which Go's errors print as its literal (`… into Go value of type struct { Name string "json:\"name\"" }`).
 */
function decodeField(stdin: Buffer, field: 'name' | 'cniVersion'): string {
  const goName = field === 'name' ? 'Name' : 'CNIVersion';
  const literal = `struct { ${goName} string ${JSON.stringify(`json:"${field}"`)} }`;
  const value = decodeGoJson(goJsonParse(stdin), { kind: 'struct', name: '', literal, fields: { [field]: { kind: 'string' } } }) as Record<string, unknown> | null;
  const text = value?.[field];
  return typeof text === 'string' ? text : '';
}

/** `create.DecodeVersion`: the config's cniVersion, `0.1.0` when absent. */
export function decodeConfigVersion(stdin: Buffer): string {
  let version: string;
  try {
    version = decodeField(stdin, 'cniVersion');
  } catch (error) {
    throw new CniError(CNI_ERROR_CODES.ErrDecodingFailure, `decoding version from network config: ${(error as Error).message}`);
  }
  return version === '' ? '0.1.0' : version;
}

function defaultIsOwnNetns(path: string): boolean {
  let target;
  try {
    target = statSync(path);
  } catch {
    return false; // skel: a path that cannot be opened is the plugin's business (DEL of a gone netns)
  }
  const own = statSync('/proc/self/ns/net');
  return own.dev === target.dev && own.ino === target.ino;
}

function atLeast(version: string, minimum: string): boolean {
  try {
    return cniVersionAtLeast(version, minimum);
  } catch (error) {
    throw new CniError(CNI_ERROR_CODES.ErrDecodingFailure, (error as Error).message);
  }
}

function checkVersionAndCall(args: CmdArgs, call: ((args: CmdArgs) => void) | undefined): void {
  const version = decodeConfigVersion(args.stdinData);
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) {
    throw new CniError(CNI_ERROR_CODES.ErrIncompatibleCNIVersion, 'incompatible CNI versions', `config is "${version}", plugin supports ${goQuoteList(SUPPORTED_VERSIONS)}`);
  }
  if (call === undefined) return;
  try {
    call(args);
  } catch (error) {
    if (CniError.isInstance(error)) throw error;
    throw new CniError(CNI_ERROR_CODES.ErrInternal, error instanceof Error ? error.message : String(error), '', { cause: error });
  }
}

function gatedCall(command: string, minimum: string, args: CmdArgs, call: ((args: CmdArgs) => void) | undefined): void {
  const version = decodeConfigVersion(args.stdinData);
  if (!atLeast(version, minimum)) throw new CniError(CNI_ERROR_CODES.ErrIncompatibleCNIVersion, `config version does not allow ${command}`);
  if (!SUPPORTED_VERSIONS.some((supported) => atLeast(supported, version))) throw new CniError(CNI_ERROR_CODES.ErrIncompatibleCNIVersion, `plugin version does not allow ${command}`);
  checkVersionAndCall(args, call);
}

function dispatch(funcs: CniFuncs, io: PluginIo, about: string): void {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const command = io.env['CNI_COMMAND'] ?? '';
  for (const variable of ENV_VARIABLES) {
    const value = io.env[variable.name] ?? '';
    values[variable.name] = value;
    if (value === '') {
      if (variable.required[command] === true || variable.name === 'CNI_COMMAND') missing.push(variable.name);
    } else if (variable.required[command] === true && variable.validate !== undefined) {
      const error = variable.validate(value);
      if (error !== undefined) throw error;
    }
  }
  if (missing.length > 0) {
    if (command === '' && about !== '') {
      io.stderr.write(`${about}\nCNI protocol versions supported: ${SUPPORTED_VERSIONS.join(', ')}\n`);
      return;
    }
    throw new CniError(CNI_ERROR_CODES.ErrInvalidEnvironmentVariables, `required env variables [${missing.join(',')}] missing`);
  }
  let stdinData: Buffer = Buffer.alloc(0);
  if (command !== 'VERSION') {
    try {
      stdinData = io.readStdin();
    } catch (error) {
      throw new CniError(CNI_ERROR_CODES.ErrIOFailure, `error reading from stdin: ${(error as Error).message}`);
    }
    let name: string;
    try {
      name = decodeField(stdinData, 'name');
    } catch (error) {
      throw new CniError(CNI_ERROR_CODES.ErrDecodingFailure, `error unmarshall network config: ${(error as Error).message}`);
    }
    if (name === '') throw new CniError(CNI_ERROR_CODES.ErrInvalidNetworkConfig, 'missing network name');
    const invalid = validateNetworkName(name);
    if (invalid !== undefined) throw invalid;
  }
  const args: CmdArgs = { containerId: values['CNI_CONTAINERID']!, netns: values['CNI_NETNS']!, ifName: values['CNI_IFNAME']!, args: values['CNI_ARGS']!, path: values['CNI_PATH']!, stdinData };
  const override = values['CNI_NETNS_OVERRIDE']!;
  const checkNetns = (): void => {
    if (override.toUpperCase() === 'TRUE' || override === '1') return;
    if ((io.isOwnNetns ?? defaultIsOwnNetns)(args.netns)) {
      throw new CniError(CNI_ERROR_CODES.ErrInvalidNetNS, "plugin's netns and netns from CNI_NETNS should not be the same");
    }
  };
  switch (command) {
    case 'ADD':
      checkVersionAndCall(args, (each) => funcs.add(each));
      checkNetns();
      return;
    case 'DEL':
      checkVersionAndCall(args, (each) => funcs.del(each));
      checkNetns();
      return;
    case 'CHECK':
      return gatedCall('CHECK', '0.4.0', args, (each) => funcs.check(each));
    case 'GC':
      return gatedCall('GC', '1.1.0', args, funcs.gc?.bind(funcs));
    case 'STATUS':
      return gatedCall('STATUS', '1.1.0', args, funcs.status?.bind(funcs));
    case 'VERSION':
      io.stdout.write(versionInfoText());
      return;
    default:
      throw new CniError(CNI_ERROR_CODES.ErrInvalidEnvironmentVariables, `unknown CNI_COMMAND: ${command}`);
  }
}

/**
 * `skel.PluginMainFuncs`: runs one plugin invocation and returns the exit status. A failure prints the
 * CNI error JSON on stdout and returns 1.
 *
 * @example
 * ```ts
 * process.exitCode = pluginMain(flannelFuncs, processPluginIo(), 'CNI Plugin flannel version v1.9.1 (linux/amd64) commit none');
 * ```
 */
export function pluginMain(funcs: CniFuncs, io: PluginIo, about: string): number {
  try {
    dispatch(funcs, io, about);
    return 0;
  } catch (error) {
    const cniError = CniError.isInstance(error) ? error : new CniError(CNI_ERROR_CODES.ErrInternal, error instanceof Error ? error.message : String(error));
    io.stdout.write(cniError.toJSONText());
    return 1;
  }
}
