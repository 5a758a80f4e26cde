/**
 * Test doubles for `@flannel-ts/core`, free of any test runner (node:test, Jest, vitest alike): the
 * in-memory reference {@link createMemorySubnetManager}, {@link manualTicks}, a tick source advanced by
 * hand, {@link passWaiters}, to await reconcile passes, {@link ScanningLeaseWatcher} and {@link recordingLogger}. The vitest
 * conformance suites (`testSubnetManager`, `testBackend`) are in `@flannel-ts/core/testing/vitest`.
 * @packageDocumentation
 */
export { createMemorySubnetManager } from './memory-subnet-manager.js';
export type { ExternalLease, MemoryClock, MemorySubnetManager, MemorySubnetManagerOptions } from './memory-subnet-manager.js';
export { manualTicks } from './manual-ticks.js';
export type { ManualTicks } from './manual-ticks.js';
export { passWaiters } from './pass-waiters.js';
export type { PassWaiters } from './pass-waiters.js';
export { ScanningLeaseWatcher } from './scanning-lease-watcher.js';
export { fakeTunOpener, httpResponse, memoryKeyStore, recordingCommandRunner, recordingHttpClient, staticCredentials } from './fake-backend-dependencies.js';
export type { FakeTunDevice, FakeTunOpener, MemoryKeyStore, RecordingCommandRunner, RecordingHttpClient } from './fake-backend-dependencies.js';
export { recordingLogger } from './recording-logger.js';
export type { RecordedLogLine, RecordingLogger } from './recording-logger.js';
