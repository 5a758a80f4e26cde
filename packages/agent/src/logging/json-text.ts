// A JSON writer for log fields that never throws on what callers hand a logger: circular
// references become "[Circular]" and BigInts are written as numbers (as pino's fallback writes
// them), Error objects anywhere are serialized pino-style.
import { serializedErrorSource, serializeError } from './serialize-error.js';

const CIRCULAR = '"[Circular]"';

function writePrimitive(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      return 'null';
    default:
      // undefined, functions and symbols: left out of objects, null in arrays (as JSON.stringify).
      return undefined;
  }
}

/** `convert`: whether an Error or a `toJSON` may still replace `value` (once, as JSON.stringify does). */
function write(value: unknown, key: string, ancestors: object[], convert = true): string | undefined {
  if (typeof value !== 'object' || value === null) return writePrimitive(value);
  if (ancestors.includes(value)) return CIRCULAR;
  // A serialized error stands for its error: a reference back to that error is circular too. (Its
  // own error is on top of the stack when this writer serialized it a moment ago.)
  const source = serializedErrorSource(value);
  if (source !== undefined && source !== ancestors.at(-1) && ancestors.includes(source)) return CIRCULAR;
  ancestors.push(value);
  if (source !== undefined) ancestors.push(source);
  try {
    if (convert) {
      if (value instanceof Error) return write(serializeError(value), key, ancestors, false);
      const { toJSON } = value as { toJSON?: unknown };
      if (typeof toJSON === 'function') return write(toJSON.call(value, key), key, ancestors, false);
    }
    if (Array.isArray(value)) return `[${value.map((item, index) => write(item, String(index), ancestors) ?? 'null').join(',')}]`;
    return `{${writeMembers(value as Record<string, unknown>, ancestors)}}`;
  } finally {
    ancestors.pop();
    if (source !== undefined) ancestors.pop();
  }
}

function writeMembers(record: Record<string, unknown>, ancestors: object[]): string {
  const members: string[] = [];
  for (const key of Object.keys(record)) {
    const text = write(record[key], key, ancestors);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return members.join(',');
}

/**
 * The members of `record` as JSON text without the braces (`"a":1,"b":"x"`), written like
 * `JSON.stringify` except that it never throws on log data: a reference back to an enclosing
 * object or array is written `"[Circular]"`, a BigInt as its digits, an `Error` (at any depth) as
 * {@link serializeError} shapes it. Members whose value JSON cannot hold (undefined, functions,
 * symbols) are left out. Empty string for an empty record.
 *
 * @example
 * ```ts
 * const node: Record<string, unknown> = { id: 1n };
 * node.self = node;
 * jsonMembers({ node }); // '"node":{"id":1,"self":"[Circular]"}'
 * ```
 */
export function jsonMembers(record: Record<string, unknown>): string {
  return writeMembers(record, [record]);
}
