// The one boundary of the extension backend: running an operator's command. The real runner spawns the
// program directly (no shell), writes stdin, and gives the child ONE open file as both stdout and stderr,
// so the output interleaves exactly as written — what Go's CombinedOutput gets from its single pipe —
// then reads it back. It kills the child when the time limit passes or the signal aborts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One command to run. `argv[0]` is the program, looked up in `PATH` when it has no slash. */
export interface CommandRequest {
  readonly argv: readonly string[];
  /** The child's complete environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Written to the child's stdin, which is then closed. */
  readonly stdin: string;
  /** Kill the child (SIGKILL) when it runs longer than this. */
  readonly timeoutMs: number;
  /** Kills the child when aborted. */
  readonly signal?: AbortSignal;
}

/** How a command ended. */
export type CommandOutcome =
  /** It ran and exited (with any code) or was killed by a signal it did not expect. */
  | { readonly kind: 'exited'; readonly exitCode: number | null; readonly signal: string | null; readonly output: Uint8Array }
  /** It could not be started; `code` is the errno name (`ENOENT`, `EACCES`). */
  | { readonly kind: 'not-started'; readonly code: string; readonly message: string }
  /** It ran past `timeoutMs` and was killed. */
  | { readonly kind: 'timed-out'; readonly output: Uint8Array }
  /** `signal` aborted while it ran; it was killed. */
  | { readonly kind: 'aborted'; readonly output: Uint8Array };

/** Runs one command; never rejects (every way it can end is a {@link CommandOutcome}). */
export type RunCommand = (request: CommandRequest) => Promise<CommandOutcome>;

/** Output read back per command; more is ignored (a BackendData this large is refused anyway). */
export const MAX_COMMAND_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs commands as child processes of this one, without a shell.
 *
 * @example
 * ```ts
 * const outcome = await spawnCommand({ argv: ['/bin/echo', 'hi'], env: {}, stdin: '\n', timeoutMs: 5_000 });
 * // { kind: 'exited', exitCode: 0, signal: null, output: Uint8Array('hi\n') }
 * ```
 */
export const spawnCommand: RunCommand = (request) =>
  new Promise((resolve) => {
    const [program, ...args] = request.argv;
    if (program === undefined || program === '') {
      resolve({ kind: 'not-started', code: 'ENOENT', message: 'the command is empty' });
      return;
    }
    if (request.signal?.aborted) {
      resolve({ kind: 'aborted', output: new Uint8Array() });
      return;
    }
    // A private directory (0700) holds the output file; it is removed as soon as the command ends.
    const directory = mkdtempSync(join(tmpdir(), 'flannel-ts-command-'));
    const outputFd = openSync(join(directory, 'output'), 'w+', 0o600);
    const readOutput = (): Uint8Array => {
      const buffer = Buffer.alloc(Math.min(fstatSync(outputFd).size, MAX_COMMAND_OUTPUT_BYTES));
      let filled = 0;
      while (filled < buffer.length) {
        const read = readSync(outputFd, buffer, filled, buffer.length - filled, filled);
        if (read === 0) break;
        filled += read;
      }
      return buffer.subarray(0, filled);
    };
    const release = (): void => {
      closeSync(outputFd);
      rmSync(directory, { recursive: true, force: true });
    };
    let ending: 'timed-out' | 'aborted' | undefined;
    let child: ChildProcess;
    try {
      child = spawn(program, args, { env: { ...request.env }, stdio: ['pipe', outputFd, outputFd], shell: false });
    } catch (error) {
      release();
      resolve({ kind: 'not-started', code: (error as NodeJS.ErrnoException).code ?? 'UNKNOWN', message: (error as Error).message });
      return;
    }
    // EPIPE when the child exits without reading its stdin is not the command's failure.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(request.stdin);
    const kill = (why: 'timed-out' | 'aborted'): void => {
      ending ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timed-out'), request.timeoutMs);
    const onAbort = (): void => kill('aborted');
    request.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (outcome: CommandOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (!settled) release();
      finish({ kind: 'not-started', code: error.code ?? 'UNKNOWN', message: error.message });
    });
    child.on('close', (exitCode, signal) => {
      if (settled) return;
      const output = readOutput();
      release();
      if (ending !== undefined) finish({ kind: ending, output });
      else finish({ kind: 'exited', exitCode, signal, output });
    });
  });
