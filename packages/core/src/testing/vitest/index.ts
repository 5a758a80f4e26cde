/**
 * `@flannel-ts/core/testing/vitest`: the shared conformance suites every implementation of a contract
 * passes — {@link testSubnetManager} and {@link testBackend}. They register vitest `describe`/`it` blocks,
 * so this entry point imports vitest (a peer dependency); the runner-free fakes are in
 * `@flannel-ts/core/testing`.
 * @packageDocumentation
 */
export { testSubnetManager } from './test-subnet-manager.js';
export type { HarnessLease, SubnetManagerFeature, SubnetManagerHarness, TestSubnetManagerOptions } from './test-subnet-manager.js';
export { testBackend } from './test-backend.js';
export type { BackendHarness, TestBackendOptions } from './test-backend.js';
