/**
 * `@flannel-ts/subnet-etcd`: the etcd v3 subnet lease manager, wire-compatible with flannel (same keys,
 * same JSON, same TTLs).
 * @packageDocumentation
 */
export { createEtcdSubnetManager, CONFIG_NOT_FOUND_MESSAGE } from './etcd-subnet-manager.js';
export type { EtcdSubnetManager } from './etcd-subnet-manager.js';
export {
  DEFAULT_ETCD_PREFIX,
  DEFAULT_RENEW_MARGIN_MINUTES,
  normalizeEndpoints,
} from './etcd-subnet-manager-options.js';
export type { Clock, EtcdSubnetManagerOptions, RandomSource } from './etcd-subnet-manager-options.js';
export { createEtcdClient, INSECURE_WARNING } from './etcd-client.js';
export { etcdErrorOf } from './etcd-errors.js';
export { SUBNET_TTL_SECONDS } from './etcd-registry.js';
export type { EtcdLeaseWatchCursor } from './watch-leases.js';
