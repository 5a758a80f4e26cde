import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import type { EtcdTlsOptions } from './etcd-client.js';
import { EtcdError } from './etcd-error.js';
import { createTestPki, type TestPki } from './testing/certificates.js';
import { startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';

let pki: TestPki;
let etcd: LocalEtcd;
const pem = (name: string): string => readFileSync(pki.file(name), 'utf8');

beforeAll(async () => {
  pki = await createTestPki();
  etcd = await startLocalEtcd({
    tls: {
      certFile: pki.file('server.crt'),
      keyFile: pki.file('server.key'),
      trustedCaFile: pki.file('ca.crt'),
      clientCertFile: pki.file('client.crt'),
      clientKeyFile: pki.file('client.key'),
    },
  });
});
afterAll(async () => {
  await etcd?.close();
  pki?.remove();
});

async function rangeWith(tls: EtcdTlsOptions): Promise<unknown> {
  const client = createEtcdClient({ endpoints: [etcd.endpoint], tls });
  try {
    return await client.range({ key: Buffer.from('/tls') });
  } catch (error) {
    return error;
  } finally {
    client.close();
  }
}

describe('createEtcdClient over TLS', () => {
  it('connects with the right CA and a client certificate', async () => {
    const result = await rangeWith({ ca: pem('ca.crt'), cert: pem('client.crt'), key: pem('client.key') });
    expect(result).toMatchObject({ kvs: [] });
  });

  it('a server certificate from an unknown CA fails with TLS_FAILED and Node’s reason', async () => {
    const error = await rangeWith({ ca: pem('wrong-ca.crt'), cert: pem('client.crt'), key: pem('client.key') });
    expect(EtcdError.isInstance(error) && error.code).toBe('TLS_FAILED');
    expect((error as Error).message).toMatch(/^etcd KV\/Range on https:\/\/127\.0\.0\.1:\d+ failed: TLS handshake failed: unable to verify the first certificate$/);
    expect(inspect(error, { depth: 10 })).not.toContain(pem('client.key').split('\n')[1]);
  });

  it('without the client certificate etcd requires, the call fails with TLS_FAILED', async () => {
    const error = await rangeWith({ ca: pem('ca.crt') });
    expect(EtcdError.isInstance(error) && error.code).toBe('TLS_FAILED');
    expect((error as Error).message).toMatch(/certificate/);
  });

  it('checks the certificate against the URL host name (SNI/servername from the URL)', async () => {
    const client = createEtcdClient({
      endpoints: [etcd.endpoint.replace('127.0.0.1', 'localhost')],
      tls: { ca: pem('ca.crt'), cert: pem('client.crt'), key: pem('client.key') },
    });
    try {
      const error = await client.range({ key: Buffer.from('/tls') }).catch((caught: unknown) => caught);
      expect(EtcdError.isInstance(error) && error.code).toBe('TLS_FAILED');
      expect((error as Error).message).toMatch(/TLS handshake failed: Hostname\/IP does not match certificate's altnames: Host: localhost\./);
    } finally {
      client.close();
    }
  });
});
