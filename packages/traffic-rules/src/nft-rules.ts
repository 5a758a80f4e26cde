import { parseCidr, type CidrInput, type RuleFamily } from './cidr.js';
import { MULTICAST_CIDR } from './masq-rules.js';

/** flannel's nftables table per IP family: `ip flannel-ipv4`, `ip6 flannel-ipv6`. */
export const NFT_TABLES: Readonly<Record<RuleFamily, { readonly family: 'ip' | 'ip6'; readonly name: string }>> = {
  4: { family: 'ip', name: 'flannel-ipv4' },
  6: { family: 'ip6', name: 'flannel-ipv6' },
};

/** A base chain as flannel declares it through knftables. */
export interface NftChain {
  /** Chain name in the table. */
  readonly name: string;
  /** Chain comment. */
  readonly comment: string;
  /** `nat` or `filter`. */
  readonly type: 'nat' | 'filter';
  /** Netfilter hook. */
  readonly hook: 'postrouting' | 'forward';
  /** Named priority (`srcnat` = 100, `filter` = 0). */
  readonly priority: 'srcnat' | 'filter';
}

/** The masquerade chain (`postrtg`). */
export const NFT_MASQ_CHAIN: NftChain = {
  name: 'postrtg',
  comment: 'chain to manage traffic masquerading by flannel',
  type: 'nat',
  hook: 'postrouting',
  priority: 'srcnat',
};

/** The forward-accept chain (`forward`). */
export const NFT_FORWARD_CHAIN: NftChain = {
  name: 'forward',
  comment: 'chain to accept flannel traffic',
  type: 'filter',
  hook: 'forward',
  priority: 'filter',
};

/** The chain flannel adds in a check-only transaction to learn whether `masquerade fully-random` works. */
export const NFT_RANDOM_FULLY_PROBE_CHAIN: NftChain = {
  name: 'masqueradeTest',
  comment: 'chain to test if masquerade random fully is supported',
  type: 'nat',
  hook: 'postrouting',
  priority: 'srcnat',
};

/** Input of {@link nftMasqRules}; the same fields as `masqRules`. */
export interface NftMasqRulesOptions {
  /** The flannel Network. */
  readonly network: CidrInput;
  /** This node's lease subnet. */
  readonly subnet: CidrInput;
  /** Expected family; defaults to the family of `network`. */
  readonly family?: RuleFamily;
  /** Use `masquerade fully-random` (probed and not disabled). */
  readonly randomFully: boolean;
}

/**
 * flannel's nftables masquerade rules (`addMasqRules`), as rule bodies for chain `postrtg`. They differ from
 * the iptables set as flannel's do: the mark is matched exactly (`meta mark 0x4000`, listed by nft as
 * `0x00004000`), and rule 4 is `saddr != <subnet> daddr <network>` (iptables: `! -s <network> -d <subnet>`).
 *
 * @example
 * ```ts
 * nftMasqRules({ network: '10.5.0.0/16', subnet: '10.5.34.0/24', randomFully: true })[1];
 * // 'ip saddr 10.5.34.0/24 ip daddr 10.5.0.0/16 return'
 * ```
 */
export function nftMasqRules(options: NftMasqRulesOptions): string[] {
  const ruleSet = 'nftables masq rules';
  const network = parseCidr(options.network, { field: 'network', ruleSet }, options.family);
  const subnet = parseCidr(options.subnet, { field: 'subnet', ruleSet }, network.family);
  const ip = NFT_TABLES[network.family].family;
  const net = network.text;
  const pod = subnet.text;
  const masquerade = options.randomFully ? 'masquerade fully-random' : 'masquerade';
  return [
    'meta mark 0x4000 return',
    `${ip} saddr ${pod} ${ip} daddr ${net} return`,
    `${ip} saddr ${net} ${ip} daddr ${pod} return`,
    `${ip} saddr != ${pod} ${ip} daddr ${net} return`,
    `${ip} saddr ${net} ${ip} daddr != ${MULTICAST_CIDR[network.family]} ${masquerade}`,
    `${ip} saddr != ${net} ${ip} daddr ${net} ${masquerade}`,
  ];
}

/** Input of {@link nftForwardRules}. */
export interface NftForwardRulesOptions {
  /** The flannel Network. */
  readonly network: CidrInput;
  /** Expected family; defaults to the family of `network`. */
  readonly family?: RuleFamily;
}

/**
 * flannel's nftables forward rules, as rule bodies for chain `forward`.
 *
 * @example
 * ```ts
 * nftForwardRules({ network: '10.5.0.0/16' }); // ['ip saddr 10.5.0.0/16 accept', 'ip daddr 10.5.0.0/16 accept']
 * ```
 */
export function nftForwardRules(options: NftForwardRulesOptions): string[] {
  const network = parseCidr(options.network, { field: 'network', ruleSet: 'nftables forward rules' }, options.family);
  const ip = NFT_TABLES[network.family].family;
  return [`${ip} saddr ${network.text} accept`, `${ip} daddr ${network.text} accept`];
}
