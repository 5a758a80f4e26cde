// Decoding JSON into a Go type as encoding/json does, for the parts of the plugin's input flannel decodes
// into structs (cni-plugin `flannel.go` NetConf; containernetworking/cni `pkg/types`): object keys match
// field names case-insensitively and the last matching key wins, `null` leaves a field alone (a map
// becomes nil), unknown keys are ignored, and a value of the wrong JSON type fails with Go's text
// ("json: cannot unmarshal number into Go struct field NetConf.subnetFile of type string").
import { parseGoCidr, parseGoIpStrict } from './go-net.js';

/** A Go type the decoder understands; `name` is how Go prints it in errors. */
export type GoType =
  | { readonly kind: 'string' | 'bool' | 'int' | 'any' }
  | { readonly kind: 'map'; readonly name: string; readonly elem: GoType }
  | { readonly kind: 'slice'; readonly name: string; readonly elem: GoType }
  | { readonly kind: 'pointer'; readonly elem: GoType }
  /** `name` is empty for an anonymous struct, whose `literal` (`struct { Name string "json:\"name\"" }`) Go prints as its type. */
  | { readonly kind: 'struct'; readonly name: string; readonly literal?: string; readonly fields: Readonly<Record<string, GoType>> }
  /** `types.IPNet` (`types.ParseCIDR`: keeps the address as written). */
  | { readonly kind: 'ipnet' }
  /** `net.IP` (`UnmarshalText`). */
  | { readonly kind: 'ip' };

/** Go's type names of the scalar kinds. */
const SCALAR_NAMES = { string: 'string', bool: 'bool', int: 'int', any: 'interface {}', ipnet: 'types.IPNet', ip: 'net.IP' } as const;

function goTypeName(type: GoType): string {
  if (type.kind === 'struct') return type.literal ?? type.name;
  if (type.kind === 'map' || type.kind === 'slice') return type.name;
  if (type.kind === 'pointer') return `*${goTypeName(type.elem)}`;
  return SCALAR_NAMES[type.kind];
}

/** Sets `object[key]` as an own property, even for `__proto__` (a key a peer's JSON may hold). */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The JSON kind Go names in a type error (`bool`, `number`, `string`, `array`, `object`). */
export function goJsonKind(value: unknown): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  return Array.isArray(value) ? 'array' : 'object';
}

/** The field of `object` Go would fill for the JSON name `name`: the last key equal to it ignoring case. */
export function goField(object: Readonly<Record<string, unknown>>, name: string): unknown {
  const folded = name.toLowerCase();
  let found: unknown;
  for (const key of Object.keys(object)) if (key === name || key.toLowerCase() === folded) found = object[key];
  return found;
}

interface DecodeContext {
  struct: string | undefined;
  path: string[];
}

class GoDecodeError extends Error {}

const NILLABLE: ReadonlySet<GoType['kind']> = new Set(['map', 'slice', 'pointer', 'any', 'ip']);

function typeError(value: unknown, type: GoType, context: DecodeContext): GoDecodeError {
  const kind = goJsonKind(value) === 'number' && type.kind === 'int' ? `number ${String(value)}` : goJsonKind(value);
  const where = context.struct === undefined ? 'Go value' : `Go struct field ${context.struct}.${context.path.join('.')}`;
  return new GoDecodeError(`json: cannot unmarshal ${kind} into ${where} of type ${goTypeName(type)}`);
}

function decodeValue(value: unknown, type: GoType, context: DecodeContext): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case 'any':
      return value;
    case 'string':
    case 'bool':
      if (typeof value !== (type.kind === 'string' ? 'string' : 'boolean')) throw typeError(value, type, context);
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(value, type, context);
      return value;
    case 'pointer':
      return decodeValue(value, type.elem, context);
    case 'ipnet':
      // types.IPNet.UnmarshalJSON unmarshals into a fresh string, so the error has no field context.
      if (typeof value !== 'string') throw typeError(value, { kind: 'string' }, { struct: undefined, path: [] });
      return parseGoCidr(value).address;
    case 'ip':
      if (typeof value !== 'string') throw typeError(value, type, context);
      return value === '' ? null : parseGoIpStrict(value);
    case 'slice':
      if (!Array.isArray(value)) throw typeError(value, type, context);
      return value.map((item) => decodeValue(item, type.elem, context));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, type, context);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) setOwn(out, key, decodeValue(item, type.elem, context));
      return out;
    }
    case 'struct': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(value, type, context);
      const out: Record<string, unknown> = {};
      const names = Object.keys(type.fields);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        const name = names.find((each) => each === key) ?? names.find((each) => each.toLowerCase() === key.toLowerCase());
        if (name === undefined) continue;
        const inner: DecodeContext = { struct: type.name.replace(/^.*\./, ''), path: [...context.path, name] };
        const fieldType = type.fields[name]!;
        const decoded = decodeValue(item, fieldType, inner);
        // null sets a map, slice, pointer or interface to nil and leaves any other field as it was.
        if (decoded !== null || NILLABLE.has(fieldType.kind)) out[name] = decoded;
      }
      return out;
    }
  }
}

/**
 * Decodes a parsed JSON value into the Go type `type` and returns the fields Go would set (keyed by the
 * field's JSON name; `null` where Go would leave a zero value or nil). Throws Go's error text.
 *
 * @example
 * ```ts
 * decodeGoJson({ Name: 'cbr0' }, { kind: 'struct', name: 'NetConf', fields: { name: { kind: 'string' } } });
 * // { name: 'cbr0' }
 * ```
 */
export function decodeGoJson(value: unknown, type: GoType): unknown {
  return decodeValue(value, type, { struct: undefined, path: [] });
}

/** True for an error thrown by {@link decodeGoJson} or the Go CIDR/IP parsers it runs. */
export function isGoDecodeError(error: unknown): error is Error {
  return error instanceof GoDecodeError || (error instanceof Error && /^invalid (CIDR|IP) address: /.test(error.message));
}
