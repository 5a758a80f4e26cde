// Design note — the extension backend (flannel's pkg/backend/extension).
//
// flannel-ts programs nothing itself: the operator's commands do. PreStartupCommand runs before the
// lease is acquired and its trimmed output becomes the lease's BackendData, as a JSON string written
// with Go's HTML-safe escaping. PostStartupCommand runs once the lease is held, with NETWORK, SUBNET,
// IPV6SUBNET, PUBLIC_IP and PUBLIC_IPV6. Per remote lease of BackendType "extension", SubnetAddCommand or
// SubnetRemoveCommand runs with SUBNET and PUBLIC_IP, the peer's BackendData on stdin. Commands are split
// on white space and run without a shell; $VAR and ${VAR} are expanded by us. Startup failures are fatal,
// per-lease failures are logged. The lease's PublicIP is the interface address (not --public-ip), as in
// flannel. MTU = interface MTU.
import { FlannelError, goJsonString, leaseRulesFor, silentLogger, throwIfAborted } from '@flannel-ts/core';
import type { Backend, BackendContext, BackendFactory, Logger } from '@flannel-ts/core';
import { isUtf8, runExtensionCommand } from './extension-command.js';
import type { ExtensionBatchReport } from './extension-network.js';
import { createExtensionNetwork } from './extension-network.js';
import { parseExtensionOptions } from './extension-options.js';
import { spawnCommand } from './run-command.js';
import type { RunCommand } from './run-command.js';

/** Injected boundaries and tuning of the extension backend. */
export interface ExtensionBackendOptions {
  /** Defaults to the daemon's logger from the `BackendContext`. */
  readonly logger?: Logger;
  /** Runs a command; default {@link spawnCommand} (child processes, no shell). */
  readonly runCommand?: RunCommand;
  /** The environment commands inherit and `$VAR` expands from; default `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** A command running longer is killed and counts as failed; default 60 000 ms. */
  readonly commandTimeoutMs?: number;
  /** Called after each batch of lease events the running network handled. */
  readonly onBatch?: (report: ExtensionBatchReport) => void;
}

/** Default time limit of one command. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

/**
 * The largest PreStartupCommand output accepted as BackendData, in bytes. Peers write it (plus "\n")
 * to their SubnetAddCommand's stdin, and flannel does so before the command starts: more than a pipe
 * buffer (64 KiB) would hang flannel peers.
 */
export const MAX_BACKEND_DATA_OUTPUT_BYTES = 65_535;

/**
 * The extension backend factory.
 *
 * @example
 * ```ts
 * const backends = { extension: createExtensionBackend({ logger }) };
 * // config: {"Network":"10.5.0.0/16","Backend":{"Type":"extension","SubnetAddCommand":"/etc/flannel/add.sh $SUBNET $PUBLIC_IP"}}
 * ```
 */
export function createExtensionBackend(options: ExtensionBackendOptions = {}): BackendFactory {
  return (context: BackendContext): Backend => {
    const ext = context.externalInterface;
    const logger = (options.logger ?? context.logger ?? silentLogger).child({ backend: 'extension' });
    const command = {
      runCommand: options.runCommand ?? spawnCommand,
      environment: options.environment ?? process.env,
      timeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    };
    return {
      specificationVersion: 'v1',
      type: 'extension',
      async registerNetwork({ config, previous, signal }) {
        throwIfAborted(signal);
        const commands = parseExtensionOptions(config);
        let backendData: string | undefined;
        if (commands.preStartupCommand !== '') {
          const result = await runExtensionCommand(
            { key: 'PreStartupCommand', command: commands.preStartupCommand, variables: {}, stdin: '' },
            { ...command, ...(signal ? { signal } : {}) },
          );
          if (!isUtf8(result.bytes)) {
            throw new FlannelError('BACKEND_FAILED', `PreStartupCommand ${JSON.stringify(commands.preStartupCommand)} output is invalid for BackendData: it is not UTF-8 text`);
          }
          const size = Buffer.byteLength(result.output);
          if (size > MAX_BACKEND_DATA_OUTPUT_BYTES) {
            throw new FlannelError(
              'BACKEND_FAILED',
              `PreStartupCommand ${JSON.stringify(commands.preStartupCommand)} output is invalid for BackendData: ${size} bytes, must be at most ${MAX_BACKEND_DATA_OUTPUT_BYTES} (peers get it on stdin)`,
            );
          }
          logger.info({ output: result.output }, `ran PreStartupCommand ${commands.preStartupCommand}`);
          backendData = goJsonString(result.output);
        } else {
          logger.info('no pre startup command configured - skipping');
        }
        throwIfAborted(signal);
        const lease = await context.subnetManager.acquireLease(
          {
            backendType: 'extension',
            publicIP: ext.address ?? '0.0.0.0',
            ...(ext.address6 !== undefined ? { publicIPv6: ext.address6 } : {}),
            ...(backendData !== undefined ? { backendData } : {}),
          },
          { ...(previous ? { previous } : {}), ...(signal ? { signal } : {}) },
        );
        if (commands.postStartupCommand !== '') {
          const result = await runExtensionCommand(
            {
              key: 'PostStartupCommand',
              command: commands.postStartupCommand,
              // Go's %s of flannel's zero values where there is none: IP4Net "0.0.0.0/0", IP6Net "::/0", nil *IP6 "<nil>".
              variables: {
                NETWORK: config.network?.toString() ?? '0.0.0.0/0',
                SUBNET: lease.subnet?.toString() ?? '0.0.0.0/0',
                IPV6SUBNET: lease.ipv6Subnet?.toString() ?? '::/0',
                PUBLIC_IP: lease.attributes.publicIP,
                PUBLIC_IPV6: lease.attributes.publicIPv6 ?? '<nil>',
              },
              stdin: '',
            },
            { ...command, ...(signal ? { signal } : {}) },
          );
          logger.info({ output: result.output }, `ran PostStartupCommand ${commands.postStartupCommand}`);
        } else {
          logger.info('no post startup command configured - skipping');
        }
        logger.info({ subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), mtu: ext.mtu }, 'extension network registered');
        return createExtensionNetwork({
          subnetManager: context.subnetManager,
          logger,
          lease,
          mtu: ext.mtu,
          commands,
          command,
          leaseRules: leaseRulesFor(config, lease),
          ...(options.onBatch ? { onBatch: options.onBatch } : {}),
        });
      },
    };
  };
}
