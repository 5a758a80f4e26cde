import { ruleToLine, type IptablesRule } from './iptables-rule.js';
import { EMPTY_TABLE_STATE, type TableState } from './iptables-save-parse.js';
import type { RestoreOperation, RestoreTransaction } from './restore-payload.js';

/** The kernel's built-in chains; every other chain a rule names is one of flannel's own. */
const BUILTIN_CHAINS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

/** Looks up the current state of a table (from one `iptables-save` read). */
export type TableLookup = (table: string) => TableState;

/** Builds a {@link TableLookup} over parsed `iptables-save` output; missing tables read as empty. */
export function tableLookup(tables: ReadonlyMap<string, TableState>): TableLookup {
  return (table) => tables.get(table) ?? EMPTY_TABLE_STATE;
}

/**
 * The user chains a rule set lives in (`FLANNEL-POSTRTG`, `FLANNEL-FWD`), per table, in order. flannel's sets
 * always hold rules in every chain they jump to, so the jumps' targets are among these.
 */
export function ownChains(rules: readonly IptablesRule[]): Map<string, string[]> {
  const chains = new Map<string, string[]>();
  for (const rule of rules) {
    if (BUILTIN_CHAINS.has(rule.chain)) continue;
    const list = chains.get(rule.table) ?? [];
    if (!list.includes(rule.chain)) list.push(rule.chain);
    chains.set(rule.table, list);
  }
  return chains;
}

function tablesInOrder(rules: readonly IptablesRule[]): string[] {
  return [...new Set(rules.map((rule) => rule.table))];
}

/**
 * Whether every rule is installed and every own chain exists — what flannel's resync checks with one
 * `iptables -C` per rule (`ipTablesRulesExist`), here answered from one `iptables-save` read.
 */
export function rulesPresent(rules: readonly IptablesRule[], lookup: TableLookup): boolean {
  const chains = ownChains(rules);
  return rules.every((rule) => {
    const state = lookup(rule.table);
    const own = chains.get(rule.table) ?? [];
    return own.every((chain) => state.chains.has(chain)) && state.rules.includes(ruleToLine(rule));
  });
}

/** Options of {@link planBootstrap}. */
export interface PlanBootstrapOptions {
  /**
   * Create-or-flush every own chain first (flannel's `ClearChain` before the first bootstrap). Without it only
   * missing own chains are created (flannel's resync).
   */
  readonly flushOwnChains: boolean;
}

/**
 * flannel's `ipTablesCleanAndBuild`: one transaction per table in which every rule that already exists is
 * deleted and then every rule appended, so the set ends in flannel's order with nothing in between.
 */
export function planBootstrap(
  rules: readonly IptablesRule[],
  lookup: TableLookup,
  options: PlanBootstrapOptions,
): RestoreTransaction[] {
  const chains = ownChains(rules);
  return tablesInOrder(rules).map((table) => {
    const state = lookup(table);
    const declared = (chains.get(table) ?? []).filter((chain) => options.flushOwnChains || !state.chains.has(chain));
    const operations: RestoreOperation[] = [];
    for (const rule of rules.filter((candidate) => candidate.table === table)) {
      const emptied = declared.includes(rule.chain);
      if (!emptied && state.rules.includes(ruleToLine(rule))) {
        operations.push({ action: '-D', chain: rule.chain, spec: rule.spec });
      }
      operations.push({ action: '-A', chain: rule.chain, spec: rule.spec });
    }
    return { table, declareChains: declared, operations };
  });
}

/**
 * flannel's `teardownIPTables`: deletes those of `rules` that exist (rules whose own chain is missing are
 * skipped). Used to remove masquerade rules built from the previous Network/subnet.
 */
export function planTeardown(rules: readonly IptablesRule[], lookup: TableLookup): RestoreTransaction[] {
  const chains = ownChains(rules);
  return tablesInOrder(rules).map((table) => {
    const state = lookup(table);
    const ownMissing = (chains.get(table) ?? []).some((chain) => !state.chains.has(chain));
    const operations: RestoreOperation[] = rules
      .filter((rule) => rule.table === table && !ownMissing && state.rules.includes(ruleToLine(rule)))
      .map((rule) => ({ action: '-D', chain: rule.chain, spec: rule.spec }));
    return { table, operations };
  });
}

/**
 * Removes a user chain completely: deletes every rule of the table that jumps to it (`-j <chain>` as the
 * final target), flushes it and deletes it. Nothing when the chain does not exist.
 */
export function planChainRemoval(table: string, chain: string, lookup: TableLookup): RestoreTransaction {
  const state = lookup(table);
  if (!state.chains.has(chain)) return { table, operations: [] };
  const operations: RestoreOperation[] = [];
  for (const line of state.rules) {
    const match = /^-A (\S+) (.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    if (match[1] !== chain && (match[2] === `-j ${chain}` || match[2].endsWith(` -j ${chain}`))) {
      operations.push({ action: '-D', chain: match[1], rawSpec: match[2] });
    }
  }
  operations.push({ action: '-F', chain }, { action: '-X', chain });
  return { table, operations };
}
