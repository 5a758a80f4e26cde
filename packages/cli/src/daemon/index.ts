/**
 * The flanneld run loop (`runDaemon`) with its injected boundaries, the health server, and the real
 * boundaries the `flannel-ts` bin uses.
 * @packageDocumentation
 */
export { runDaemon } from './run-daemon.js';
export type { DaemonExitStatus, RunDaemonDependencies } from './run-daemon.js';
export type { DaemonBackendDependencies, DaemonBackendEntry, DaemonDependencies, DaemonReadyState } from './daemon-dependencies.js';
export { startHealthServer } from './health-server.js';
export type { HealthServer, HealthServerOptions } from './health-server.js';
export { waitForNetworkConfig } from './wait-for-network-config.js';
export type { WaitForNetworkConfigOptions } from './wait-for-network-config.js';
export { blackholeRoute, keepBlackholeRoutes } from './blackhole-route.js';
export type { KeepBlackholeRoutesOptions } from './blackhole-route.js';
export { createFlanneldDependencies, FLANNELD_BACKENDS } from './flanneld-dependencies.js';
export { flanneldRunner } from './flanneld-runner.js';
export { checkBackendOptions, checkBrNetfilter } from './preflight-checks.js';
export { installTrafficRules } from './install-traffic-rules.js';
