import { align4 } from './codec.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from './constants-netlink.js';
import { ATTRIBUTE_HEADER_LENGTH } from './attributes.js';
import { MESSAGE_HEADER_LENGTH } from './header.js';
import { writeIpv4 } from './ip-text.js';
import { ipToBytes, writeMac } from './values.js';

const encoder = new TextEncoder();

/**
 * Serialises netlink messages back to back into one growing buffer (so a batch becomes one `sendto`).
 * `begin()`/`end()` frame a message and back-fill `nlmsg_len`; `fork()`/`join()` frame a nested attribute and
 * back-fill its `nla_len`. Every attribute is padded to 4 bytes with zeros.
 *
 * @example
 * ```ts
 * const w = new MessageWriter();
 * const m = w.begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq);
 * w.struct(interfaceInfoHeader, { family: 0, type: 0, index: 0, flags: 0, change: 0 });
 * w.string(IFLA_IFNAME, 'flannel.1');
 * const info = w.fork(IFLA_LINKINFO);
 * w.string(IFLA_INFO_KIND, 'vxlan');
 * w.join(info);
 * w.end(m);
 * socket.send(w.bytes());
 * ```
 */
export class MessageWriter {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(capacity = 256) {
    this.buffer = new Uint8Array(capacity);
    this.view = new DataView(this.buffer.buffer);
  }

  /** The written bytes (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** Forgets everything written; keeps the (re-zeroed) buffer. */
  reset(): void {
    this.buffer.fill(0, 0, this.length);
    this.length = 0;
  }

  private reserve(size: number): number {
    const at = this.length;
    const needed = at + align4(size);
    if (needed > this.buffer.byteLength) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.byteLength * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    // Bytes past `length` are always zero (fresh buffer, or zeroed by reset/rewind), so padding needs no writes.
    this.length = needed;
    return at;
  }

  /** Starts a message (`nlmsghdr` with `pid` 0); returns its offset for {@link end}. */
  begin(type: number, flags: number, seq: number): number {
    const at = this.reserve(MESSAGE_HEADER_LENGTH);
    this.view.setUint16(at + 4, type, true);
    this.view.setUint16(at + 6, flags, true);
    this.view.setUint32(at + 8, seq >>> 0, true);
    return at;
  }

  /** Back-fills `nlmsg_len` of the message started at `at`. */
  end(at: number): void {
    this.view.setUint32(at, this.length - at, true);
  }

  /** Drops everything written after `mark` (a `length` read earlier), e.g. a half-written message. */
  rewind(mark: number): void {
    this.buffer.fill(0, mark, this.length);
    this.length = mark;
  }

  /** Writes a fixed struct with its codec. */
  struct<T>(codec: { encodingLength(value: T): number; encode(value: T, target: Uint8Array, offset: number): Uint8Array; write?(value: T, view: DataView, offset: number): void }, value: T): void {
    const at = this.reserve(codec.encodingLength(value));
    if (codec.write) codec.write(value, this.view, at);
    else codec.encode(value, this.buffer, at);
  }

  /** Writes an attribute with a raw payload. */
  attribute(type: number, data: Uint8Array, netByteOrder = false): void {
    const at = this.reserve(ATTRIBUTE_HEADER_LENGTH + data.byteLength);
    this.view.setUint16(at, ATTRIBUTE_HEADER_LENGTH + data.byteLength, true);
    this.view.setUint16(at + 2, type | (netByteOrder ? NLA_F_NET_BYTEORDER : 0), true);
    this.buffer.set(data, at + ATTRIBUTE_HEADER_LENGTH);
  }

  /** Reserves an attribute with a `size`-byte payload, writes its header, returns the payload offset. */
  private header(type: number, size: number): number {
    const at = this.reserve(ATTRIBUTE_HEADER_LENGTH + size);
    this.view.setUint16(at, ATTRIBUTE_HEADER_LENGTH + size, true);
    this.view.setUint16(at + 2, type, true);
    return at + ATTRIBUTE_HEADER_LENGTH;
  }

  /** A flag attribute (no payload), e.g. `IFLA_VXLAN_GBP`. */
  flag(type: number): void {
    this.header(type, 0);
  }
  /** An 8-bit attribute. */
  u8(type: number, value: number): void {
    const at = this.header(type, 1);
    this.view.setUint8(at, value);
  }
  /** A 16-bit host-order attribute. */
  u16(type: number, value: number): void {
    const at = this.header(type, 2);
    this.view.setUint16(at, value, true);
  }
  /** A 16-bit network-order attribute (ports). */
  be16(type: number, value: number): void {
    const at = this.header(type, 2);
    this.view.setUint16(at, value, false);
  }
  /** A 32-bit host-order attribute. */
  u32(type: number, value: number): void {
    const at = this.header(type, 4);
    this.view.setUint32(at, value >>> 0, true);
  }
  /** A NUL-terminated string attribute. */
  string(type: number, value: string): void {
    const text = encoder.encode(value);
    const at = this.header(type, text.byteLength + 1); // first: it may grow (replace) the buffer
    this.buffer.set(text, at);
  }
  /** An IP address attribute (4 or 16 bytes); throws `RangeError` (writing nothing) on malformed text. */
  ip(type: number, value: string): void {
    if (value.includes(':')) {
      this.attribute(type, ipToBytes(value));
      return;
    }
    const mark = this.length;
    const at = this.header(type, 4);
    if (!writeIpv4(value, this.buffer, at)) {
      this.rewind(mark);
      ipToBytes(value); // throws the RangeError naming the value
    }
  }
  /** A MAC address attribute (6 bytes); throws `RangeError` (writing nothing) on malformed text. */
  mac(type: number, value: string): void {
    const mark = this.length;
    const at = this.header(type, 6);
    try {
      writeMac(value, this.buffer, at);
    } catch (error) {
      this.rewind(mark);
      throw error;
    }
  }

  /** Opens a nested attribute (`NLA_F_NESTED` set when `flagNested`); returns its offset for {@link join}. */
  fork(type: number, flagNested = false): number {
    const at = this.reserve(ATTRIBUTE_HEADER_LENGTH);
    this.view.setUint16(at + 2, type | (flagNested ? NLA_F_NESTED : 0), true);
    return at;
  }

  /** Closes the nested attribute opened at `at`, back-filling its `nla_len`. */
  join(at: number): void {
    const length = this.length - at;
    if (length > 0xffff) throw new RangeError(`nested attribute at ${at}: ${length} bytes is too long for nla_len`);
    this.view.setUint16(at, length, true);
  }
}
