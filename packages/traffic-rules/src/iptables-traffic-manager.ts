import { setTimeout as delay } from 'node:timers/promises';
import { FlannelError, silentLogger, throwIfAborted, type Logger } from '@flannel-ts/core';
import type { CidrInput, RuleFamily } from './cidr.js';
import { parseCidr } from './cidr.js';
import type { CommandRunner } from './command-runner.js';
import { forwardRules, FORWARD_CHAIN } from './forward-rules.js';
import { createIptablesDriver, type IptablesCommands, type IptablesDriver } from './iptables-driver.js';
import { planBootstrap, planChainRemoval, planTeardown, rulesPresent } from './iptables-plan.js';
import type { IptablesRule } from './iptables-rule.js';
import { masqRules, MASQ_CHAIN } from './masq-rules.js';
import {
  DEFAULT_RESYNC_PERIOD_MS,
  type ForwardRulesSetup,
  type MasqRulesSetup,
  type TrafficManager,
} from './traffic-manager.js';

/** Options of {@link createIptablesTrafficManager}. */
export interface IptablesTrafficManagerOptions {
  /** Runs `iptables*` programs. */
  readonly runner: CommandRunner;
  /** Defaults to a silent logger. */
  readonly logger?: Logger;
  /** Program names per family (e.g. `iptables-legacy`); defaults to `iptables`/`ip6tables` and friends. */
  readonly commands?: Partial<Record<RuleFamily, IptablesCommands>>;
  /** Used by `cleanUpOtherMode`. */
  readonly cleanUpOther: () => Promise<void>;
}

/** A rule set under resync: one family's masquerade or forward rules. */
interface EnsuredSet {
  /** `masq:4`, `forward:6`…: a later setup of the same kind and family replaces the set. */
  readonly key: string;
  readonly driver: IptablesDriver;
  readonly rules: readonly IptablesRule[];
}

function tablesOf(rules: readonly IptablesRule[]): string[] {
  return [...new Set(rules.map((rule) => rule.table))];
}

function pairRequired(ruleSet: string, first: [string, CidrInput | undefined], second: [string, CidrInput | undefined]): void {
  if ((first[1] === undefined) !== (second[1] === undefined)) {
    const [missing, present] = first[1] === undefined ? [first[0], second[0]] : [second[0], first[0]];
    throw new FlannelError('TRAFFIC_RULES_FAILED', `${ruleSet}: ${missing} is required when ${present} is set`, {
      isRetryable: false,
    });
  }
}

function checkPeriod(period: number): number {
  if (!Number.isFinite(period) || period <= 0) {
    throw new FlannelError('TRAFFIC_RULES_FAILED', `resyncPeriodMs ${period} is invalid: must be a positive number`, {
      isRetryable: false,
    });
  }
  return period;
}

/**
 * The iptables {@link TrafficManager}: flannel's `IPTablesManager`. Each install is one
 * `iptables-restore --noflush` transaction per table. Where flannel checks every rule with `iptables -C`, this
 * reads the table once with `iptables-save -t <table>` and looks for each rule's `-A` line: the same answer
 * (a rule matches exactly when its canonical line is present), one process instead of one per rule.
 */
