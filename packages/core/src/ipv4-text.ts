// Dotted-quad IPv4 text as Go's net.ParseIP reads it. Internal to @flannel-ts/core; @flannel-ts/netlink has
// its own copy of these rules (codec/ip-text.ts) because it depends on no flannel package.

/**
 * The value of a strict dotted quad — exactly four decimal octets of one to three ASCII digits, each at
 * most 255, no leading zeros (`010` is octal to inet_aton; Go refuses it) — or -1 when `text` is
 * anything else. With `start` and `end`, reads `text.slice(start, end)` without making that string.
 *
 * @example
 * ```ts
 * parseIPv4('10.0.0.1'); // 167772161
 * parseIPv4('10.0.0.01'); // -1
 * parseIPv4('10.5.34.0-24', 0, 9); // 168108544
 * ```
 */
export function parseIPv4(text: string, start = 0, end = text.length): number {
  const length = end - start;
  if (length < 7 || length > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits === 1 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (code - 0x30);
      digits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/**
 * Writes a 32-bit unsigned value as a dotted quad (`167772161` → `10.0.0.1`).
 *
 * @example
 * ```ts
 * formatIPv4(0x0a000001); // '10.0.0.1'
 * ```
 */
export function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}
