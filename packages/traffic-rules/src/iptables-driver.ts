import { FlannelError, type Logger } from '@flannel-ts/core';
import type { RuleFamily } from './cidr.js';
import type { CommandRunner } from './command-runner.js';
import { isAtLeast162, parseIptablesVersion, type IptablesVersion } from './iptables-version.js';
import { tableLookup, type TableLookup } from './iptables-plan.js';
import { parseIptablesSave, type TableState } from './iptables-save-parse.js';
import { renderRestorePayload, type RestoreTransaction } from './restore-payload.js';
import { createSerialQueue } from './serial-queue.js';

/** The three programs used for one family. */
export interface IptablesCommands {
  /** `iptables` / `ip6tables` (version probe). */
  readonly iptables: string;
  /** `iptables-restore` / `ip6tables-restore`. */
  readonly restore: string;
  /** `iptables-save` / `ip6tables-save`. */
  readonly save: string;
}

/** Default program names per family (what flannel looks up on `PATH`). */
export const DEFAULT_IPTABLES_COMMANDS: Readonly<Record<RuleFamily, IptablesCommands>> = {
  4: { iptables: 'iptables', restore: 'iptables-restore', save: 'iptables-save' },
  6: { iptables: 'ip6tables', restore: 'ip6tables-restore', save: 'ip6tables-save' },
};

/** One family's access to iptables: read state, apply transactions, version features. */
export interface IptablesDriver {
  /** 4 or 6. */
  readonly family: RuleFamily;
  /** The version probe result (cached; `undefined` when `iptables --version` failed). */
  version(): Promise<IptablesVersion | undefined>;
  /** Whether `MASQUERADE --random-fully` is supported (iptables ≥ 1.6.2). */
  supportsRandomFully(): Promise<boolean>;
  /** Reads the given tables with one `iptables-save -t <table>` each. */
  read(tables: readonly string[]): Promise<TableLookup>;
  /** Applies transactions with one `iptables-restore --noflush [--wait]`; nothing runs for an empty payload. */
  apply(transactions: readonly RestoreTransaction[], what: string): Promise<void>;
  /** Runs `task` with no other `read`/`apply` sequence of this driver in between. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

/** Options of {@link createIptablesDriver}. */
export interface IptablesDriverOptions {
  /** 4 (`iptables*`) or 6 (`ip6tables*`). */
  readonly family: RuleFamily;
  /** Runs the programs. */
  readonly runner: CommandRunner;
  /** Receives the version warning and the payloads (trace). */
  readonly logger: Logger;
  /** Program names; defaults to {@link DEFAULT_IPTABLES_COMMANDS}. */
  readonly commands?: IptablesCommands;
}

function failure(what: string, command: string, detail: string): FlannelError {
  return new FlannelError('TRAFFIC_RULES_FAILED', `${what}: ${command} failed: ${detail.trim() || 'no output'}`, {
    isRetryable: true,
  });
}

/** Creates an {@link IptablesDriver} over a {@link CommandRunner}. */
export function createIptablesDriver(options: IptablesDriverOptions): IptablesDriver {
  const { family, runner, logger } = options;
  const commands = options.commands ?? DEFAULT_IPTABLES_COMMANDS[family];
  let versionPromise: Promise<IptablesVersion | undefined> | undefined;
  const exclusive = createSerialQueue();

  const version = (): Promise<IptablesVersion | undefined> => {
    versionPromise ??= runner(commands.iptables, ['--version']).then((result) => {
      const parsed = result.code === 0 ? parseIptablesVersion(result.stdout) : undefined;
      if (parsed === undefined) {
        logger.warn({ command: commands.iptables, stderr: result.stderr.trim() }, 'could not read the iptables version');
      }
      return parsed;
    });
    return versionPromise;
  };

  return {
    family,
    version,
    supportsRandomFully: async () => isAtLeast162(await version()),
    exclusive,
    async read(tables) {
      const parsed = new Map<string, TableState>();
      for (const table of tables) {
        const result = await runner(commands.save, ['-t', table]);
        if (result.code !== 0) throw failure(`reading ${table} table`, `${commands.save} -t ${table}`, result.stderr);
        const state = parseIptablesSave(result.stdout).get(table);
        if (state !== undefined) parsed.set(table, state);
      }
      return tableLookup(parsed);
    },
    async apply(transactions, what) {
      const payload = renderRestorePayload(transactions);
      if (payload === '') return;
      const args = ['--noflush'];
      if (isAtLeast162(await version())) args.push('--wait');
      logger.trace({ command: commands.restore, payload }, 'running iptables-restore');
      const result = await runner(commands.restore, args, { input: payload });
      if (result.code !== 0) throw failure(what, `${commands.restore} ${args.join(' ')}`, result.stderr);
    },
  };
}
