import { silentLogger, type Logger } from '@flannel-ts/core';
import type { RuleFamily } from './cidr.js';
import { createExecRunner, type CommandRunner } from './command-runner.js';
import type { IptablesCommands } from './iptables-driver.js';
import { createIptablesTrafficManager } from './iptables-traffic-manager.js';
import { createNftablesTrafficManager } from './nftables-traffic-manager.js';
import type { TrafficManager, TrafficMode } from './traffic-manager.js';

/** Options of {@link createTrafficManager}. */
export interface TrafficManagerOptions {
  /** `nftables` when the network config has `EnableNFTables`, else `iptables`. */
  readonly mode: TrafficMode;
  /** Runs the programs; defaults to {@link createExecRunner}`()` (the host's namespace). */
  readonly runner?: CommandRunner;
  /** Defaults to a silent logger. */
  readonly logger?: Logger;
  /** iptables program names per family (e.g. `iptables-legacy`, `iptables-legacy-restore`, `iptables-legacy-save`). */
  readonly iptablesCommands?: Partial<Record<RuleFamily, IptablesCommands>>;
  /** The `nft` program; default `nft`. */
  readonly nft?: string;
}

/**
 * Creates flannel's traffic manager for `mode` (flannel's `newTrafficManager`).
 *
 * @example
 * ```ts
 * const manager = createTrafficManager({ mode: 'iptables', logger });
 * await manager.cleanUpOtherMode(); // nftables tables flannel-ipv4/flannel-ipv6 gone
 * await manager.init();
 * await manager.setupAndEnsureMasqRules({ network: '10.5.0.0/16', subnet: '10.5.34.0/24', signal });
 * await manager.setupAndEnsureForwardRules({ network: '10.5.0.0/16', signal });
 * ```
 */
export function createTrafficManager(options: TrafficManagerOptions): TrafficManager {
  const runner = options.runner ?? createExecRunner();
  const logger = options.logger ?? silentLogger;
  const iptables = (): TrafficManager =>
    createIptablesTrafficManager({ runner, logger, commands: options.iptablesCommands, cleanUpOther: () => nftables().cleanUp() });
  const nftables = (): TrafficManager =>
    createNftablesTrafficManager({ runner, logger, nft: options.nft, cleanUpOther: () => iptables().cleanUp() });
  return options.mode === 'nftables' ? nftables() : iptables();
}
