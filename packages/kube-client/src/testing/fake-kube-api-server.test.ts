import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './fake-kube-api-server.js';
import { EXPIRED_CONTINUE_MESSAGE } from './list-pages.js';

let server: FakeKubeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server!.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('startFakeKubeApiServer', () => {
  it('answers unknown paths and resources with a 404 Status', async () => {
    server = await startFakeKubeApiServer();
    expect(await get('/api/v1/widgets')).toMatchObject({ status: 404, body: { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404 } });
    expect((await get('/openapi/v2')).status).toBe(404);
  });

  it('refuses sendInitialEvents with a 400 Status so newer clients fall back to list', async () => {
    server = await startFakeKubeApiServer();
    const answer = await get('/api/v1/nodes?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true');
    expect(answer).toMatchObject({ status: 400, body: { kind: 'Status', reason: 'BadRequest' } });
  });

  it('returns 404 for objects in a namespace that does not exist, and 409 AlreadyExists', async () => {
    server = await startFakeKubeApiServer();
    const create = (path: string) => fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"metadata":{"name":"x"}}' });
    const missing = await create('/api/v1/namespaces/nope/configmaps');
    expect([missing.status, ((await missing.json()) as { message: string }).message]).toEqual([404, 'namespaces "nope" not found']);
    expect((await create('/api/v1/namespaces/default/configmaps')).status).toBe(201);
    expect((await create('/api/v1/namespaces/default/configmaps')).status).toBe(409);
  });

  it('delays responses by the injected latency and resets connections on a status-0 fault', async () => {
    server = await startFakeKubeApiServer();
    server.setLatency(150);
    const start = Date.now();
    await get('/version');
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    server.setLatency(0);
    server.addFault({ path: '/version', status: 0, times: 1 });
    await expect(fetch(`${server.url}/version`)).rejects.toThrow();
    expect((await get('/version')).body['gitVersion']).toBe('v1.32.6');
  });

  it('with paginateLists, pages lists through the first page\'s snapshot with continue tokens, as an API server listing from etcd', async () => {
    server = await startFakeKubeApiServer({ paginateLists: true });
    for (let i = 0; i < 5; i++) server.createNode({ name: `n${i}` });
    const version = String(server.resourceVersion);
    const names = (body: Record<string, unknown>): string[] => (body['items'] as { metadata: { name: string } }[]).map((item) => item.metadata.name);
    const first = await get('/api/v1/nodes?limit=2&resourceVersion=0');
    expect(first.body['metadata']).toMatchObject({ resourceVersion: version, remainingItemCount: 3 });
    expect(names(first.body)).toEqual(['n0', 'n1']);
    server.createNode({ name: 'n5' }); // after the snapshot: not in this list
    const token = (body: Record<string, unknown>): string => encodeURIComponent((body['metadata'] as { continue: string }).continue);
    const second = await get(`/api/v1/nodes?continue=${token(first.body)}&limit=2`);
    expect([names(second.body), (second.body['metadata'] as { resourceVersion: string }).resourceVersion]).toEqual([['n2', 'n3'], version]);
    expect(await get(`/api/v1/nodes?continue=${token(second.body)}&limit=2&resourceVersion=0`)).toMatchObject({
      status: 400,
      body: { reason: 'BadRequest', message: 'specifying resource version is not allowed when using continue' },
    });
    const last = await get(`/api/v1/nodes?continue=${token(second.body)}&limit=2`);
    expect([names(last.body), last.body['metadata']]).toEqual([['n4'], { resourceVersion: version }]);
    expect(names((await get('/api/v1/nodes?limit=500&resourceVersion=0')).body)).toHaveLength(6);
  });

  it('answers a continue token whose snapshot was compacted with 410 Expired, and ignores limit without paginateLists', async () => {
    server = await startFakeKubeApiServer({ paginateLists: true });
    for (let i = 0; i < 3; i++) server.createNode({ name: `n${i}` });
    const first = await get('/api/v1/nodes?limit=1');
    server.expireHistory();
    const token = encodeURIComponent((first.body['metadata'] as { continue: string }).continue);
    expect(await get(`/api/v1/nodes?continue=${token}&limit=1`)).toMatchObject({ status: 410, body: { reason: 'Expired', code: 410, message: EXPIRED_CONTINUE_MESSAGE } });
    expect((await get('/api/v1/nodes?continue=bm9wZQ&limit=1')).status).toBe(400);
    await server.close();
    server = await startFakeKubeApiServer();
    for (let i = 0; i < 3; i++) server.createNode({ name: `n${i}` });
    const whole = await get('/api/v1/nodes?limit=1&resourceVersion=0');
    expect([(whole.body['items'] as unknown[]).length, whole.body['metadata']]).toEqual([3, { resourceVersion: String(server.resourceVersion) }]);
  });

  it('sends bookmarks only to watches that allow them', async () => {
    server = await startFakeKubeApiServer();
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/v1/nodes?watch=1&allowWatchBookmarks=true&resourceVersion=${server.resourceVersion}`, { signal: controller.signal });
    const reader = response.body!.getReader();
    server.sendBookmarks();
    const { value } = await reader.read();
    expect(JSON.parse(new TextDecoder().decode(value))).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: String(server.resourceVersion) } },
    });
    controller.abort();
  });
});
