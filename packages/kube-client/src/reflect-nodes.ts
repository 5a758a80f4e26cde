import { silentLogger, type Logger } from '@flannel-ts/core';
import { backoffDelay, REFLECTOR_BACKOFF, sleep, type BackoffPolicy } from './backoff.js';
import { KubeError, type KubeErrorCode } from './kube-error.js';
import type { KubeClient } from './kube-client.js';
import type { KubeNode } from './kube-node.js';

/** What {@link reflectNodes} yields: a full list (at start and after every re-list), then changes. */
export type ReflectorItem =
  | { readonly type: 'LIST'; readonly nodes: readonly KubeNode[]; readonly resourceVersion: string }
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly node: KubeNode; readonly resourceVersion: string }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string };

/** Options of {@link reflectNodes}. */
export interface ReflectNodesOptions {
  readonly client: KubeClient;
  /** Ends the iteration (it then returns). */
  readonly signal: AbortSignal;
  /** Start by watching from this version instead of listing (resume); a 410 still re-lists. */
  readonly resourceVersion?: string;
  /**
   * Error codes that end the iteration by throwing instead of being retried (default none: client-go retries
   * forever). With `stopOnlyUntilListed`, only until the first list succeeded (fail fast at start-up, then
   * ride out outages like client-go).
   */
  readonly stopOn?: readonly KubeErrorCode[];
  readonly stopOnlyUntilListed?: boolean;
  /** The watch's `timeoutSeconds` is drawn from [min, 2·min) (client-go: min 300). */
  readonly minWatchTimeoutSeconds?: number;
  readonly backoff?: BackoffPolicy;
  /** `[0, 1)` random source for jitter and watch timeouts (default `Math.random`). */
  readonly random?: () => number;
  readonly logger?: Logger;
  /** `fieldSelector` for list and watch. */
  readonly fieldSelector?: string;
  /** Listed Nodes keep only the annotations whose name starts with this (see {@link KubeClient.listNodes}). */
  readonly annotationPrefix?: string;
}

/**
 * client-go's reflector for Nodes (`tools/cache/reflector.go`, as flannel's informer runs it):
 * `LIST ?limit=500&resourceVersion=0`, then `WATCH` from the list's version with bookmarks and a random
 * 300–600 s `timeoutSeconds`, re-watching from the last seen version when a watch ends; a `410 Expired`
 * (HTTP or `ERROR` event) re-lists; any other failure is retried after a jittered exponential backoff
 * (800 ms → 30 s), forever unless its code is in `stopOn`.
 *
 * @example
 * ```ts
 * for await (const item of reflectNodes({ client, signal })) {
 *   if (item.type === 'LIST') replaceAll(item.nodes); else if (item.type !== 'BOOKMARK') apply(item);
 * }
 * ```
 */
export async function* reflectNodes(options: ReflectNodesOptions): AsyncGenerator<ReflectorItem> {
  const { client, signal } = options;
  const logger = options.logger ?? silentLogger;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? REFLECTOR_BACKOFF;
  const minTimeout = options.minWatchTimeoutSeconds ?? 300;
  const stopOn = new Set(options.stopOn ?? []);
  const selector = options.fieldSelector === undefined ? {} : { fieldSelector: options.fieldSelector };
  let resourceVersion = options.resourceVersion;
  let failures = 0;
  let listed = false;
  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        const list = await client.listNodes({ signal, ...selector, ...(options.annotationPrefix !== undefined && { annotationPrefix: options.annotationPrefix }) });
        resourceVersion = list.resourceVersion;
        failures = 0;
        listed = true;
        yield { type: 'LIST', nodes: list.nodes, resourceVersion };
      }
      const timeoutSeconds = minTimeout + Math.floor(random() * minTimeout);
      const started = Date.now();
      let received = 0;
      for await (const event of client.watchNodes({ resourceVersion, timeoutSeconds, signal, ...selector })) {
        if (event.type === 'ERROR') {
          throw new KubeError(event.status.code === 410 ? 'EXPIRED' : 'REQUEST_FAILED', event.status.message, { status: event.status });
        }
        failures = 0;
        received += 1;
        resourceVersion = event.resourceVersion;
        yield event;
      }
      // client-go's "very short watch": a watch that ends within a second with nothing in it is an error
      // (backed off), so a server that closes watches at once is not hammered.
      if (received === 0 && Date.now() - started < 1000 && !signal.aborted) {
        throw new KubeError('UNAVAILABLE', 'very short watch: watch lasted less than a second and no items received');
      }
    } catch (error) {
      if (signal.aborted) return;
      // A watch from a compacted version re-lists at once; a list answered 410 is backed off like any other
      // list failure (client-go's ListAndWatch), so a server that keeps answering so is not hammered.
      if (KubeError.isInstance(error) && error.code === 'EXPIRED' && resourceVersion !== undefined) {
        logger.info({ resourceVersion }, `watch of nodes closed with: ${error.message}; re-listing`);
        resourceVersion = undefined;
        continue;
      }
      if (KubeError.isInstance(error) && stopOn.has(error.code) && !(listed && options.stopOnlyUntilListed === true)) throw error;
      failures += 1;
      const delay = backoffDelay(policy, failures, random);
      logger.warn({ attempt: failures, retryInMs: delay }, `${resourceVersion === undefined ? 'list' : 'watch'} of nodes failed: ${(error as Error).message}`);
      await sleep(delay, signal);
    }
  }
}
