import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import type { EtcdClient, WatchStream } from './etcd-client.js';
import type { AuthenticateRequest, WatchResponse } from './messages.js';
import * as methods from './methods.js';
import { run, startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';
import { watchCanceledError } from './watch-canceled-error.js';

// clientv3's retry_interceptor.go (`shouldRefreshToken`) and watch.go: a token etcd calls invalid, old or
// missing is dropped and fetched again, for unary calls and for watches.
const PASSWORD = 'Pa55-refresh-etcd-pw';
const key = (text: string): Buffer => Buffer.from(text);

/** A client that counts its Authenticate calls. */
function countingClient(endpoint: string): { client: EtcdClient; authentications: () => number } {
  let count = 0;
  const authAuthenticate = {
    ...methods.authAuthenticate,
    encode: (request: AuthenticateRequest) => {
      count += 1;
      return methods.authAuthenticate.encode(request);
    },
  };
  const client = createEtcdClient({ endpoints: [endpoint], auth: { username: 'root', password: PASSWORD } }, { methods: { ...methods, authAuthenticate } });
  return { client, authentications: () => count };
}

/** Opens a watch on `name` and returns its first response (created, or canceled) or the error that ended it. */
interface Opened {
  readonly stream: WatchStream;
  readonly responses: AsyncIterator<WatchResponse>;
}

async function firstResponse(client: EtcdClient, name: string): Promise<Opened & { response?: WatchResponse; error?: unknown }> {
  const stream = client.watch();
  stream.send({ create: { key: key(name) } });
  const responses = stream[Symbol.asyncIterator]();
  try {
    const next = await responses.next();
    return { stream, responses, response: next.done ? undefined : next.value };
  } catch (error) {
    return { stream, responses, error };
  }
}

/** Reconnects a watch as watchRange does (a failed or canceled attempt is retried) until one is created. */
async function watchUntilCreated(client: EtcdClient, name: string): Promise<Opened & { failures: unknown[] }> {
  const failures: unknown[] = [];
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const { stream, responses, response, error } = await firstResponse(client, name);
    if (response?.created && !response.canceled) return { stream, responses, failures };
    stream.close();
    failures.push(error ?? (response ? watchCanceledError(response) : new Error('stream ended')));
  }
  throw new Error(`no watch created after 5 attempts: ${failures.map(String).join('; ')}`);
}

async function enableAuth(etcd: LocalEtcd): Promise<void> {
  await etcd.etcdctl(['user', 'add', 'root', `--new-user-password=${PASSWORD}`]);
  await etcd.etcdctl(['auth', 'enable']);
  etcd.useCredentials(`root:${PASSWORD}`);
}

// A 1 s simple-token TTL makes the cached token invalid by the time the test opens the watch.
describe('token refresh with simple tokens (TTL, restart)', () => {
  let etcd: LocalEtcd;
  beforeAll(async () => {
    etcd = await startLocalEtcd({ extraArgs: ['--auth-token-ttl=1'] });
    await enableAuth(etcd);
  });
  afterAll(async () => {
    await etcd?.close();
  });

  it('a watch opened after the token expired (TTL) fetches a new one', async () => {
    const { client, authentications } = countingClient(etcd.endpoint);
    try {
      await client.range({ key: key('/r/ttl') });
      // Token expiry has no event to await: wait out the 1 s TTL.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const { stream, failures } = await watchUntilCreated(client, '/r/ttl');
      stream.close();
      expect(failures).toEqual([expect.objectContaining({ code: 'AUTH_FAILED', reason: 'INVALID_AUTH_TOKEN', retryable: true })]);
      expect(authentications()).toBe(2);
    } finally {
      client.close();
    }
  });

  it('a watch reconnecting after a restart fetches a new token instead of reusing the dead one', async () => {
    const { client, authentications } = countingClient(etcd.endpoint);
    try {
      const first = await watchUntilCreated(client, '/r/watch');
      expect(first.failures).toEqual([]);
      expect(authentications()).toBe(1);
      first.stream.close();
      await etcd.stop();
      await etcd.start();
      // The cached token is unknown now: at most one attempt fails (typed, retryable), the next is created.
      const again = await watchUntilCreated(client, '/r/watch');
      // Whether the old token is refused depends on the restart outlasting its 1 s TTL: if it is, exactly one
      // attempt fails, typed and retryable, and the next one authenticates again; never a loop of reconnects.
      expect(again.failures.length).toBeLessThanOrEqual(1);
      for (const failure of again.failures) expect(failure).toMatchObject({ code: 'AUTH_FAILED', reason: 'INVALID_AUTH_TOKEN', retryable: true });
      expect(authentications()).toBe(1 + again.failures.length);
      // …and it delivers events.
      await etcd.etcdctl(['put', '/r/watch', 'v']);
      let next = await again.responses.next();
      while (!next.done && next.value.events.length === 0) next = await again.responses.next();
      expect(next.done ? undefined : String(next.value.events[0]?.kv.value)).toBe('v');
      again.stream.close();
    } finally {
      client.close();
    }
  });
});

