// Running a delegate plugin as containernetworking/cni's `pkg/invoke` does (`delegate.go`, `find.go`,
// `raw_exec.go`): find `<type>` in `CNI_PATH`, run it with this process's environment and `CNI_COMMAND`
// overridden, the config on stdin; retry on "text file busy"; turn a failure into a CNI error (the
// delegate's own error JSON when it printed one, else a `netplugin failed …` message with code 0).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { goJsonParse } from '../go-json/go-json-parse.js';
import { CniError } from './cni-error.js';

/** How delegates are found and run; the default spawns processes, tests may pass a fake. */
export interface PluginExec {
  /** `FindInPath`: the plugin's path, or throws Go's message. */
  findInPath(plugin: string, paths: readonly string[]): string;
  /** Runs the plugin and returns its stdout; a failed run throws (a {@link CniError} for plugin errors). */
  execPlugin(path: string, stdin: Uint8Array, env: Readonly<Record<string, string | undefined>>): Buffer;
}

/** Go's `%q` of a string (strconv.Quote). */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (code === 12) out += '\\f';
    else if (code === 10) out += '\\n';
    else if (code === 13) out += '\\r';
    else if (code === 9) out += '\\t';
    else if (code === 11) out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code === 0xfffd && char !== '\ufffd') out += '\\ufffd';
    else out += char;
  }
  return `${out}"`;
}

/** `invoke.FindInPath` on Linux. */
export function findInPath(plugin: string, paths: readonly string[]): string {
  if (plugin === '') throw new Error('no plugin name provided');
  if (plugin.includes('/')) throw new Error(`invalid plugin name: ${plugin}`);
  if (paths.length === 0) throw new Error('no paths provided');
  for (const directory of paths) {
    const path = join(directory, plugin);
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // next directory
    }
  }
  throw new Error(`failed to find plugin "${plugin}" in path [${paths.join(' ')}]`);
}

const SIGNAL_TEXT: Readonly<Record<string, string>> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGINT: 'interrupt', SIGPIPE: 'broken pipe' };

/** `RawExec.pluginErr`: the error a failed delegate run becomes. */
export function pluginError(runError: string, stdout: Buffer, stderr: Buffer): CniError {
  if (stdout.length === 0) {
    return new CniError(0, stderr.length === 0 ? `netplugin failed with no error message: ${runError}` : `netplugin failed: ${goQuote(stderr.toString('utf8'))}`);
  }
  try {
    const parsed = goJsonParse(stdout);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`json: cannot unmarshal ${Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool'} into Go value of type types.Error`);
    const fields = parsed as Record<string, unknown>;
    const code = typeof fields['code'] === 'number' && Number.isInteger(fields['code']) && fields['code'] >= 0 ? fields['code'] : 0;
    return new CniError(code, typeof fields['msg'] === 'string' ? fields['msg'] : '', typeof fields['details'] === 'string' ? fields['details'] : '');
  } catch (error) {
    return new CniError(0, `netplugin failed but error parsing its diagnostic message ${goQuote(stdout.toString('utf8'))}: ${(error as Error).message}`);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The real {@link PluginExec}: `spawnSync`, stderr copied to ours after a successful run. */
export function processPluginExec(stderr: { write(text: string | Uint8Array): unknown }): PluginExec {
  return {
    findInPath,
    execPlugin(path, stdin, env) {
      for (let attempt = 0; ; attempt++) {
        const result = spawnSync(path, [], { input: stdin, env: env as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 });
        const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
        if (code === 'ETXTBSY' && attempt < 5) {
          sleepSync(1000);
          continue;
        }
        const out = result.stdout ?? Buffer.alloc(0);
        const err = result.stderr ?? Buffer.alloc(0);
        if (result.error !== undefined) throw pluginError(`fork/exec ${path}: ${code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such file or directory' : code === 'ENOEXEC' ? 'exec format error' : String(result.error.message)}`, out, err);
        if (result.status !== 0) throw pluginError(result.signal === null ? `exit status ${result.status}` : `signal: ${SIGNAL_TEXT[result.signal] ?? result.signal}`, out, err);
        if (err.length > 0) stderr.write(err);
        return out;
      }
    },
  };
}

/** `invoke.delegateCommon` + the run: `CNI_PATH` split on `:`, `CNI_COMMAND` overridden. */
export function runDelegate(exec: PluginExec, env: Readonly<Record<string, string | undefined>>, command: 'ADD' | 'DEL', plugin: string, config: Uint8Array): Buffer {
  const cniPath = env['CNI_PATH'] ?? '';
  const paths = cniPath === '' ? [] : cniPath.split(':');
  const path = exec.findInPath(plugin, paths);
  return exec.execPlugin(path, config, { ...env, CNI_COMMAND: command });
}
