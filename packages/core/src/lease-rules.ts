// Leases are untrusted input: another node (or anyone with etcd write access) wrote them. The rules a
// remote lease must meet before any backend programs it, checked alone (no other lease needed): its
// subnets are exactly SubnetLen-sized, aligned, inside Network and clear of this node's subnet; its
// PublicIP is a unicast address that is not ours. flanneld checks none of this
// (pkg/subnet/etcd/registry.go decodes whatever a key holds; pkg/backend/vxlan/vxlan_network.go programs it).
import { IpNet } from './ip-net.js';
import type { IpFamily } from './ip-net.js';
import type { Lease } from './lease.js';
import type { NetworkConfig } from './network-config.js';

/** What a remote lease is checked against: the network config and this node's own lease. */
export interface LeaseRules {
  /** `Network`; without it IPv4 subnets are not checked for size and place. */
  readonly network?: IpNet;
  /** `SubnetLen`. */
  readonly subnetLen?: number;
  /** `IPv6Network`. */
  readonly ipv6Network?: IpNet;
  /** `IPv6SubnetLen`. */
  readonly ipv6SubnetLen?: number;
  /** This node's lease: its subnets may not be overlapped and its PublicIPs may not be reused. */
  readonly ownLease?: Lease;
}

/**
 * The rules of a network config and an own lease. The expected prefix length is the own subnet's when
 * there is one: under etcd that is `SubnetLen`; under the Kubernetes subnet manager, a node's `podCIDR`
 * size (`--node-cidr-mask-size`), which need not match `SubnetLen` and is the same for every node.
 *
 * @example
 * ```ts
 * const rules = leaseRulesFor(config, network.lease);
 * checkRemoteLease(remote, rules); // undefined, or 'subnet 10.5.30.0/25 is invalid: …'
 * ```
 */
export function leaseRulesFor(config: NetworkConfig | undefined, ownLease: Lease | undefined): LeaseRules {
  return {
    ...(config?.network === undefined ? {} : { network: config.network }),
    ...(ownLease?.subnet !== undefined
      ? { subnetLen: ownLease.subnet.prefixLength }
      : config?.subnetLen === undefined ? {} : { subnetLen: config.subnetLen }),
    ...(config?.ipv6Network === undefined ? {} : { ipv6Network: config.ipv6Network }),
    ...(ownLease?.ipv6Subnet !== undefined
      ? { ipv6SubnetLen: ownLease.ipv6Subnet.prefixLength }
      : config?.ipv6SubnetLen === undefined ? {} : { ipv6SubnetLen: config.ipv6SubnetLen }),
    ...(ownLease === undefined ? {} : { ownLease }),
  };
}

/**
 * Why a remote lease must not be programmed, or `undefined` when it may. The reason names the field,
 * the value and the rule: `subnet 10.5.8.0/23 is invalid: its prefix length must be SubnetLen 24`.
 * Checked per family the lease has a subnet of: the subnet (SubnetLen-sized, inside Network, not
 * overlapping this node's subnet) and the PublicIP (see {@link checkPublicAddress}).
 *
 * @example
 * ```ts
 * checkRemoteLease(lease, { network: IpNet.parse('10.5.0.0/16'), subnetLen: 24 });
 * ```
 */
export function checkRemoteLease(lease: Lease, rules: LeaseRules): string | undefined {
  const own = rules.ownLease;
  if (lease.subnet !== undefined) {
    const problem =
      checkSubnet('subnet', lease.subnet, 4, rules.network, rules.subnetLen, own?.subnet) ??
      checkPublicAddress('PublicIP', lease.attributes.publicIP, 4, own?.subnet === undefined ? undefined : own.attributes.publicIP);
    if (problem !== undefined) return problem;
  }
  if (lease.ipv6Subnet !== undefined) {
    const problem = checkSubnet('IPv6 subnet', lease.ipv6Subnet, 6, rules.ipv6Network, rules.ipv6SubnetLen, own?.ipv6Subnet);
    if (problem !== undefined) return problem;
    // A lease may carry an IPv6 subnet without PublicIPv6 (an IPv4-underlay node); the backend decides.
    if (lease.attributes.publicIPv6 !== undefined) {
      const v6 = checkPublicAddress('PublicIPv6', lease.attributes.publicIPv6, 6, own?.attributes.publicIPv6);
      if (v6 !== undefined) return v6;
    }
  }
  return undefined;
}

