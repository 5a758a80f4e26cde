/**
 * `@flannel-ts/etcd-client/testing`: a real single-member etcd on a free loopback port (optionally serving
 * TLS with client certificates) and a throwaway openssl PKI, for tests of etcd clients and lease managers.
 * @packageDocumentation
 */
export { freePort, run, startLocalEtcd } from './local-etcd.js';
export type { LocalEtcd, LocalEtcdTls } from './local-etcd.js';
export { createTestPki } from './certificates.js';
export type { TestPki } from './certificates.js';
export { etcdFailure } from './etcd-failure.js';
