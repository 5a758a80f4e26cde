/** The iptables tables flannel writes to. */
export type IptablesTable = 'nat' | 'filter';

/**
 * One iptables rule as flannel declares it (`trafficmngr.IPTablesRule` with action `-A`): the table, the
 * chain it is appended to and the match/target arguments.
 */
export interface IptablesRule {
  /** `nat` for masquerade rules, `filter` for forward rules. */
  readonly table: IptablesTable;
  /** `POSTROUTING`, `FLANNEL-POSTRTG`, `FORWARD` or `FLANNEL-FWD`. */
  readonly chain: string;
  /** The rule's arguments after the chain, one element per word (`['-s', '10.5.0.0/16', …]`). */
  readonly spec: readonly string[];
}

/**
 * Joins an argument list as one `iptables-restore`/`iptables -S` line: words separated by single spaces, the
 * value after `--comment` double-quoted (as flannel's payload builder and `iptables -S` both print it).
 *
 * @example
 * ```ts
 * formatRuleLine(['-A', 'FLANNEL-FWD', '-s', '10.5.0.0/16', '-m', 'comment', '--comment', 'flanneld forward', '-j', 'ACCEPT']);
 * // '-A FLANNEL-FWD -s 10.5.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT'
 * ```
 */
export function formatRuleLine(words: readonly string[]): string {
  return words.map((word, index) => (index > 0 && words[index - 1] === '--comment' ? `"${word}"` : word)).join(' ');
}

/**
 * The line `iptables -S <chain>` and `iptables-save` print for `rule` once installed: `-A <chain> <spec>`.
 * Equality with that line is what `iptables -C` checks for flannel's rules.
 */
export function ruleToLine(rule: IptablesRule, action: '-A' | '-D' = '-A'): string {
  return formatRuleLine([action, rule.chain, ...rule.spec]);
}
