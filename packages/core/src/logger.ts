/** A log method: a message, optionally preceded by structured fields (pino's calling convention). */
export interface LogFn {
  (message: string): void;
  (fields: Record<string, unknown>, message: string): void;
}

/**
 * The logger every flannel-ts package accepts by injection. A pino logger satisfies it as is.
 * Implementations must never be handed secrets: callers redact before logging.
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogFn = () => {};

/** A logger that discards everything; the default wherever a logger is optional. */
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
