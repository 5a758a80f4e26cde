import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '@flannel-ts/core/testing';
import { createTestPki } from '@flannel-ts/etcd-client/testing';
import { KUBE_FLANNEL_CLUSTER_ROLE, startFakeKubeApiServer, type FakeKubeApiServer } from './testing/index.js';
import { createKubeClient, type KubeClient } from './kube-client.js';
import { KubeError } from './kube-error.js';
import { reflectNodes, type ReflectorItem } from './reflect-nodes.js';

let server: FakeKubeApiServer | undefined;
let client: KubeClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function open(options: Parameters<typeof startFakeKubeApiServer>[0] = {}): Promise<{ server: FakeKubeApiServer; client: KubeClient }> {
  server = await startFakeKubeApiServer(options);
  client = createKubeClient({ server: server.url, source: 'test' });
  return { server, client };
}

async function caught(promise: Promise<unknown>): Promise<KubeError> {
  try {
    await promise;
  } catch (error) {
    if (KubeError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a KubeError');
}

describe('createKubeClient', () => {
  it('lists nodes with client-go shape limit=500&resourceVersion=0 and keeps only what flannel needs', async () => {
    const { server, client } = await open();
    server.createNode({ name: 'n1', podCIDR: '10.244.1.0/24', annotations: { a: 'b' } });
    server.createNode({ name: 'n2', podCIDRs: ['10.244.2.0/24', 'fd00::/64'] });
    const list = await client.listNodes();
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/v1/nodes', query: { limit: '500', resourceVersion: '0' }, accept: 'application/json, */*' });
    expect(list.resourceVersion).toBe(String(server.resourceVersion));
    expect(list.nodes.map((n) => [n.name, n.podCIDR, n.podCIDRs, n.annotations])).toEqual([
      ['n1', '10.244.1.0/24', ['10.244.1.0/24'], { a: 'b' }],
      ['n2', '10.244.2.0/24', ['10.244.2.0/24', 'fd00::/64'], { 'node.alpha.kubernetes.io/ttl': '0' }],
    ]);
    expect(Object.keys(list.nodes[0]!).sort()).toEqual(['annotations', 'name', 'podCIDR', 'podCIDRs', 'resourceVersion', 'uid']);
  });

  it('keeps only the annotations with annotationPrefix', async () => {
    server = await startFakeKubeApiServer();
    client = createKubeClient({ server: server.url, source: 'test' });
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 100; i++) server.createNode({ name: `n${i}`, podCIDR: `10.244.${i}.0/24`, annotations: { 'p/a': `v${i}`, other: big } });
    const list = await client.listNodes({ annotationPrefix: 'p/' });
    expect(list.nodes).toHaveLength(100);
    expect(list.nodes[7]!.annotations).toEqual({ 'p/a': 'v7' });
  });

  it('follows metadata.continue over 3 pages as client-go\'s pager does: later pages carry the token and no resourceVersion', async () => {
    const { server, client } = await open({ paginateLists: true });
    for (let i = 0; i < 1201; i++) server.createNode({ name: `n${i}`, podCIDR: `10.${i >> 8}.${i & 255}.0/24`, annotations: { 'p/a': `v${i}`, other: 'x' } });
    const version = String(server.resourceVersion);
    const list = await client.listNodes({ annotationPrefix: 'p/' });
    const lists = server.requests.filter((r) => r.path === '/api/v1/nodes');
    expect(lists.map((r) => Object.keys(r.query).sort().join('&'))).toEqual(['limit&resourceVersion', 'continue&limit', 'continue&limit']);
    expect(lists.map((r) => r.query['limit'])).toEqual(['500', '500', '500']);
    expect(lists[0]!.query['resourceVersion']).toBe('0');
    expect(list.resourceVersion).toBe(version);
    expect(list.nodes.map((node) => node.name)).toEqual(Array.from({ length: 1201 }, (_, i) => `n${i}`));
    expect(list.nodes[1200]!).toMatchObject({ podCIDR: '10.4.176.0/24', annotations: { 'p/a': 'v1200' } });
  });

  it('falls back to one full list (resourceVersion=0, no limit) when a continue token has expired (410)', async () => {
    const { server, client } = await open({ paginateLists: true });
    for (let i = 0; i < 1001; i++) server.createNode({ name: `n${i}` });
    server.addFault({ path: '/api/v1/nodes', query: /(^|&)continue=/, status: 410, reason: 'Expired', message: 'The provided continue parameter is too old', times: 1 });
    const list = await client.listNodes();
    const lists = server.requests.filter((r) => r.path === '/api/v1/nodes');
    expect(lists.map((r) => r.query)).toEqual([{ limit: '500', resourceVersion: '0' }, { continue: expect.any(String), limit: '500' }, { resourceVersion: '0' }]);
    expect(list.nodes).toHaveLength(1001);
    expect(list.resourceVersion).toBe(String(server.resourceVersion));
  });

  it('rejects NOT_FOUND carrying the API Status', async () => {
    const { client } = await open();
    const error = await caught(client.getNode('nope'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('nodes "nope" not found');
    expect(error.status).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, details: { name: 'nope', kind: 'nodes' } });
  });

  it('patches nodes/status with a strategic merge patch', async () => {
    const { server, client } = await open();
    server.createNode({ name: 'n1', podCIDR: '10.244.1.0/24' });
    const node = await client.patchNodeStatus('n1', { metadata: { annotations: { 'x/y': 'z' } } });
    expect(node.annotations['x/y']).toBe('z');
    expect(server.requests.at(-1)).toMatchObject({ method: 'PATCH', path: '/api/v1/nodes/n1/status', contentType: 'application/strategic-merge-patch+json' });
  });

  it('reads a pod spec.nodeName', async () => {
    const { server, client } = await open();
    server.createPod('kube-system', 'flannel-x', 'n7');
    expect(await client.getPodNodeName('kube-system', 'flannel-x')).toBe('n7');
  });

  it('maps 5xx to retryable UNAVAILABLE and a refused connection too', async () => {
    const { server, client } = await open();
    server.addFault({ path: '/api/v1/nodes', status: 503, times: 1 });
    const error = await caught(client.listNodes());
    expect([error.code, error.retryable, error.httpStatus]).toEqual(['UNAVAILABLE', true, 503]);
    const url = server.url;
    await server.close();
    const offline = createKubeClient({ server: url, source: 'test' });
    expect((await caught(offline.getNode('n1'))).code).toBe('UNAVAILABLE');
    offline.close();
  });

  it('sends the token over HTTPS, and 401/403 come back as UNAUTHORIZED/FORBIDDEN with the Status reason', async () => {
    const pki = await createTestPki();
    try {
      server = await startFakeKubeApiServer({
        tls: { cert: readFileSync(pki.file('server.crt'), 'utf8'), key: readFileSync(pki.file('server.key'), 'utf8') },
        users: [{ token: 'flannel-token', name: 'system:serviceaccount:kube-flannel:flannel', rules: KUBE_FLANNEL_CLUSTER_ROLE }],
      });
      server.createNode({ name: 'n1', podCIDR: '10.244.1.0/24' });
      const caData = readFileSync(pki.file('ca.crt'), 'utf8');
      client = createKubeClient({ server: server.url, caData, token: 'flannel-token', source: 'test' });
      expect((await client.getNode('n1')).name).toBe('n1');
      expect(server.requests.at(-1)?.user).toBe('system:serviceaccount:kube-flannel:flannel');
      const forbidden = await caught(client.request('PATCH', '/api/v1/nodes/n1', { body: {}, contentType: 'application/merge-patch+json' }));
      expect([forbidden.code, forbidden.status?.reason]).toEqual(['FORBIDDEN', 'Forbidden']);
      expect(forbidden.message).toBe(
        'nodes "n1" is forbidden: User "system:serviceaccount:kube-flannel:flannel" cannot patch resource "nodes" in API group "" at the cluster scope',
      );
      const stranger = createKubeClient({ server: server.url, caData, token: 'wrong', source: 'test' });
      const unauthorized = await caught(stranger.getNode('n1'));
      expect([unauthorized.code, unauthorized.status?.reason, unauthorized.message]).toEqual(['UNAUTHORIZED', 'Unauthorized', 'Unauthorized']);
      expect(unauthorized.message).not.toContain('wrong');
      stranger.close();
      const untrusting = createKubeClient({ server: server.url, token: 'flannel-token', source: 'test' });
      expect((await caught(untrusting.getNode('n1'))).code).toBe('TLS_FAILED');
      untrusting.close();
    } finally {
      pki.remove();
    }
  });

  it('re-reads a token file after the refresh interval (rotated service-account tokens)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fts-kube-token-'));
    try {
      server = await startFakeKubeApiServer({ users: [{ token: 'old', name: 'old' }, { token: 'new', name: 'new' }] });
      server.createNode({ name: 'n1' });
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, 'old\n');
      let now = 0;
      client = createKubeClient({ server: server.url, tokenFile, source: 'test' }, { clock: () => now });
      await client.getNode('n1');
      writeFileSync(tokenFile, 'new\n');
      await client.getNode('n1');
      now += 61_000;
      await client.getNode('n1');
      expect(server.requests.map((r) => r.user)).toEqual(['old', 'old', 'new']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function take(iterator: AsyncIterator<ReflectorItem>, count: number): Promise<ReflectorItem[]> {
  const out: ReflectorItem[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    if (next.value.type !== 'BOOKMARK') out.push(next.value);
  }
  return out;
}

function describeItem(item: ReflectorItem): string {
  if (item.type === 'LIST') return `LIST ${item.nodes.map((n) => n.name).join(',')}`;
  if (item.type === 'BOOKMARK') return 'BOOKMARK';
  return `${item.type} ${item.node.name}`;
}

describe('reflectNodes', () => {
  it('lists, then watches from the list version with bookmarks and a 300–600 s timeout', async () => {
    const { server, client } = await open();
    server.createNode({ name: 'a', podCIDR: '10.244.1.0/24' });
    const controller = new AbortController();
    const iterator = reflectNodes({ client, signal: controller.signal })[Symbol.asyncIterator]();
    const [list] = await take(iterator, 1);
    expect(list && describeItem(list)).toBe('LIST a');
    const listVersion = server.resourceVersion;
    server.createNode({ name: 'b', podCIDR: '10.244.2.0/24' });
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['ADDED b']);
    const watch = server.requests.find((r) => r.query['watch'] !== undefined)!;
    expect(Object.keys(watch.query)).toEqual(['allowWatchBookmarks', 'resourceVersion', 'timeoutSeconds', 'watch']);
    expect(watch.query).toMatchObject({ allowWatchBookmarks: 'true', resourceVersion: String(listVersion), watch: 'true' });
    const timeout = Number(watch.query['timeoutSeconds']);
    expect(timeout >= 300 && timeout < 600).toBe(true);
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it('keeps an idle watch open past the request timeout (only the headers are bounded by it)', async () => {
    server = await startFakeKubeApiServer();
    client = createKubeClient({ server: server.url, source: 'test' }, { requestTimeoutMs: 100 });
    const controller = new AbortController();
    const iterator = reflectNodes({ client, signal: controller.signal })[Symbol.asyncIterator]();
    await take(iterator, 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    server.createNode({ name: 'late' });
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['ADDED late']);
    expect(server.requests.filter((r) => r.query['watch'] !== undefined)).toHaveLength(1);
    controller.abort();
    await iterator.return?.(undefined);
  });

  it('resumes a dropped watch from the last seen version without duplicates or gaps', async () => {
    const { server, client } = await open();
    const controller = new AbortController();
    const iterator = reflectNodes({ client, signal: controller.signal, backoff: { initialMs: 1, maxMs: 5, jitter: 0 } })[Symbol.asyncIterator]();
    await take(iterator, 1);
    server.createNode({ name: 'a' });
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['ADDED a']);
    server.dropWatches();
    server.createNode({ name: 'b' });
    server.deleteNode('a');
    expect((await take(iterator, 2)).map(describeItem)).toEqual(['ADDED b', 'DELETED a']);
    expect(server.requests.filter((r) => r.query['limit'] !== undefined)).toHaveLength(1);
    controller.abort();
    await iterator.return?.(undefined);
  });

  it('resumes from a bookmark version, so a watch on a quiet resource survives history expiry without a re-list', async () => {
    server = await startFakeKubeApiServer({ historySize: 3 });
    client = createKubeClient({ server: server.url, source: 'test' });
    const controller = new AbortController();
    const seen: ReflectorItem[] = [];
    const iterator = reflectNodes({ client, signal: controller.signal, backoff: { initialMs: 1, maxMs: 5, jitter: 0 } })[Symbol.asyncIterator]();
    seen.push((await iterator.next()).value as ReflectorItem);
    const pending = iterator.next();
    for (let i = 0; i < 200 && server.openWatches() === 0; i++) await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 5; i++) {
      await fetch(`${server.url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ metadata: { name: `cm${i}` } }) });
    }
    server.sendBookmarks();
    seen.push((await pending).value as ReflectorItem);
    expect(seen.map(describeItem)).toEqual(['LIST ', 'BOOKMARK']);
    server.dropWatches();
    server.createNode({ name: 'after' });
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['ADDED after']);
    expect(server.requests.filter((r) => r.query['limit'] !== undefined)).toHaveLength(1);
    controller.abort();
    await iterator.return?.(undefined);
  });

  it('backs off a watch that the server closes at once with nothing in it (client-go "very short watch")', async () => {
    const { createServer } = await import('node:http');
    let watches = 0;
    const raw = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      if (request.url?.includes('watch=true')) watches += 1;
      response.end(request.url?.includes('watch=true') ? '' : '{"kind":"NodeList","metadata":{"resourceVersion":"5"},"items":[]}');
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const port = (raw.address() as { port: number }).port;
    const quick = createKubeClient({ server: `http://127.0.0.1:${port}`, source: 'test' });
    const controller = new AbortController();
    const iterator = reflectNodes({ client: quick, signal: controller.signal, backoff: { initialMs: 100, maxMs: 100, jitter: 0 } })[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 350));
    controller.abort();
    await pending;
    quick.close();
    await new Promise((resolve) => raw.close(resolve));
    // Without the backoff this loop makes hundreds of watch requests in that time.
    expect(watches).toBeGreaterThanOrEqual(1);
    expect(watches).toBeLessThanOrEqual(10);
  });

  it('re-lists after 410 Expired', async () => {
    const { server, client } = await open();
    server.createNode({ name: 'a' });
    const controller = new AbortController();
    const iterator = reflectNodes({ client, signal: controller.signal })[Symbol.asyncIterator]();
    await take(iterator, 1);
    server.dropWatches();
    server.createNode({ name: 'b' });
    server.expireHistory();
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['LIST a,b']);
    expect(server.requests.filter((r) => r.query['limit'] !== undefined)).toHaveLength(2);
    controller.abort();
    await iterator.return?.(undefined);
  });

  it('backs off a list answered 410 instead of re-listing at once', async () => {
    const { server, client } = await open();
    server.addFault({ path: '/api/v1/nodes', status: 410, reason: 'Expired', message: 'too old resource version', times: 2 });
    const logger = recordingLogger();
    const controller = new AbortController();
    const iterator = reflectNodes({ client, signal: controller.signal, logger, backoff: { initialMs: 1, maxMs: 5, jitter: 0 } })[Symbol.asyncIterator]();
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['LIST ']);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.fields['attempt'])).toEqual([1, 2]);
    controller.abort();
    await iterator.return?.(undefined);
  });

  it('retries a failing list with backoff and stops on a code in stopOn', async () => {
    const { server, client } = await open();
    server.addFault({ path: '/api/v1/nodes', status: 500, times: 2 });
    const controller = new AbortController();
    const iterator = reflectNodes({ client, signal: controller.signal, backoff: { initialMs: 1, maxMs: 5, jitter: 0 } })[Symbol.asyncIterator]();
    expect((await take(iterator, 1)).map(describeItem)).toEqual(['LIST ']);
    controller.abort();
    await iterator.return?.(undefined);
    server.addFault({ path: '/api/v1/nodes', status: 403 });
    const stopped = reflectNodes({ client, signal: new AbortController().signal, stopOn: ['FORBIDDEN'] })[Symbol.asyncIterator]();
    expect((await caught(stopped.next())).code).toBe('FORBIDDEN');
  });
});
