import type { IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { silentLogger, type Logger } from '@flannel-ts/core';
import { HttpTransport, transportError } from './http-transport.js';
import { KubeError, codeForHttpStatus } from './kube-error.js';
import { NodeListDecoder } from './node-list-decoder.js';
import type { KubeClientConfig } from './kube-client-config.js';
import { projectNode, type KubeNode } from './kube-node.js';
import { parseKubeStatus } from './kube-status.js';
import { TokenSource } from './token-source.js';
import { decodeWatchLine, type NodeWatchEvent } from './watch-event.js';

/** Options of {@link createKubeClient}. */
export interface KubeClientOptions {
  /** `User-Agent`; flanneld sends `flanneld/<version> (linux/amd64) kubernetes/$Format`. */
  readonly userAgent?: string;
  readonly logger?: Logger;
  /** Deadline of each non-watch request in ms (default 30 000; client-go has none, the kernel's TCP timeouts apply). */
  readonly requestTimeoutMs?: number;
  /** Clock for token-file re-reads (default `Date.now`). */
  readonly clock?: () => number;
}

/** Per-call options. */
export interface KubeCallOptions {
  readonly signal?: AbortSignal;
}

/** A decoded node list: the nodes (projected) and the list's `resourceVersion`. */
export interface NodeList {
  readonly resourceVersion: string;
  readonly nodes: readonly KubeNode[];
}

/** Options of {@link KubeClient.listNodes}. */
export interface ListNodesOptions extends KubeCallOptions {
  /** `fieldSelector`, e.g. `metadata.name=n1`. */
  readonly fieldSelector?: string;
  /** Keep only the annotations whose name starts with this (flannel: its `--kube-annotation-prefix`). */
  readonly annotationPrefix?: string;
}

/** Options of {@link KubeClient.watchNodes}. */
export interface WatchNodesOptions extends KubeCallOptions {
  /** Watch from this version (the list's). */
  readonly resourceVersion: string;
  /** The server ends the watch after this many seconds (client-go: 300–600, random). */
  readonly timeoutSeconds: number;
  /** `fieldSelector`, e.g. `metadata.name=n1`. */
  readonly fieldSelector?: string;
}

/**
 * The Kubernetes calls flanneld makes (`pkg/subnet/kube/kube.go`), with client-go's request shapes:
 * `GET pod`, `GET node`, `LIST`/`WATCH nodes` and `PATCH nodes/{n}/status` (strategic merge). JSON only.
 */
export interface KubeClient {
  /** The config in use (credentials included: never log it whole). */
  readonly config: KubeClientConfig;
  /** `GET /api/v1/nodes/{name}` (`?resourceVersion=0` when `fromCache`: served from the watch cache). */
  getNode(name: string, options?: KubeCallOptions & { readonly fromCache?: boolean }): Promise<KubeNode>;
  /** `GET /api/v1/namespaces/{namespace}/pods/{name}` → its `spec.nodeName` (`''` when unset). */
  getPodNodeName(namespace: string, name: string, options?: KubeCallOptions): Promise<string>;
  /**
   * `GET /api/v1/nodes?limit=500&resourceVersion=0`, decoded from its bytes as they stream: only
   * {@link KubeNode}s are kept, with the annotations whose name starts with `annotationPrefix` (default: all).
   * `fieldSelector` narrows it (kubectl wait's shape). A paginated answer (`metadata.continue`) is followed
   * page by page as client-go's pager does (`continue=<token>&limit=500`, no resourceVersion; a 410 on a
   * later page falls back to one full list); the version is the first page's.
   */
  listNodes(options?: ListNodesOptions): Promise<NodeList>;
  /**
   * `GET /api/v1/nodes?allowWatchBookmarks=true&resourceVersion=<rv>&timeoutSeconds=<t>&watch=true`: the
   * events as they arrive. Ends when the server closes the stream; an `ERROR` event is yielded as is.
   */
  watchNodes(options: WatchNodesOptions): AsyncIterable<NodeWatchEvent>;
  /** `PATCH /api/v1/nodes/{name}/status` with `application/strategic-merge-patch+json`. */
  patchNodeStatus(name: string, patch: unknown, options?: KubeCallOptions): Promise<KubeNode>;
  /** Any JSON request (tools and tests): resolves with the parsed body. */
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options?: KubeCallOptions & { readonly body?: unknown; readonly contentType?: string }): Promise<unknown>;
  /** Closes idle connections. Idempotent. */
  close(): void;
}

/** What a page of a node list says besides its Nodes. */
interface NodePage {
  readonly resourceVersion: string;
  /** `metadata.continue`: `''` on the last page. */
  readonly continue: string;
}

