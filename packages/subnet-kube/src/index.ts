/**
 * `@flannel-ts/subnet-kube`: flannel's Kubernetes subnet manager (`flanneld --kube-subnet-mgr`) behind
 * core's `SubnetManager` contract — leases from Node podCIDRs, published in node annotations.
 * @packageDocumentation
 */
export { KUBE_LEASE_TTL_MS } from './acquire-lease.js';
export { deferredSubnetManager } from './deferred-subnet-manager.js';
export { DEFAULT_ANNOTATION_PREFIX, kubeAnnotationPrefixRule, kubeAnnotations } from './kube-annotations.js';
export type { KubeAnnotationNames } from './kube-annotations.js';
export { DUAL_STACK_BACKENDS, leaseFamilies } from './kube-context.js';
export { createKubeSubnetManager } from './kube-subnet-manager.js';
export type { KubeSubnetManager } from './kube-subnet-manager.js';
export { DEFAULT_NET_CONFIG_PATH } from './kube-subnet-manager-options.js';
export type { KubeSubnetManagerOptions } from './kube-subnet-manager-options.js';
export { annotationPatch, networkAvailablePatch, publishedAttributes } from './lease-patch.js';
export { isFlannelManaged, leaseAnnotationKey, nodeToLease } from './node-to-lease.js';
export type { NodeToLeaseContext } from './node-to-lease.js';
export { openKubeSubnetManager } from './open-kube-subnet-manager.js';
export type { OpenKubeSubnetManagerOptions } from './open-kube-subnet-manager.js';
export { podCidrsOf } from './pod-cidrs.js';
export type { PodCidrs } from './pod-cidrs.js';
export { resolveNodeName } from './resolve-node-name.js';
export { storedNodeData, vtepMacOf } from './stored-node-data.js';
export type { KubeLeaseCursor } from './watch-node-leases.js';
