import { parseCidr, type CidrInput, type RuleFamily } from './cidr.js';
import type { IptablesRule } from './iptables-rule.js';

/** flannel's mark for traffic kube-proxy already masquerades (`trafficmngr.KubeProxyMark`). */
export const KUBE_PROXY_MARK = '0x4000/0x4000';

/** The user chain in `nat` that holds flannel's masquerade rules. */
export const MASQ_CHAIN = 'FLANNEL-POSTRTG';

/** The comment on every masquerade rule. */
export const MASQ_COMMENT = 'flanneld masq';

/** Multicast range excluded from masquerading, per family (`224.0.0.0/4`, `ff00::/8`). */
export const MULTICAST_CIDR: Readonly<Record<RuleFamily, string>> = { 4: '224.0.0.0/4', 6: 'ff00::/8' };

/** Input of {@link masqRules}. */
export interface MasqRulesOptions {
  /** The flannel Network (cluster CIDR), e.g. `10.5.0.0/16`. */
  readonly network: CidrInput;
  /** This node's lease subnet (pod CIDR), e.g. `10.5.34.0/24`. Same family as `network`. */
  readonly subnet: CidrInput;
  /** Expected family; defaults to the family of `network`. */
  readonly family?: RuleFamily;
  /** Append `--random-fully` to the two MASQUERADE rules (iptables ≥ 1.6.2 and not disabled). */
  readonly randomFully: boolean;
}

/**
 * flannel's `--ip-masq` rules for one family, in flannel's order (`masqRules`/`masqIP6Rules`): the jump from
 * `POSTROUTING`, then the six rules of `FLANNEL-POSTRTG`. Validates both CIDRs first.
 *
 * @example
 * ```ts
 * masqRules({ network: '10.5.0.0/16', subnet: '10.5.34.0/24', randomFully: true }).map((r) => ruleToLine(r));
 * // ['-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG', '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 …', …]
 * ```
 */
export function masqRules(options: MasqRulesOptions): IptablesRule[] {
  const ruleSet = 'masq rules';
  const network = parseCidr(options.network, { field: 'network', ruleSet }, options.family);
  const subnet = parseCidr(options.subnet, { field: 'subnet', ruleSet }, network.family);
  const net = network.text;
  const pod = subnet.text;
  const comment = ['-m', 'comment', '--comment', MASQ_COMMENT];
  const masquerade = options.randomFully ? ['-j', 'MASQUERADE', '--random-fully'] : ['-j', 'MASQUERADE'];
  const rule = (chain: string, spec: string[]): IptablesRule => ({ table: 'nat', chain, spec });
  return [
    // Jump first so flannel's chain runs from POSTROUTING.
    rule('POSTROUTING', [...comment, '-j', MASQ_CHAIN]),
    // Traffic kube-proxy marked is masqueraded by kube-proxy: avoid double NAT.
    rule(MASQ_CHAIN, ['-m', 'mark', '--mark', KUBE_PROXY_MARK, ...comment, '-j', 'RETURN']),
    // Traffic within the overlay is not NATed.
    rule(MASQ_CHAIN, ['-s', pod, '-d', net, ...comment, '-j', 'RETURN']),
    rule(MASQ_CHAIN, ['-s', net, '-d', pod, ...comment, '-j', 'RETURN']),
    // External traffic arriving for a pod of this node keeps its source.
    rule(MASQ_CHAIN, ['!', '-s', net, '-d', pod, ...comment, '-j', 'RETURN']),
    // Pods talking to the outside (except multicast) are masqueraded.
    rule(MASQ_CHAIN, ['-s', net, '!', '-d', MULTICAST_CIDR[network.family], ...comment, ...masquerade]),
    // The host talking to the overlay is masqueraded.
    rule(MASQ_CHAIN, ['!', '-s', net, '-d', net, ...comment, ...masquerade]),
  ];
}
