/**
 * `@flannel-ts/traffic-rules/testing`: an in-memory iptables/nft host for testing code that uses a
 * traffic manager without root.
 * @packageDocumentation
 */
export { createFakeRulesHost } from './fake-rules-host.js';
export type { FakeRulesHost, RecordedCall } from './fake-rules-host.js';
