// The `flannel` executable: wires the process (env, stdin, stdout, stderr, child processes) into skel and
// flannel's commands. Kept to node built-ins so a runtime's per-pod spawn stays cheap.
import { readFileSync, writeSync } from 'node:fs';
import { processPluginExec } from '../skel/invoke.js';
import { pluginMain } from '../skel/skel.js';
import type { PluginIo } from '../skel/skel.js';
import { flannelPlugin } from './flannel-plugin.js';

/** The plugin's version, printed in the "about" banner. */
export const PLUGIN_VERSION = '0.1.0';

/** skel's "about" text: `CNI Plugin flannel version <v> (linux/<arch>) commit <c>`. */
export function aboutText(version = PLUGIN_VERSION, commit = 'none'): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return `CNI Plugin flannel version ${version} (${process.platform}/${arch}) commit ${commit}`;
}

/** The real process as a {@link PluginIo}. */
export function processPluginIo(): PluginIo {
  return {
    env: process.env,
    readStdin: () => readFileSync(0),
    stdout: { write: (chunk) => writeAll(1, chunk) },
    stderr: { write: (chunk) => writeAll(2, chunk) },
  };
}

function writeAll(fd: number, chunk: string | Uint8Array): void {
  // Synchronous, so nothing is lost when the process exits right after.
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSyncFd(fd, bytes, written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw error;
    }
  }
}

function writeSyncFd(fd: number, bytes: Uint8Array, offset: number): number {
  return writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * Runs the plugin in this process and returns its exit status.
 *
 * @example
 * ```ts
 * process.exitCode = runFlannelPlugin();
 * ```
 */
export function runFlannelPlugin(io: PluginIo = processPluginIo()): number {
  const funcs = flannelPlugin({ env: io.env, stdout: io.stdout, stderr: io.stderr, exec: processPluginExec(io.stderr) });
  return pluginMain(funcs, io, aboutText());
}
