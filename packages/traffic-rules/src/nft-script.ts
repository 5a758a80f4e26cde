import type { RuleFamily } from './cidr.js';
import { NFT_TABLES, type NftChain } from './nft-rules.js';

function tableRef(family: RuleFamily): string {
  const table = NFT_TABLES[family];
  return `${table.family} ${table.name}`;
}

/**
 * The `nft -f` script flannel's `Init` runs per family: the table with its comment (idempotent).
 *
 * @example
 * ```ts
 * renderNftTableScript(4); // 'add table ip flannel-ipv4 { comment "rules for flannel-ipv4" ; }\n'
 * ```
 */
export function renderNftTableScript(family: RuleFamily): string {
  return `add table ${tableRef(family)} { comment "rules for ${NFT_TABLES[family].name}" ; }\n`;
}

/**
 * One setup transaction as flannel's: add the base chain (idempotent), flush it, add the rules in order.
 * `nft -f` applies the whole script atomically.
 *
 * @example
 * ```ts
 * renderNftChainScript(4, NFT_FORWARD_CHAIN, ['ip saddr 10.5.0.0/16 accept']);
 * // 'add chain ip flannel-ipv4 forward { type filter hook forward priority filter ; comment "chain to accept flannel traffic" ; }\n'
 * // + 'flush chain ip flannel-ipv4 forward\n' + 'add rule ip flannel-ipv4 forward ip saddr 10.5.0.0/16 accept\n'
 * ```
 */
export function renderNftChainScript(family: RuleFamily, chain: NftChain, rules: readonly string[]): string {
  const ref = `${tableRef(family)} ${chain.name}`;
  let script = `add chain ${ref} { type ${chain.type} hook ${chain.hook} priority ${chain.priority} ; comment "${chain.comment}" ; }\n`;
  script += `flush chain ${ref}\n`;
  for (const rule of rules) script += `add rule ${ref} ${rule}\n`;
  return script;
}

/** `delete table ip flannel-ipv4` (or `ip6 flannel-ipv6`): flannel's nftables `CleanUp`, one family. */
export function renderNftDeleteTableScript(family: RuleFamily): string {
  return `delete table ${tableRef(family)}\n`;
}
