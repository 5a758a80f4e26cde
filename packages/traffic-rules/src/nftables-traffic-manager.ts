import { FlannelError, silentLogger, type Logger } from '@flannel-ts/core';
import { parseCidr, type RuleFamily } from './cidr.js';
import type { CommandRunner } from './command-runner.js';
import {
  NFT_FORWARD_CHAIN,
  NFT_MASQ_CHAIN,
  NFT_RANDOM_FULLY_PROBE_CHAIN,
  nftForwardRules,
  nftMasqRules,
} from './nft-rules.js';
import { renderNftChainScript, renderNftDeleteTableScript, renderNftTableScript } from './nft-script.js';
import type { ForwardRulesSetup, MasqRulesSetup, TrafficManager } from './traffic-manager.js';

/** Options of {@link createNftablesTrafficManager}. */
export interface NftablesTrafficManagerOptions {
  /** Runs `nft`. */
  readonly runner: CommandRunner;
  /** Defaults to a silent logger. */
  readonly logger?: Logger;
  /** The `nft` program; default `nft`. */
  readonly nft?: string;
  /** Used by `cleanUpOtherMode`. */
  readonly cleanUpOther: () => Promise<void>;
}

function requirePair(ruleSet: string, names: [string, string], values: [unknown, unknown]): void {
  if ((values[0] === undefined) !== (values[1] === undefined)) {
    const [missing, present] = values[0] === undefined ? names : [names[1], names[0]];
    throw new FlannelError('TRAFFIC_RULES_FAILED', `${ruleSet}: ${missing} is required when ${present} is set`, {
      isRetryable: false,
    });
  }
}

/**
 * The nftables {@link TrafficManager}: flannel's `NFTablesManager`. Every setup is one atomic `nft -f`
 * transaction that adds the chain, flushes it and adds the rules, so no resync is needed (flannel has none).
 * Previous Network/subnet values are not needed either: the flush removes old rules.
 */
export function createNftablesTrafficManager(options: NftablesTrafficManagerOptions): TrafficManager {
  const logger = options.logger ?? silentLogger;
  const nft = options.nft ?? 'nft';
  let randomFully: Promise<boolean> | undefined;

  const run = async (script: string, what: string, check = false): Promise<void> => {
    const args = check ? ['--check', '-f', '-'] : ['-f', '-'];
    logger.trace({ script, check }, 'running nft');
    const result = await options.runner(nft, args, { input: script });
    if (result.code !== 0) {
      throw new FlannelError('TRAFFIC_RULES_FAILED', `${what}: nft ${args.join(' ')} failed: ${result.stderr.trim() || 'no output'}`, {
        isRetryable: true,
      });
    }
  };

  /** flannel's `checkRandomfully`: a check-only transaction with a `masquerade fully-random` rule. */
  const supportsRandomFully = (): Promise<boolean> => {
    randomFully ??= run(
      renderNftTableScript(4) + renderNftChainScript(4, NFT_RANDOM_FULLY_PROBE_CHAIN, ['ip saddr != 127.0.0.1 masquerade fully-random']),
      'probing masquerade fully-random',
      true,
    ).then(
      () => true,
      (error: unknown) => {
        logger.warn({ err: error }, 'nftables: random fully unsupported');
        return false;
      },
    );
    return randomFully;
  };

  return {
    mode: 'nftables',
    async init() {
      logger.info('Starting flannel in nftables mode...');
      for (const family of [4, 6] as const) {
        await run(renderNftTableScript(family), `nftables: couldn't initialise table for IPv${family}`);
      }
    },
    async cleanUp() {
      logger.info('Cleaning-up nftables rules...');
      for (const family of [4, 6] as const) {
        try {
          await run(renderNftDeleteTableScript(family), `nftables: couldn't delete table for IPv${family}`);
        } catch (error) {
          logger.debug({ err: error, family }, 'nftables: couldn\'t delete table');
        }
      }
    },
    cleanUpOtherMode: () => options.cleanUpOther(),
    async setupAndEnsureMasqRules(setup: MasqRulesSetup) {
      const ruleSet = 'nftables masq rules';
      requirePair(ruleSet, ['network', 'subnet'], [setup.network, setup.subnet]);
      requirePair(ruleSet, ['ipv6Network', 'ipv6Subnet'], [setup.ipv6Network, setup.ipv6Subnet]);
      const plans: Array<{ family: RuleFamily; network: string; subnet: string }> = [];
      if (setup.network !== undefined && setup.subnet !== undefined) {
        plans.push({
          family: 4,
          network: parseCidr(setup.network, { field: 'network', ruleSet }, 4).text,
          subnet: parseCidr(setup.subnet, { field: 'subnet', ruleSet }, 4).text,
        });
      }
      if (setup.ipv6Network !== undefined && setup.ipv6Subnet !== undefined) {
        plans.push({
          family: 6,
          network: parseCidr(setup.ipv6Network, { field: 'ipv6Network', ruleSet }, 6).text,
          subnet: parseCidr(setup.ipv6Subnet, { field: 'ipv6Subnet', ruleSet }, 6).text,
        });
      }
      for (const plan of plans) {
        logger.info({ family: plan.family }, 'nftables: setting up masking rules');
        const fully = !setup.randomFullyDisable && (await supportsRandomFully());
        const rules = nftMasqRules({ ...plan, randomFully: fully });
        await run(
          renderNftTableScript(plan.family) + renderNftChainScript(plan.family, NFT_MASQ_CHAIN, rules),
          "nftables: couldn't setup masq rules",
        );
      }
    },
    async setupAndEnsureForwardRules(setup: ForwardRulesSetup) {
      const ruleSet = 'nftables forward rules';
      const plans: Array<{ family: RuleFamily; network: string }> = [];
      if (setup.network !== undefined) plans.push({ family: 4, network: parseCidr(setup.network, { field: 'network', ruleSet }, 4).text });
      if (setup.ipv6Network !== undefined) {
        plans.push({ family: 6, network: parseCidr(setup.ipv6Network, { field: 'ipv6Network', ruleSet }, 6).text });
      }
      for (const plan of plans) {
        logger.info({ family: plan.family }, 'Changing default FORWARD chain policy to ACCEPT');
        await run(
          renderNftTableScript(plan.family) + renderNftChainScript(plan.family, NFT_FORWARD_CHAIN, nftForwardRules(plan)),
          "nftables: couldn't setup forward rules",
        );
      }
    },
    async resyncNow() {
      return 0;
    },
  };
}
