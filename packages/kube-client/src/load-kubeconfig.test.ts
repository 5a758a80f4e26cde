import { describe, expect, it } from 'vitest';
import { buildConfigFromFlags } from './build-config.js';
import { inClusterConfig } from './in-cluster-config.js';
import { KubeError } from './kube-error.js';
import { loadKubeconfig } from './load-kubeconfig.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = Buffer.from(PEM).toString('base64');

function files(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const found = map[path];
    if (found === undefined) throw new Error(`ENOENT: ${path}`);
    return found;
  };
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
current-context: admin@kind
clusters:
- name: kind
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: ${b64}
- name: other
  cluster:
    server: https://other:6443
    certificate-authority: ca.crt
contexts:
- name: admin@kind
  context: {cluster: kind, user: admin}
- name: sa@other
  context: {cluster: other, user: sa}
users:
- name: admin
  user:
    client-certificate-data: ${b64}
    client-key-data: ${Buffer.from('-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----\n').toString('base64')}
- name: sa
  user:
    tokenFile: token
`;

describe('loadKubeconfig', () => {
  it('reads the current context: server, CA and client certificate from *-data', () => {
    const config = loadKubeconfig('/k/config', { readFile: files({ '/k/config': KUBECONFIG }) });
    expect(config.server).toBe('https://10.0.0.1:6443');
    expect(config.caData).toBe(PEM);
    expect(config.certData).toBe(PEM);
    expect(config.keyData).toContain('EC PRIVATE KEY');
    expect(config.source).toBe('kubeconfig /k/config context admin@kind');
  });

  it('resolves file references against the kubeconfig directory and keeps tokenFile as a file', () => {
    const config = loadKubeconfig('/k/config', { context: 'sa@other', readFile: files({ '/k/config': KUBECONFIG, '/k/ca.crt': PEM }) });
    expect(config.caData).toBe(PEM);
    expect(config.tokenFile).toBe('/k/token');
    expect(config.token).toBeUndefined();
  });

  it('refuses exec credential plugins with a clear error', () => {
    const text = KUBECONFIG.replace('tokenFile: token', 'exec: {command: aws}');
    expect(() => loadKubeconfig('/k/config', { context: 'sa@other', readFile: files({ '/k/config': text, '/k/ca.crt': PEM }) })).toThrow(
      'kubeconfig /k/config: users[sa].user.exec is not supported',
    );
  });

  it('names the missing piece: context, cluster, server', () => {
    const read = files({ '/k/config': KUBECONFIG });
    expect(() => loadKubeconfig('/k/config', { context: 'nope', readFile: read })).toThrow('context "nope" not found');
    expect(() => loadKubeconfig('/k/config', { readFile: files({ '/k/config': 'clusters: []' }) })).toThrow('current-context is not set');
    expect(() => loadKubeconfig('/missing', { readFile: read })).toThrow(/kubeconfig \/missing: cannot be read/);
    let caught: unknown;
    try {
      loadKubeconfig('/k/config', { readFile: files({ '/k/config': '- a list' }) });
    } catch (error) {
      caught = error;
    }
    expect(KubeError.isInstance(caught) && caught.code).toBe('CONFIG_INVALID');
  });
});

describe('inClusterConfig', () => {
  it('builds https://host:port (IPv6 bracketed) with the service-account token file and CA', () => {
    const config = inClusterConfig({
      env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: '/sa',
      readFile: files({ '/sa/token': 't0k3n', '/sa/ca.crt': PEM }),
    });
    expect(config).toEqual({ server: 'https://[fd00::1]:443', tokenFile: '/sa/token', caData: PEM, source: 'in-cluster' });
  });

  it('fails with client-go words when the environment is missing', () => {
    expect(() => inClusterConfig({ env: {} })).toThrow('KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
  });
});

describe('buildConfigFromFlags', () => {
  it('uses --kube-api-url alone with no credentials', () => {
    expect(buildConfigFromFlags({ apiUrl: 'http://127.0.0.1:8080' })).toEqual({ server: 'http://127.0.0.1:8080', source: '--kube-api-url' });
  });

  it('lets --kube-api-url override the kubeconfig server', () => {
    const config = buildConfigFromFlags({ apiUrl: 'https://1.2.3.4', kubeconfigPath: '/k/config', readFile: files({ '/k/config': KUBECONFIG }) });
    expect(config.server).toBe('https://1.2.3.4');
    expect(config.certData).toBe(PEM);
  });

  it('falls back to in-cluster config only when both are empty, with client-go warning', () => {
    const warnings: string[] = [];
    const logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m: unknown) => void warnings.push(String(m)), child: () => logger };
    expect(() => buildConfigFromFlags({ env: {}, logger })).toThrow(/must be defined/);
    expect(warnings).toEqual(['Neither --kubeconfig nor --master was specified. Using the inClusterConfig. This might not work.']);
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => buildConfigFromFlags({ apiUrl: 'ftp://x' })).toThrow('--kube-api-url "ftp://x" is invalid: scheme must be http or https');
  });
});
