import { spawn, type StdioOptions } from 'node:child_process';
import { LabProcess } from './lab-process.js';

/** Options for starting a long-running process (see {@link LabProcess}). */
export interface SpawnOptions {
  /** Extra environment, merged over this process's. */
  env?: Record<string, string | undefined>;
  /** Working directory. */
  cwd?: string;
  /** stdin handling: `'pipe'` to write to `child.stdin`, `'ignore'` (default) for none. */
  stdin?: 'pipe' | 'ignore';
}

/**
 * Starts `command` inside network namespace `netns` (or in the current one when `undefined`) without a shell.
 * Equals `ip netns exec NETNS COMMAND ARGS…`; `ip` execs the command, so the pid is the command's own.
 */
export function spawnIn(netns: string | undefined, command: string, args: readonly string[], options: SpawnOptions = {}): LabProcess {
  const [file, argv] = netns === undefined ? [command, [...args]] : ['ip', ['netns', 'exec', netns, command, ...args]];
  const stdio: StdioOptions = [options.stdin ?? 'ignore', 'pipe', 'pipe'];
  const child = spawn(file, argv, {
    stdio,
    cwd: options.cwd,
    env: options.env ? { ...process.env, ...options.env } : process.env,
  });
  const where = netns === undefined ? '' : ` (in ${netns})`;
  return new LabProcess(child, `${command}${where}`);
}
