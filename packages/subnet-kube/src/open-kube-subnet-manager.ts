import { FlannelError, silentLogger, type Logger } from '@flannel-ts/core';
import { buildConfigFromFlags, createKubeClient, KubeError } from '@flannel-ts/kube-client';
import { createKubeSubnetManager, type KubeSubnetManager } from './kube-subnet-manager.js';
import type { KubeSubnetManagerOptions } from './kube-subnet-manager-options.js';
import { resolveNodeName } from './resolve-node-name.js';

/** flanneld's kube flags and environment, as the daemon parsed them. */
export interface OpenKubeSubnetManagerOptions
  extends Omit<KubeSubnetManagerOptions, 'client' | 'nodeName' | 'continueWhenCacheNotReady'> {
  /** `--kube-api-url`. */
  readonly apiUrl?: string;
  /** `--kubeconfig-file`. */
  readonly kubeconfigPath?: string;
  /** `NODE_NAME`, `POD_NAME`, `POD_NAMESPACE`, `EVENT_QUEUE_DEPTH`, `CONT_WHEN_CACHE_NOT_READY`, `KUBERNETES_SERVICE_*`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `User-Agent` (`flannel-ts/<version> (linux/<arch>) kubernetes/$Format`). */
  readonly userAgent?: string;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/**
 * Everything `NewSubnetManager` does before the manager exists, in flannel's order: the client config
 * (`fail to create kubernetes config: …`), the node name (`NODE_NAME` or the own pod), `EVENT_QUEUE_DEPTH`
 * checked (`env EVENT_QUEUE_DEPTH=… format error`; our queue is the watch stream itself, so its value is
 * not otherwise used), `CONT_WHEN_CACHE_NOT_READY`; then {@link createKubeSubnetManager}.
 *
 * @example
 * ```ts
 * const manager = await openKubeSubnetManager({ apiUrl: flags.kubeApiUrl, kubeconfigPath: flags.kubeconfigFile,
 *   annotationPrefix: flags.kubeAnnotationPrefix, netConfigPath: flags.netConfigPath, env: process.env, logger });
 * logger.info(`Created subnet manager: ${manager.description}`);
 * ```
 */
export async function openKubeSubnetManager(options: OpenKubeSubnetManagerOptions): Promise<KubeSubnetManager> {
  const logger = options.logger ?? silentLogger;
  const depth = options.env['EVENT_QUEUE_DEPTH'];
  if (depth !== undefined && depth !== '' && !/^[+-]?\d+$/.test(depth)) {
    throw new FlannelError('FLAG_INVALID', `env EVENT_QUEUE_DEPTH=${depth} format error: must be an integer`);
  }
  let config;
  try {
    config = buildConfigFromFlags({
      ...(options.apiUrl !== undefined && { apiUrl: options.apiUrl }),
      ...(options.kubeconfigPath !== undefined && { kubeconfigPath: options.kubeconfigPath }),
      env: options.env,
      logger,
    });
  } catch (error) {
    throw new FlannelError('FLAG_INVALID', `fail to create kubernetes config: ${(error as Error).message}`, { cause: error });
  }
  logger.info({ server: config.server, source: config.source }, 'Kubernetes API client configured');
  const client = createKubeClient(config, {
    logger,
    ...(options.userAgent !== undefined && { userAgent: options.userAgent }),
  });
  try {
    const nodeName = await resolveNodeName({ client, env: options.env, ...(options.signal !== undefined && { signal: options.signal }) });
    return createKubeSubnetManager({
      ...options,
      client,
      nodeName,
      continueWhenCacheNotReady: options.env['CONT_WHEN_CACHE_NOT_READY'] === 'true',
    });
  } catch (error) {
    client.close();
    if (KubeError.isInstance(error)) throw new FlannelError('DATASTORE_UNAVAILABLE', error.message, { cause: error });
    throw error;
  }
}
