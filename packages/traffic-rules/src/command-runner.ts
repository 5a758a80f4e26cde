import { execFile } from 'node:child_process';

/** What a command printed and how it exited. */
export interface CommandResult {
  /** Standard output, UTF-8. */
  readonly stdout: string;
  /** Standard error, UTF-8. */
  readonly stderr: string;
  /** Exit code; `-1` when the command could not be started (then `stderr` says why) or died of a signal. */
  readonly code: number;
}

/** Options of one {@link CommandRunner} call. */
export interface CommandOptions {
  /** Written to the command's standard input, which is then closed. */
  readonly input?: string;
}

/**
 * The boundary to the outside world: runs one program with arguments and never throws for a non-zero
 * exit (the caller reads `code`). Tests inject a fake; {@link createExecRunner} is the real one.
 */
export type CommandRunner = (command: string, args: readonly string[], options?: CommandOptions) => Promise<CommandResult>;

/** Options of {@link createExecRunner}. */
export interface ExecRunnerOptions {
  /** Run every command inside this network namespace (`ip netns exec <netns> <command> …`). */
  readonly netns?: string;
  /** Kill a command that runs longer than this. Default 30 s. */
  readonly timeoutMs?: number;
}

/**
 * A {@link CommandRunner} over `node:child_process` `execFile` (no shell), feeding `input` on stdin.
 *
 * @example
 * ```ts
 * const run = createExecRunner({ netns: 'test-ns' });
 * await run('iptables-restore', ['--noflush'], { input: '*nat\nCOMMIT\n' });
 * // = ip netns exec test-ns iptables-restore --noflush < payload
 * ```
 */
export function createExecRunner(options: ExecRunnerOptions = {}): CommandRunner {
  const timeout = options.timeoutMs ?? 30_000;
  return (command, args, callOptions = {}) => {
    const [file, argv] =
      options.netns === undefined ? [command, [...args]] : ['ip', ['netns', 'exec', options.netns, command, ...args]];
    return new Promise<CommandResult>((resolve) => {
      const child = execFile(file, argv, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, stderr, code: 0 });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : -1;
        const reason = typeof error.code === 'number' ? '' : `${error.message}\n`;
        resolve({ stdout, stderr: `${stderr}${reason}`, code });
      });
      child.stdin?.on('error', () => {
        // The program may exit without reading stdin (EPIPE); its exit code tells what happened.
      });
      child.stdin?.end(callOptions.input ?? '');
    });
  };
}