const ACCEPT = 'application/json, */*';
const LIST_TIMEOUT_FLOOR_MS = 60_000;

/**
 * Creates a {@link KubeClient} over `node:http`/`node:https`.
 *
 * @example
 * ```ts
 * const client = createKubeClient(buildConfigFromFlags({ kubeconfigPath: '/etc/kubernetes/admin.conf' }));
 * const { nodes, resourceVersion } = await client.listNodes();
 * for await (const event of client.watchNodes({ resourceVersion, timeoutSeconds: 300, signal })) console.log(event);
 * ```
 */
export function createKubeClient(config: KubeClientConfig, options: KubeClientOptions = {}): KubeClient {
  const logger = options.logger ?? silentLogger;
  const transport = new HttpTransport(config);
  const tokens = new TokenSource({ token: config.token, tokenFile: config.tokenFile, logger, ...(options.clock && { clock: options.clock }) });
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const userAgent = options.userAgent ?? 'flannel-ts (linux) kubernetes/$Format';

  const headers = (contentType?: string): Record<string, string> => {
    const token = tokens.current();
    return {
      Accept: ACCEPT,
      'User-Agent': userAgent,
      ...(contentType !== undefined && { 'Content-Type': contentType }),
      ...(token !== undefined && { Authorization: `Bearer ${token}` }),
    };
  };

  const send = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    call: { signal?: AbortSignal | undefined; body?: string; contentType?: string; timeoutMs?: number },
  ): Promise<IncomingMessage> => {
    const response = await transport.send({
      method,
      path,
      headers: headers(call.contentType),
      ...(call.body !== undefined && { body: call.body }),
      timeoutMs: call.timeoutMs ?? requestTimeoutMs,
      signal: call.signal,
    });
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    const text = await readText(response, transport.describe(path), call.signal);
    if (status === 401) tokens.invalidate();
    throw statusError(status, text, method, transport.describe(path));
  };

  const json = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    call: { signal?: AbortSignal | undefined; body?: string; contentType?: string },
  ): Promise<unknown> => {
    const response = await send(method, path, call);
    const text = await readText(response, transport.describe(path), call.signal);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new KubeError('PROTOCOL', `${method} ${transport.describe(path)}: response is not JSON: ${(error as Error).message}`, { cause: error });
    }
  };

  return {
    config,
    async getNode(name, call = {}) {
      const query = call.fromCache === true ? '?resourceVersion=0' : '';
      return projectNode(await json('GET', `/api/v1/nodes/${encodeURIComponent(name)}${query}`, call));
    },
    async getPodNodeName(namespace, name, call = {}) {
      const pod = (await json('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`, call)) as {
        spec?: { nodeName?: unknown };
      };
      const nodeName = pod?.spec?.nodeName;
      return typeof nodeName === 'string' ? nodeName : '';
    },
    async listNodes(call = {}) {
      // client-go's pager (`tools/pager/pager.go`) under the reflector: pages of `limit=500`, the first at
      // `resourceVersion=0`, the next ones with the previous page's `continue` token and no resourceVersion
      // (the server refuses both at once); the list's version is the first page's. A server answering from
      // its watch cache ignores the limit and sends everything in one page. A 410 on a later page (the
      // token's snapshot compacted away) falls back to one full list at `resourceVersion=0` with no limit.
      const selector = call.fieldSelector === undefined ? '' : `fieldSelector=${encodeURIComponent(call.fieldSelector)}&`;
      const nodes: KubeNode[] = [];
      const first = await readNodePage(`/api/v1/nodes?${selector}limit=500&resourceVersion=0`, nodes, call);
      let token = first.continue;
      while (token !== '') {
        let page: NodePage;
        try {
          page = await readNodePage(`/api/v1/nodes?${selector}continue=${encodeURIComponent(token)}&limit=500`, nodes, call);
        } catch (error) {
          if (!KubeError.isInstance(error) || error.code !== 'EXPIRED') throw error;
          logger.info(`node list continue token expired (${error.message}); listing all nodes at once`);
          nodes.length = 0;
          const full = await readNodePage(`/api/v1/nodes?${selector}resourceVersion=0`, nodes, call);
          return { resourceVersion: full.resourceVersion, nodes };
        }
        token = page.continue;
      }
      return { resourceVersion: first.resourceVersion, nodes };
    },
    watchNodes(call) {
      return watch(call);
    },
    async patchNodeStatus(name, patch, call = {}) {
      const body = JSON.stringify(patch);
      return projectNode(
        await json('PATCH', `/api/v1/nodes/${encodeURIComponent(name)}/status`, { ...call, body, contentType: 'application/strategic-merge-patch+json' }),
      );
    },
    async request(method, path, call = {}) {
      return json(method, path, {
        signal: call.signal,
        ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
        ...(call.contentType !== undefined ? { contentType: call.contentType } : call.body !== undefined ? { contentType: 'application/json' } : {}),
      });
    },
    close() {
      transport.close();
    },
  };

  /** One page of a node list, decoded from its bytes as they stream (the Nodes appended to `nodes`). */
  async function readNodePage(path: string, nodes: KubeNode[], call: ListNodesOptions): Promise<NodePage> {
    const response = await send('GET', path, { signal: call.signal, timeoutMs: Math.max(requestTimeoutMs, LIST_TIMEOUT_FLOOR_MS) });
    const decoder = new NodeListDecoder({
      onItem: (item) => nodes.push(projectNode(item)),
      ...(call.annotationPrefix !== undefined && { annotationPrefix: call.annotationPrefix }),
    });
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        decoder.write(chunk);
      }
    } catch (error) {
      response.destroy();
      throw transportError(error, transport.describe(path), call.signal);
    }
    const { metadata } = decoder.end();
    const resourceVersion = metadata['resourceVersion'];
    if (typeof resourceVersion !== 'string') throw new KubeError('PROTOCOL', 'node list has no metadata.resourceVersion');
    const token = metadata['continue'] ?? '';
    if (typeof token !== 'string') throw new KubeError('PROTOCOL', 'node list metadata.continue must be a string');
    return { resourceVersion, continue: token };
  }

  async function* watch(call: WatchNodesOptions): AsyncGenerator<NodeWatchEvent> {
    const selector = call.fieldSelector === undefined ? '' : `&fieldSelector=${encodeURIComponent(call.fieldSelector)}`;
    const path = `/api/v1/nodes?allowWatchBookmarks=true${selector}&resourceVersion=${encodeURIComponent(call.resourceVersion)}&timeoutSeconds=${call.timeoutSeconds}&watch=true`;
    const stop = new AbortController();
    const onAbort = (): void => stop.abort(call.signal?.reason);
    call.signal?.addEventListener('abort', onAbort, { once: true });
    // client-go bounds the whole watch request by timeoutSeconds; a little grace lets the server end it first.
    const deadline = setTimeout(() => stop.abort(new KubeError('TIMEOUT', `watch ${transport.describe(path)} outlived its timeout`)), call.timeoutSeconds * 1000 + 5_000);
    try {
      const response = await send('GET', path, { signal: stop.signal });
      response.socket?.setKeepAlive?.(true, 30_000);
      const decoder = new StringDecoder('utf8');
      let pending = '';
      try {
        for await (const chunk of response as AsyncIterable<Buffer>) {
          pending += decoder.write(chunk);
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            const line = pending.slice(0, newline);
            pending = pending.slice(newline + 1);
            if (line.trim() !== '') yield decodeWatchLine(line);
            newline = pending.indexOf('\n');
          }
        }
      } catch (error) {
        if (call.signal?.aborted) return;
        const reason = stop.signal.reason;
        if (KubeError.isInstance(reason)) return; // our own deadline: a normal end, re-watch
        throw transportError(error, transport.describe(path), call.signal);
      }
      pending += decoder.end();
      if (pending.trim() !== '') yield decodeWatchLine(pending);
    } catch (error) {
      if (call.signal?.aborted) return;
      throw error;
    } finally {
      clearTimeout(deadline);
      call.signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }
}

function statusError(httpStatus: number, text: string, method: string, url: string): KubeError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const status = parseKubeStatus(parsed);
  const code = codeForHttpStatus(httpStatus);
  if (status !== undefined && status.message !== '') return new KubeError(code, status.message, { status, httpStatus });
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new KubeError(code, `${method} ${url}: the server responded with status ${httpStatus}${snippet === '' ? '' : `: ${snippet}`}`, {
    ...(status !== undefined && { status }),
    httpStatus,
  });
}

async function consume(response: IncomingMessage, onText: (text: string) => void, url: string, signal?: AbortSignal): Promise<void> {
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) onText(decoder.write(chunk));
  } catch (error) {
    throw transportError(error, url, signal);
  }
  const rest = decoder.end();
  if (rest !== '') onText(rest);
}

async function readText(response: IncomingMessage, url: string, signal?: AbortSignal): Promise<string> {
  const parts: string[] = [];
  await consume(response, (text) => parts.push(text), url, signal);
  return parts.join('');
}
