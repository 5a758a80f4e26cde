// An async iterable of model events for `subscribe()`: it listens from the moment it is created (so
// no change between `subscribe()` and the first `next()` is lost) and ends when the signal aborts or
// the netlink handle closes.
import type { NetlinkEvent, NetlinkGroup } from '../netlink.js';

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
 * Creates a single-consumer stream of the events of `source` in `groups`. It ends when `signal`
 * aborts or when the owner calls the `end` callback it adds to `closers` (on `close()`); events
 * already queued are still delivered.
 */
export function createEventStream(
  source: EventSource,
  groups: readonly NetlinkGroup[],
  signal: AbortSignal,
  closers: Set<() => void>,
): AsyncIterable<NetlinkEvent> {
  const wanted = new Set(groups);
  const queue: NetlinkEvent[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const listener = (event: NetlinkEvent): void => {
    if (!eventInGroups(event, wanted)) return;
    queue.push(structuredClone(event));
    wake?.();
  };
  const end = (): void => {
    ended = true;
    source.listeners.delete(listener);
    signal.removeEventListener('abort', end);
    closers.delete(end);
    wake?.();
  };
  if (signal.aborted) ended = true;
  else {
    source.listeners.add(listener);
    signal.addEventListener('abort', end, { once: true });
    closers.add(end);
  }
  return {
    [Symbol.asyncIterator](): AsyncIterator<NetlinkEvent> {
      return {
        async next(): Promise<IteratorResult<NetlinkEvent>> {
          while (queue.length === 0 && !ended) {
            await new Promise<void>((resolve) => { wake = resolve; });
            wake = undefined;
          }
          const event = queue.shift();
          return event === undefined ? { done: true, value: undefined } : { done: false, value: event };
        },
        async return(): Promise<IteratorResult<NetlinkEvent>> {
          end();
          queue.length = 0;
          return { done: true, value: undefined };
        },
      };
    },
  };
}
