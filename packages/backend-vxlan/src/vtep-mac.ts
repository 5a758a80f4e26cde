/** A source of random bytes (inject a seeded one in tests). */
export type RandomBytes = (size: number) => Uint8Array;

const COLON_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const DASH_MAC = /^[0-9a-f]{2}(?:-[0-9a-f]{2}){5}$/;
const DOT_MAC = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/;

/**
 * Normalises a 6-byte MAC written as Go's `net.ParseMAC` accepts it (`aa:bb:cc:dd:ee:ff`,
 * `AA-BB-CC-DD-EE-FF`, `aabb.ccdd.eeff`) to lower-case colon form; `undefined` when it is not one.
 *
 * @example
 * ```ts
 * normaliseMac('0E-2A-00-00-00-01'); // '0e:2a:00:00:00:01'
 * normaliseMac('nope');              // undefined
 * ```
 */
export function normaliseMac(text: string): string | undefined {
  if (COLON_MAC.test(text)) return text; // flannel's own form, as every lease carries it
  const lower = text.toLowerCase();
  if (COLON_MAC.test(lower)) return lower;
  if (DASH_MAC.test(lower)) return lower.replaceAll('-', ':');
  if (DOT_MAC.test(lower)) {
    const hex = lower.replaceAll('.', '');
    return hex.match(/../g)!.join(':');
  }
  return undefined;
}

/**
 * A random locally-administered unicast MAC, as flannel's `pkg/mac` makes one for a new VTEP:
 * six random bytes with the multicast bit cleared and the local bit set (`b[0] = (b[0] & 0xfe) | 0x02`).
 *
 * @example
 * ```ts
 * randomVtepMac(() => new Uint8Array([0xff, 1, 2, 3, 4, 5])); // 'fe:01:02:03:04:05'
 * ```
 */
export function randomVtepMac(random: RandomBytes): string {
  const bytes = random(6);
  if (bytes.length < 6) throw new RangeError(`random source returned ${bytes.length} bytes, 6 needed`);
  const mac = Array.from(bytes.subarray(0, 6));
  mac[0] = (mac[0]! & 0xfe) | 0x02;
  return mac.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}
