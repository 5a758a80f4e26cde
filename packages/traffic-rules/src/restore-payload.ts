import { formatRuleLine } from './iptables-rule.js';

/** One line of an `iptables-restore` table block. */
export interface RestoreOperation {
  /** `-A` append, `-D` delete a rule, `-F` flush a chain, `-X` delete a chain. */
  readonly action: '-A' | '-D' | '-F' | '-X';
  /** The chain the operation applies to. */
  readonly chain: string;
  /** The rule's arguments for `-A`/`-D`; empty for `-F`/`-X`. */
  readonly spec?: readonly string[];
  /**
   * Instead of `spec`: the arguments exactly as `iptables-save` printed them (quoting included), for deleting a
   * rule this package did not generate.
   */
  readonly rawSpec?: string;
}

/** One `*<table> … COMMIT` block: applied atomically by `iptables-restore`. */
export interface RestoreTransaction {
  /** `nat` or `filter`. */
  readonly table: string;
  /**
   * User chains declared as `:<chain> - [0:0]` before the operations. With `--noflush` a declaration creates
   * the chain, or flushes it if it exists — flannel's `ClearChain`, inside the same transaction.
   */
  readonly declareChains?: readonly string[];
  /** The operations in order. */
  readonly operations: readonly RestoreOperation[];
}

/**
 * Renders transactions as an `iptables-restore --noflush` payload, one block per table, in the given order;
 * comment values are double-quoted (flannel's `buildIPTablesRestorePayload`). Empty transactions are
 * skipped, so an empty list renders `''`.
 *
 * @example
 * ```ts
 * renderRestorePayload([{ table: 'filter', operations: [{ action: '-A', chain: 'FLANNEL-FWD', spec: ['-s', '10.5.0.0/16', '-j', 'ACCEPT'] }] }]);
 * // '*filter\n-A FLANNEL-FWD -s 10.5.0.0/16 -j ACCEPT\nCOMMIT\n'
 * ```
 */
export function renderRestorePayload(transactions: readonly RestoreTransaction[]): string {
  let payload = '';
  for (const transaction of transactions) {
    const declared = transaction.declareChains ?? [];
    if (declared.length === 0 && transaction.operations.length === 0) continue;
    payload += `*${transaction.table}\n`;
    for (const chain of declared) payload += `:${chain} - [0:0]\n`;
    for (const operation of transaction.operations) {
      const head = formatRuleLine([operation.action, operation.chain, ...(operation.spec ?? [])]);
      payload += operation.rawSpec === undefined ? `${head}\n` : `${head} ${operation.rawSpec}\n`;
    }
    payload += 'COMMIT\n';
  }
  return payload;
}
