/**
 * `@flannel-ts/core`: network config, subnet math, leases, contracts and errors shared by every
 * flannel-ts package.
 * @packageDocumentation
 */
export { FlannelError, throwIfAborted } from './errors.js';
export type { FlannelErrorCode, FlannelErrorOptions } from './errors.js';
export { FLANNEL_TS_ERROR, hasErrorCode, isFlannelTsError } from './flannel-ts-error.js';
export type { FlannelTsError } from './flannel-ts-error.js';
export { silentLogger } from './logger.js';
export type { LogFn, Logger } from './logger.js';
export { IpNet } from './ip-net.js';
export type { IpFamily, ParsedAddress } from './ip-net.js';
export { subnetsBetween } from './subnets-between.js';
export type { NetworkConfig } from './network-config.js';
export { parseNetworkConfig } from './parse-network-config.js';
export type { ParsedNetworkConfig, ParseNetworkConfigOptions } from './parse-network-config.js';
export { networkConfigToJSON } from './network-config-to-json.js';
export { backendBooleanOption, backendIntegerOption, backendOption, backendStringOption } from './backend-option.js';
export type { IntegerOptionRange } from './backend-option.js';
export type { DecodeResult } from './decode-result.js';
export { leaseKey } from './lease-key.js';
export type { LeaseKey } from './lease-key.js';
export { leaseAttributes } from './lease-attributes.js';
export { goJsonString } from './json/go-json.js';
export { decodeLease } from './decode-lease.js';
export type { DecodeLeaseOptions } from './decode-lease.js';
export { isSameLeaseSubnet, LeaseWatcher } from './lease-watcher.js';
export { sameAttributes } from './same-attributes.js';
export { watchLeaseEvents } from './watch-lease-events.js';
export type { WatchLeaseEventsOptions } from './watch-lease-events.js';
export { leaseDefences, watchScreenedLeaseEvents } from './screened-lease-events.js';
export type { ScreenedLeaseEventsOptions } from './screened-lease-events.js';
export { re2UnsupportedFeature } from './re2-pattern.js';
export { checkPublicAddress, checkRemoteLease, leaseRulesFor, unusablePublicAddressKind } from './lease-rules.js';
export type { LeaseRules } from './lease-rules.js';
export { compareLeaseOrder, LeaseScreen } from './lease-screen.js';
export type { LeaseScreenOptions } from './lease-screen.js';
export { OWN_LEASE_REASSERT_INTERVAL_MS, OwnLeaseGuard } from './own-lease-guard.js';
export type { OwnLeaseGuardOptions } from './own-lease-guard.js';
export { watchOwnLease } from './watch-own-lease.js';
export type { WatchOwnLeaseOptions } from './watch-own-lease.js';
export { createWakeup } from './wakeup.js';
export type { Wakeup } from './wakeup.js';
export { intervalTicks } from './interval-ticks.js';
export { runLeaseReconcileLoop } from './lease-reconcile-loop.js';
export { runLeaseEventLoop } from './lease-event-loop.js';
export type { LeaseEventLoopOptions } from './lease-event-loop.js';
export type { LeaseReconcileLoopOptions, LeaseReconcilePass, LeaseReconcilePassKind } from './lease-reconcile-loop.js';
export type { Lease, LeaseAttributes, LeaseEvent, LeaseWatchCursor, LeaseWatchResult } from './lease.js';
export type {
  AcquireLeaseOptions,
  CallOptions,
  StoredNodeData,
  SubnetManager,
  WatchLeasesOptions,
} from './subnet-manager.js';
export { unavailableBackendDependencies } from './unavailable-backend-dependencies.js';
export type {
  BackendDependencies,
  CommandRequest,
  CommandResult,
  CommandRunner,
  CredentialSource,
  Credentials,
  HttpClient,
  HttpRequest,
  HttpResponse,
  KeyStore,
  TunDevice,
  TunOpener,
} from './backend-dependencies.js';
export type {
  Backend,
  BackendContext,
  BackendFactory,
  ExternalInterface,
  Network,
  RegisterNetworkOptions,
} from './backend.js';
