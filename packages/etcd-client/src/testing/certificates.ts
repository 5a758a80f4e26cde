// Test-only: throwaway PKI made with openssl (EC P-256, valid one day).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './local-etcd.js';

/** A temp dir of PEM files: `ca`, `wrong-ca`, `server` (IP 127.0.0.1, signed by `ca`), `client` (signed by `ca`). */
export interface TestPki {
  readonly dir: string;
  /** Path of `<name>.crt` / `<name>.key`. */
  file(name: string): string;
  remove(): void;
}

/** Creates {@link TestPki}. */
export async function createTestPki(): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'fts-etcd-client-pki-'));
  const file = (name: string): string => join(dir, name);
  const certificate = async (name: string, options: { ca?: string; extensions?: string } = {}): Promise<void> => {
    const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', file(`${name}.key`)];
    if (!options.ca) {
      await run('openssl', ['req', '-x509', ...key, '-out', file(`${name}.crt`), '-subj', `/CN=${name}`, '-days', '1']);
      return;
    }
    await run('openssl', ['req', ...key, '-out', file(`${name}.csr`), '-subj', `/CN=${name}`]);
    writeFileSync(file(`${name}.ext`), options.extensions ?? '');
    await run('openssl', [
      'x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${options.ca}.crt`), '-CAkey', file(`${options.ca}.key`),
      '-CAcreateserial', '-out', file(`${name}.crt`), '-days', '1', '-extfile', file(`${name}.ext`),
    ]);
  };
  try {
    await certificate('ca');
    await certificate('wrong-ca');
    await certificate('server', { ca: 'ca', extensions: 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' });
    await certificate('client', { ca: 'ca', extensions: 'extendedKeyUsage=clientAuth\n' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
