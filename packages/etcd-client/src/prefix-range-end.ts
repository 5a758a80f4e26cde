/**
 * The `rangeEnd` that selects every key starting with `prefix`: the prefix with its last byte below 0xff
 * incremented and what follows dropped (etcd's `GetPrefixRangeEnd`); `\0` (every key) when the prefix is
 * all 0xff bytes or empty.
 *
 * @example
 * ```ts
 * prefixRangeEnd(Buffer.from('/coreos.com/network/subnets/')); // '/coreos.com/network/subnets0'
 * ```
 */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let index = end.length - 1; index >= 0; index -= 1) {
    if ((end[index] as number) < 0xff) {
      end[index] = (end[index] as number) + 1;
      return end.subarray(0, index + 1);
    }
  }
  return Buffer.from([0]);
}
