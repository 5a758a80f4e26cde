// The running half of an extension network (pkg/backend/extension/extension_network.go): lease events
// from core's watchLeaseEvents, SubnetAddCommand for an added remote lease, SubnetRemoveCommand for a
// removed one, each with SUBNET and PUBLIC_IP and the peer's BackendData (a JSON string, decoded) on
// stdin. Failures are logged, never fatal. Unlike flannel, an "added" event whose command inputs
// (subnet, PublicIP, BackendData) equal those of the last successful run for that subnet — a renewal,
// a re-snapshot after etcd compaction — runs nothing. Leases are untrusted: only those that pass core's
// lease rules (SubnetLen, inside Network, clear of our subnet, a unicast PublicIP not ours) and win
// their conflicts reach a command (watchScreenedLeaseEvents); flanneld runs the command for any lease.
import { FlannelError, watchScreenedLeaseEvents } from '@flannel-ts/core';
import type { Lease, LeaseEvent, LeaseRules, Logger, Network, SubnetManager } from '@flannel-ts/core';
import { runExtensionCommand } from './extension-command.js';
import type { ExtensionCommandContext } from './extension-command.js';
import type { ExtensionOptions } from './extension-options.js';

/** What the network did with one batch of lease events. */
export interface ExtensionBatchReport {
  /** Commands run (successfully or not). */
  readonly ran: number;
  /** Commands that failed. */
  readonly failed: number;
  /** Events that ran nothing: unchanged leases, other backend types, no command configured. */
  readonly skipped: number;
}

/** Options of {@link createExtensionNetwork}. */
export interface ExtensionNetworkOptions {
  readonly subnetManager: SubnetManager;
  readonly logger: Logger;
  readonly lease: Lease;
  readonly mtu: number;
  readonly commands: ExtensionOptions;
  readonly command: Omit<ExtensionCommandContext, 'signal'>;
  /** What remote leases must meet before a command runs for them (core's `leaseRulesFor(config, lease)`); default: the own lease only. */
  readonly leaseRules?: LeaseRules;
  /** Least time between two re-assertions of an overwritten own lease; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
  /** Called after each batch of lease events is handled. */
  readonly onBatch?: (report: ExtensionBatchReport) => void;
}

/**
 * The peer's BackendData as the text its command gets on stdin: a JSON string decoded, `""` when there
 * is none (or JSON `null`, as Go's json.Unmarshal leaves the string empty); `undefined` when it is not
 * a JSON string (flannel: "failed to unmarshal BackendData", event skipped).
 *
 * @example
 * ```ts
 * peerBackendDataText('"10.0.0.1 \\u003cdev\\u003e"'); // '10.0.0.1 <dev>'
 * peerBackendDataText('{"VNI":1}');                    // undefined
 * ```
 */
export function peerBackendDataText(backendData: string | undefined): string | undefined {
  if (backendData === undefined || backendData === '') return '';
  try {
    const value: unknown = JSON.parse(backendData);
    if (value === null) return '';
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Go's `%s` of a lease's IPv4 subnet (the zero `IP4Net` when it has none). */
function subnetText(lease: Lease): string {
  return lease.subnet?.toString() ?? '0.0.0.0/0';
}

function leaseSlot(lease: Lease): string {
  return `${lease.subnet?.toString() ?? ''}|${lease.ipv6Subnet?.toString() ?? ''}`;
}

function inputs(lease: Lease): string {
  return JSON.stringify([lease.subnet?.toString(), lease.attributes.publicIP, lease.attributes.backendType, lease.attributes.backendData]);
}

/**
 * Creates the running half of an extension network.
 *
 * @example
 * ```ts
 * const network = createExtensionNetwork({ subnetManager, logger, lease, mtu: 1500, commands, command: { runCommand: spawnCommand, environment: process.env, timeoutMs: 60_000 } });
 * await network.run(signal);
 * ```
 */
export function createExtensionNetwork(options: ExtensionNetworkOptions): Network {
  const { logger, commands } = options;
  return {
    lease: options.lease,
    mtu: options.mtu,
    async run(signal) {
      /** Per subnet: the inputs of the last successful SubnetAddCommand (or of the last ignored lease). */
      const applied = new Map<string, string>();
      const handle = async (event: LeaseEvent): Promise<'ran' | 'failed' | 'skipped'> => {
        const { lease } = event;
        const slot = leaseSlot(lease);
        const fields = { subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), publicIP: lease.attributes.publicIP };
        const added = event.type === 'added';
        if (added && applied.get(slot) === inputs(lease)) {
          logger.debug(fields, 'lease unchanged: nothing to run');
          return 'skipped';
        }
        if (!added) applied.delete(slot);
        if (lease.attributes.backendType !== 'extension') {
          if (added) applied.set(slot, inputs(lease));
          logger.warn({ ...fields, backendType: lease.attributes.backendType }, `ignoring non-extension subnet: type=${lease.attributes.backendType ?? ''}`);
          return 'skipped';
        }
        const key = added ? 'SubnetAddCommand' : 'SubnetRemoveCommand';
        const command = added ? commands.subnetAddCommand : commands.subnetRemoveCommand;
        logger.info(fields, added ? 'subnet added' : 'subnet removed');
        if (command === '') {
          if (added) applied.set(slot, inputs(lease));
          return 'skipped';
        }
        const stdin = peerBackendDataText(lease.attributes.backendData);
        if (stdin === undefined) {
          logger.error(fields, `failed to unmarshal BackendData: the peer's BackendData is not a JSON string; ${key} not run`);
          return 'failed';
        }
        try {
          const { output } = await runExtensionCommand(
            { key, command, variables: { SUBNET: subnetText(lease), PUBLIC_IP: lease.attributes.publicIP }, stdin },
            { ...options.command, signal },
          );
          logger.info({ ...fields, output }, `ran ${key}`);
          if (added) applied.set(slot, inputs(lease));
          return 'ran';
        } catch (error) {
          if (FlannelError.isInstance(error) && error.code === 'ABORTED') throw error;
          logger.error({ ...fields, err: error }, (error as Error).message);
          return 'failed';
        }
      };
      try {
        const batches = watchScreenedLeaseEvents({
          subnetManager: options.subnetManager,
          lease: options.lease,
          signal,
          logger,
          ...(options.leaseRules === undefined ? {} : { leaseRules: options.leaseRules }),
          ...(options.reassertIntervalMs === undefined ? {} : { reassertIntervalMs: options.reassertIntervalMs }),
        });
        for await (const batch of batches) {
          let ran = 0;
          let failed = 0;
          let skipped = 0;
          for (const event of batch) {
            const result = await handle(event);
            if (result === 'skipped') skipped += 1;
            else {
              ran += result === 'ran' ? 1 : 0;
              failed += result === 'failed' ? 1 : 0;
            }
          }
          options.onBatch?.({ ran: ran + failed, failed, skipped });
        }
      } catch (error) {
        if (signal.aborted) return;
        throw error;
      }
    },
  };
}
