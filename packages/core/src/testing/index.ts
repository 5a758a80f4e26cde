/**
 * Test doubles for `@flannel-ts/core`: the in-memory reference {@link createMemorySubnetManager} and
 * the shared conformance suites {@link testSubnetManager} and {@link testBackend} (need vitest, a peer dependency),
 * {@link manualTicks}, a tick source advanced by hand, and {@link passWaiters}, to await reconcile passes.
 * @packageDocumentation
 */
export { createMemorySubnetManager } from './memory-subnet-manager.js';
export type { ExternalLease, MemoryClock, MemorySubnetManager, MemorySubnetManagerOptions } from './memory-subnet-manager.js';
export { testSubnetManager } from './test-subnet-manager.js';
export type { HarnessLease, SubnetManagerFeature, SubnetManagerHarness, TestSubnetManagerOptions } from './test-subnet-manager.js';
export { testBackend } from './test-backend.js';
export type { BackendHarness, TestBackendOptions } from './test-backend.js';
export { manualTicks } from './manual-ticks.js';
export type { ManualTicks } from './manual-ticks.js';
export { passWaiters } from './pass-waiters.js';
export type { PassWaiters } from './pass-waiters.js';
export { ScanningLeaseWatcher } from './scanning-lease-watcher.js';
export { fakeTunOpener, httpResponse, memoryKeyStore, recordingCommandRunner, recordingHttpClient, staticCredentials } from './fake-backend-dependencies.js';
export type { FakeTunDevice, FakeTunOpener, MemoryKeyStore, RecordingCommandRunner, RecordingHttpClient } from './fake-backend-dependencies.js';
