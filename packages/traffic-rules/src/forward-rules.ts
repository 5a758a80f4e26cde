import { parseCidr, type CidrInput, type RuleFamily } from './cidr.js';
import type { IptablesRule } from './iptables-rule.js';

/** The user chain in `filter` that accepts flannel traffic. */
export const FORWARD_CHAIN = 'FLANNEL-FWD';

/** The comment on every forward rule. */
export const FORWARD_COMMENT = 'flanneld forward';

/** Input of {@link forwardRules}. */
export interface ForwardRulesOptions {
  /** The flannel Network, e.g. `10.5.0.0/16`. */
  readonly network: CidrInput;
  /** Expected family; defaults to the family of `network`. */
  readonly family?: RuleFamily;
}

/**
 * flannel's `--iptables-forward-rules` rules for one family (`forwardRules`): the jump from `FORWARD`, then
 * ACCEPT from and to the Network in `FLANNEL-FWD`.
 *
 * @example
 * ```ts
 * forwardRules({ network: '10.5.0.0/16' }).map((r) => ruleToLine(r));
 * // ['-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
 * //  '-A FLANNEL-FWD -s 10.5.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
 * //  '-A FLANNEL-FWD -d 10.5.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT']
 * ```
 */
export function forwardRules(options: ForwardRulesOptions): IptablesRule[] {
  const network = parseCidr(options.network, { field: 'network', ruleSet: 'forward rules' }, options.family).text;
  const comment = ['-m', 'comment', '--comment', FORWARD_COMMENT];
  return [
    { table: 'filter', chain: 'FORWARD', spec: [...comment, '-j', FORWARD_CHAIN] },
    { table: 'filter', chain: FORWARD_CHAIN, spec: ['-s', network, ...comment, '-j', 'ACCEPT'] },
    { table: 'filter', chain: FORWARD_CHAIN, spec: ['-d', network, ...comment, '-j', 'ACCEPT'] },
  ];
}
