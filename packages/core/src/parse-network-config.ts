import { NUMBER_SPELLINGS, type NumberSpelling } from './backend-option.js';
import { FlannelError } from './errors.js';
import { IpNet, type IpFamily } from './ip-net.js';
import { findMember, findValueMember, JsonSyntaxError, parseJsonDocument, toPlainValue, type JsonMember, type JsonNode } from './json/json-document.js';
import type { Logger } from './logger.js';
import type { NetworkConfig } from './network-config.js';

/** Options of {@link parseNetworkConfig}. */
export interface ParseNetworkConfigOptions {
  /**
   * Apply flannel's `CheckNetworkConfig`: require `Network`/`IPv6Network`, resolve and validate
   * SubnetLen/SubnetMin/SubnetMax. Default `true` (etcd mode). `false` is the Kubernetes subnet
   * manager's `ParseConfig` only: subnet sizes are not resolved and left out of the result.
   */
  readonly checkSubnets?: boolean;
  /** Receives each warning as well (`warn`). */
  readonly logger?: Logger;
}

/** What {@link parseNetworkConfig} returns. */
export interface ParsedNetworkConfig {
  /** The resolved, frozen config. */
  readonly config: NetworkConfig;
  /** Things flannel silently accepts that are probably mistakes (unknown keys…). */
  readonly warnings: readonly string[];
}

const KNOWN_KEYS = [
  'EnableIPv4',
  'EnableIPv6',
  'EnableNFTables',
  'Network',
  'IPv6Network',
  'SubnetMin',
  'SubnetMax',
  'IPv6SubnetMin',
  'IPv6SubnetMax',
  'SubnetLen',
  'IPv6SubnetLen',
  'Backend',
] as const;

interface FamilyRules {
  readonly family: IpFamily;
  readonly networkKey: 'Network' | 'IPv6Network';
  readonly lenKey: 'SubnetLen' | 'IPv6SubnetLen';
  readonly minKey: 'SubnetMin' | 'IPv6SubnetMin';
  readonly maxKey: 'SubnetMax' | 'IPv6SubnetMax';
  /** Largest SubnetLen (a host needs at least four addresses). */
  readonly maxSubnetLen: number;
  /** Networks up to this prefix get `defaultSubnetLen`, smaller ones prefix + 2. */
  readonly defaultUpTo: number;
  readonly defaultSubnetLen: number;
}

const IPV4_RULES: FamilyRules = {
  family: 4,
  networkKey: 'Network',
  lenKey: 'SubnetLen',
  minKey: 'SubnetMin',
  maxKey: 'SubnetMax',
  maxSubnetLen: 30,
  defaultUpTo: 22,
  defaultSubnetLen: 24,
};

const IPV6_RULES: FamilyRules = {
  family: 6,
  networkKey: 'IPv6Network',
  lenKey: 'IPv6SubnetLen',
  minKey: 'IPv6SubnetMin',
  maxKey: 'IPv6SubnetMax',
  maxSubnetLen: 126,
  defaultUpTo: 62,
  defaultSubnetLen: 64,
};

function invalid(message: string, cause?: unknown): FlannelError {
  return new FlannelError('CONFIG_INVALID', message, { cause });
}

/** Reads one top-level member with Go's rules; `undefined` when absent or JSON null (no-op in Go). */
class ConfigReader {
  constructor(
    private readonly text: string,
    private readonly root: JsonNode & { kind: 'object' },
  ) {}

  /** A plain (bool, uint) field: JSON null is a no-op in Go, so the last non-null match wins. */
  member(key: string): JsonMember | undefined {
    return findValueMember(this.root, key);
  }

  raw(node: JsonNode): string {
    const raw = this.text.slice(node.start, node.end);
    return raw.length > 64 ? `${raw.slice(0, 61)}...` : raw;
  }

