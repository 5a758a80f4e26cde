import { align4, need, viewOf, type Codec } from './codec.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK } from './constants-netlink.js';

/** One netlink attribute (`struct nlattr` + payload), kept as raw bytes until a typed reader interprets it. */
export interface Attribute {
  /** Type without the flag bits (`nla_type & NLA_TYPE_MASK`). */
  readonly type: number;
  /** `NLA_F_NESTED` was set. */
  readonly nested?: boolean;
  /** `NLA_F_NET_BYTEORDER` was set. */
  readonly netByteOrder?: boolean;
  /** The payload without header and padding. */
  readonly data: Uint8Array;
}

/** Size of `struct nlattr` (`NLA_HDRLEN`). */
export const ATTRIBUTE_HEADER_LENGTH = 4;

/**
 * Codec of one attribute: a 4-byte header (`nla_len` counting header + payload, `nla_type` with flag bits), the
 * payload, and zero padding to 4 bytes. `consumed` includes the padding (when present in the input).
 */
export const attribute: Codec<Attribute> = {
  encodingLength: (value) => align4(ATTRIBUTE_HEADER_LENGTH + value.data.byteLength),
  encode(value, target, offset = 0) {
    const length = ATTRIBUTE_HEADER_LENGTH + value.data.byteLength;
    if (length > 0xffff) throw new RangeError(`attribute ${value.type}: payload of ${value.data.byteLength} bytes is too long for nla_len`);
    const out = target ?? new Uint8Array(align4(length));
    need(out, offset, align4(length), 'nlattr');
    const view = viewOf(out);
    view.setUint16(offset, length, true);
    view.setUint16(offset + 2, (value.type & NLA_TYPE_MASK) | (value.nested ? NLA_F_NESTED : 0) | (value.netByteOrder ? NLA_F_NET_BYTEORDER : 0), true);
    out.set(value.data, offset + ATTRIBUTE_HEADER_LENGTH);
    out.fill(0, offset + length, offset + align4(length));
    return out;
  },
  decode(bytes, offset = 0) {
    need(bytes, offset, ATTRIBUTE_HEADER_LENGTH, 'nlattr header');
    const view = viewOf(bytes);
    const length = view.getUint16(offset, true);
    const rawType = view.getUint16(offset + 2, true);
    if (length < ATTRIBUTE_HEADER_LENGTH) throw new RangeError(`nlattr at offset ${offset}: nla_len ${length} is shorter than its header`);
    need(bytes, offset, length, `nlattr type ${rawType & NLA_TYPE_MASK}`);
    const data = bytes.subarray(offset + ATTRIBUTE_HEADER_LENGTH, offset + length);
    const value: Attribute =
      (rawType & (NLA_F_NESTED | NLA_F_NET_BYTEORDER)) === 0
        ? { type: rawType, data }
        : {
            type: rawType & NLA_TYPE_MASK,
            ...((rawType & NLA_F_NESTED) !== 0 ? { nested: true } : {}),
            ...((rawType & NLA_F_NET_BYTEORDER) !== 0 ? { netByteOrder: true } : {}),
            data,
          };
    return { value, consumed: Math.min(align4(length), bytes.byteLength - offset) };
  },
};

/**
 * Decodes every attribute in `bytes[offset, end)`. Unknown types are kept (as raw bytes), never dropped.
 * Throws `RangeError` when an attribute runs past `end`.
 */
export function decodeAttributes(bytes: Uint8Array, offset = 0, end = bytes.byteLength): Attribute[] {
  const region = bytes.subarray(0, end);
  const result: Attribute[] = [];
  let at = offset;
  while (at < end) {
    if (end - at < ATTRIBUTE_HEADER_LENGTH) {
      // Trailing bytes shorter than an attribute header are corrupt unless they are zero padding.
      if (region.subarray(at, end).every((byte) => byte === 0)) break;
      throw new RangeError(`nlattr at offset ${at}: ${end - at} trailing bytes are not an attribute`);
    }
    const { value, consumed } = attribute.decode(region, at);
    result.push(value);
    at += consumed;
  }
  return result;
}

/** Attributes by type, for the typed readers (the last one wins when a type repeats). */
export type AttributeMap = ReadonlyMap<number, Attribute>;

/** Indexes decoded attributes by type. */
export function attributeMap(attributes: readonly Attribute[]): AttributeMap {
  const map = new Map<number, Attribute>();
  for (const attribute of attributes) map.set(attribute.type, attribute);
  return map;
}

/**
 * Where the attributes of `bytes[offset, end)` sit, for decoders that read a few known types of every entry of a
 * dump: after the call, `table[2 * type]` is the payload offset (in `bytes`) of the last attribute of that type
 * and `table[2 * type + 1]` its payload length, or both -1 when it is absent; types from `table.length / 2` up are
 * skipped. Checks the layout exactly as {@link decodeAttributes} does (same `RangeError`s), but builds no object:
 * `view` must be a view of `bytes`.
 */
export function indexAttributes(bytes: Uint8Array, view: DataView, offset: number, end: number, table: Int32Array): void {
  table.fill(-1);
  let at = offset;
  while (at < end) {
    if (end - at < ATTRIBUTE_HEADER_LENGTH) {
      for (let i = at; i < end; i++) if (bytes[i] !== 0) throw new RangeError(`nlattr at offset ${at}: ${end - at} trailing bytes are not an attribute`);
      break;
    }
    const length = view.getUint16(at, true);
    const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
    if (length < ATTRIBUTE_HEADER_LENGTH) throw new RangeError(`nlattr at offset ${at}: nla_len ${length} is shorter than its header`);
    if (at + length > end) throw new RangeError(`nlattr type ${type}: truncated, needs ${length} bytes at offset ${at} of ${end}`);
    if (2 * type < table.length) {
      table[2 * type] = at + ATTRIBUTE_HEADER_LENGTH;
      table[2 * type + 1] = length - ATTRIBUTE_HEADER_LENGTH;
    }
    at += Math.min(align4(length), end - at);
  }
}
