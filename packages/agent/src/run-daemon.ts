// The flanneld run loop, in flannel's order (`main.go` `main()`):
//   subnet manager → health server → network config (retried every second) → backend chosen and its
//   options checked → br_netfilter check → stored public IP (kube `node-public-ip`) → external interface → previous subnet.env → RegisterNetwork →
//   other traffic mode cleaned, masq + forward rules → blackhole loop → subnet.env (ready) → backend runs
//   → CompleteLease (renewal) until SIGTERM/SIGINT or a fatal error.
// Everything that can reject bad input (config, backend options, interface) runs before the first
// device, route, rule or etcd key is created. Shutdown leaves the kernel data path, rules and the etcd
// lease in place, so a restart does not interrupt traffic.
import { access } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { FlannelError, IpNet, throwIfAborted, unavailableBackendDependencies } from '@flannel-ts/core';
import type { Logger, Network, SubnetManager } from '@flannel-ts/core';
import type { Netlink } from '@flannel-ts/netlink';
import { readPreviousSubnetEnv, writeSubnetEnv } from '@flannel-ts/subnet-env';
import type { PreviousSubnetEnv } from '@flannel-ts/subnet-env';
import type { AgentOptions } from './agent-options.js';
import { selectExternalInterface } from './external-interface.js';
import { keepBlackholeRoutes } from './blackhole-route.js';
import { installTrafficRules } from './install-traffic-rules.js';
import { backendEntry, checkBackendOptions, checkBrNetfilter } from './preflight-checks.js';
import type { AgentEmitter } from './agent-events.js';
import type { DaemonDependencies, DataPathReport } from './daemon-dependencies.js';
import { observeSubnetManager } from './observe-subnet-manager.js';
import { startHealthServer } from './health-server.js';
import type { HealthServer } from './health-server.js';
import { waitForNetworkConfig } from './wait-for-network-config.js';
import { sdNotify } from './sd-notify.js';
import { exitErrorFields } from './logging/exit-error-fields.js';

/** What {@link runDaemon} needs besides the options: the boundaries, the logger and the stop signal. */
export interface RunDaemonDependencies extends DaemonDependencies {
  readonly logger: Logger;
  /** SIGTERM/SIGINT: aborting shuts the daemon down cleanly (exit 0). */
  readonly signal: AbortSignal;
  /** The daemon's environment (the CLI's injected `io.env`): where `NOTIFY_SOCKET` is read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Tells systemd `READY=1` once the backend runs; default {@link sdNotify} on `env.NOTIFY_SOCKET`. */
  readonly notifySystemd?: (state: string) => Promise<unknown>;
  /** Where the run reports {@link AgentEvents} (`startAgent` passes its emitter); none by default. */
  readonly events?: AgentEmitter;
}

/** flanneld's exit statuses: 0 clean shutdown, 1 fatal error. */
export type DaemonExitStatus = 0 | 1;

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  delay(ms, undefined, { signal }).catch(() => undefined);

const defaultPathExists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function previousSubnets(previous: PreviousSubnetEnv, logger: Logger): { subnet?: IpNet; ipv6Subnet?: IpNet } {
  const result: { subnet?: IpNet; ipv6Subnet?: IpNet } = {};
  try {
    if (previous.subnet !== undefined) result.subnet = IpNet.parse(previous.subnet, 4);
    if (previous.ipv6Subnet !== undefined) result.ipv6Subnet = IpNet.parse(previous.ipv6Subnet, 6);
  } catch (error) {
    logger.warn({ err: error }, `ignoring the previous subnet: ${messageOf(error)}`);
  }
  return result;
}

/**
 * Runs flanneld until `dependencies.signal` aborts (resolves 0, "Exiting cleanly...") or something fatal
 * happens (resolves 1 after logging why: invalid config, unknown backend, no interface, lease revoked…).
 * Never rejects, never calls `process.exit`.
 *
 * @example
 * ```ts
 * const status = await runDaemon(options, { ...createFlanneldDependencies(), logger, signal });
 * process.exitCode = status;
 * ```
 */
