import { IpNet, subnetsBetween, type NetworkConfig } from '@flannel-ts/core';

/** flannel collects at most this many free subnets, then picks one of them at random. */
export const MAX_CANDIDATES = 100;

/** The IPv4 placeholder flannel writes in the key of an IPv6-only lease (`0.0.0.0-0&fd00::-64`). */
export const EMPTY_IPV4 = IpNet.parse('0.0.0.0/0');

/** The subnets a stored lease holds. */
export interface HeldSubnets {
  readonly subnet?: IpNet;
  readonly ipv6Subnet?: IpNet;
}

function inRange(subnet: IpNet | undefined, min: IpNet | undefined, max: IpNet | undefined, length: number | undefined): boolean {
  if (subnet === undefined || min === undefined || max === undefined || length === undefined) return false;
  return subnet.family === min.family && subnet.prefixLength === length && subnet.value >= min.value && subnet.value <= max.value;
}

/**
 * flannel's `isSubnetConfigCompat` + `isIPv6SubnetConfigCompat`: whether a lease's subnets may be kept
 * under `config` — IPv4 within SubnetMin..SubnetMax at SubnetLen when IPv4 is enabled; IPv6 likewise when
 * IPv6 is enabled, and absent when it is not.
 */
export function fitsConfig(held: HeldSubnets, config: NetworkConfig): boolean {
  if (config.enableIPv4 && !inRange(held.subnet, config.subnetMin, config.subnetMax, config.subnetLen)) return false;
  if (config.enableIPv6) {
    return inRange(held.ipv6Subnet, config.ipv6SubnetMin, config.ipv6SubnetMax, config.ipv6SubnetLen);
  }
  return held.ipv6Subnet === undefined;
}

/**
 * Whether a lease lies in the cluster's networks (what a watch accepts): its IPv4 subnet inside `Network`
 * when IPv4 is enabled, its IPv6 subnet (if any) inside `IPv6Network` when IPv6 is enabled. Returns the
 * broken rule, or `undefined` when it fits.
 */
export function outsideNetwork(held: HeldSubnets, config: NetworkConfig): string | undefined {
  if (config.enableIPv4 && config.network && held.subnet && !config.network.contains(held.subnet)) {
    return `subnet ${held.subnet.toString()} is outside Network ${config.network.toString()}`;
  }
  if (config.enableIPv6 && config.ipv6Network && held.ipv6Subnet && !config.ipv6Network.contains(held.ipv6Subnet)) {
    return `IPv6 subnet ${held.ipv6Subnet.toString()} is outside IPv6Network ${config.ipv6Network.toString()}`;
  }
  return undefined;
}

/** Fast "is this candidate taken?" over many leases: exact matches by value, odd sizes checked one by one. */
class TakenSet {
  readonly #exact = new Set<bigint>();
  readonly #other: IpNet[] = [];

  constructor(
    taken: readonly (IpNet | undefined)[],
    private readonly length: number,
  ) {
    for (const subnet of taken) {
      if (subnet === undefined) continue;
      if (subnet.prefixLength === length) this.#exact.add(subnet.value);
      else this.#other.push(subnet);
    }
  }

  overlaps(candidate: IpNet): boolean {
    if (candidate.prefixLength === this.length && this.#exact.has(candidate.value)) return true;
    return this.#other.some((subnet) => subnet.family === candidate.family && subnet.overlaps(candidate));
  }
}

/**
 * flannel's allocation walk: from `min` to `max` in steps of `length`, collect up to 100 subnets that
 * overlap no held subnet, and pick one at random. `undefined` when none is free.
 */
export function pickFreeSubnet(
  min: IpNet,
  max: IpNet,
  length: number,
  taken: readonly (IpNet | undefined)[],
  random: () => number,
): IpNet | undefined {
  const held = new TakenSet(taken, length);
  const candidates: IpNet[] = [];
  for (const candidate of subnetsBetween(min, max, length)) {
    if (!held.overlaps(candidate)) candidates.push(candidate);
    if (candidates.length >= MAX_CANDIDATES) break;
  }
  if (candidates.length === 0) return undefined;
  const index = Math.min(candidates.length - 1, Math.floor(random() * candidates.length));
  return candidates[index];
}

/** Whether `subnet` overlaps any of `taken` (flannel's "taken by another node" check). */
export function isTaken(subnet: IpNet, taken: readonly (IpNet | undefined)[]): boolean {
  return taken.some((each) => each !== undefined && each.family === subnet.family && each.overlaps(subnet));
}