  boolean(key: string, fallback: boolean): boolean {
    const member = this.member(key);
    if (member === undefined) return fallback;
    if (member.value.kind !== 'boolean') throw invalid(`${key} ${this.raw(member.value)} is invalid: must be true or false`);
    return member.value.value;
  }

  unsigned(key: string): number {
    const member = this.member(key);
    if (member === undefined) return 0;
    const node = member.value;
    if (node.kind !== 'number' || !/^\d+$/.test(node.text)) throw invalid(`${key} ${this.raw(node)} is invalid: must be a non-negative integer`);
    // Go's uint holds up to 2^64-1; anything past 2^53 is far beyond every rule, so name the text as written.
    const value = Number(node.text);
    if (!Number.isSafeInteger(value)) throw invalid(`${key} ${this.raw(node)} is invalid: must be at most ${key.startsWith('IPv6') ? 126 : 30}`);
    return value;
  }

  network(key: string, family: IpFamily): IpNet | undefined {
    // Go's JSON null reaches flannel's UnmarshalJSON as the text `null` and fails to parse.
    const member = findMember(this.root, key);
    if (member === undefined) return undefined;
    const node = member.value;
    const example = family === 4 ? '10.0.0.0/8' : 'fc00::/48';
    if (node.kind !== 'string') throw invalid(`${key} ${this.raw(node)} is invalid: must be an IPv${family} CIDR string like "${example}"`);
    try {
      return IpNet.parse(node.value, family);
    } catch (error) {
      throw invalid(`${key} ${this.raw(node)} is invalid: must be an IPv${family} CIDR like "${example}"`, error);
    }
  }

  address(key: string, family: IpFamily): { text: string; node: JsonNode } | undefined {
    // SubnetMin/Max are ip.IP4 values (null reaches UnmarshalJSON and fails); the IPv6 ones are
    // *ip.IP6 pointers, which a later null resets to nil ("not set").
    const member = findMember(this.root, key);
    if (member === undefined || (family === 6 && member.value.kind === 'null')) return undefined;
    const node = member.value;
    if (node.kind !== 'string' || !IpNet.isAddress(node.value, family)) {
      throw invalid(`${key} ${this.raw(node)} is invalid: must be an IPv${family} address string`);
    }
    // flannel treats the zero address as "not set" and applies the default.
    return IpNet.parseAddress(node.value).value === 0n ? undefined : { text: node.value, node };
  }
}

interface ResolvedFamily {
  network: IpNet;
  subnetLen: number;
  subnetMin: IpNet;
  subnetMax: IpNet;
}

/** `::ffff:0:0/96`: IPv6 addresses that stand for IPv4 ones. */
const IPV4_MAPPED = IpNet.parse('::ffff:0:0/96');