describe('token refresh with JWT tokens (an auth change makes them old)', () => {
  let etcd: LocalEtcd;
  let keys: string;
  beforeAll(async () => {
    keys = mkdtempSync(join(tmpdir(), 'fts-etcd-jwt-'));
    await run('openssl', ['genrsa', '-out', join(keys, 'jwt.key'), '2048']);
    await run('openssl', ['rsa', '-in', join(keys, 'jwt.key'), '-pubout', '-out', join(keys, 'jwt.pub')]);
    const jwt = `--auth-token=jwt,pub-key=${join(keys, 'jwt.pub')},priv-key=${join(keys, 'jwt.key')},sign-method=RS256,ttl=10m`;
    etcd = await startLocalEtcd({ extraArgs: [jwt] });
    await enableAuth(etcd);
  });
  afterAll(async () => {
    await etcd?.close();
    if (keys) rmSync(keys, { recursive: true, force: true });
  });

  it('a put after `user add` refreshes the token once ("revision of auth store is old") and succeeds', async () => {
    const { client, authentications } = countingClient(etcd.endpoint);
    try {
      await client.put({ key: key('/j/a'), value: key('1') });
      expect(authentications()).toBe(1);
      await etcd.etcdctl(['user', 'add', 'other-1', `--new-user-password=${PASSWORD}`]);
      await client.put({ key: key('/j/a'), value: key('2') });
      expect(authentications()).toBe(2);
      expect(String((await client.range({ key: key('/j/a') })).kvs[0]?.value)).toBe('2');
    } finally {
      client.close();
    }
  });

  it('a watch opened after `user add` gets a new token on its next attempt', async () => {
    const { client, authentications } = countingClient(etcd.endpoint);
    try {
      await client.range({ key: key('/j/w') });
      expect(authentications()).toBe(1);
      await etcd.etcdctl(['user', 'add', 'other-2', `--new-user-password=${PASSWORD}`]);
      const { stream, failures } = await watchUntilCreated(client, '/j/w');
      stream.close();
      expect(failures).toEqual([expect.objectContaining({ code: 'AUTH_FAILED', reason: 'AUTH_OLD_REVISION', retryable: true })]);
      expect(authentications()).toBe(2);
    } finally {
      client.close();
    }
  });
});

describe('token refresh when auth is enabled under a running client', () => {
  let etcd: LocalEtcd;
  beforeAll(async () => {
    etcd = await startLocalEtcd();
  });
  afterAll(async () => {
    await etcd?.close();
  });

  it('works without a token while etcd has no auth, then authenticates on "user name is empty"', async () => {
    const { client, authentications } = countingClient(etcd.endpoint);
    try {
      // etcd answers Authenticate with "authentication is not enabled": calls go without a token.
      await client.put({ key: key('/e/a'), value: key('1') });
      expect(authentications()).toBe(1);
      await enableAuth(etcd);
      await client.put({ key: key('/e/a'), value: key('2') });
      expect(authentications()).toBe(2);
      expect(String((await client.range({ key: key('/e/a') })).kvs[0]?.value)).toBe('2');
    } finally {
      client.close();
    }
  });
});
