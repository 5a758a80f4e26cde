/** Test doubles for @flannel-ts/cni-plugin. */
export { BRIDGE_RESULT_031, createFakeDelegate } from './fake-delegate.js';
export type { FakeDelegate, FakeDelegateCall, FakeDelegateOptions } from './fake-delegate.js';
