import type { CommandOptions, CommandResult, CommandRunner } from '../command-runner.js';

const BUILTIN: Record<string, string[]> = {
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

type Tables = Map<string, Map<string, string[]>>;

/** One recorded command. */
export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly input?: string;
}

/**
 * A fake host for the traffic managers: an in-memory iptables (per family) that understands the subset of
 * `iptables-restore --noflush` payloads and `iptables-save -t` reads they use, and an `nft` that records
 * scripts. Every call is recorded.
 */
export interface FakeRulesHost {
  /** The {@link CommandRunner} to inject. */
  readonly runner: CommandRunner;
  /** Every command run, in order. */
  readonly calls: RecordedCall[];
  /** `iptables -S`-style lines of one table (`-N` for user chains, then `-A` rules), without policies. */
  rules(family: 4 | 6, table: string): string[];
  /** Deletes one installed rule line (`-A …`), as an operator would with `iptables -D`. */
  deleteRule(family: 4 | 6, table: string, line: string): void;
  /** Makes the next run of `command` fail with `stderr` and exit code 1. */
  failNext(command: string, stderr: string): void;
  /** What `iptables --version` prints (default `iptables v1.8.9 (nf_tables)`). */
  version: string;
}

function emptyTables(): Tables {
  const tables: Tables = new Map();
  for (const [table, chains] of Object.entries(BUILTIN)) tables.set(table, new Map(chains.map((chain) => [chain, []])));
  return tables;
}

function applyRestore(current: Tables, payload: string): string | undefined {
  // Work on a copy: a failing line aborts the whole payload, as iptables-restore does.
  const next: Tables = new Map([...current].map(([name, chains]) => [name, new Map([...chains].map(([chain, rules]) => [chain, [...rules]]))]));
  let table: Map<string, string[]> | undefined;
  const lines = payload.split('\n');
  for (const [index, line] of lines.entries()) {
    const fail = (): string => `iptables-restore: line ${index + 1} failed`;
    if (line === '' || line === 'COMMIT') continue;
    if (line.startsWith('*')) {
      table = next.get(line.slice(1));
      if (!table) return fail();
      continue;
    }
    if (!table) return fail();
    if (line.startsWith(':')) {
      table.set(line.slice(1).split(' ')[0] ?? '', []);
      continue;
    }
    const match = /^(-[ADFX]) (\S+)(?: (.*))?$/.exec(line);
    if (!match) return fail();
    const [, action, chain = '', spec] = match;
    const rules = table.get(chain);
    if (!rules) return fail();
    const ruleLine = `-A ${chain} ${spec ?? ''}`;
    if (action === '-A') rules.push(ruleLine);
    if (action === '-D') {
      const at = rules.indexOf(ruleLine);
      if (at < 0) return fail();
      rules.splice(at, 1);
    }
    if (action === '-F') rules.length = 0;
    if (action === '-X') {
      const referenced = [...table.values()].some((list) => list.some((rule) => rule.endsWith(`-j ${chain}`)));
      if (rules.length > 0 || referenced) return fail();
      table.delete(chain);
    }
  }
  for (const [name, chains] of next) current.set(name, chains);
  return undefined;
}

function save(tables: Tables, name: string): string {
  const table = tables.get(name);
  if (!table) return '';
  const builtin = BUILTIN[name] ?? [];
  const out = [`*${name}`];
  for (const chain of table.keys()) out.push(builtin.includes(chain) ? `:${chain} ACCEPT [0:0]` : `:${chain} - [0:0]`);
  for (const rules of table.values()) out.push(...rules);
  out.push('COMMIT');
  return `${out.join('\n')}\n`;
}

/** Creates a {@link FakeRulesHost} with empty tables. */
export function createFakeRulesHost(): FakeRulesHost {
  const families: Record<4 | 6, Tables> = { 4: emptyTables(), 6: emptyTables() };
  const failures = new Map<string, string>();
  const calls: RecordedCall[] = [];
  const host: FakeRulesHost = {
    calls,
    version: 'iptables v1.8.9 (nf_tables)',
    rules(family, table) {
      const chains = families[family].get(table) ?? new Map<string, string[]>();
      const builtin = BUILTIN[table] ?? [];
      return [...[...chains.keys()].filter((chain) => !builtin.includes(chain)).map((chain) => `-N ${chain}`), ...[...chains.values()].flat()];
    },
    deleteRule(family, table, line) {
      for (const rules of families[family].get(table)?.values() ?? []) {
        const at = rules.indexOf(line);
        if (at >= 0) {
          rules.splice(at, 1);
          return;
        }
      }
      throw new Error(`no rule ${line}`);
    },
    failNext(command, stderr) {
      failures.set(command, stderr);
    },
    runner: async (command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> => {
      calls.push({ command, args: [...args], ...(options.input === undefined ? {} : { input: options.input }) });
      const failure = failures.get(command);
      if (failure !== undefined) {
        failures.delete(command);
        return { stdout: '', stderr: failure, code: 1 };
      }
      const family: 4 | 6 = command.startsWith('ip6') ? 6 : 4;
      if (command.endsWith('-save')) return { stdout: save(families[family], args[1] ?? ''), stderr: '', code: 0 };
      if (command.endsWith('-restore')) {
        const error = applyRestore(families[family], options.input ?? '');
        return error === undefined ? { stdout: '', stderr: '', code: 0 } : { stdout: '', stderr: error, code: 1 };
      }
      if (command.endsWith('tables') && args[0] === '--version') return { stdout: `${host.version}\n`, stderr: '', code: 0 };
      if (command === 'nft') return { stdout: '', stderr: '', code: 0 };
      return { stdout: '', stderr: `${command}: not found`, code: 127 };
    },
  };
  return host;
}
