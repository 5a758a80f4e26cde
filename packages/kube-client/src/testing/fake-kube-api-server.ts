// Test-only: a Kubernetes API server stand-in that kubectl, python3-kubernetes and flannel-ts's client accept.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { kubeStatus, type KubeStatus } from '../kube-status.js';
import {
  API_RESOURCES,
  apiGroupBody,
  apiGroupListBody,
  apiResourceListBody,
  apiVersionOf,
  apiVersionsBody,
  openApiGroupVersionBody,
  openApiIndexBody,
  type ApiResource,
} from './api-resources.js';
import { FakeStore, StatusError, type KubeObject, type StoreEvent } from './fake-store.js';
import { ListPages } from './list-pages.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError, type Json } from './patches.js';
import { rbacAllows, type FakeUser } from './rbac.js';

/** One request the stand-in received (for assertions on request shapes). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  readonly userAgent: string | undefined;
  /** The authenticated user's name, `undefined` when anonymous. */
  readonly user: string | undefined;
  /** `verb resource[/subresource]` (`patch nodes/status`), for resource requests. */
  readonly action: string | undefined;
}

/** A fault: requests matching `method`/`path`/`query` get `status` (0 = the connection is reset) `times` times. */
export interface FakeFault {
  readonly method?: string;
  /** A path prefix or a pattern matched against the path (no query). */
  readonly path?: string | RegExp;
  /** A pattern matched against the query string (without `?`, as sent), e.g. `/(^|&)continue=/`. */
  readonly query?: RegExp;
  readonly status: number;
  readonly reason?: string;
  readonly message?: string;
  /** How many requests it hits (default: every one until removed). */
  readonly times?: number;
}

/** Options of {@link startFakeKubeApiServer}. */
export interface FakeKubeApiServerOptions {
  /** Serve HTTPS with this certificate and key (PEM) instead of plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Users by bearer token; when given, a request without a known token gets `401`. */
  readonly users?: readonly FakeUser[];
  /** Watch events kept for resuming (default 1000). */
  readonly historySize?: number;
  /** Bookmarks every this many ms on watches that allow them (default 60 000; `sendBookmarks()` sends now). */
  readonly bookmarkIntervalMs?: number;
  /** `/version` `gitVersion` (default `v1.32.6`). */
  readonly version?: string;
  /** Address to listen on (default `127.0.0.1`; e.g. a testlab bridge address so namespaced hosts reach it). */
  readonly host?: string;
  /**
   * Honour `limit` on lists, `resourceVersion=0` included, as an API server that cannot serve the list from
   * its watch cache does: pages of at most `limit` items, each but the last with `metadata.continue` and
   * `remainingItemCount`, all from the snapshot of the first page. Default false: `limit` is ignored and a
   * list is one page (a watch-cache answer to `resourceVersion=0`).
   */
  readonly paginateLists?: boolean;
}

/** A node as tests create it. */
export interface FakeNodeInput {
  readonly name: string;
  readonly podCIDR?: string;
  readonly podCIDRs?: readonly string[];
  /** Default `{ 'node.alpha.kubernetes.io/ttl': '0' }`, as kubelet-registered nodes carry annotations. */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly status?: Json;
}

/** The stand-in, driven in-process by tests and from outside over HTTP(S). */
export interface FakeKubeApiServer {
  /** `http://127.0.0.1:<port>` or `https://…`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** The global resourceVersion. */
  readonly resourceVersion: number;
  createNode(node: FakeNodeInput): KubeObject;
  getNode(name: string): KubeObject | undefined;
  /** Replaces a node through the main-resource update path (status is kept unless `status` is true). */
  updateNode(name: string, change: (node: KubeObject) => void, options?: { readonly status?: boolean }): KubeObject;
  deleteNode(name: string): void;
  createNamespace(name: string): void;
  createPod(namespace: string, name: string, nodeName: string): void;
  /** Adds a fault; returns its remover. */
  addFault(fault: FakeFault): () => void;
  /** Delay every response by this many ms (0 = none). */
  setLatency(ms: number): void;
  /** Ends every open watch stream abruptly (connection closed without a final chunk). */
  dropWatches(): void;
  /** Forgets watch history (an etcd compaction): resuming a watch from an older version, or a paged list, gets `410 Expired`. */
  expireHistory(): void;
  /** Sends a BOOKMARK on every watch that allowed them. */
  sendBookmarks(): void;
  /** Number of watch streams open now. */
  openWatches(): number;
  close(): Promise<void>;
}

const BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

