/**
 * `@flannel-ts/traffic-rules`: flannel's masquerade (`--ip-masq`) and forward-accept
 * (`--iptables-forward-rules`) rules, generated exactly as flannel writes them and applied through
 * `iptables-restore`/`ip6tables-restore` or `nft -f`.
 * @packageDocumentation
 */
export { parseCidr } from './cidr.js';
export type { Cidr, CidrContext, CidrInput, RuleFamily } from './cidr.js';
export { formatRuleLine, ruleToLine } from './iptables-rule.js';
export type { IptablesRule, IptablesTable } from './iptables-rule.js';
export { KUBE_PROXY_MARK, MASQ_CHAIN, MASQ_COMMENT, MULTICAST_CIDR, masqRules } from './masq-rules.js';
export type { MasqRulesOptions } from './masq-rules.js';
export { FORWARD_CHAIN, FORWARD_COMMENT, forwardRules } from './forward-rules.js';
export type { ForwardRulesOptions } from './forward-rules.js';
export { renderRestorePayload } from './restore-payload.js';
export type { RestoreOperation, RestoreTransaction } from './restore-payload.js';
export { EMPTY_TABLE_STATE, parseIptablesSave } from './iptables-save-parse.js';
export type { TableState } from './iptables-save-parse.js';
export { ownChains, planBootstrap, planChainRemoval, planTeardown, rulesPresent, tableLookup } from './iptables-plan.js';
export type { PlanBootstrapOptions, TableLookup } from './iptables-plan.js';
export { isAtLeast162, parseIptablesVersion } from './iptables-version.js';
export type { IptablesVersion } from './iptables-version.js';
export {
  NFT_FORWARD_CHAIN,
  NFT_MASQ_CHAIN,
  NFT_RANDOM_FULLY_PROBE_CHAIN,
  NFT_TABLES,
  nftForwardRules,
  nftMasqRules,
} from './nft-rules.js';
export type { NftChain, NftForwardRulesOptions, NftMasqRulesOptions } from './nft-rules.js';
export { renderNftChainScript, renderNftDeleteTableScript, renderNftTableScript } from './nft-script.js';
export { createExecRunner } from './command-runner.js';
export type { CommandOptions, CommandResult, CommandRunner, ExecRunnerOptions } from './command-runner.js';
export { DEFAULT_IPTABLES_COMMANDS } from './iptables-driver.js';
export type { IptablesCommands } from './iptables-driver.js';
export { DEFAULT_RESYNC_PERIOD_MS } from './traffic-manager.js';
export type { ForwardRulesSetup, MasqRulesSetup, TrafficManager, TrafficMode } from './traffic-manager.js';
export { createIptablesTrafficManager } from './iptables-traffic-manager.js';
export type { IptablesTrafficManagerOptions } from './iptables-traffic-manager.js';
export { createNftablesTrafficManager } from './nftables-traffic-manager.js';
export type { NftablesTrafficManagerOptions } from './nftables-traffic-manager.js';
export { createTrafficManager } from './create-traffic-manager.js';
export type { TrafficManagerOptions } from './create-traffic-manager.js';
