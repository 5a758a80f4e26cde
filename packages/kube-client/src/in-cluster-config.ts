import { readFileSync } from 'node:fs';
import { KubeError } from './kube-error.js';
import type { KubeClientConfig, ReadTextFile } from './kube-client-config.js';

/** The service-account directory every pod gets (client-go `rest.InClusterConfig`). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Options of {@link inClusterConfig}. */
export interface InClusterConfigOptions {
  /** Environment (default `process.env`): `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default `fs.readFileSync(…, 'utf8')`. */
  readonly readFile?: ReadTextFile;
  /** Default {@link SERVICE_ACCOUNT_DIR}. */
  readonly serviceAccountDir?: string;
}

/**
 * client-go's `rest.InClusterConfig`: `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT` (IPv6
 * bracketed), the service account's `ca.crt`, and its `token` as a token **file**, re-read by the client
 * because bound tokens rotate.
 *
 * @example
 * ```ts
 * const client = createKubeClient(inClusterConfig());
 * ```
 */
export function inClusterConfig(options: InClusterConfigOptions = {}): KubeClientConfig {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const directory = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (host === undefined || host === '' || port === undefined || port === '') {
    throw new KubeError(
      'CONFIG_INVALID',
      'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined',
    );
  }
  const tokenFile = `${directory}/token`;
  try {
    readFile(tokenFile);
  } catch (error) {
    throw new KubeError('CONFIG_INVALID', `in-cluster token file ${tokenFile} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let caData: string | undefined;
  try {
    caData = readFile(`${directory}/ca.crt`);
  } catch {
    caData = undefined; // client-go logs and continues with the system roots
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return { server: `https://${hostPart}:${port}`, tokenFile, ...(caData !== undefined && { caData }), source: 'in-cluster' };
}