export async function runDaemon(options: AgentOptions, dependencies: RunDaemonDependencies): Promise<DaemonExitStatus> {
  const { logger, events } = dependencies;
  const sleep = dependencies.sleep ?? defaultSleep;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  if (dependencies.signal.aborted) stop();
  dependencies.signal.addEventListener('abort', stop, { once: true });
  const signal = controller.signal;

  let subnetManager: SubnetManager | undefined;
  let netlink: Netlink | undefined;
  let health: HealthServer | undefined;
  let network: Network | undefined;
  let running: Promise<void> | undefined;
  let ready = false;
  const fatal: unknown[] = [];
  try {
    try {
      subnetManager = await dependencies.createSubnetManager(options, logger);
    } catch (error) {
      logger.error(exitErrorFields(error), `Failed to create SubnetManager: ${messageOf(error)}`);
      events?.emit('error', error);
      return 1;
    }

    if (options.healthzPort > 0) {
      health = await (dependencies.startHealthServer ?? startHealthServer)({
        host: options.healthzIP,
        port: options.healthzPort,
        isReady: () => ready,
      });
      logger.info(`Started the health server on ${options.healthzIP}:${options.healthzPort} (/healthz, /readyz)`);
    }

    const config = await waitForNetworkConfig({ subnetManager, logger, signal, sleep });
    if (config === undefined) {
      logger.info('Exiting cleanly...');
      return 0;
    }
    logger.info(`Found network config - Backend type: ${config.backendType}`);
    checkBackendOptions(config, dependencies);
    await checkBrNetfilter(config, dependencies.pathExists ?? defaultPathExists);

    throwIfAborted(signal);
    // main.go: `sm.GetStoredPublicIP` before interface selection — the kube manager's `node-public-ip(v6)`
    // annotations replace --public-ip(v6) (etcd has none; a failed read is logged by the manager and ignored).
    const stored = await subnetManager.getStoredNodeData({ signal });
    const publicIP = stored.publicIP ?? options.publicIP;
    const publicIPv6 = stored.publicIPv6 ?? options.publicIPv6;
    if (stored.publicIP !== undefined) logger.info(`Using the node-public-ip annotation as the public IP: ${stored.publicIP}`);
    if (stored.publicIPv6 !== undefined) logger.info(`Using the node-public-ipv6 annotation as the public IPv6: ${stored.publicIPv6}`);
    throwIfAborted(signal);
    netlink = await dependencies.createNetlink();
    const externalInterface = await selectExternalInterface({
      netlink,
      ipv4: config.enableIPv4,
      ipv6: config.enableIPv6,
      iface: options.iface,
      ifaceRegex: options.ifaceRegex,
      ...(options.ifaceCanReach === undefined ? {} : { ifaceCanReach: options.ifaceCanReach }),
      ...(publicIP === undefined ? {} : { publicIP }),
      ...(publicIPv6 === undefined ? {} : { publicIPv6 }),
      logger,
    });

    const previous = await readPreviousSubnetEnv(options.subnetFile);
    for (const warning of previous.warnings) logger.warn(warning);

    throwIfAborted(signal);
    const entry = backendEntry(config.backendType, dependencies)!;
    const backendDependencies = dependencies.backendDependencies ?? unavailableBackendDependencies();
    // A full pass after the first one that still had work to do put back state that had gone missing.
    let firstFullPass = true;
    const onReconcile = (report: DataPathReport): void => {
      const repaired = report.recreated.length > 0 || (report.mode === 'full' && report.operations > 0 && !firstFullPass);
      if (report.mode === 'full') firstFullPass = false;
      if (repaired) {
        events?.emit('data-path-repaired', { backendType: config.backendType, operations: report.operations, failed: report.failed, recreated: report.recreated });
      }
    };
    const backend = await entry.create({ ...backendDependencies, netlink, logger, onReconcile })({
      subnetManager: events === undefined ? subnetManager : observeSubnetManager(subnetManager, events),
      externalInterface,
      logger,
    });
    network = await backend.registerNetwork({ config, previous: previousSubnets(previous, logger), signal });
    const { lease } = network;
    logger.info(
      { subnet: lease.subnet?.toString(), ipv6Subnet: lease.ipv6Subnet?.toString(), publicIP: lease.attributes.publicIP },
      `Acquired lease ${[lease.subnet, lease.ipv6Subnet].filter((each) => each !== undefined).join(', ')}`,
    );
    events?.emit('lease-acquired', lease);

    throwIfAborted(signal);
    const traffic = dependencies.createTrafficManager(config.enableNFTables ? 'nftables' : 'iptables', logger);
    await installTrafficRules(traffic, options, config, network, previous, signal, logger);

    const tasks: Promise<void>[] = [];
    const watch = (name: string, task: Promise<void>): void => {
      tasks.push(
        task.then(
          () => {
            if (!signal.aborted) logger.warn(`${name} ended before shutdown`);
          },
          (error: unknown) => {
            // Once shutting down (SIGTERM or an earlier fatal error), a task failing on its way out is not news.
            if (signal.aborted) {
              logger.debug({ err: error, task: name }, `${name} stopped: ${messageOf(error)}`);
              return;
            }
            fatal.push(error);
            const revoked = FlannelError.hasCode(error, 'LEASE_REVOKED');
            if (revoked) events?.emit('lease-lost', error);
            events?.emit('error', error);
            logger.error(
              { err: error, task: name },
              revoked ? `The lease was revoked: ${messageOf(error)}; shutting down` : `${name} failed: ${messageOf(error)}`,
            );
            stop();
          },
        ),
      );
    };

    if (options.ipBlackholeRoute) {
      const subnets = [lease.subnet, lease.ipv6Subnet].filter((each): each is IpNet => each !== undefined);
      watch('blackhole routes', keepBlackholeRoutes({ netlink, subnets, periodMs: options.iptablesResyncSeconds * 1_000, logger, signal, sleep }));
    }

    try {
      await writeSubnetEnv(options.subnetFile, {
        ...(config.enableIPv4 && config.network ? { network: config.network, subnet: lease.subnet } : {}),
        ...(config.enableIPv6 && config.ipv6Network ? { ipv6Network: config.ipv6Network, ipv6Subnet: lease.ipv6Subnet } : {}),
        mtu: network.mtu,
        ipMasq: options.ipMasq,
      });
      ready = true;
      logger.info(`Wrote subnet file to ${options.subnetFile}`);
      logger.info('flannel is ready');
      const state = {
        backendType: config.backendType,
        externalInterface: externalInterface.name,
        ...(lease.subnet ? { subnet: lease.subnet.toString() } : {}),
        ...(lease.ipv6Subnet ? { ipv6Subnet: lease.ipv6Subnet.toString() } : {}),
        mtu: network.mtu,
      };
      dependencies.onReady?.(state);
      events?.emit('ready', state);
    } catch (error) {
      // flanneld only warns: the data path works without the file, and CNI retries.
      logger.warn({ err: error }, `Failed to write subnet file: ${messageOf(error)}`);
    }

    logger.info('Running backend.');
    running = network.run(signal);
    watch('the backend', running);
    // flanneld: daemon.SdNotify(false, "READY=1") right after `go bn.Run(ctx)`; best effort.
    await (dependencies.notifySystemd ?? ((state) => sdNotify(state, { env: dependencies.env ?? process.env, logger })))('READY=1').catch(() => undefined);
    watch('lease renewal', subnetManager.completeLease(lease, { signal }));
    await Promise.all(tasks);
  } catch (error) {
    // Stopped during startup: whatever the interrupted step rejected with, this is a clean shutdown.
    if (dependencies.signal.aborted) {
      logger.debug({ err: error }, `startup interrupted: ${messageOf(error)}`);
      logger.info('Exiting cleanly...');
      return 0;
    }
    logger.error(exitErrorFields(error), messageOf(error));
    events?.emit('error', error);
    return 1;
  } finally {
    dependencies.signal.removeEventListener('abort', stop);
    // Ends whatever startup already set going (rule resync loops…) when a later step failed, so the process
    // can exit; after a normal run it is already aborted.
    stop();
    ready = false;
    // The network's own connections (wireguard's generic netlink socket), once its run has ended.
    await running?.catch(() => undefined);
    await network?.close?.().catch((error: unknown) => logger.debug({ err: error }, `closing the network: ${messageOf(error)}`));
    await health?.close().catch(() => undefined);
    await netlink?.close().catch(() => undefined);
    await subnetManager?.close().catch(() => undefined);
  }
  if (fatal.length > 0) return 1;
  logger.info('Exiting cleanly...');
  return 0;
}
