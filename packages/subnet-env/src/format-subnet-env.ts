import { firstHostCidr, formatCidr, parseCidr } from './cidr.js';
import type { Cidr } from './cidr.js';
import { SubnetEnvError } from './subnet-env-error.js';

/** A CIDR as text (`10.5.0.0/16`) or any object whose `toString()` is one (core's `IpNet`). */
export type CidrLike = string | { toString(): string };

/**
 * What flanneld writes to subnet.env. IPv4 lines are written when `network` is set, IPv6 lines when
 * `ipv6Network` is set (flannel's `EnableIPv4` / `EnableIPv6`).
 */
export interface SubnetEnvValues {
  /** The cluster's IPv4 network (`FLANNEL_NETWORK`), e.g. `10.5.0.0/16`. */
  readonly network?: CidrLike;
  /**
   * This node's leased IPv4 subnet, e.g. `10.5.72.0/24`. Written as its first host address with the
   * subnet's length (`FLANNEL_SUBNET=10.5.72.1/24`), exactly as flanneld does. Host bits are cleared
   * first, so passing `10.5.72.1/24` also writes `10.5.72.1/24`.
   */
  readonly subnet?: CidrLike;
  /** The cluster's IPv6 network (`FLANNEL_IPV6_NETWORK`). */
  readonly ipv6Network?: CidrLike;
  /** This node's leased IPv6 subnet; written as its first host (`FLANNEL_IPV6_SUBNET=fd00::1/64`). */
  readonly ipv6Subnet?: CidrLike;
  /** The backend's MTU (`FLANNEL_MTU`). */
  readonly mtu: number;
  /** The value of `--ip-masq` (`FLANNEL_IPMASQ`). */
  readonly ipMasq: boolean;
}

function cidrOf(key: string, value: CidrLike, family: 4 | 6): Cidr {
  const text = String(value);
  const cidr = parseCidr(text);
  if (cidr === undefined || cidr.family !== family) {
    throw new SubnetEnvError(
      'SUBNET_ENV_INVALID_VALUE',
      `${key} ${JSON.stringify(text)} is invalid: must be an IPv${family} CIDR`,
      { key },
    );
  }
  return cidr;
}

function firstHost(key: string, value: CidrLike, family: 4 | 6): string {
  try {
    return formatCidr(firstHostCidr(cidrOf(key, value, family)));
  } catch (error) {
    if (SubnetEnvError.isInstance(error)) throw error;
    throw new SubnetEnvError('SUBNET_ENV_INVALID_VALUE', `${key} ${String(value)} is invalid: ${(error as Error).message}`, { key });
  }
}

function requirePair(values: SubnetEnvValues, networkKey: 'network' | 'ipv6Network', subnetKey: 'subnet' | 'ipv6Subnet'): void {
  if ((values[networkKey] === undefined) !== (values[subnetKey] === undefined)) {
    const [given, absent] = values[networkKey] === undefined ? [subnetKey, networkKey] : [networkKey, subnetKey];
    throw new SubnetEnvError('SUBNET_ENV_INVALID_VALUE', `${given} is set but ${absent} is not: both or neither must be given`, {
      key: absent,
    });
  }
}

/**
 * Renders subnet.env exactly as flanneld's `WriteSubnetFile`: `FLANNEL_NETWORK`, `FLANNEL_SUBNET`,
 * `FLANNEL_IPV6_NETWORK`, `FLANNEL_IPV6_SUBNET`, `FLANNEL_MTU`, `FLANNEL_IPMASQ`, each line `\n`-terminated.
 * Pure. Throws `SubnetEnvError` (`SUBNET_ENV_INVALID_VALUE`) naming the field and value when one is invalid.
 *
 * @example
 * ```ts
 * formatSubnetEnv({ network: '10.5.0.0/16', subnet: '10.5.72.0/24', mtu: 1450, ipMasq: true });
 * // 'FLANNEL_NETWORK=10.5.0.0/16\nFLANNEL_SUBNET=10.5.72.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n'
 * ```
 */
export function formatSubnetEnv(values: SubnetEnvValues): string {
  requirePair(values, 'network', 'subnet');
  requirePair(values, 'ipv6Network', 'ipv6Subnet');
  if (!Number.isInteger(values.mtu) || values.mtu < 0 || values.mtu > 0xffffffff) {
    throw new SubnetEnvError('SUBNET_ENV_INVALID_VALUE', `mtu ${String(values.mtu)} is invalid: must be an integer 0..4294967295`, {
      key: 'mtu',
    });
  }
  if (typeof values.ipMasq !== 'boolean') {
    throw new SubnetEnvError('SUBNET_ENV_INVALID_VALUE', `ipMasq ${String(values.ipMasq)} is invalid: must be true or false`, {
      key: 'ipMasq',
    });
  }
  let text = '';
  if (values.network !== undefined && values.subnet !== undefined) {
    text += `FLANNEL_NETWORK=${formatCidr(cidrOf('network', values.network, 4))}\n`;
    text += `FLANNEL_SUBNET=${firstHost('subnet', values.subnet, 4)}\n`;
  }
  if (values.ipv6Network !== undefined && values.ipv6Subnet !== undefined) {
    text += `FLANNEL_IPV6_NETWORK=${formatCidr(cidrOf('ipv6Network', values.ipv6Network, 6))}\n`;
    text += `FLANNEL_IPV6_SUBNET=${firstHost('ipv6Subnet', values.ipv6Subnet, 6)}\n`;
  }
  text += `FLANNEL_MTU=${values.mtu}\nFLANNEL_IPMASQ=${values.ipMasq ? 'true' : 'false'}\n`;
  return text;
}
