import { formatCidr, parseCidr } from './cidr.js';
import { parseDotenv } from './parse-dotenv.js';
import { SubnetEnvError } from './subnet-env-error.js';

/**
 * What flanneld recovers from the subnet.env of its previous run (to ask for the same subnet again and
 * to recycle masquerade rules). Every field is a network CIDR (`10.5.72.0/24`) or absent.
 */
export interface PreviousSubnetEnv {
  readonly network?: string;
  readonly subnet?: string;
  readonly ipv6Network?: string;
  readonly ipv6Subnet?: string;
  /** Why something was ignored (unreadable file, unparsable entry, more than one entry); for a log. */
  readonly warnings: readonly string[];
}

const KEYS = [
  ['network', 'FLANNEL_NETWORK', 4],
  ['subnet', 'FLANNEL_SUBNET', 4],
  ['ipv6Network', 'FLANNEL_IPV6_NETWORK', 6],
  ['ipv6Subnet', 'FLANNEL_IPV6_SUBNET', 6],
] as const;

/**
 * flanneld's tolerant reading (`ReadCIDRsFromSubnetFile`): each key may hold a comma-separated list;
 * entries that are not a CIDR of the key's family are skipped; a key left with more than one entry is
 * treated as absent; a file that is not valid dotenv yields nothing. Never throws. Pure.
 *
 * @param path used in warnings only.
 * @example
 * ```ts
 * parsePreviousSubnetEnv('FLANNEL_SUBNET=10.5.72.1/24\n').subnet; // '10.5.72.0/24'
 * ```
 */
export function parsePreviousSubnetEnv(text: string, path = 'subnet.env'): PreviousSubnetEnv {
  let values: Map<string, string>;
  try {
    values = parseDotenv(text, path);
  } catch (error) {
    const message = SubnetEnvError.isInstance(error) ? error.message : String(error);
    return Object.freeze({ warnings: Object.freeze([`ignoring previous ${path}: ${message}`]) });
  }
  const result: Record<string, string> = {};
  const warnings: string[] = [];
  for (const [field, key, family] of KEYS) {
    const value = values.get(key);
    if (value === undefined) continue;
    const cidrs: string[] = [];
    for (const entry of value.split(',')) {
      const cidr = parseCidr(entry);
      if (cidr === undefined || cidr.family !== family) {
        warnings.push(`couldn't parse previous ${key} from ${path}: ${JSON.stringify(entry)} is not an IPv${family} CIDR`);
        continue;
      }
      cidrs.push(formatCidr(cidr));
    }
    if (cidrs.length > 1) {
      warnings.push(`more than 1 entry found for ${key} in ${path}: ignoring it`);
    } else if (cidrs[0] !== undefined) {
      result[field] = cidrs[0];
    }
  }
  return Object.freeze({ ...result, warnings: Object.freeze(warnings) });
}
