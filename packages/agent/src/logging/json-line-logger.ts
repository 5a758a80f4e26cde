// A small structured logger writing pino-compatible JSON lines, in place of pino itself: the
// daemon needs one synchronous destination and none of pino's transports or worker threads, and
// loading pino alone costs several MB of RSS (issue #5 caps the daemon's peak RSS).
import type { Logger } from '@flannel-ts/core';
import { jsonMembers } from './json-text.js';
import { isErrorLike, serializeError } from './serialize-error.js';
import type { LogLevel } from './verbosity.js';

/** pino's numeric level of each name, as written in the `level` field. */
export const LOG_LEVEL_VALUES: Readonly<Record<LogLevel, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
});

/** The names a line can be logged at (every {@link LogLevel} but `silent`). */
export type LogMethodLevel = Exclude<LogLevel, 'silent'>;

/** Keys the logger writes itself; a field or binding of that name (or of a `base` field) is left out. */
const RESERVED_KEYS: readonly string[] = ['level', 'time', 'msg'];

const CENSOR = '[REDACTED]';

/** Options of {@link createJsonLineLogger}. */
export interface JsonLineLoggerOptions {
  /** The least severe level written; below it a call does nothing at all. */
  readonly level: LogLevel;
  /** Receives each complete line, newline included, synchronously. */
  readonly write: (line: string) => void;
  /** Fields written right after `level` and `time` on every line, like pino's `base` (`{ pid }`). */
  readonly base?: Readonly<Record<string, unknown>>;
  /**
   * Field names censored as `"[REDACTED]"` at the top level of a line and one level down
   * (`{ options: { etcdPassword } }`), like pino's `redact` with `key` and `*.key` paths.
   */
  readonly redactKeys?: readonly string[];
  /** The clock of the `time` field, in ms since the epoch; `Date.now` by default. */
  readonly now?: () => number;
}

/** A `Logger` (`@flannel-ts/core`) writing JSON lines, with its level exposed. */
export interface JsonLineLogger extends Logger {
  /** Logs at pino's `fatal` (60); the caller still decides whether to exit. */
  fatal: Logger['error'];
  /** The level it was created with. */
  readonly level: LogLevel;
  /** Whether a line at `level` would be written: to skip preparing costly fields. */
  isLevelEnabled(level: LogMethodLevel): boolean;
  child(bindings: Record<string, unknown>): JsonLineLogger;
}

type Fields = Record<string, unknown>;

const noop = (): void => {};

/** Top-level errors become pino's error shape, so redaction (one level down) sees their fields. */
function prepare(fields: Fields, redact: ReadonlySet<string>, reserved: ReadonlySet<string>): Fields {
  const record: Fields = {};
  for (const key of Object.keys(fields)) {
    if (reserved.has(key)) continue;
    let value = fields[key];
    if (value === undefined) continue;
    if (redact.has(key)) {
      record[key] = CENSOR;
      continue;
    }
    if (value instanceof Error || ((key === 'err' || key === 'error') && isErrorLike(value))) value = serializeError(value);
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && redact.size > 0) value = censorMembers(value as Fields, redact);
    record[key] = value;
  }
  return record;
}

/** `value` itself when it holds no key to censor, else a shallow copy with those keys censored. */
function censorMembers(value: Fields, redact: ReadonlySet<string>): Fields {
  let copy: Fields | undefined;
  for (const key of redact) {
    if (!Object.hasOwn(value, key) || value[key] === undefined) continue;
    copy ??= { ...value };
    copy[key] = CENSOR;
  }
  return copy ?? value;
}

interface Shared {
  readonly threshold: number;
  readonly level: LogLevel;
  readonly write: (line: string) => void;
  /** `,"pid":42` and the like: the `base` fields as JSON members, each after a comma. */
  readonly base: string;
  readonly redact: ReadonlySet<string>;
  readonly reserved: ReadonlySet<string>;
  readonly now: () => number;
}

function build(shared: Shared, bindings: Fields): JsonLineLogger {
  const line = (level: number, first: unknown, second: unknown): string => {
    // pino's forms: (message), (fields, message) and (error[, message]): the error as `err`, its
    // message as the line's unless one is given.
    const message = typeof first === 'string' ? first : first instanceof Error ? (second ?? first.message) : second;
    const head = `{"level":${level},"time":${shared.now()}${shared.base},`;
    const tail = typeof message === 'string' ? `"msg":${JSON.stringify(message)}}\n` : '}\n';
    try {
      let fields = bindings;
      if (first instanceof Error) fields = { ...bindings, err: first };
      else if (typeof first === 'object' && first !== null) fields = { ...bindings, ...(first as Fields) };
      const members = jsonMembers(prepare(fields, shared.redact, shared.reserved));
      return `${head}${members === '' ? '' : `${members},`}${tail}`;
    } catch (error) {
      // A getter or toJSON that throws: the message still gets out, with why the fields did not.
      const reason = error instanceof Error ? error.message : String(error);
      return `${head}"logError":${JSON.stringify(`fields not serializable: ${reason}`)},${tail}`;
    }
  };
  const method = (name: LogMethodLevel): Logger['info'] => {
    const value = LOG_LEVEL_VALUES[name];
    if (value < shared.threshold) return noop;
    return (first: unknown, second?: unknown) => shared.write(line(value, first, second));
  };
  return {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    level: shared.level,
    isLevelEnabled: (name) => LOG_LEVEL_VALUES[name] >= shared.threshold,
    child: (more) => build(shared, { ...bindings, ...more }),
  };
}

/**
 * A structured logger writing one pino-compatible JSON line per call:
 * `{"level":30,"time":1700000000000,"pid":42,…bindings,…fields,"msg":"…"}\n`, with pino's numeric
 * levels (trace 10 … fatal 60). Errors in fields (any `Error`, or anything error-like under `err`
 * or `error`) are written pino's way (`serializeError`); circular references and BigInts do
 * not throw. `child(bindings)` adds fields to every line (a call's own fields win). A level below
 * the threshold is a no-op function: no Date, no serialization.
 *
 * @example
 * ```ts
 * const logger = createJsonLineLogger({ level: 'info', write: (line) => process.stderr.write(line), base: { pid: process.pid } });
 * logger.child({ backend: 'vxlan' }).info({ iface: 'eth0' }, 'Using interface');
 * // {"level":30,"time":…,"pid":…,"backend":"vxlan","iface":"eth0","msg":"Using interface"}
 * ```
 */
export function createJsonLineLogger(options: JsonLineLoggerOptions): JsonLineLogger {
  if (!Object.hasOwn(LOG_LEVEL_VALUES, options.level)) throw new RangeError(`log level ${JSON.stringify(options.level)} is invalid: must be one of ${Object.keys(LOG_LEVEL_VALUES).join(', ')}`);
  const redact = new Set(options.redactKeys ?? []);
  const base = jsonMembers(prepare(options.base ?? {}, redact, new Set(RESERVED_KEYS)));
  const shared: Shared = {
    threshold: LOG_LEVEL_VALUES[options.level],
    level: options.level,
    write: options.write,
    base: base === '' ? '' : `,${base}`,
    redact,
    reserved: new Set([...RESERVED_KEYS, ...Object.keys(options.base ?? {})]),
    now: options.now ?? Date.now,
  };
  return build(shared, {});
}
