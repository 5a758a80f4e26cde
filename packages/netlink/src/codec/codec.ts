/**
 * The one codec shape of this package (as in dns-packet): `encodingLength`, `encode` into an optional target at an
 * optional offset, and `decode` from an offset returning the value and the number of bytes consumed.
 */
export interface Codec<T> {
  /** Bytes `encode(value)` writes. */
  encodingLength(value: T): number;
  /** Writes `value` into `target` (a fresh array when omitted) at `offset`; returns the target. */
  encode(value: T, target?: Uint8Array, offset?: number): Uint8Array;
  /** Reads one value at `offset`; throws `RangeError` on truncated or corrupt input. */
  decode(bytes: Uint8Array, offset?: number): { value: T; consumed: number };
}

/** A `DataView` over exactly the bytes of `bytes`, respecting its `byteOffset`. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws `RangeError` unless `length` bytes are available at `offset` of `bytes`. */
export function need(bytes: Uint8Array, offset: number, length: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + length > bytes.byteLength) {
    throw new RangeError(`${what}: truncated, needs ${length} bytes at offset ${offset} of ${bytes.byteLength}`);
  }
}

/** Throws `RangeError` unless `value` is an integer in `[min, max]`. */
export function checkRange(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} ${value} is out of range: must be an integer in [${min}, ${max}]`);
  }
}

/** Rounds `length` up to netlink's 4-byte alignment (`NLMSG_ALIGN` / `NLA_ALIGN`). */
export function align4(length: number): number {
  return (length + 3) & ~3;
}

/** A field of a fixed-size struct: its name, size and signedness. */
export interface StructField<T> {
  /** Field name; names starting with `_pad` are written as zero and left out of decoded values. */
  readonly name: (keyof T & string) | `_pad${string}`;
  readonly size: 1 | 2 | 4;
  readonly signed?: boolean;
}

/** The codec of a fixed-size struct, plus its size and a `write` straight into a caller's `DataView`. */
export interface StructCodec<T> extends Codec<T> {
  /** Bytes of the struct. */
  readonly size: number;
  /** Writes `value` at `offset` of `view` (no bounds check beyond the `DataView`'s own). */
  write(value: T, view: DataView, offset: number): void;
}

/**
 * Builds the codec of a fixed-size, host-byte-order (little-endian here) kernel struct such as `ifinfomsg`.
 */
export function structCodec<T extends { [K in keyof T]: number }>(what: string, fields: readonly StructField<T>[]): StructCodec<T> {
  // Precomputed per field (this sits on the hot path of every batched request and every ACK).
  const layout = fields.map((field) => {
    const bits = field.size * 8;
    return {
      name: field.name as string,
      size: field.size,
      signed: field.signed === true,
      pad: field.name.startsWith('_pad'),
      min: field.signed ? -(2 ** (bits - 1)) : 0,
      max: field.signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1,
    };
  });
  const size = fields.reduce((sum, field) => sum + field.size, 0);
  const write = (value: T, view: DataView, offset: number): void => {
    let at = offset;
    for (const field of layout) {
        const v = field.pad ? 0 : ((value as Record<string, number>)[field.name] ?? 0);
        if (!(Number.isInteger(v) && v >= field.min && v <= field.max)) checkRange(v, field.min, field.max, `${what}.${field.name}`);
        if (field.size === 1) view.setUint8(at, v);
        else if (field.size === 2) view.setUint16(at, v, true);
        else if (field.signed) view.setInt32(at, v, true);
        else view.setUint32(at, v, true);
        at += field.size;
    }
  };
  return {
    size,
    write,
    encodingLength: () => size,
    encode(value, target = new Uint8Array(size), offset = 0) {
      need(target, offset, size, what);
      write(value, viewOf(target), offset);
      return target;
    },
    decode(bytes, offset = 0) {
      need(bytes, offset, size, what);
      const view = viewOf(bytes);
      const value: Record<string, number> = {};
      let at = offset;
      for (let i = 0; i < layout.length; i++) {
        const field = layout[i]!;
        if (!field.pad) {
          if (field.size === 1) value[field.name] = view.getUint8(at);
          else if (field.size === 2) value[field.name] = view.getUint16(at, true);
          else value[field.name] = field.signed ? view.getInt32(at, true) : view.getUint32(at, true);
        }
        at += field.size;
      }
      return { value: value as T, consumed: size };
    },
  };
}
