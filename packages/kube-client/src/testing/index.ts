/**
 * `@flannel-ts/kube-client/testing`: a Kubernetes API server stand-in ({@link startFakeKubeApiServer}) that
 * kubectl, python3-kubernetes and this package's client accept, with RBAC allow-lists (kube-flannel's
 * ClusterRole included) and fault hooks; and the patch functions it uses.
 * @packageDocumentation
 */
export { API_RESOURCES } from './api-resources.js';
export type { ApiResource } from './api-resources.js';
export { startFakeKubeApiServer } from './fake-kube-api-server.js';
export type { FakeFault, FakeKubeApiServer, FakeKubeApiServerOptions, FakeNodeInput, RecordedRequest } from './fake-kube-api-server.js';
export type { KubeObject } from './fake-store.js';
export { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, NODE_MERGE_KEYS, PatchError } from './patches.js';
export type { Json, MergeKeys } from './patches.js';
export { KUBE_FLANNEL_CLUSTER_ROLE, rbacAllows } from './rbac.js';
export type { FakeRbacRule, FakeUser } from './rbac.js';