function resolveFamily(reader: ConfigReader, rules: FamilyRules, warnings: string[]): ResolvedFamily {
  const { family, networkKey, lenKey, minKey, maxKey } = rules;
  const network = reader.network(networkKey, family);
  if (network === undefined) throw invalid(`${networkKey} is missing: an IPv${family} network is required when EnableIPv${family} is true`);
  if (network.prefixLength === 0) {
    // flannel's `Empty()` check: a /0 (whatever address was written before it) is no network at all.
    throw invalid(`${networkKey} "${network.toString()}" is invalid: the prefix must be longer than /0 (a /0 network covers every address)`);
  }
  if (family === 6 && network.overlaps(IPV4_MAPPED)) {
    // Such subnets print in dotted form (::ffff:10.1.2.0), which flannel's lease keys cannot carry.
    throw invalid(`${networkKey} "${network.toString()}" is invalid: must not overlap the IPv4-mapped range ::ffff:0:0/96`);
  }

  let subnetLen = reader.unsigned(lenKey);
  if (subnetLen > 0) {
    if (subnetLen > rules.maxSubnetLen) throw invalid(`${lenKey} ${subnetLen} is invalid: must be at most ${rules.maxSubnetLen}`);
    if (subnetLen < network.prefixLength + 2) {
      throw invalid(
        `${lenKey} ${subnetLen} is invalid: must be at least ${network.prefixLength + 2} so that ${networkKey} ${network.toString()} holds at least four subnets`,
      );
    }
  } else if (network.prefixLength > rules.maxSubnetLen - 2) {
    throw invalid(
      `${networkKey} "${network.toString()}" is invalid: prefix must be at most /${rules.maxSubnetLen - 2} (the network is too small for four subnets)`,
    );
  } else {
    subnetLen = network.prefixLength <= rules.defaultUpTo ? rules.defaultSubnetLen : network.prefixLength + 2;
  }

  const bound = (key: string, fallback: () => IpNet): IpNet => {
    const given = reader.address(key, family);
    if (given === undefined) return fallback();
    const quoted = reader.raw(given.node);
    if (!network.contains(given.text)) throw invalid(`${key} ${quoted} is invalid: must be inside ${networkKey} ${network.toString()}`);
    const subnet = IpNet.fromAddress(given.text, subnetLen);
    if (subnet.address !== IpNet.canonicalAddress(given.text)) {
      throw invalid(`${key} ${quoted} is invalid: must be on a ${lenKey} (/${subnetLen}) boundary, e.g. ${subnet.address}`);
    }
    return subnet;
  };
  // Defaults skip the first subnet (its address is the network's own) and end at the last one.
  const subnetMin = bound(minKey, () => network.withPrefixLength(subnetLen).next());
  const subnetMax = bound(maxKey, () =>
    IpNet.fromAddress({ family, value: network.value + network.size - 1n }, subnetLen),
  );
  if (subnetMin.value > subnetMax.value) {
    warnings.push(`${minKey} ${subnetMin.address} is after ${maxKey} ${subnetMax.address}: no subnet can be allocated`);
  }
  return { network, subnetLen, subnetMin, subnetMax };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Parses flannel's network config JSON (`<prefix>/config` in etcd, `net-conf.json` in Kubernetes)
 * exactly as flanneld does — keys matched case-insensitively (the last match wins), unknown keys
 * ignored (reported in `warnings`), `EnableIPv4` true unless set, `Backend` absent meaning `udp` —
 * then applies `CheckNetworkConfig` (unless `checkSubnets: false`) to resolve SubnetLen, SubnetMin and
 * SubnetMax. Throws `FlannelError` `CONFIG_INVALID` whose message names the key, the value and the
 * rule (`SubnetLen 31 is invalid: must be at most 30`); invalid JSON is reported by line and column.
 *
 * Stricter than flannel: a `Backend` without `Type`, and a config enabling neither IPv4 nor IPv6,
 * are rejected here (flanneld fails on them later, at startup).
 *
 * @example
 * ```ts
 * const { config, warnings } = parseNetworkConfig('{"Network":"10.3.0.0/16","Backend":{"Type":"vxlan"}}');
 * config.subnetLen;             // 24
 * config.subnetMin?.toString(); // '10.3.1.0/24'
 * config.subnetMax?.toString(); // '10.3.255.0/24'
 * config.backendType;           // 'vxlan'
 * ```
 */
export function parseNetworkConfig(text: string, options: ParseNetworkConfigOptions = {}): ParsedNetworkConfig {
  const checkSubnets = options.checkSubnets ?? true;
  const warnings: string[] = [];
  let root: JsonNode;
  try {
    root = parseJsonDocument(text);
  } catch (error) {
    // A syntax error's text (reason, line, column) is the message, so it is not attached as the cause too:
    // loggers that print causes (pino's err serializer appends each cause's message) would repeat it.
    if (error instanceof JsonSyntaxError) throw invalid(`network config is not valid JSON: ${error.message}`);
    throw invalid(`network config is not valid JSON: ${String(error)}`, error);
  }
  if (root.kind !== 'object') throw invalid('network config is invalid: must be a JSON object like {"Network":"10.0.0.0/8"}');
  const reader = new ConfigReader(text, root);

  for (const member of root.members) {
    const folded = member.key.toLowerCase();
    if (!KNOWN_KEYS.some((key) => key.toLowerCase() === folded)) warnings.push(`unknown key ${JSON.stringify(member.key)} in network config is ignored`);
  }

  const enableIPv4 = reader.boolean('EnableIPv4', true);
  const enableIPv6 = reader.boolean('EnableIPv6', false);
  const enableNFTables = reader.boolean('EnableNFTables', false);
  if (!enableIPv4 && !enableIPv6) throw invalid('EnableIPv4 false is invalid: at least one of EnableIPv4 and EnableIPv6 must be true');

  // Backend: absent → udp; null → no options, no type; an object → its Type (case-insensitive key).
  let backendType = 'udp';
  let backend: Record<string, unknown> = {};
  const backendMember = findMember(root, 'Backend');
  if (backendMember !== undefined) {
    const node = backendMember.value;
    if (node.kind !== 'object' && node.kind !== 'null') throw invalid(`Backend ${reader.raw(node)} is invalid: must be an object like {"Type":"vxlan"}`);
    backendType = '';
    if (node.kind === 'object') {
      backend = toPlainValue(node) as Record<string, unknown>;
      // Number() reads 1.0 and 1e2 as whole numbers; keep how they were written for the integer options.
      const spellings: NumberSpelling[] = node.members
        .filter((member) => member.value.kind === 'number' && /[.eE]/.test(member.value.text))
        .map((member) => ({ key: member.key, text: (member.value as JsonNode & { kind: 'number' }).text }));
      if (spellings.length > 0) Object.defineProperty(backend, NUMBER_SPELLINGS, { value: Object.freeze(spellings), enumerable: true });
      const typeMember = findValueMember(node, 'Type');
      if (typeMember !== undefined && typeMember.value.kind !== 'null') {
        if (typeMember.value.kind !== 'string') throw invalid(`Backend.Type ${reader.raw(typeMember.value)} is invalid: must be a string`);
        backendType = typeMember.value.value.toLowerCase();
      }
    }
    if (backendType === '') throw invalid('Backend.Type is missing: must name a backend type such as "vxlan", "host-gw" or "udp"');
  }

  // Go's json.Unmarshal type-checks every field, used or not: a malformed value fails the config even
  // for a disabled family or in Kubernetes mode.
  for (const rules of [IPV4_RULES, IPV6_RULES]) {
    reader.network(rules.networkKey, rules.family);
    reader.unsigned(rules.lenKey);
    reader.address(rules.minKey, rules.family);
    reader.address(rules.maxKey, rules.family);
  }

  const config: Record<string, unknown> = { enableIPv4, enableIPv6, enableNFTables, backendType, backend };
  if (checkSubnets) {
    if (enableIPv4) {
      const v4 = resolveFamily(reader, IPV4_RULES, warnings);
      Object.assign(config, v4);
    }
    if (enableIPv6) {
      const v6 = resolveFamily(reader, IPV6_RULES, warnings);
      Object.assign(config, { ipv6Network: v6.network, ipv6SubnetLen: v6.subnetLen, ipv6SubnetMin: v6.subnetMin, ipv6SubnetMax: v6.subnetMax });
    }
  } else {
    // Kubernetes mode: flannel's ParseConfig only; subnet sizes are neither resolved nor returned.
    const network = reader.network('Network', 4);
    const ipv6Network = reader.network('IPv6Network', 6);
    if (enableIPv4 && network !== undefined) config['network'] = network;
    if (enableIPv6 && ipv6Network !== undefined) config['ipv6Network'] = ipv6Network;
  }

  for (const warning of warnings) options.logger?.warn({ component: 'network-config' }, warning);
  return { config: deepFreeze(config) as unknown as NetworkConfig, warnings };
}
