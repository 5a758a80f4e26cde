/** What one table holds, as read from `iptables-save -t <table>`. */
export interface TableState {
  /** Every chain declared in the table (built-in and user chains). */
  readonly chains: ReadonlySet<string>;
  /** Every rule line (`-A <chain> …`) in order, exactly as printed. */
  readonly rules: readonly string[];
}

/**
 * Parses `iptables-save` output into one {@link TableState} per table. Comments (`#`) and counters are
 * ignored; unknown lines are kept out. Rule lines use the same text as `iptables -S`.
 *
 * @example
 * ```ts
 * parseIptablesSave('*nat\n:POSTROUTING ACCEPT [0:0]\n:FLANNEL-POSTRTG - [0:0]\n-A POSTROUTING -j FLANNEL-POSTRTG\nCOMMIT\n')
 *   .get('nat')?.chains.has('FLANNEL-POSTRTG'); // true
 * ```
 */
export function parseIptablesSave(text: string): Map<string, TableState> {
  const tables = new Map<string, { chains: Set<string>; rules: string[] }>();
  let current: { chains: Set<string>; rules: string[] } | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trimEnd();
    if (line.startsWith('*')) {
      current = { chains: new Set(), rules: [] };
      tables.set(line.slice(1), current);
    } else if (line === 'COMMIT') {
      current = undefined;
    } else if (current !== undefined && line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0];
      if (name) current.chains.add(name);
    } else if (current !== undefined && line.startsWith('-A ')) {
      current.rules.push(line);
    }
  }
  return tables;
}

/** A table with no chains and no rules (for a table `iptables-save` did not print). */
export const EMPTY_TABLE_STATE: TableState = { chains: new Set(), rules: [] };