interface Watcher {
  readonly resource: ApiResource;
  readonly response: ServerResponse;
  readonly bookmarks: boolean;
  send(event: StoreEvent): void;
  bookmark(): void;
  end(): void;
}

interface Route {
  readonly resource: ApiResource;
  readonly namespace: string;
  readonly name?: string;
  readonly subresource?: string;
}

function parseRoute(segments: string[]): Route | undefined {
  // api/v1/... or apis/<g>/<v>/...
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return undefined;
  }
  const find = (name: string): ApiResource | undefined => API_RESOURCES.find((r) => r.group === group && r.version === version && r.resource === name);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const inner = find(rest[2]!);
    if (inner !== undefined && inner.namespaced) {
      return { resource: inner, namespace: rest[1]!, ...(rest[3] !== undefined && { name: rest[3] }), ...(rest[4] !== undefined && { subresource: rest[4] }) };
    }
  }
  const resource = find(rest[0]!);
  if (resource === undefined || rest.length > 3) return undefined;
  return { resource, namespace: '', ...(rest[1] !== undefined && { name: rest[1] }), ...(rest[2] !== undefined && { subresource: rest[2] }) };
}

function matchesSelector(object: KubeObject, fieldSelector: string | undefined, labelSelector: string | undefined): boolean {
  const metadata = (object['metadata'] ?? {}) as Record<string, Json>;
  for (const term of (fieldSelector ?? '').split(',').filter((t) => t !== '')) {
    const negated = term.includes('!=');
    const [path, expected] = term.split(negated ? '!=' : /==?/) as [string, string];
    let value: Json | undefined = object;
    for (const part of path.split('.')) value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[part] : undefined;
    const actual = typeof value === 'string' ? value : '';
    if (negated ? actual === expected : actual !== expected) return false;
  }
  const labels = (metadata['labels'] ?? {}) as Record<string, Json>;
  for (const term of (labelSelector ?? '').split(',').filter((t) => t !== '')) {
    const [key, expected] = term.split('=') as [string, string | undefined];
    if (expected === undefined ? labels[key] === undefined : labels[key] !== expected) return false;
  }
  return true;
}

/**
 * Starts the stand-in on 127.0.0.1 (or `host`), on a free port. It serves discovery, `/version`, a minimal OpenAPI v3,
 * nodes (+ `status`), namespaces, pods, events, configmaps, serviceaccounts, daemonsets, leases and RBAC objects with
 * create/get/list/watch/patch (merge, strategic merge, JSON)/update/delete, a global resourceVersion, Node
 * podCIDR rules, watches with bookmarks, history and `410 Expired`, `Status` error bodies, bearer-token
 * users with RBAC allow-lists, and fault hooks. Namespaces `default`, `kube-system` and `kube-node-lease` exist.
 *
 * @example
 * ```ts
 * const server = await startFakeKubeApiServer();
 * server.createNode({ name: 'node1', podCIDR: '10.244.1.0/24' });
 * const client = createKubeClient({ server: server.url, source: 'test' });
 * await server.close();
 * ```
 */
