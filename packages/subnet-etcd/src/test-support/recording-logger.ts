// Test-only: a Logger that keeps every line, to assert on warnings.
import type { LogFn, Logger } from '@flannel-ts/core';

/** One recorded log line. */
export interface LogLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger recording into `lines`. */
export function recordingLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const method =
    (level: LogLine['level']): LogFn =>
    (first: string | Record<string, unknown>, second?: string) => {
      if (typeof first === 'string') lines.push({ level, message: first, fields: {} });
      else lines.push({ level, message: second ?? '', fields: first });
    };
  const logger = {
    lines,
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    child: () => logger,
    text: () => lines.map((line) => `${line.level} ${line.message} ${JSON.stringify(line.fields)}`).join('\n'),
  };
  return logger as Logger & { readonly lines: LogLine[]; text(): string };
}
