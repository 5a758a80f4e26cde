// Runs one configured command the way flannel's runCmd does (pkg/backend/extension/extension.go): argv
// from strings.Fields + os.Expand over the environment overlaid with the command's variables, the
// child's environment likewise, stdin = the given text + "\n", output = stdout+stderr trimmed. A
// non-zero exit, a missing program and a time-out are errors naming the config key and the command.
import { FlannelError } from '@flannel-ts/core';
import { commandArgv, trimGoSpace } from './command-line.js';
import type { CommandOutcome, RunCommand } from './run-command.js';

/** What {@link runExtensionCommand} needs. */
export interface ExtensionCommandContext {
  readonly runCommand: RunCommand;
  /** The daemon's environment (`process.env`). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** One command to run: the config key (for messages), the text as configured, its variables and stdin. */
export interface ExtensionCommand {
  readonly key: string;
  readonly command: string;
  readonly variables: Readonly<Record<string, string>>;
  /** Without the trailing newline flannel adds. */
  readonly stdin: string;
}

/** A command's trimmed combined output. */
export interface ExtensionCommandResult {
  readonly argv: readonly string[];
  readonly output: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function outputText(bytes: Uint8Array): string {
  try {
    return trimGoSpace(decoder.decode(bytes));
  } catch {
    return trimGoSpace(new TextDecoder().decode(bytes));
  }
}

/** Whether `bytes` is valid UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    decoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * Runs `command`; resolves its trimmed output and argv, or rejects `BACKEND_FAILED` (`ABORTED` when
 * the signal aborted) with a message that names the key, the command, the reason and the output.
 *
 * @example
 * ```ts
 * const { output } = await runExtensionCommand(
 *   { key: 'PreStartupCommand', command: '/etc/flannel/pre.sh', variables: {}, stdin: '' },
 *   { runCommand: spawnCommand, environment: process.env, timeoutMs: 60_000 },
 * );
 * ```
 */
export async function runExtensionCommand(command: ExtensionCommand, context: ExtensionCommandContext): Promise<ExtensionCommandResult & { readonly bytes: Uint8Array }> {
  const lookup = { ...context.environment, ...command.variables };
  const argv = commandArgv(command.command, lookup);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(lookup)) if (value !== undefined) env[name] = value;
  const outcome: CommandOutcome = await context.runCommand({
    argv,
    env,
    stdin: `${command.stdin}\n`,
    timeoutMs: context.timeoutMs,
    ...(context.signal ? { signal: context.signal } : {}),
  });
  const what = `${command.key} ${JSON.stringify(command.command)}`;
  switch (outcome.kind) {
    case 'not-started': {
      const reason = outcome.code === 'ENOENT' ? `${JSON.stringify(argv[0] ?? '')} was not found` : outcome.code === 'EACCES' ? `${JSON.stringify(argv[0] ?? '')} is not executable` : outcome.message;
      throw new FlannelError('BACKEND_FAILED', `${what} could not be started: ${reason} (${outcome.code})`);
    }
    case 'timed-out':
      throw new FlannelError('BACKEND_FAILED', `${what} did not finish within ${seconds(context.timeoutMs)} and was killed; output: ${JSON.stringify(outputText(outcome.output))}`);
    case 'aborted':
      throw new FlannelError('ABORTED', `${what} was killed: the network is shutting down`);
    case 'exited': {
      const output = outputText(outcome.output);
      if (outcome.exitCode !== 0) {
        const status = outcome.exitCode === null ? `was killed by ${outcome.signal ?? 'a signal'}` : `exited with status ${outcome.exitCode}`;
        throw new FlannelError('BACKEND_FAILED', `${what} ${status}; output: ${JSON.stringify(output)}`);
      }
      return { argv, output, bytes: outcome.output };
    }
  }
}