export async function startFakeKubeApiServer(options: FakeKubeApiServerOptions = {}): Promise<FakeKubeApiServer> {
  const store = new FakeStore(options.historySize ?? 1000);
  const pages = new ListPages(options.paginateLists === true);
  const watchers = new Set<Watcher>();
  const faults: { fault: FakeFault; remaining: number }[] = [];
  const sockets = new Set<Socket>();
  const requests: RecordedRequest[] = [];
  let latency = 0;
  const resourceOf = (name: string): ApiResource => API_RESOURCES.find((r) => r.resource === name && r.group === '')!;
  const nodes = resourceOf('nodes');
  const namespaces = resourceOf('namespaces');

  store.subscribe((event) => {
    for (const watcher of watchers) if (watcher.resource === event.resource) watcher.send(event);
  });
  for (const name of ['default', 'kube-system', 'kube-node-lease']) store.create(namespaces, '', { metadata: { name } });

  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendStatus(response, kubeStatus(500, 'InternalError', `stand-in failure: ${(error as Error).message}`));
      else response.destroy();
    });
  };
  const server: Server = options.tls === undefined ? createHttpServer(handler) : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler);
  server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const bookmarkTimer = setInterval(() => sendBookmarks(), options.bookmarkIntervalMs ?? 60_000);
  bookmarkTimer.unref();

  function sendBookmarks(): void {
    for (const watcher of watchers) watcher.bookmark();
  }

  function sendJson(response: ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    response.end(text);
  }

  function sendStatus(response: ServerResponse, status: KubeStatus): void {
    sendJson(response, status.code, status);
  }

  async function readBody(request: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }

  function verbOf(method: string, route: Route, watch: boolean): string {
    switch (method) {
      case 'GET':
        return route.name === undefined ? (watch ? 'watch' : 'list') : 'get';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return 'delete';
      default:
        return method.toLowerCase();
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const parsed = new URL(request.url ?? '/', 'http://stand-in');
    const query = Object.fromEntries(parsed.searchParams.entries());
    const segments = parsed.pathname.split('/').filter((s) => s !== '');
    const route = parseRoute(segments);
    const watch = query['watch'] !== undefined && BOOL.has(query['watch']);
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const user = options.users?.find((u) => u.token === token);
    const verb = route === undefined ? undefined : verbOf(request.method ?? 'GET', route, watch);
    const resourceName = route === undefined ? undefined : route.subresource === undefined ? route.resource.resource : `${route.resource.resource}/${route.subresource}`;
    requests.push({
      method: request.method ?? 'GET',
      path: parsed.pathname,
      query,
      contentType: request.headers['content-type'],
      accept: request.headers.accept,
      userAgent: request.headers['user-agent'],
      user: user?.name,
      action: verb === undefined ? undefined : `${verb} ${resourceName}`,
    });
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const fault = faults.find(({ fault: f }) => {
      if (f.method !== undefined && f.method !== request.method) return false;
      if (f.query !== undefined && !f.query.test(parsed.search.slice(1))) return false;
      if (f.path === undefined) return true;
      return typeof f.path === 'string' ? parsed.pathname.startsWith(f.path) : f.path.test(parsed.pathname);
    });
    if (fault !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
      if (fault.fault.status === 0) {
        request.socket.destroy();
        return;
      }
      const reason = fault.fault.reason ?? (fault.fault.status === 401 ? 'Unauthorized' : fault.fault.status === 403 ? 'Forbidden' : 'InternalError');
      sendStatus(response, kubeStatus(fault.fault.status, reason, fault.fault.message ?? `injected ${fault.fault.status}`));
      return;
    }

    if (options.users !== undefined && user === undefined) {
      sendStatus(response, kubeStatus(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const body = request.method === 'GET' || request.method === 'DELETE' ? '' : await readBody(request);

    // Non-resource URLs: discovery, version, OpenAPI.
    const path = parsed.pathname.replace(/\/$/, '');
    if (path === '/version') {
      sendJson(response, 200, {
        major: '1', minor: (options.version ?? 'v1.32.6').split('.')[1] ?? '32', gitVersion: options.version ?? 'v1.32.6',
        gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64',
      });
      return;
    }
    if (path === '/api') return sendJson(response, 200, apiVersionsBody(`${host.includes(':') ? `[${host}]` : host}:${port}`));
    if (path === '/apis') return sendJson(response, 200, apiGroupListBody());
    if (path === '/openapi/v3') return sendJson(response, 200, openApiIndexBody());
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiGroupVersionBody(path.slice('/openapi/v3/'.length));
      if (doc !== undefined) return sendJson(response, 200, doc);
    }
    if (segments.length === 2 && segments[0] === 'apis') {
      const group = apiGroupBody(segments[1]!);
      if (group !== undefined) return sendJson(response, 200, group);
    }
    if ((segments.length === 2 && segments[0] === 'api') || (segments.length === 3 && segments[0] === 'apis')) {
      const list = segments[0] === 'api' ? apiResourceListBody('', segments[1]!) : apiResourceListBody(segments[1]!, segments[2]!);
      if (list !== undefined) return sendJson(response, 200, list);
    }
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok');
      return;
    }
    if (route === undefined || verb === undefined || resourceName === undefined) {
      sendStatus(response, kubeStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
      return;
    }
    if (route.subresource !== undefined && !route.resource.subresources.includes(route.subresource)) {
      sendStatus(response, kubeStatus(404, 'NotFound', 'the server could not find the requested resource', {}));
      return;
    }
    if (!rbacAllows(user?.rules, verb, route.resource.group, resourceName)) {
      const scope = route.namespace === '' ? 'at the cluster scope' : `in the namespace "${route.namespace}"`;
      const subject = route.name === undefined ? route.resource.resource : `${route.resource.resource} "${route.name}"`;
      sendStatus(
        response,
        kubeStatus(
          403,
          'Forbidden',
          `${subject} is forbidden: User "${user?.name ?? 'system:anonymous'}" cannot ${verb} resource "${resourceName}" in API group "${route.resource.group}" ${scope}`,
          { ...(route.name !== undefined && { name: route.name }), kind: route.resource.resource },
        ),
      );
      return;
    }
    try {
      serveResource(request.method ?? 'GET', route, query, body, watch, response);
    } catch (error) {
      if (error instanceof StatusError) sendStatus(response, error.status);
      else if (error instanceof PatchError) sendStatus(response, kubeStatus(422, 'Invalid', error.message));
      else throw error;
    }
  }

  function parseJson(body: string): Json {
    try {
      return JSON.parse(body) as Json;
    } catch (error) {
      throw new StatusError(kubeStatus(400, 'BadRequest', `the body of the request was in an unknown format: ${(error as Error).message}`));
    }
  }

  function checkStrict(resource: ApiResource, object: Json, query: Record<string, string>): void {
    if (query['fieldValidation'] !== 'Strict' || typeof object !== 'object' || object === null || Array.isArray(object)) return;
    const unknown = Object.keys(object).filter((key) => !resource.fields.includes(key));
    if (unknown.length > 0) {
      throw new StatusError(kubeStatus(400, 'BadRequest', `.${unknown.map((k) => `${k}: field not declared in schema`).join(', .')}`));
    }
  }

  function namespaceMustExist(route: Route): void {
    if (route.resource.namespaced && store.get(namespaces, '', route.namespace) === undefined) {
      throw new StatusError(kubeStatus(404, 'NotFound', `namespaces "${route.namespace}" not found`, { name: route.namespace, kind: 'namespaces' }));
    }
  }

  function serveResource(method: string, route: Route, query: Record<string, string>, body: string, watch: boolean, response: ServerResponse): void {
    const { resource, namespace } = route;
    if (route.name === undefined) {
      if (method === 'GET' && watch) return startWatch(route, query, response);
      if (method === 'GET') {
        const page = pages.page(
          query,
          () => ({
            items: store
              .list(resource, resource.namespaced && namespace !== '' ? namespace : undefined)
              .filter((object) => matchesSelector(object, query['fieldSelector'], query['labelSelector'])),
            resourceVersion: store.resourceVersion,
          }),
          store.oldestWatchable,
        );
        return sendJson(response, 200, { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata: page.metadata, items: page.items });
      }
      if (method === 'POST') {
        namespaceMustExist(route);
        const object = parseJson(body);
        checkStrict(resource, object, query);
        if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new StatusError(kubeStatus(400, 'BadRequest', 'the body must be an object'));
        return sendJson(response, 201, store.create(resource, namespace, object));
      }
      throw new StatusError(kubeStatus(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
    }
    const name = route.name;
    switch (method) {
      case 'GET':
        return sendJson(response, 200, store.require(resource, namespace, name));
      case 'DELETE':
        return sendJson(response, 200, store.delete(resource, namespace, name));
      case 'PUT': {
        const object = parseJson(body);
        checkStrict(resource, object, query);
        return sendJson(response, 200, store.update(resource, namespace, name, object as KubeObject, route.subresource));
      }
      case 'PATCH': {
        const current = store.require(resource, namespace, name);
        const patch = parseJson(body);
        const type = (response.req.headers['content-type'] ?? '').split(';')[0]!.trim();
        let patched: Json;
        if (type === 'application/merge-patch+json') patched = applyMergePatch(current, patch);
        else if (type === 'application/strategic-merge-patch+json') patched = applyStrategicMergePatch(current, patch, resource.mergeKeys);
        else if (type === 'application/json-patch+json') patched = applyJsonPatch(current, patch);
        else throw new StatusError(kubeStatus(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`));
        checkStrict(resource, patched, query);
        const patchedMetadata = (patched as KubeObject)['metadata'] as Record<string, Json> | undefined;
        // A patch that does not set resourceVersion is not a precondition.
        const sets = JSON.stringify(patch).includes('"resourceVersion"');
        if (!sets && patchedMetadata !== undefined) delete patchedMetadata['resourceVersion'];
        return sendJson(response, 200, store.update(resource, namespace, name, patched as KubeObject, route.subresource));
      }
      default:
        throw new StatusError(kubeStatus(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    }
  }

  function startWatch(route: Route, query: Record<string, string>, response: ServerResponse): void {
    if (query['sendInitialEvents'] !== undefined) {
      throw new StatusError(kubeStatus(400, 'BadRequest', 'sendInitialEvents is not supported by this server'));
    }
    const from = query['resourceVersion'] ?? '';
    const fromNumber = from === '' || from === '0' ? undefined : Number(from);
    if (fromNumber !== undefined && !Number.isInteger(fromNumber)) {
      throw new StatusError(kubeStatus(400, 'BadRequest', `invalid resource version: ${from}`));
    }
    const matches = (object: KubeObject): boolean =>
      (!route.resource.namespaced || route.namespace === '' || (object['metadata'] as Record<string, Json>)['namespace'] === route.namespace) &&
      matchesSelector(object, query['fieldSelector'], query['labelSelector']);
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // The API server sends the headers at once; a client waits for them before reading events.
    response.flushHeaders();
    const write = (line: unknown): void => {
      response.write(`${JSON.stringify(line)}\n`);
    };
    if (fromNumber !== undefined && fromNumber < store.oldestWatchable) {
      write({ type: 'ERROR', object: kubeStatus(410, 'Expired', `too old resource version: ${fromNumber} (${store.oldestWatchable})`) });
      response.end();
      return;
    }
    let lastSent = fromNumber ?? store.resourceVersion;
    const watcher: Watcher = {
      resource: route.resource,
      response,
      bookmarks: query['allowWatchBookmarks'] !== undefined && BOOL.has(query['allowWatchBookmarks']),
      send(event) {
        if (event.resourceVersion <= lastSent || !matches(event.object)) return;
        lastSent = event.resourceVersion;
        write({ type: event.type, object: event.object });
      },
      bookmark() {
        if (!this.bookmarks) return;
        write({ type: 'BOOKMARK', object: { kind: route.resource.kind, apiVersion: apiVersionOf(route.resource), metadata: { resourceVersion: String(store.resourceVersion) } } });
      },
      end() {
        watchers.delete(watcher);
        clearTimeout(timer);
        response.end();
      },
    };
    if (fromNumber === undefined) {
      // resourceVersion "" or "0": synthetic ADDED for the current state, then changes.
      for (const object of store.list(route.resource, route.namespace === '' ? undefined : route.namespace)) if (matches(object)) write({ type: 'ADDED', object });
    } else {
      for (const event of store.historySince(route.resource, fromNumber)) watcher.send(event);
    }
    watchers.add(watcher);
    const timeoutSeconds = Number(query['timeoutSeconds'] ?? '1800');
    const timer = setTimeout(() => watcher.end(), Math.max(0, timeoutSeconds) * 1000);
    timer.unref();
    // On Node >= 16 the request's 'close' fires once its body is read; the response's tells a disconnect.
    response.on('close', () => {
      watchers.delete(watcher);
      clearTimeout(timer);
    });
  }

  const nodeObject = (input: FakeNodeInput): KubeObject => ({
    metadata: {
      name: input.name,
      annotations: { ...(input.annotations ?? { 'node.alpha.kubernetes.io/ttl': '0' }) },
      ...(input.labels !== undefined && { labels: { ...input.labels } }),
    },
    spec: { ...(input.podCIDR !== undefined && { podCIDR: input.podCIDR }), ...(input.podCIDRs !== undefined && { podCIDRs: [...input.podCIDRs] }) },
    status: input.status ?? { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
  });

  return {
    url,
    port,
    requests,
    get resourceVersion() {
      return store.resourceVersion;
    },
    createNode: (input) => store.create(nodes, '', nodeObject(input)),
    getNode: (name) => store.get(nodes, '', name),
    updateNode(name, change, updateOptions = {}) {
      const node = store.require(nodes, '', name);
      change(node);
      const metadata = node['metadata'] as Record<string, Json>;
      delete metadata['resourceVersion'];
      return store.update(nodes, '', name, node, updateOptions.status === true ? 'status' : undefined);
    },
    deleteNode: (name) => void store.delete(nodes, '', name),
    createNamespace: (name) => void store.create(namespaces, '', { metadata: { name } }),
    createPod: (namespace, name, nodeName) => void store.create(resourceOf('pods'), namespace, { metadata: { name }, spec: { nodeName, containers: [] } }),
    addFault(fault) {
      const entry = { fault, remaining: fault.times ?? Number.POSITIVE_INFINITY };
      faults.push(entry);
      return () => {
        const index = faults.indexOf(entry);
        if (index >= 0) faults.splice(index, 1);
      };
    },
    setLatency(ms) {
      latency = ms;
    },
    dropWatches() {
      for (const watcher of [...watchers]) {
        watchers.delete(watcher);
        watcher.response.destroy();
      }
    },
    expireHistory() {
      store.expireHistory();
      pages.clear();
    },
    sendBookmarks,
    openWatches: () => watchers.size,
    async close() {
      clearInterval(bookmarkTimer);
      for (const watcher of [...watchers]) watcher.end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
