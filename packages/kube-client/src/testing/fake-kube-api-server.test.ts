import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKubeApiServer, type FakeKubeApiServer } from './fake-kube-api-server.js';

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
