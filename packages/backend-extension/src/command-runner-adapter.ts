// An adapter from a shared command runner (core's `CommandRunner` of the backend dependency set: program,
// args, extra env, stdin, signal → exit code, stdout, stderr) to this backend's `RunCommand`. Typed
// structurally so this package does not need it; the daemon connects it with one call.
import type { CommandOutcome, RunCommand } from './run-command.js';

/** A command runner that resolves exit code and output, and rejects when the program cannot start or is aborted. */
export interface CommandRunnerLike {
  run(request: {
    readonly command: string;
    readonly args: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly stdin?: string;
    readonly signal?: AbortSignal;
  }): Promise<{ readonly exitCode: number; readonly stdout: string; readonly stderr: string }>;
}

const encoder = new TextEncoder();

/**
 * `RunCommand` over a `CommandRunnerLike`: the time limit becomes an abort signal, stdout and stderr are
 * joined (stdout first: such a runner keeps them apart, so their interleaving is lost).
 *
 * @example
 * ```ts
 * createExtensionBackend({ logger, runCommand: runCommandFrom(dependencies.commands) });
 * ```
 */
export function runCommandFrom(runner: CommandRunnerLike): RunCommand {
  return async (request): Promise<CommandOutcome> => {
    const [command, ...args] = request.argv;
    if (command === undefined || command === '') return { kind: 'not-started', code: 'ENOENT', message: 'the command is empty' };
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const result = await runner.run({ command, args, env: request.env, stdin: request.stdin, signal });
      return { kind: 'exited', exitCode: result.exitCode, signal: null, output: encoder.encode(result.stdout + result.stderr) };
    } catch (error) {
      if (timeout.aborted) return { kind: 'timed-out', output: new Uint8Array() };
      if (request.signal?.aborted) return { kind: 'aborted', output: new Uint8Array() };
      const code = (error as { code?: unknown }).code;
      return { kind: 'not-started', code: typeof code === 'string' ? code : 'UNKNOWN', message: (error as Error).message };
    }
  };
}
