import { FlannelError } from '@flannel-ts/core';

/**
 * Reads a `Backend` option the way Go's `encoding/json` fills a struct field: the key matches
 * case-insensitively (`vni`, `VNI`, `Vni`), and when several keys match the last one written wins.
 * Returns `undefined` when absent (or JSON `null`, which Go also treats as "leave the default").
 *
 * @example
 * ```ts
 * readBackendOption({ Type: 'vxlan', vni: 4 }, 'VNI'); // 4
 * ```
 */
export function readBackendOption(backend: Readonly<Record<string, unknown>>, name: string): unknown {
  const wanted = name.toLowerCase();
  let value: unknown;
  for (const [key, entry] of Object.entries(backend)) {
    if (key.toLowerCase() === wanted) value = entry;
  }
  return value ?? undefined;
}

/** `Backend.<name> <value> is invalid: <rule>`, coded `CONFIG_INVALID`. */
export function invalidOption(name: string, value: unknown, rule: string): FlannelError {
  return new FlannelError('CONFIG_INVALID', `Backend.${name} ${describe(value)} is invalid: ${rule}`);
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * An integer option in `[min, max]`, or `fallback` when absent. Rejects strings, fractions and
 * out-of-range numbers with a `CONFIG_INVALID` error naming the field, the value and the rule.
 */
export function integerOption(
  backend: Readonly<Record<string, unknown>>,
  name: string,
  range: { readonly min: number; readonly max: number; readonly fallback: number },
): number {
  const value = readBackendOption(backend, name);
  if (value === undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidOption(name, value, `must be an integer between ${range.min} and ${range.max}`);
  }
  return value;
}

/** A boolean option, or `false` when absent. Rejects anything but JSON `true`/`false`. */
export function booleanOption(backend: Readonly<Record<string, unknown>>, name: string): boolean {
  const value = readBackendOption(backend, name);
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalidOption(name, value, 'must be true or false');
  return value;
}
