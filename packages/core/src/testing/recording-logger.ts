// A Logger that keeps every line, so a test can assert what was warned about (a rejected lease, a
// conflict logged once) instead of only what was not done.
import type { LogFn, Logger } from '../logger.js';

/** One recorded log line. */
export interface RecordedLogLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A {@link Logger} that records; `child` loggers record into the same list (their bindings are dropped). */
export interface RecordingLogger extends Logger {
  readonly lines: RecordedLogLine[];
  /** The messages logged at `level`, oldest first. */
  messages(level: RecordedLogLine['level']): string[];
}

/**
 * A logger recording every line.
 *
 * @example
 * ```ts
 * const logger = recordingLogger();
 * // … run a backend with it …
 * expect(logger.messages('warn')).toEqual([expect.stringContaining('10.5.30.0/25')]);
 * ```
 */
export function recordingLogger(): RecordingLogger {
  const lines: RecordedLogLine[] = [];
  const method =
    (level: RecordedLogLine['level']): LogFn =>
    (first: string | Record<string, unknown>, second?: string) => {
      if (typeof first === 'string') lines.push({ level, message: first, fields: {} });
      else lines.push({ level, message: second ?? '', fields: first });
    };
  const logger: RecordingLogger = {
    lines,
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: () => logger,
    messages: (level) => lines.filter((line) => line.level === level).map((line) => line.message),
  };
  return logger;
}
