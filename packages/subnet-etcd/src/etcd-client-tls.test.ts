import { FlannelError } from '@flannel-ts/core';
import { recordingLogger } from '@flannel-ts/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, startLocalEtcd, type LocalEtcd, type TestPki } from '@flannel-ts/etcd-client/testing';
import { INSECURE_WARNING } from './etcd-client.js';
import { createEtcdSubnetManager } from './etcd-subnet-manager.js';

let pki: TestPki;
let etcd: LocalEtcd;
const file = (name: string): string => pki.file(name);

beforeAll(async () => {
  pki = await createTestPki();
  etcd = await startLocalEtcd({
    tls: {
      certFile: file('server.crt'),
      keyFile: file('server.key'),
      trustedCaFile: file('ca.crt'),
      clientCertFile: file('client.crt'),
      clientKeyFile: file('client.key'),
    },
  });
  await etcd.etcdctl(['put', '/coreos.com/network/config', '{"Network":"10.30.0.0/16"}']);
});
afterAll(async () => {
  await etcd?.close();
  pki?.remove();
});

describe('etcd client TLS', () => {
  it('connects with a client certificate, without the insecure warning', async () => {
    const logger = recordingLogger();
    const manager = createEtcdSubnetManager({
      endpoints: etcd.endpoint,
      keyFile: file('client.key'),
      certFile: file('client.crt'),
      caFile: file('ca.crt'),
      logger,
    });
    try {
      const config = await manager.getNetworkConfig();
      expect(config.network?.toString()).toBe('10.30.0.0/16');
      expect(logger.lines.map((line) => line.message)).not.toContain(INSECURE_WARNING);
    } finally {
      await manager.close();
    }
  });

  it('refuses a server its CA does not vouch for, with a clear message and no secret in it', async () => {
    const manager = createEtcdSubnetManager({
      endpoints: etcd.endpoint,
      keyFile: file('client.key'),
      certFile: file('client.crt'),
      caFile: file('wrong-ca.crt'),
      username: 'flannel',
      password: 'hunter2-secret',
      requestTimeout: 3_000,
    });
    try {
      const error = await manager.getNetworkConfig().catch((caught: unknown) => caught);
      expect(FlannelError.isInstance(error)).toBe(true);
      const flannelError = error as FlannelError;
      expect(flannelError.code).toBe('DATASTORE_AUTH_FAILED');
      expect(flannelError.message).toMatch(/TLS connection to etcd failed/);
      expect(`${flannelError.message} ${String((flannelError.cause as Error)?.message)}`).not.toContain('hunter2-secret');
    } finally {
      await manager.close();
    }
  });

  it('warns like flannel when no client certificate is configured', async () => {
    const logger = recordingLogger();
    const manager = createEtcdSubnetManager({ endpoints: 'http://127.0.0.1:1', logger });
    await manager.close();
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: INSECURE_WARNING }));
  });

  it('names the unreadable file when a TLS file is missing', () => {
    expect(() =>
      createEtcdSubnetManager({ endpoints: etcd.endpoint, keyFile: file('nope.key'), certFile: file('client.crt') }),
    ).toThrow(/etcd keyfile .*nope\.key is invalid: cannot read it \(ENOENT\)/);
  });
});
