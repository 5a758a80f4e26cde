/**
 * `@flannel-ts/kube-client`: the small Kubernetes API client flannel's kube subnet manager needs — kubeconfig,
 * in-cluster and `--kube-api-url` configs, node get/list/watch/status-patch with client-go's request shapes,
 * a reflector (list, watch with bookmarks, re-list on 410, jittered backoff) and typed errors carrying the
 * API's `Status`. Over `node:http`/`node:https`; no `@kubernetes/client-node`.
 * @packageDocumentation
 */
export { backoffDelay, REFLECTOR_BACKOFF, sleep } from './backoff.js';
export type { BackoffPolicy } from './backoff.js';
export { buildConfigFromFlags } from './build-config.js';
export type { BuildConfigOptions } from './build-config.js';
export { inClusterConfig, SERVICE_ACCOUNT_DIR } from './in-cluster-config.js';
export type { InClusterConfigOptions } from './in-cluster-config.js';
export { MAX_LIST_VALUE_BYTES, NodeListDecoder } from './node-list-decoder.js';
export type { NodeListDecoderOptions } from './node-list-decoder.js';
export { createKubeClient } from './kube-client.js';
export type { KubeCallOptions, KubeClient, KubeClientOptions, ListNodesOptions, NodeList, WatchNodesOptions } from './kube-client.js';
export type { KubeClientConfig, ReadTextFile } from './kube-client-config.js';
export { codeForHttpStatus, KubeError } from './kube-error.js';
export type { KubeErrorCode, KubeErrorOptions } from './kube-error.js';
export { projectNode } from './kube-node.js';
export type { KubeNode } from './kube-node.js';
export { kubeStatus, parseKubeStatus } from './kube-status.js';
export type { KubeStatus } from './kube-status.js';
export { loadKubeconfig } from './load-kubeconfig.js';
export type { LoadKubeconfigOptions } from './load-kubeconfig.js';
export { reflectNodes } from './reflect-nodes.js';
export type { ReflectNodesOptions, ReflectorItem } from './reflect-nodes.js';
export { TOKEN_FILE_REFRESH_MS, TokenSource } from './token-source.js';
export { decodeWatchLine } from './watch-event.js';
export type { NodeWatchEvent } from './watch-event.js';
