// An async iterable of model events for `subscribe()`. Like the kernel implementation it listens from the
// `subscribe()` call on (changes made before the first `next()` are delivered), queues with the same bound and
// filter (the shared SubscriptionQueue), and ends, dropping anything still queued, when the signal aborts or the
// netlink handle closes.
import type { NetlinkEvent, NetlinkGroup, SubscribeOptions } from '../netlink.js';
import { SubscriptionQueue } from '../subscription-queue.js';

/** Whether `event` belongs to one of `groups` (FDB changes travel in the neighbour group, as in the kernel). */
export function eventInGroups(event: NetlinkEvent, groups: ReadonlySet<NetlinkGroup>): boolean {
  switch (event.type) {
    case 'newlink':
    case 'dellink':
      return groups.has('link');
    case 'newaddr':
    case 'deladdr':
      return groups.has(event.address.family === 4 ? 'ipv4-address' : 'ipv6-address');
    case 'newroute':
    case 'delroute':
      return groups.has(event.route.family === 4 ? 'ipv4-route' : 'ipv6-route');
    default:
      return groups.has('neighbour');
  }
}

/** Where a stream registers itself. */
export interface EventSource {
  readonly listeners: Set<(event: NetlinkEvent) => void>;
}

/**
 * Creates a single-consumer stream of the events of `source` in `groups`, listening at once. It ends when
 * `options.signal` aborts or when the owner calls the `end` callback it adds to `closers` (on `close()`).
 */
export function createEventStream(
  source: EventSource,
  groups: readonly NetlinkGroup[],
  options: SubscribeOptions,
  closers: Set<() => void>,
): AsyncIterableIterator<NetlinkEvent> {
  const { signal } = options;
  const wanted = new Set(groups);
  const listener = (event: NetlinkEvent): void => {
    if (eventInGroups(event, wanted)) queue.push(structuredClone(event));
  };
  const end = (): void => queue.end();
  const queue = new SubscriptionQueue(options, () => {
    source.listeners.delete(listener);
    signal.removeEventListener('abort', end);
    closers.delete(end);
  });
  if (signal.aborted) {
    queue.end();
    return queue;
  }
  source.listeners.add(listener);
  signal.addEventListener('abort', end, { once: true });
  closers.add(end);
  return queue;
}
