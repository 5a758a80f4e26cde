import { createJsonLineLogger } from './json-line-logger.js';
import type { JsonLineLogger } from './json-line-logger.js';
import { formatPrettyLine } from './pretty-line.js';
import { redactText } from './redact-text.js';
import type { LogLevel } from './verbosity.js';

/** Where log lines go: anything with a `write(text)` (a stream, `process.stderr`). */
export interface LogDestination {
  write(text: string): unknown;
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  readonly level: LogLevel;
  readonly destination: LogDestination;
  /** Human-readable lines (for a terminal) instead of JSON. */
  readonly pretty: boolean;
  /**
   * Values censored wherever they appear in a line (the etcd password), on top of {@link REDACT_PATHS};
   * credentials embedded in URLs are always censored.
   */
  readonly secrets?: readonly string[];
}

/** Field names censored in every line: the etcd password and the backends' secrets. */
const REDACT_KEYS: readonly string[] = ['etcdPassword', 'password', 'psk', 'PSK', 'privateKey', 'authorization', 'etcd-password'];

/**
 * Field paths censored in every line, whatever the caller passes, in pino's path notation: the
 * etcd password and the backends' secrets, at the top level and one level down
 * (`{ options: { etcdPassword } }`).
 */
export const REDACT_PATHS: readonly string[] = Object.freeze(REDACT_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]));

/**
 * The daemon's logger: pino-compatible JSON lines ({@link createJsonLineLogger}), or the compact
 * human form on a terminal, written synchronously to `options.destination`, with
 * secrets redacted: the fields of {@link REDACT_PATHS}, then, in the text of every line (messages,
 * errors, stacks), URL credentials and `options.secrets`. Satisfies core's `Logger`.
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: verbosityToLevel(options.verbosity), destination: process.stderr, pretty: process.stderr.isTTY });
 * logger.info({ iface: 'eth0' }, 'Using interface');
 * ```
 */
export function createLogger(options: CreateLoggerOptions): JsonLineLogger {
  const secrets = [...(options.secrets ?? [])];
  const { destination } = options;
  const write = options.pretty
    ? (line: string): void => void destination.write(formatPrettyLine(redactText(line, secrets)))
    : (line: string): void => void destination.write(redactText(line, secrets));
  return createJsonLineLogger({ level: options.level, write, base: { pid: process.pid }, redactKeys: REDACT_KEYS });
}
