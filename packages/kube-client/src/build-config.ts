import type { Logger } from '@flannel-ts/core';
import { inClusterConfig, type InClusterConfigOptions } from './in-cluster-config.js';
import { KubeError } from './kube-error.js';
import type { KubeClientConfig } from './kube-client-config.js';
import { loadKubeconfig } from './load-kubeconfig.js';

/** Options of {@link buildConfigFromFlags}. */
export interface BuildConfigOptions extends InClusterConfigOptions {
  /** `--kube-api-url`. */
  readonly apiUrl?: string;
  /** `--kubeconfig-file`. */
  readonly kubeconfigPath?: string;
  readonly logger?: Logger;
}

/**
 * client-go's `clientcmd.BuildConfigFromFlags(apiUrl, kubeconfig)` as flannel calls it
 * (`pkg/subnet/kube/kube.go`): both empty → in-cluster config (with client-go's warning); a URL alone → that
 * host with no credentials; a kubeconfig → its current context, with the URL overriding its `server`.
 *
 * @example
 * ```ts
 * const config = buildConfigFromFlags({ apiUrl: 'http://127.0.0.1:8080' });
 * ```
 */
export function buildConfigFromFlags(options: BuildConfigOptions): KubeClientConfig {
  const apiUrl = options.apiUrl ?? '';
  const kubeconfigPath = options.kubeconfigPath ?? '';
  if (apiUrl !== '') checkUrl(apiUrl);
  if (kubeconfigPath === '') {
    if (apiUrl !== '') return { server: apiUrl, source: '--kube-api-url' };
    options.logger?.warn('Neither --kubeconfig nor --master was specified. Using the inClusterConfig. This might not work.');
    return inClusterConfig(options);
  }
  const config = loadKubeconfig(kubeconfigPath, options.readFile === undefined ? {} : { readFile: options.readFile });
  return apiUrl === '' ? config : { ...config, server: apiUrl, source: `${config.source}, server from --kube-api-url` };
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KubeError('CONFIG_INVALID', `--kube-api-url "${url}" is invalid: must be an http:// or https:// URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new KubeError('CONFIG_INVALID', `--kube-api-url "${url}" is invalid: scheme must be http or https`);
  }
}
