import { formatCidr, parseCidr } from './cidr.js';
import { parseDotenv } from './parse-dotenv.js';
import { SubnetEnvError } from './subnet-env-error.js';

/**
 * subnet.env as the flannel CNI plugin understands it: the subnets are parsed to their *network*
 * address (`FLANNEL_SUBNET=10.1.17.1/24` → `subnet: '10.1.17.0/24'`), network lists deduplicated.
 */
export interface SubnetEnv {
  /** `FLANNEL_NETWORK`, a comma-separated list in the file; empty when absent. */
  readonly networks: readonly string[];
  /** `FLANNEL_SUBNET` as a network (`10.1.17.0/24`). */
  readonly subnet?: string;
  /** `FLANNEL_IPV6_NETWORK`, a comma-separated list in the file; empty when absent. */
  readonly ipv6Networks: readonly string[];
  /** `FLANNEL_IPV6_SUBNET` as a network (`fd00:1:2::/64`). */
  readonly ipv6Subnet?: string;
  /** `FLANNEL_MTU`. */
  readonly mtu: number;
  /** `FLANNEL_IPMASQ`: true only for the exact text `true`, as the plugin reads it. */
  readonly ipMasq: boolean;
  /** Every key/value of the file as written (`FLANNEL_SUBNET` keeps its `.1`), for other consumers. */
  readonly raw: ReadonlyMap<string, string>;
}

const UINT = /^[0-9]+$/;

function invalid(where: string, key: string, value: string, rule: string, path: string | undefined): SubnetEnvError {
  return new SubnetEnvError('SUBNET_ENV_INVALID_VALUE', `${where}${key} ${JSON.stringify(value)} is invalid: ${rule}`, { key, path });
}

function cidrList(where: string, key: string, value: string, family: 4 | 6, path: string | undefined): string[] {
  const result: string[] = [];
  for (const entry of value.split(',')) {
    const cidr = parseCidr(entry);
    if (cidr === undefined || cidr.family !== family) {
      throw invalid(where, key, entry, `must be a comma-separated list of IPv${family} CIDRs`, path);
    }
    const text = formatCidr(cidr);
    if (!result.includes(text)) result.push(text);
  }
  return result;
}

function cidrOne(where: string, key: string, value: string, family: 4 | 6, path: string | undefined): string {
  const cidr = parseCidr(value);
  if (cidr === undefined || cidr.family !== family) throw invalid(where, key, value, `must be an IPv${family} CIDR`, path);
  return formatCidr(cidr);
}

/**
 * Parses subnet.env with the flannel CNI plugin's rules: at least one network (v4 or v6), at least
 * one subnet, `FLANNEL_MTU` and `FLANNEL_IPMASQ` are required. Pure.
 *
 * Throws `SubnetEnvError`: `SUBNET_ENV_MALFORMED` (not dotenv), `SUBNET_ENV_INVALID_VALUE` (a CIDR or
 * MTU that does not parse, naming key and value), `SUBNET_ENV_MISSING_KEYS` with the plugin's message
 * `<file> is missing FLANNEL_NETWORK, FLANNEL_IPV6_NETWORK, FLANNEL_SUBNET, …`.
 *
 * @param path used in messages only (default `subnet.env`).
 * @example
 * ```ts
 * parseSubnetEnv('FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n').subnet;
 * // '10.1.17.0/24'
 * ```
 */
export function parseSubnetEnv(text: string, path?: string): SubnetEnv {
  const raw = parseDotenv(text, path);
  const where = path === undefined ? '' : `${path}: `;
  const get = (key: string): string | undefined => raw.get(key);

  const networkText = get('FLANNEL_NETWORK');
  const networks = networkText === undefined ? [] : cidrList(where, 'FLANNEL_NETWORK', networkText, 4, path);
  const ipv6NetworkText = get('FLANNEL_IPV6_NETWORK');
  const ipv6Networks = ipv6NetworkText === undefined ? [] : cidrList(where, 'FLANNEL_IPV6_NETWORK', ipv6NetworkText, 6, path);
  const subnetText = get('FLANNEL_SUBNET');
  const subnet = subnetText === undefined ? undefined : cidrOne(where, 'FLANNEL_SUBNET', subnetText, 4, path);
  const ipv6SubnetText = get('FLANNEL_IPV6_SUBNET');
  const ipv6Subnet = ipv6SubnetText === undefined ? undefined : cidrOne(where, 'FLANNEL_IPV6_SUBNET', ipv6SubnetText, 6, path);

  const mtuText = get('FLANNEL_MTU');
  let mtu: number | undefined;
  if (mtuText !== undefined) {
    mtu = UINT.test(mtuText) ? Number(mtuText) : Number.NaN;
    if (!(mtu <= 0xffffffff)) throw invalid(where, 'FLANNEL_MTU', mtuText, 'must be an unsigned 32-bit integer', path);
  }
  const ipMasqText = get('FLANNEL_IPMASQ');

  const missing: string[] = [];
  if (networks.length === 0 && ipv6Networks.length === 0) missing.push('FLANNEL_NETWORK', 'FLANNEL_IPV6_NETWORK');
  if (subnet === undefined && ipv6Subnet === undefined) missing.push('FLANNEL_SUBNET', 'FLANNEL_IPV6_SUBNET');
  if (mtu === undefined) missing.push('FLANNEL_MTU');
  if (ipMasqText === undefined) missing.push('FLANNEL_IPMASQ');
  if (missing.length > 0 || mtu === undefined) {
    throw new SubnetEnvError('SUBNET_ENV_MISSING_KEYS', `${path ?? 'subnet.env'} is missing ${missing.join(', ')}`, { path });
  }

  return Object.freeze({
    networks: Object.freeze(networks),
    ...(subnet === undefined ? {} : { subnet }),
    ipv6Networks: Object.freeze(ipv6Networks),
    ...(ipv6Subnet === undefined ? {} : { ipv6Subnet }),
    mtu,
    ipMasq: ipMasqText === 'true',
    raw,
  });
}
