// A RunCommand that records every request and answers from a script: the extension backend's fake.
import type { CommandOutcome, CommandRequest, RunCommand } from '../run-command.js';

/** A recorded request, with the program and stdin at hand. */
export interface RecordedCommand {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly stdin: string;
  readonly timeoutMs: number;
}

/** Answers one request; default: exit 0 with no output. */
export type CommandScript = (request: CommandRequest) => CommandOutcome | Promise<CommandOutcome>;

/** The fake runner plus what it saw. */
export interface RecordingCommandRunner {
  readonly run: RunCommand;
  /** Every request, in order. */
  readonly calls: RecordedCommand[];
  /** Replaces the script for later requests. */
  respond(script: CommandScript): void;
}

/** An `exited` outcome with `output` text. */
export function exited(output = '', exitCode = 0): CommandOutcome {
  return { kind: 'exited', exitCode, signal: null, output: new TextEncoder().encode(output) };
}

/**
 * Creates a recording command runner.
 *
 * @example
 * ```ts
 * const runner = createRecordingCommandRunner((request) => exited(request.argv[0] === '/pre' ? 'data' : ''));
 * createExtensionBackend({ runCommand: runner.run });
 * runner.calls[0]?.argv; // ['/pre']
 * ```
 */
export function createRecordingCommandRunner(script: CommandScript = () => exited()): RecordingCommandRunner {
  let current = script;
  const calls: RecordedCommand[] = [];
  return {
    calls,
    respond(next) {
      current = next;
    },
    async run(request) {
      calls.push({ argv: [...request.argv], env: { ...request.env }, stdin: request.stdin, timeoutMs: request.timeoutMs });
      return current(request);
    },
  };
}
