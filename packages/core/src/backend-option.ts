import { FlannelError } from './errors.js';
import type { NetworkConfig } from './network-config.js';

/**
 * Where {@link parseNetworkConfig} leaves, on the `Backend` object it returns, the options whose JSON number
 * was written with a fraction or an exponent (`1.0`, `1e2`): `JSON`'s plain values lose the spelling, and Go's
 * encoding/json refuses such a number for an integer field ("cannot unmarshal number 1.0 into Go struct
 * field … of type int") even where its value is whole. An enumerable symbol key, so a spread copy of the
 * object keeps it while `Object.entries` and `JSON.stringify` skip it; `Symbol.for` so duplicate installs
 * of this package agree. Internal to @flannel-ts/core.
 */
export const NUMBER_SPELLINGS = Symbol.for('flannel-ts.backend-number-spellings');

/** One option whose number was spelled with a fraction or exponent: its key as written and its text. */
export interface NumberSpelling {
  readonly key: string;
  readonly text: string;
}

/**
 * Every member of `name` (ignoring case) spelled with a fraction or exponent. Go fails the decode on
 * the first such member even when a later key overrides it, so any one of them refuses the option.
 */
function fractionalSpelling(backend: NetworkConfig['backend'], name: string): NumberSpelling | undefined {
  const spellings = (backend as { readonly [NUMBER_SPELLINGS]?: readonly NumberSpelling[] })[NUMBER_SPELLINGS];
  const folded = name.toLowerCase();
  return spellings?.find((spelling) => spelling.key.toLowerCase() === folded);
}

/**
 * The value of backend option `name` (`VNI`, `Port`…), matched case-insensitively as Go's
 * encoding/json matches struct fields (the last key equal ignoring case wins; a JSON `null` is a no-op
 * for Go's plain option fields, so it neither wins nor clears an earlier value).
 * `undefined` when absent or only `null` (Go leaves the default in place).
 *
 * @example
 * ```ts
 * const { config } = parseNetworkConfig('{"Network":"10.0.0.0/8","Backend":{"type":"vxlan","vni":4}}');
 * backendOption(config, 'VNI'); // 4
 * ```
 */
export function backendOption(config: Pick<NetworkConfig, 'backend'>, name: string): unknown {
  const { backend } = config;
  const folded = name.toLowerCase();
  let found: unknown;
  for (const [key, value] of Object.entries(backend)) {
    if (value !== null && key.toLowerCase() === folded) found = value;
  }
  return found;
}

function describeValue(value: unknown): string {
  // JSON.stringify writes a non-finite number (a JSON 1e400) as null; show it as the number it became.
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}

function invalidOption(name: string, value: unknown, rule: string): FlannelError {
  return new FlannelError('CONFIG_INVALID', `Backend.${name} ${describeValue(value)} is invalid: ${rule}`);
}

/** Options of {@link backendIntegerOption}. */
export interface IntegerOptionRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Backend option `name` as an integer in `min..max`, or `fallback` when absent. Throws `FlannelError`
 * `CONFIG_INVALID` naming option, value and rule: `Backend.VNI "x" is invalid: must be an integer 0..16777215`.
 * A whole number written with a fraction or exponent (`1.0`, `1e2`) in a config read by
 * {@link parseNetworkConfig} is refused too, as flanneld's Go decoder refuses it for an `int` field:
 * a config shared through etcd must start flanneld nodes as well.
 *
 * @example
 * ```ts
 * const vni = backendIntegerOption(config, 'VNI', 1, { min: 0, max: 16_777_215 });
 * ```
 */
export function backendIntegerOption(config: Pick<NetworkConfig, 'backend'>, name: string, fallback: number, range: IntegerOptionRange): number {
  const value = backendOption(config, name);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalidOption(name, value, `must be an integer ${range.min}..${range.max}`);
  }
  const spelling = fractionalSpelling(config.backend, name);
  if (spelling !== undefined) {
    throw new FlannelError(
      'CONFIG_INVALID',
      `Backend.${name} ${spelling.text.length > 64 ? `${spelling.text.slice(0, 61)}...` : spelling.text} is invalid: must be an integer written without a fraction or exponent (flanneld's Go decoder refuses it for an integer field)`,
    );
  }
  return value;
}

/**
 * Backend option `name` as a boolean, or `fallback` when absent; throws `CONFIG_INVALID` otherwise.
 *
 * @example
 * ```ts
 * const directRouting = backendBooleanOption(config, 'DirectRouting', false);
 * ```
 */
export function backendBooleanOption(config: Pick<NetworkConfig, 'backend'>, name: string, fallback: boolean): boolean {
  const value = backendOption(config, name);
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(name, value, 'must be true or false');
  return value;
}

/**
 * Backend option `name` as a string, or `fallback` when absent; throws `CONFIG_INVALID` otherwise.
 * Pass `{ secret: true }` for keys and passwords: the error then never shows the value.
 *
 * @example
 * ```ts
 * const mode = backendStringOption(config, 'Mode', 'separate');
 * const psk = backendStringOption(config, 'PSK', '', { secret: true });
 * ```
 */
export function backendStringOption(
  config: Pick<NetworkConfig, 'backend'>,
  name: string,
  fallback: string,
  options: { readonly secret?: boolean } = {},
): string {
  const value = backendOption(config, name);
  if (value === undefined) return fallback;
  if (typeof value !== 'string') {
    if (options.secret) throw new FlannelError('CONFIG_INVALID', `Backend.${name} is invalid: must be a string`);
    throw invalidOption(name, value, 'must be a string');
  }
  return value;
}
