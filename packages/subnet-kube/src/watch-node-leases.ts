import { FlannelError, type Lease, type LeaseEvent, type LeaseWatchResult, type NetworkConfig } from '@flannel-ts/core';
import { reflectNodes, type KubeNode } from '@flannel-ts/kube-client';
import { leaseFamilies, type KubeContext } from './kube-context.js';
import { goDuration, toFlannelError } from './kube-errors.js';
import { isFlannelManaged, leaseAnnotationKey, nodeToLease, type NodeToLeaseContext } from './node-to-lease.js';

/** The cursor of a kube lease watch: the Node resourceVersion to watch from. */
export interface KubeLeaseCursor {
  readonly resourceVersion: string;
}

function isCursor(value: unknown): value is KubeLeaseCursor {
  return typeof value === 'object' && value !== null && typeof (value as KubeLeaseCursor).resourceVersion === 'string';
}

interface Known {
  readonly key: string;
  readonly lease: Lease;
}

/**
 * Turns node list/watch items into lease results the way flannel's informer handlers do
 * (`pkg/subnet/kube/kube.go`): only nodes annotated `kube-subnet-manager: "true"` count; a node that does
 * not convert (`nodeToLease`) is logged and skipped; an update is an event only when its lease
 * annotations changed; a deleted node is a removal. A list (the first, and each re-list after `410`)
 * becomes a snapshot, which the consumer diffs, as client-go's `Replace` would.
 */
class NodeLeaseTracker {
  readonly #known = new Map<string, Known>();
  readonly #context: NodeToLeaseContext;
  readonly #kube: KubeContext;
  readonly #config: NetworkConfig;

  constructor(kube: KubeContext, config: NetworkConfig) {
    this.#kube = kube;
    this.#config = config;
    this.#context = { names: kube.names, ...leaseFamilies(config), ownNodeName: kube.nodeName };
  }

  #convert(node: KubeNode): Known | undefined {
    if (!isFlannelManaged(node, this.#kube.names)) return undefined;
    const result = nodeToLease(node, this.#context);
    if ('error' in result) {
      this.#kube.logger.info({ node: node.name }, `Error turning node "${node.name}" to lease: ${result.error}`);
      return undefined;
    }
    const { lease } = result;
    const outside =
      (lease.subnet !== undefined && this.#config.network !== undefined && !this.#config.network.contains(lease.subnet)) ||
      (lease.ipv6Subnet !== undefined && this.#config.ipv6Network !== undefined && !this.#config.ipv6Network.contains(lease.ipv6Subnet));
    if (outside) {
      this.#kube.logger.warn(
        { node: node.name },
        `Ignoring node "${node.name}": its podCIDRs ${JSON.stringify(node.podCIDRs)} are outside the net config networks`,
      );
      return undefined;
    }
    return { key: leaseAnnotationKey(node, this.#context), lease };
  }

  replace(nodes: readonly KubeNode[]): Lease[] {
    this.#known.clear();
    for (const node of nodes) {
      const known = this.#convert(node);
      if (known !== undefined) this.#known.set(node.name, known);
    }
    return [...this.#known.values()].map((each) => each.lease);
  }

  change(type: 'ADDED' | 'MODIFIED' | 'DELETED', node: KubeNode): LeaseEvent | undefined {
    if (type === 'DELETED') {
      const known = this.#known.get(node.name) ?? this.#convert(node);
      this.#known.delete(node.name);
      return known === undefined ? undefined : { type: 'removed', lease: known.lease };
    }
    if (!isFlannelManaged(node, this.#kube.names)) return undefined; // flannel: no event, not even a removal
    const previous = this.#known.get(node.name);
    if (previous !== undefined && previous.key === leaseAnnotationKey(node, this.#context)) return undefined;
    const known = this.#convert(node);
    if (known === undefined) return undefined;
    this.#known.set(node.name, known);
    return { type: 'added', lease: known.lease };
  }
}

/**
 * `watchLeases` of the kube manager: a node reflector (list, watch with bookmarks, re-list on 410,
 * backoff) mapped to a snapshot and then events. Before the first list, 401/403 end it with
 * `DATASTORE_AUTH_FAILED`, and a list that does not arrive within the sync timeout with
 * `DATASTORE_UNAVAILABLE` (flannel's `error waiting for nodeController to sync state`). After it, outages
 * are retried forever, as client-go does. The `alloc` backend watches nothing (flannel issue #1617).
 */
export async function* watchNodeLeases(
  context: KubeContext,
  options: { readonly signal: AbortSignal; readonly cursor?: unknown },
): AsyncGenerator<LeaseWatchResult> {
  const { signal } = options;
  if (signal.aborted) return;
  const config = await context.networkConfig(signal).catch((error: unknown) => {
    if (signal.aborted) return undefined;
    throw error;
  });
  if (config === undefined) return;
  if (config.backendType === 'alloc') {
    yield { kind: 'snapshot', leases: [], cursor: { resourceVersion: '' } satisfies KubeLeaseCursor };
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    return;
  }
  if (options.cursor !== undefined && !isCursor(options.cursor)) throw new FlannelError('INTERNAL', 'watchLeases cursor is not a kube cursor');
  const tracker = new NodeLeaseTracker(context, config);
  const inner = new AbortController();
  const onAbort = (): void => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let synced = options.cursor !== undefined;
  let timedOut = false;
  const { logger } = context;
  let timer: NodeJS.Timeout | undefined;
  if (!synced) {
    logger.info(`Waiting ${goDuration(context.syncTimeoutMs)} for node controller to sync`);
    logger.info('Starting kube subnet manager');
    timer = setTimeout(() => {
      if (context.continueWhenCacheNotReady) {
        logger.warn(`Node controller sync not completed within ${goDuration(context.syncTimeoutMs)}; continuing (CONT_WHEN_CACHE_NOT_READY=true)`);
        return;
      }
      timedOut = true;
      inner.abort();
    }, context.syncTimeoutMs);
  }
  try {
    const items = reflectNodes({
      client: context.client,
      signal: inner.signal,
      ...(isCursor(options.cursor) && { resourceVersion: options.cursor.resourceVersion }),
      // Peers are read only through flannel's annotations; the rest of each Node's 8–12 KB is skipped.
      annotationPrefix: context.names.prefix,
      stopOn: ['UNAUTHORIZED', 'FORBIDDEN', 'TLS_FAILED'],
      stopOnlyUntilListed: true,
      random: context.random,
      ...(context.reflectorBackoff !== undefined && { backoff: context.reflectorBackoff }),
      logger,
    });
    for await (const item of items) {
      if (item.type === 'BOOKMARK') continue;
      const cursor: KubeLeaseCursor = { resourceVersion: item.resourceVersion };
      if (item.type === 'LIST') {
        if (!synced) {
          synced = true;
          clearTimeout(timer);
          logger.info('Node controller sync successful');
        }
        yield { kind: 'snapshot', leases: tracker.replace(item.nodes), cursor };
        continue;
      }
      const event = tracker.change(item.type, item.node);
      if (event !== undefined) yield { kind: 'events', events: [event], cursor };
    }
  } catch (error) {
    if (signal.aborted) return;
    throw toFlannelError(error, `error waiting for nodeController to sync state: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    inner.abort();
  }
  if (timedOut) {
    throw new FlannelError('DATASTORE_UNAVAILABLE', `error waiting for nodeController to sync state: no node list within ${goDuration(context.syncTimeoutMs)}`);
  }
}
