// An async iterable of model events for `subscribe()`. Like the kernel implementation (an async
// generator that opens its socket on the first `next()`), it starts listening on the first `next()`,
// so code that subscribes, changes things and only then iterates misses those changes with both. It
// ends, dropping anything still queued, when the signal aborts or the netlink handle closes.
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
 * Creates a single-consumer stream of the events of `source` in `groups`. It listens from the first
 * `next()` and ends when `signal` aborts or when the owner calls the `end` callback it adds to
 * `closers` (on `close()`).
 */
export function createEventStream(
  source: EventSource,
  groups: readonly NetlinkGroup[],
  signal: AbortSignal,
  closers: Set<() => void>,
): AsyncIterable<NetlinkEvent> {
  const wanted = new Set(groups);
  const queue: NetlinkEvent[] = [];
  let started = false;
  let ended = false;
  let wake: (() => void) | undefined;
  const listener = (event: NetlinkEvent): void => {
    if (!eventInGroups(event, wanted)) return;
    queue.push(structuredClone(event));
    wake?.();
  };
  const end = (): void => {
    ended = true;
    queue.length = 0;
    source.listeners.delete(listener);
    signal.removeEventListener('abort', end);
    closers.delete(end);
    wake?.();
  };
  const start = (): void => {
    started = true;
    if (signal.aborted) {
      ended = true;
      return;
    }
    source.listeners.add(listener);
    signal.addEventListener('abort', end, { once: true });
    closers.add(end);
  };
  return {
    [Symbol.asyncIterator](): AsyncIterator<NetlinkEvent> {
      return {
        async next(): Promise<IteratorResult<NetlinkEvent>> {
          if (!started) start();
          while (queue.length === 0 && !ended) {
            await new Promise<void>((resolve) => { wake = resolve; });
            wake = undefined;
          }
          const event = ended ? undefined : queue.shift();
          return event === undefined ? { done: true, value: undefined } : { done: false, value: event };
        },
        async return(): Promise<IteratorResult<NetlinkEvent>> {
          if (started) end();
          else ended = true;
          return { done: true, value: undefined };
        },
      };
    },
  };
}