export function createIptablesTrafficManager(options: IptablesTrafficManagerOptions): TrafficManager {
  const logger = options.logger ?? silentLogger;
  const drivers: Record<RuleFamily, IptablesDriver> = {
    4: createIptablesDriver({ family: 4, runner: options.runner, logger, commands: options.commands?.[4] }),
    6: createIptablesDriver({ family: 6, runner: options.runner, logger, commands: options.commands?.[6] }),
  };
  // The latest set per kind and family; resync loops look sets up here, so after a setup with a new Network an
  // older loop checks the new rules rather than bringing the old ones back.
  const ensured = new Map<string, EnsuredSet>();

  /** flannel's `ipTablesBootstrap`; `fresh` = create-or-flush own chains first (flannel's `ClearChain`). */
  const bootstrap = (set: EnsuredSet, fresh: boolean, what: string): Promise<void> =>
    set.driver.exclusive(async () => {
      const lookup = await set.driver.read(tablesOf(set.rules));
      await set.driver.apply(planBootstrap(set.rules, lookup, { flushOwnChains: fresh }), what);
    });

  /** flannel's `ensureIPTables`; true when the set had to be re-bootstrapped. */
  const ensure = (set: EnsuredSet): Promise<boolean> =>
    set.driver.exclusive(async () => {
      const lookup = await set.driver.read(tablesOf(set.rules));
      if (rulesPresent(set.rules, lookup)) return false;
      logger.info({ family: set.driver.family }, 'Some iptables rules are missing; deleting and recreating rules');
      await set.driver.apply(planBootstrap(set.rules, lookup, { flushOwnChains: false }), 'recreating iptables rules');
      logger.info({ family: set.driver.family }, 'bootstrap done');
      return true;
    });

  const startResync = (keys: readonly string[], periodMs: number, signal: AbortSignal | undefined): void => {
    if (keys.length === 0 || signal?.aborted) return;
    void (async () => {
      for (;;) {
        try {
          // Unreferenced: the resync alone never keeps the process alive.
          await delay(periodMs, undefined, { signal, ref: false });
        } catch {
          return; // aborted
        }
        for (const key of keys) {
          const set = ensured.get(key);
          if (set === undefined) continue;
          try {
            await ensure(set);
          } catch (error) {
            logger.error({ err: error, family: set.driver.family }, 'Failed to ensure iptables rules');
          }
        }
      }
    })();
  };

  const install = async (sets: readonly EnsuredSet[], what: string, periodMs: number, signal?: AbortSignal): Promise<void> => {
    for (const set of sets) {
      await bootstrap(set, true, what);
      logger.info({ family: set.driver.family }, 'bootstrap done');
      ensured.set(set.key, set);
    }
    startResync(
      sets.map((set) => set.key),
      periodMs,
      signal,
    );
  };

  return {
    mode: 'iptables',
    async init() {
      logger.info('Starting flannel in iptables mode...');
    },
    async cleanUp() {
      logger.info('Cleaning-up iptables rules...');
      for (const family of [4, 6] as const) {
        const driver = drivers[family];
        try {
          await driver.exclusive(async () => {
            const lookup = await driver.read(['nat', 'filter']);
            await driver.apply(
              [
                planChainRemoval('nat', MASQ_CHAIN, lookup),
                // flannel also removes a nat FLANNEL-FWD (its own slip); the real one lives in filter.
                planChainRemoval('nat', FORWARD_CHAIN, lookup),
                planChainRemoval('filter', FORWARD_CHAIN, lookup),
              ],
              'cleaning up iptables rules',
            );
          });
        } catch (error) {
          logger.debug({ err: error, family }, 'could not clean-up iptables rules');
        }
      }
    },
    cleanUpOtherMode: () => options.cleanUpOther(),
    async setupAndEnsureMasqRules(setup: MasqRulesSetup) {
      throwIfAborted(setup.signal);
      const periodMs = checkPeriod(setup.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS);
      const ruleSet = 'masq rules';
      pairRequired(ruleSet, ['network', setup.network], ['subnet', setup.subnet]);
      pairRequired(ruleSet, ['ipv6Network', setup.ipv6Network], ['ipv6Subnet', setup.ipv6Subnet]);
      const families: Array<{
        family: RuleFamily;
        network?: CidrInput;
        subnet?: CidrInput;
        previousNetwork?: CidrInput;
        previousSubnet?: CidrInput;
        names: [string, string, string, string];
      }> = [
        {
          family: 4,
          network: setup.network,
          subnet: setup.subnet,
          previousNetwork: setup.previousNetwork,
          previousSubnet: setup.previousSubnet,
          names: ['network', 'subnet', 'previousNetwork', 'previousSubnet'],
        },
        {
          family: 6,
          network: setup.ipv6Network,
          subnet: setup.ipv6Subnet,
          previousNetwork: setup.previousIPv6Network,
          previousSubnet: setup.previousIPv6Subnet,
          names: ['ipv6Network', 'ipv6Subnet', 'previousIPv6Network', 'previousIPv6Subnet'],
        },
      ];
      // Validate every input of every family before running anything.
      const plans = families.flatMap((entry) => {
        if (entry.network === undefined || entry.subnet === undefined) return [];
        const [networkName, subnetName, previousNetworkName, previousSubnetName] = entry.names;
        const network = parseCidr(entry.network, { field: networkName, ruleSet }, entry.family).text;
        const subnet = parseCidr(entry.subnet, { field: subnetName, ruleSet }, entry.family).text;
        const previous =
          entry.previousNetwork !== undefined && entry.previousSubnet !== undefined
            ? {
                network: parseCidr(entry.previousNetwork, { field: previousNetworkName, ruleSet }, entry.family).text,
                subnet: parseCidr(entry.previousSubnet, { field: previousSubnetName, ruleSet }, entry.family).text,
              }
            : undefined;
        return [{ family: entry.family, network, subnet, previous }];
      });
      const sets: EnsuredSet[] = [];
      for (const plan of plans) {
        const driver = drivers[plan.family];
        const randomFully = !setup.randomFullyDisable && (await driver.supportsRandomFully());
        if (plan.previous && (plan.previous.network !== plan.network || plan.previous.subnet !== plan.subnet)) {
          logger.info(
            { network: plan.network, subnet: plan.subnet, previousNetwork: plan.previous.network, previousSubnet: plan.previous.subnet },
            'Current network or subnet is not equal to previous one, trying to recycle old iptables rules',
          );
          const old = masqRules({ network: plan.previous.network, subnet: plan.previous.subnet, family: plan.family, randomFully });
          await driver.exclusive(async () => {
            const lookup = await driver.read(tablesOf(old));
            await driver.apply(planTeardown(old, lookup), 'removing old masquerade rules');
          });
        }
        logger.info({ family: plan.family }, 'Setting up masking rules');
        sets.push({ key: `masq:${plan.family}`, driver, rules: masqRules({ network: plan.network, subnet: plan.subnet, family: plan.family, randomFully }) });
      }
      await install(sets, 'installing masquerade rules', periodMs, setup.signal);
    },
    async setupAndEnsureForwardRules(setup: ForwardRulesSetup) {
      throwIfAborted(setup.signal);
      const periodMs = checkPeriod(setup.resyncPeriodMs ?? DEFAULT_RESYNC_PERIOD_MS);
      const ruleSet = 'forward rules';
      const sets: EnsuredSet[] = [];
      if (setup.network !== undefined) {
        const network = parseCidr(setup.network, { field: 'network', ruleSet }, 4);
        sets.push({ key: 'forward:4', driver: drivers[4], rules: forwardRules({ network: network.text, family: 4 }) });
      }
      if (setup.ipv6Network !== undefined) {
        const network = parseCidr(setup.ipv6Network, { field: 'ipv6Network', ruleSet }, 6);
        sets.push({ key: 'forward:6', driver: drivers[6], rules: forwardRules({ network: network.text, family: 6 }) });
      }
      for (const set of sets) logger.info({ family: set.driver.family }, 'Changing default FORWARD chain policy to ACCEPT');
      await install(sets, 'installing forward rules', periodMs, setup.signal);
    },
    async resyncNow() {
      let restored = 0;
      for (const set of ensured.values()) if (await ensure(set)) restored += 1;
      return restored;
    },
  };
}
