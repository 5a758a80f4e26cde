import { KubeError } from './kube-error.js';
import { projectNode, type KubeNode } from './kube-node.js';
import { parseKubeStatus, type KubeStatus } from './kube-status.js';

/** One line of a node watch, decoded: a change, a bookmark (a newer resourceVersion), or an error Status. */
export type NodeWatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly node: KubeNode; readonly resourceVersion: string }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | { readonly type: 'ERROR'; readonly status: KubeStatus };

/**
 * Decodes one watch line (`{"type":"ADDED","object":{…}}`), keeping only the {@link KubeNode} of the object.
 *
 * @example
 * ```ts
 * decodeWatchLine('{"type":"BOOKMARK","object":{"kind":"Node","metadata":{"resourceVersion":"12"}}}')
 * // { type: 'BOOKMARK', resourceVersion: '12' }
 * ```
 */
export function decodeWatchLine(line: string): NodeWatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new KubeError('PROTOCOL', `watch event is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const event = parsed as { type?: unknown; object?: unknown };
  if (typeof event !== 'object' || event === null) throw new KubeError('PROTOCOL', 'watch event must be an object');
  switch (event.type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED': {
      const node = projectNode(event.object);
      return { type: event.type, node, resourceVersion: node.resourceVersion };
    }
    case 'BOOKMARK': {
      const metadata = (event.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata;
      const resourceVersion = metadata?.resourceVersion;
      if (typeof resourceVersion !== 'string') throw new KubeError('PROTOCOL', 'watch BOOKMARK has no metadata.resourceVersion');
      return { type: 'BOOKMARK', resourceVersion };
    }
    case 'ERROR': {
      const status = parseKubeStatus(event.object);
      if (status === undefined) throw new KubeError('PROTOCOL', 'watch ERROR event carries no Status');
      return { type: 'ERROR', status };
    }
    default:
      throw new KubeError('PROTOCOL', `watch event type ${JSON.stringify(event.type)} is unknown`);
  }
}
