import { isFlannelTsError } from '@flannel-ts/core';

/**
 * A copy of a flannel-ts error without its stack (and its causes alike): same constructor name, message and
 * enumerable properties (`code`, `isRetryable`, …), so the JSON line still reads `{"type":"FlannelError",
 * "message":…,"code":…}`.
 */
function withoutStack(error: object, depth: number): object {
  const copy = Object.create(Object.getPrototypeOf(error) as object | null) as Record<string, unknown>;
  const source = error as Record<string, unknown>;
  Object.defineProperty(copy, 'message', { value: source['message'], enumerable: true });
  for (const key of Object.keys(source)) {
    if (key !== 'stack') copy[key] = source[key];
  }
  const { cause } = source;
  if (typeof cause === 'object' && cause !== null && depth < 8) copy['cause'] = withoutStack(cause, depth + 1);
  return copy;
}

/**
 * The fields of the log line about the error a command or the daemon exits on. A coded flannel-ts error (any
 * code but `INTERNAL`) is an expected outcome — bad config, a flag, a refused credential — that its message
 * explains, so it is logged with its type, message and code but no stack trace, as flanneld prints one line;
 * anything else (a bug) keeps its stack.
 *
 * @example
 * ```ts
 * logger.error(exitErrorFields(error), `Failed to create SubnetManager: ${error.message}`);
 * // {"level":50,…,"err":{"type":"FlannelError","message":"…","code":"CONFIG_INVALID","isRetryable":false},"msg":"…"}
 * ```
 */
export function exitErrorFields(error: unknown): { readonly err: unknown } {
  if (isFlannelTsError(error) && error.code !== 'INTERNAL') return { err: withoutStack(error, 0) };
  return { err: error };
}
