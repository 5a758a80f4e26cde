/**
 * Test doubles for `@flannel-ts/netlink`: {@link RecordingNetlink}, the `Netlink` contract over an
 * in-memory kernel model that records calls and prints its state as `ip`/`bridge` commands, and
 * {@link fakeGenericNetlink}, generic netlink over a list of families and a reply function.
 * @packageDocumentation
 */
export { RecordingNetlink, createRecordingNetlink } from './recording-netlink.js';
export type { InjectedFault, RecordedCall } from './recording-netlink.js';
export type { RecordingNetlinkOptions, SeedLink } from './seed-model.js';
export { captureNetlinkState } from './capture-state.js';
export type { NetlinkState } from './capture-state.js';
export { runNetlinkEventScenario, runNetlinkScenario } from './netlink-scenario.js';
export { fakeGenericNetlink } from './fake-generic-netlink.js';
export type { FakeGenericNetlink, FakeGenericNetlinkOptions } from './fake-generic-netlink.js';
