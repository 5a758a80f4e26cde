import { FlannelError } from '@flannel-ts/core';
import { KubeError, type KubeClient } from '@flannel-ts/kube-client';

/**
 * This node's name as flanneld finds it (`pkg/subnet/kube/kube.go`): `NODE_NAME`, else `spec.nodeName`
 * of the pod `POD_NAMESPACE/POD_NAME` (kube-flannel.yml sets only those two, hence RBAC `pods get`).
 *
 * @example
 * ```ts
 * const nodeName = await resolveNodeName({ client, env: process.env });
 * ```
 */
export async function resolveNodeName(options: {
  readonly client: KubeClient;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
}): Promise<string> {
  const { env } = options;
  const nodeName = env['NODE_NAME'] ?? '';
  if (nodeName !== '') return nodeName;
  const pod = env['POD_NAME'] ?? '';
  const namespace = env['POD_NAMESPACE'] ?? '';
  if (pod === '' || namespace === '') {
    throw new FlannelError('FLAG_INVALID', 'env variables POD_NAME and POD_NAMESPACE must be set');
  }
  let found: string;
  try {
    found = await options.client.getPodNodeName(namespace, pod, options.signal === undefined ? {} : { signal: options.signal });
  } catch (error) {
    const auth = KubeError.isInstance(error) && (error.code === 'UNAUTHORIZED' || error.code === 'FORBIDDEN');
    throw new FlannelError(auth ? 'DATASTORE_AUTH_FAILED' : 'DATASTORE_UNAVAILABLE', `error retrieving pod spec for '${namespace}/${pod}': ${(error as Error).message}`, {
      cause: error,
      isRetryable: !auth && KubeError.isInstance(error) && error.retryable,
    });
  }
  if (found === '') throw new FlannelError('FLAG_INVALID', `node name not present in pod spec '${namespace}/${pod}'`);
  return found;
}
