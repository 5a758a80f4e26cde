// pino's shape for errors in a log line, so tools that read flannel-ts's JSON lines (and
// pretty-line.ts) see the same fields they would from pino.

/** Anything with a string `message`: what counts as an error in a log field. */
export type ErrorLike = { readonly message: string } & object;

/** An error as it appears in a JSON log line. */
export interface SerializedError {
  /** The constructor's name (`FlannelError`), else the error's `name`. */
  type: string;
  message: string;
  stack?: string;
  /** The errors of an `AggregateError`, serialized alike. */
  aggregateErrors?: unknown[];
  /** The cause: serialized alike when it is error-like, as is otherwise. */
  cause?: unknown;
  /** The error's other enumerable properties (`code`, `errno`, …), nested errors serialized alike. */
  [property: string]: unknown;
}

const CIRCULAR = '[Circular]';

/** Links a serialized error to its error (enumerable, so a spread copy keeps it; JSON ignores symbols). */
const SOURCE = Symbol('serialized error source');

/**
 * The error a {@link serializeError} result (or a spread copy of one) was made from, else
 * `undefined`: lets a JSON writer spot an error that refers back to itself through plain objects.
 *
 * @example
 * ```ts
 * const error = new Error('x');
 * serializedErrorSource(serializeError(error)) === error; // true
 * ```
 */
export function serializedErrorSource(value: object): object | undefined {
  return (value as { [SOURCE]?: object })[SOURCE];
}

/**
 * Whether `value` is error-like: a non-null object with a string `message`.
 *
 * @example
 * ```ts
 * isErrorLike(new Error('x')); // true
 * isErrorLike({ message: 'x' }); // true
 * isErrorLike('x'); // false
 * ```
 */
export function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function typeOf(error: ErrorLike): string {
  const { constructor } = error as { constructor?: unknown };
  if (typeof constructor === 'function' && constructor.name !== '') return constructor.name;
  const { name } = error as { name?: unknown };
  return typeof name === 'string' ? name : 'Error';
}

function serialize(error: ErrorLike, ancestors: Set<object>): SerializedError {
  ancestors.add(error);
  const nested = (value: unknown): unknown => {
    if (!isErrorLike(value)) return value;
    return ancestors.has(value) ? CIRCULAR : serialize(value, ancestors);
  };
  const source = error as ErrorLike & Record<string, unknown>;
  const result: SerializedError = { type: typeOf(error), message: error.message };
  Object.defineProperty(result, SOURCE, { value: error, enumerable: true });
  if (typeof source.stack === 'string') result.stack = source.stack;
  if (Array.isArray(source.errors)) result.aggregateErrors = source.errors.map(nested);
  if (source.cause !== undefined) result.cause = nested(source.cause);
  // for…in, as pino does: own and inherited enumerable properties.
  for (const key in source) {
    if (result[key] !== undefined) continue;
    const value = source[key];
    // An error already being serialized further up is left out, as pino does, rather than marked.
    if (isErrorLike(value) && ancestors.has(value)) continue;
    result[key] = nested(value);
  }
  ancestors.delete(error);
  return result;
}

/**
 * Serializes an error for a JSON log line the way pino does: `{ type, message, stack }`, then
 * `aggregateErrors` of an `AggregateError`, the `cause` (recursively) and the error's own enumerable
 * properties (`code`, `errno`, …). Errors nested in properties are serialized alike; an error that
 * refers back to one of its ancestors gets `"[Circular]"` instead of looping. The error is not
 * modified. Other values in properties are left as they are: the line's JSON writer handles them.
 *
 * @example
 * ```ts
 * serializeError(Object.assign(new Error('boom', { cause: new Error('root') }), { code: 'E_X' }));
 * // { type: 'Error', message: 'boom', stack: 'Error: boom\n    at …', cause: { type: 'Error', message: 'root', stack: '…' }, code: 'E_X' }
 * ```
 */
export function serializeError(error: ErrorLike): SerializedError {
  return serialize(error, new Set());
}
