/**
 * Where the API server is and how to authenticate to it (client-go's `rest.Config`, the part flannel uses).
 * PEM material is held as text; file paths are read when the config is built.
 */
export interface KubeClientConfig {
  /** `https://10.96.0.1:443`, `http://127.0.0.1:8080`; a path prefix is kept. */
  readonly server: string;
  /** CA bundle (PEM) to verify the server with; the system roots when absent. */
  readonly caData?: string;
  /** Client certificate (PEM). */
  readonly certData?: string;
  /** Client key (PEM). Never logged. */
  readonly keyData?: string;
  /** A bearer token. Never logged. */
  readonly token?: string;
  /** A file holding the bearer token, re-read periodically (bound service-account tokens rotate). */
  readonly tokenFile?: string;
  /** `insecure-skip-tls-verify`. */
  readonly insecureSkipTlsVerify?: boolean;
  /** `tls-server-name`: the name to verify the server certificate against. */
  readonly tlsServerName?: string;
  /** Where the config came from, for logs: `kubeconfig <path> context <name>`, `in-cluster`, `--kube-api-url`. */
  readonly source: string;
}

/** What config loaders read: a file's text (`fs.readFileSync(path, 'utf8')`). Injected for tests. */
export type ReadTextFile = (path: string) => string;
