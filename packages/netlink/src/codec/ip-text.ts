// The text forms of IP addresses and their network-order bytes: one strict parser and one canonical formatter,
// shared by the codec (encoding requests, decoding kernel replies) and the validators.
// @flannel-ts/core reads address text by the same rules with its own code: netlink depends on no flannel package.

/**
 * The value of the dotted-quad IPv4 text `text.slice(start, end)` as an unsigned 32-bit number, or -1 when it is
 * not one. Exactly four decimal octets 0..255, each 1..3 ASCII digits; leading zeros are refused (inet_aton reads
 * them as octal, so `010.0.0.1` is ambiguous; Go's `net.ParseIP` refuses them too), so accepted text is canonical
 * already. Reads the slice in place: it runs for every address of every batched request.
 *
 * @example
 * ```ts
 * ipv4Value('10.5.34.0'); // 168108544
 * ipv4Value('10.5.34.0/24', 0, 9); // 168108544
 * ipv4Value('010.0.0.1'); // -1
 * ```
 */
export function ipv4Value(text: string, start = 0, end = text.length): number {
  const length = end - start;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : 46; // a virtual trailing '.'
    if (code === 46) {
      if (digits === 0 || octet > 255 || dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57 && digits < 3 && !(digits === 1 && octet === 0)) {
      octet = octet * 10 + (code - 48);
      digits++;
    } else {
      return -1;
    }
  }
  return dots === 4 ? value : -1;
}

/**
 * Writes the 4 bytes of a dotted-quad IPv4 text (as {@link ipv4Value} reads it) into `target` at `offset`;
 * returns false, writing nothing, when `text` is not one.
 *
 * @example
 * ```ts
 * writeIpv4('10.5.34.0', bytes, 0); // true; bytes = [10, 5, 34, 0]
 * ```
 */
export function writeIpv4(text: string, target: Uint8Array, offset: number): boolean {
  const value = ipv4Value(text);
  if (value < 0) return false;
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
  return true;
}

/**
 * The prefix length written in `text` from `start` to its end when it is 0..`max`, else -1. As Go's
 * `net.ParseCIDR` reads it (`dtoi`): one or more ASCII digits, leading zeros allowed (`10.0.0.0/024` is a /24).
 *
 * @example
 * ```ts
 * prefixLengthOf('10.0.0.0/024', 9, 32); // 24
 * prefixLengthOf('10.0.0.0/33', 9, 32); // -1
 * ```
 */
export function prefixLengthOf(text: string, start: number, max: number): number {
  if (start >= text.length) return -1;
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + (code - 48);
    if (value > max) return -1;
  }
  return value;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  return writeIpv4(text, bytes, 0) ? bytes : undefined;
}

function parseGroups(text: string): number[] | undefined {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return undefined;
      groups.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else {
      if (!/^[0-9a-f]{1,4}$/.test(part)) return undefined;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const lower = text.toLowerCase();
  const halves = lower.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/**
 * The 4 (dotted quad, as {@link writeIpv4} reads it) or 16 (IPv6 text, any case, no zone, an IPv4 tail allowed)
 * network-order bytes of an IP address text, or `undefined` when it is neither.
 *
 * @example
 * ```ts
 * parseIpBytes('fd00::1'); // Uint8Array(16) [0xfd, 0, …, 1]
 * parseIpBytes('010.0.0.1'); // undefined
 * ```
 */
export function parseIpBytes(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/**
 * Text of a 4- or 16-byte address: dotted quad, or RFC 5952 IPv6 (`fd00::1`, `::ffff:10.0.0.1`).
 *
 * @example
 * ```ts
 * formatIp(new Uint8Array([10, 5, 34, 0])); // '10.5.34.0'
 * ```
 */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]!}.${bytes[1]!}.${bytes[2]!}.${bytes[3]!}`;
  if (bytes.length !== 16) throw new RangeError(`an IP address has 4 or 16 bytes, not ${bytes.length}`);
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.subarray(12).join('.')}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  // The longest run (≥ 2, the first of equals) of zero groups becomes `::`.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = (list: number[]) => list.map((g) => g.toString(16)).join(':');
  if (bestLength < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}
