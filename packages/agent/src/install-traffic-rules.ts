// flanneld's traffic-rule step: clean up the other rule mode, init, masquerade rules (--ip-masq, fatal on
// error) and forward rules (--iptables-forward-rules, only logged on error, as flanneld), both kept in sync by
// the traffic manager until `signal` aborts.
import type { Logger, Network, NetworkConfig } from '@flannel-ts/core';
import type { PreviousSubnetEnv } from '@flannel-ts/subnet-env';
import type { TrafficManager } from '@flannel-ts/traffic-rules';
import type { AgentOptions } from './agent-options.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Installs flannel's rules for the node's lease, recycling the rules of the previous subnet.env's network and
 * subnet. Rejects `TRAFFIC_RULES_FAILED` when the masquerade rules cannot be installed.
 *
 * @example
 * ```ts
 * await installTrafficRules(traffic, options, config, network, previous, signal, logger);
 * ```
 */
export async function installTrafficRules(
  traffic: TrafficManager,
  options: AgentOptions,
  config: NetworkConfig,
  network: Network,
  previous: PreviousSubnetEnv,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  await traffic.cleanUpOtherMode();
  await traffic.init();
  const resyncPeriodMs = options.iptablesResyncSeconds * 1_000;
  const { lease } = network;
  if (options.ipMasq) {
    await traffic.setupAndEnsureMasqRules({
      ...(config.enableIPv4 && config.network && lease.subnet ? { network: config.network.toString(), subnet: lease.subnet.toString() } : {}),
      ...(config.enableIPv6 && config.ipv6Network && lease.ipv6Subnet
        ? { ipv6Network: config.ipv6Network.toString(), ipv6Subnet: lease.ipv6Subnet.toString() }
        : {}),
      ...(previous.network === undefined ? {} : { previousNetwork: previous.network }),
      ...(previous.subnet === undefined ? {} : { previousSubnet: previous.subnet }),
      ...(previous.ipv6Network === undefined ? {} : { previousIPv6Network: previous.ipv6Network }),
      ...(previous.ipv6Subnet === undefined ? {} : { previousIPv6Subnet: previous.ipv6Subnet }),
      randomFullyDisable: options.ipMasqFullyRandomDisable,
      resyncPeriodMs,
      signal,
    });
  }
  if (options.iptablesForwardRules) {
    try {
      await traffic.setupAndEnsureForwardRules({
        ...(config.enableIPv4 && config.network ? { network: config.network.toString() } : {}),
        ...(config.enableIPv6 && config.ipv6Network ? { ipv6Network: config.ipv6Network.toString() } : {}),
        resyncPeriodMs,
        signal,
      });
    } catch (error) {
      // flanneld only logs forward-rule failures; the periodic resync retries them.
      logger.error({ err: error }, `Failed to set up the forward rules: ${messageOf(error)}`);
    }
  }
}
