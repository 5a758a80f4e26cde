import { FlannelError } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import type { CliIo } from '../cli-io.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../cli-io.js';
import { parseDaemonOptions } from '../daemon-options.js';
import type { DaemonOptions } from '../daemon-options.js';
import { renderHelp } from '../help.js';
import { createLogger, exitErrorFields, verbosityToLevel } from '@flannel-ts/agent/logging';

/** What the daemon's run loop receives from the command line layer. */
export interface DaemonContext {
  readonly logger: Logger;
  readonly io: CliIo;
  /** Aborted on SIGINT/SIGTERM (when `main` runs as the real process) or by the caller. */
  readonly signal: AbortSignal;
}

/** The daemon's run loop: resolves to the exit status. Plugged into `main` by the daemon package code. */
export type DaemonRunner = (options: DaemonOptions, context: DaemonContext) => Promise<number>;

/** Options of {@link daemonCommand}. */
export interface DaemonCommandOptions {
  readonly version: string;
  readonly runDaemon?: DaemonRunner;
  readonly signal?: AbortSignal;
}

/**
 * flanneld's own command line: `--help`, `--version`, else validated options handed to the run loop.
 * Flag errors exit 2 (usage), daemon failures 1.
 */
export async function daemonCommand(argv: readonly string[], io: CliIo, command: DaemonCommandOptions): Promise<number> {
  let parsed;
  try {
    parsed = parseDaemonOptions(argv, io.env);
  } catch (error) {
    if (!FlannelError.hasCode(error, 'FLAG_INVALID')) throw error;
    io.stderr.write(`flannel-ts: ${error.message}\nRun 'flannel-ts --help' for usage.\n`);
    return EXIT_USAGE;
  }
  const { options, help, warnings } = parsed;
  if (help) {
    io.stdout.write(renderHelp(command.version));
    return EXIT_OK;
  }
  if (options.version) {
    // flanneld prints its version to stderr; stdout is what scripts capture, so flannel-ts uses it.
    io.stdout.write(`v${command.version}\n`);
    return EXIT_OK;
  }

  const logger = createLogger({
    level: verbosityToLevel(options.verbosity),
    destination: io.stderr,
    pretty: io.stderr.isTTY === true,
    secrets: options.etcdPassword === undefined ? [] : [options.etcdPassword.reveal()],
  });
  for (const warning of warnings) logger.warn(warning);
  // flanneld logs "CLI flags config: %+v" including the password; here the Secret prints [REDACTED].
  logger.info({ options: JSON.parse(JSON.stringify(options)) as unknown }, 'CLI flags config');

  if (command.runDaemon === undefined) {
    logger.error('the flannel-ts daemon is not available in this build yet; only `flannel-ts config check` works');
    return EXIT_FAILURE;
  }
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  command.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await command.runDaemon(options, { logger, io, signal: controller.signal });
  } catch (error) {
    logger.error(exitErrorFields(error), error instanceof Error ? error.message : String(error));
    return EXIT_FAILURE;
  } finally {
    command.signal?.removeEventListener('abort', abort);
  }
}
