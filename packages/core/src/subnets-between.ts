import { IpNet } from './ip-net.js';

/**
 * Every subnet of `subnetLen` from `min` to `max` inclusive, in order: how flannel walks
 * SubnetMin..SubnetMax in SubnetLen steps when it looks for a free subnet. Lazy, so a huge IPv6
 * range costs nothing until iterated. `min` and `max` are re-read at `subnetLen` (their network
 * address is what counts). Yields nothing when `max` is before `min`. Throws `RangeError` when the
 * families differ.
 *
 * @example
 * ```ts
 * const [first, second] = subnetsBetween(IpNet.parse('10.3.1.0/24'), IpNet.parse('10.3.255.0/24'), 24);
 * first.toString();  // '10.3.1.0/24'
 * second.toString(); // '10.3.2.0/24'
 * ```
 */
export function* subnetsBetween(min: IpNet, max: IpNet, subnetLen: number): Generator<IpNet, void, undefined> {
  if (min.family !== max.family) {
    throw new RangeError(`subnet range ${min.toString()}..${max.toString()} mixes IPv4 and IPv6`);
  }
  let current = min.withPrefixLength(subnetLen);
  const last = max.withPrefixLength(subnetLen);
  while (current.value <= last.value) {
    yield current;
    if (current.value === last.value) return;
    current = current.next();
  }
}
