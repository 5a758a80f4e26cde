import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import type { EtcdClient } from './etcd-client.js';
import type { AuthenticateRequest } from './messages.js';
import * as methods from './methods.js';
import { startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';
import { etcdFailure } from './testing/etcd-failure.js';

const PASSWORD = 'Pa55-secret-etcd-pw';
const WRONG_PASSWORD = 'Wr0ng-secret-etcd-pw';
let etcd: LocalEtcd;
const key = (text: string): Buffer => Buffer.from(text);
const clients: EtcdClient[] = [];
const client = (auth?: { username: string; password: string }): EtcdClient => {
  const created = createEtcdClient({ endpoints: [etcd.endpoint], auth });
  clients.push(created);
  return created;
};

/** Everything an error could leak through: message, stack, causes, inspection. */
function everything(error: unknown): string {
  return `${inspect(error, { depth: 10, showHidden: true })} ${JSON.stringify(error)} ${String((error as Error).stack)}`;
}

beforeAll(async () => {
  etcd = await startLocalEtcd();
  await etcd.etcdctl(['user', 'add', 'root', `--new-user-password=${PASSWORD}`]);
  await etcd.etcdctl(['user', 'add', 'reader', `--new-user-password=${PASSWORD}`]);
  await etcd.etcdctl(['role', 'add', 'read-only']);
  await etcd.etcdctl(['role', 'grant-permission', 'read-only', 'read', '/a']);
  await etcd.etcdctl(['user', 'grant-role', 'reader', 'read-only']);
  await etcd.etcdctl(['auth', 'enable']);
  etcd.useCredentials(`root:${PASSWORD}`);
});
afterAll(async () => {
  for (const created of clients) created.close();
  await etcd?.close();
});

describe('createEtcdClient with auth', () => {
  it('authenticates lazily and sends the token with calls and watches', async () => {
    const root = client({ username: 'root', password: PASSWORD });
    await root.put({ key: key('/a'), value: key('1') });
    expect(String((await root.range({ key: key('/a') })).kvs[0]?.value)).toBe('1');
    const watch = root.watch();
    watch.send({ create: { key: key('/a') } });
    for await (const response of watch) {
      expect(response.created).toBe(true);
      break;
    }
  });

  it('a wrong password fails with AUTH_FAILED and etcd’s message, never the password', async () => {
    const wrong = client({ username: 'root', password: WRONG_PASSWORD });
    const error = await etcdFailure(wrong.range({ key: key('/a') }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe(`etcd Auth/Authenticate on ${etcd.endpoint} failed: etcdserver: authentication failed, invalid user ID or password`);
    expect(everything(error)).not.toContain(WRONG_PASSWORD);
    expect(everything(error)).not.toContain(PASSWORD);
    // A failed authentication is not cached: the next call tries again (and fails the same way).
    expect((await etcdFailure(wrong.put({ key: key('/a'), value: key('2') }))).code).toBe('AUTH_FAILED');
  });

  it('without credentials calls fail with AUTH_FAILED', async () => {
    const error = await etcdFailure(client().range({ key: key('/a') }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/etcdserver: user name is empty/);
  });

  it('a user without the right permission gets PERMISSION_DENIED', async () => {
    const reader = client({ username: 'reader', password: PASSWORD });
    expect((await reader.range({ key: key('/a') })).kvs).toHaveLength(1);
    const error = await etcdFailure(reader.put({ key: key('/a'), value: key('3') }));
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toMatch(/etcdserver: permission denied/);
  });

  it('re-authenticates once when etcd no longer knows the token (restart forgets simple tokens)', async () => {
    let authentications = 0;
    const counting = { ...methods.authAuthenticate, encode: (request: AuthenticateRequest) => {
      authentications += 1;
      return methods.authAuthenticate.encode(request);
    } };
    const root = createEtcdClient({ endpoints: [etcd.endpoint], auth: { username: 'root', password: PASSWORD } }, { methods: { ...methods, authAuthenticate: counting } });
    clients.push(root);
    await root.range({ key: key('/a') });
    await root.put({ key: key('/a'), value: key('1') });
    expect(authentications).toBe(1);
    await etcd.stop();
    await etcd.start();
    expect(String((await root.range({ key: key('/a') })).kvs[0]?.value)).toBe('1');
    await root.put({ key: key('/a'), value: key('4') });
    expect(authentications).toBe(2);
  });
});