function checkSubnet(
  field: string,
  subnet: IpNet,
  family: IpFamily,
  network: IpNet | undefined,
  subnetLen: number | undefined,
  ownSubnet: IpNet | undefined,
): string | undefined {
  const text = subnet.toString();
  if (subnet.family !== family) return `${field} ${text} is invalid: must be an IPv${family} network`;
  if (subnetLen !== undefined && subnet.prefixLength !== subnetLen) {
    return `${field} ${text} is invalid: its prefix length must be ${family === 4 ? 'SubnetLen' : 'IPv6SubnetLen'} ${subnetLen}`;
  }
  if (network !== undefined && !network.contains(subnet)) {
    return `${field} ${text} is invalid: must lie inside ${family === 4 ? 'Network' : 'IPv6Network'} ${network.toString()}`;
  }
  if (ownSubnet !== undefined && subnet.overlaps(ownSubnet)) {
    return `${field} ${text} is invalid: overlaps this node's subnet ${ownSubnet.toString()}`;
  }
  return undefined;
}

/**
 * Why `text` cannot be a node's underlay address (`PublicIP`/`PublicIPv6`), or `undefined` when it can:
 * it must parse as an address of `family` and be unicast — not unspecified, loopback, multicast,
 * broadcast (255.255.255.255), reserved (240.0.0.0/4), IPv4-mapped, or IPv6 link-local (fe80::/10: a
 * lease cannot carry the zone that address needs) — and not this node's own (`own`). IPv4 link-local
 * (169.254.0.0/16) is accepted: it is reachable on a shared segment.
 *
 * @example
 * ```ts
 * checkPublicAddress('PublicIP', '127.0.0.1', 4); // 'PublicIP "127.0.0.1" is invalid: must not be a loopback address'
 * ```
 */
export function checkPublicAddress(field: string, text: string | undefined, family: IpFamily, own?: string): string | undefined {
  const shown = JSON.stringify(text ?? null);
  let value: bigint;
  try {
    if (text === undefined) throw new RangeError('missing');
    value = IpNet.parseAddress(text, family).value;
  } catch {
    return `${field} ${shown} is invalid: must be an IPv${family} address`;
  }
  const kind = addressKind(value, family);
  if (kind !== undefined) return `${field} ${shown} is invalid: must not be ${kind}`;
  if (own !== undefined && IpNet.isAddress(own, family) && IpNet.parseAddress(own, family).value === value) {
    return `${field} ${shown} is invalid: it is this node's own ${field}`;
  }
  return undefined;
}

/**
 * What kind of address, of those {@link checkPublicAddress} refuses, `address` (of `family`) is — `'a loopback
 * address'`, `'the unspecified address'`… — or `undefined` for a unicast address a peer can use. For the
 * daemon's own `--public-ip`/`--public-ipv6`, which peers would refuse in its lease.
 *
 * @example
 * ```ts
 * unusablePublicAddressKind('0.0.0.0', 4); // 'the unspecified address'
 * unusablePublicAddressKind('10.0.0.1', 4); // undefined
 * ```
 */
export function unusablePublicAddressKind(address: string, family: IpFamily): string | undefined {
  return addressKind(IpNet.parseAddress(address, family).value, family);
}

function addressKind(value: bigint, family: IpFamily): string | undefined {
  return family === 4 ? ipv4Kind(Number(value)) : ipv6Kind(value);
}

function ipv4Kind(value: number): string | undefined {
  const first = value >>> 24;
  if (value === 0) return 'the unspecified address';
  if (first === 127) return 'a loopback address';
  if (value === 0xffffffff) return 'the broadcast address';
  if (first >= 224 && first <= 239) return 'a multicast address';
  if (first >= 240) return 'a reserved address';
  if (first === 0) return 'an address of "this network" (0.0.0.0/8)';
  return undefined;
}

const V6_TOP = 128n - 16n;
function ipv6Kind(value: bigint): string | undefined {
  if (value === 0n) return 'the unspecified address';
  if (value === 1n) return 'a loopback address';
  const top16 = value >> V6_TOP;
  if (top16 >> 8n === 0xffn) return 'a multicast address';
  if ((top16 & 0xffc0n) === 0xfe80n) return 'a link-local address';
  if (value >> 32n === 0xffffn) return 'an IPv4-mapped address';
  return undefined;
}
