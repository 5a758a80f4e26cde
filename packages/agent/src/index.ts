/**
 * `@flannel-ts/agent`: the flannel node agent (flanneld's run loop) as a library. `startAgent(options, { signal })`
 * runs it in-process and returns an emitter of typed events (`ready`, `lease-acquired`, `lease-renewed`,
 * `lease-lost`, `peer-added`, `peer-removed`, `data-path-repaired`, `error`); `runDaemon` is the same loop
 * over injected boundaries. The pieces it is built from (logging, external interface selection, health
 * server, sd_notify, blackhole routes) are exported for custom agents.
 * @packageDocumentation
 */
export { Agent, startAgent } from './start-agent.js';
export type { StartAgentOptions } from './start-agent.js';
export type { AgentEmitter, AgentEvents, AgentReadyState, DataPathRepair } from './agent-events.js';
export { AGENT_DEFAULTS, agentOptions } from './agent-options.js';
export type { AgentOptions } from './agent-options.js';
export { observeSubnetManager } from './observe-subnet-manager.js';
export { runDaemon } from './run-daemon.js';
export type { DaemonExitStatus, RunDaemonDependencies } from './run-daemon.js';
export type { DaemonBackendDependencies, DaemonBackendEntry, DaemonDependencies, DaemonReadyState, DataPathReport } from './daemon-dependencies.js';
export { createFlanneldDependencies, createSubnetManager, FLANNELD_BACKENDS } from './flanneld-dependencies.js';
export type { FlanneldDependenciesSettings } from './flanneld-dependencies.js';
export { startHealthServer } from './health-server.js';
export type { HealthServer, HealthServerOptions } from './health-server.js';
export { waitForNetworkConfig } from './wait-for-network-config.js';
export type { WaitForNetworkConfigOptions } from './wait-for-network-config.js';
export { blackholeRoute, keepBlackholeRoutes } from './blackhole-route.js';
export type { KeepBlackholeRoutesOptions } from './blackhole-route.js';
export { checkBackendOptions, checkBrNetfilter } from './preflight-checks.js';
export { installTrafficRules } from './install-traffic-rules.js';
export { notifySocketAddress, sdNotify } from './sd-notify.js';
export type { SdNotifyOptions } from './sd-notify.js';
export { selectExternalInterface } from './external-interface.js';
export type { SelectExternalInterfaceOptions } from './external-interface.js';
export { createJsonLineLogger, createLogger, formatPrettyLine, LOG_LEVEL_VALUES, REDACT_PATHS, redactText, redactUrlCredentials, Secret, verbosityToLevel } from './logging/index.js';
export type { CreateLoggerOptions, JsonLineLogger, JsonLineLoggerOptions, LogDestination, LogLevel, LogMethodLevel } from './logging/index.js';
