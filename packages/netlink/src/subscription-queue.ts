// The consumer side of a subscription, shared by the kernel implementation and RecordingNetlink so both queue,
// filter, overflow and end the same way.
import { NetlinkError } from './errors.js';
import type { NetlinkEvent, SubscribeOptions } from './netlink.js';

/** Events a subscription queues for a slow consumer before it fails with `ENOBUFS` (see {@link SubscribeOptions}). */
export const DEFAULT_MAX_QUEUED_EVENTS = 65_536;

/**
 * The `ENOBUFS` `NetlinkError` a subscription fails with when `limit` events wait unconsumed.
 *
 * @example
 * ```ts
 * subscriptionOverflow(65536).errnoName; // 'ENOBUFS'
 * ```
 */
export function subscriptionOverflow(limit: number): NetlinkError {
  return new NetlinkError({
    operation: 'subscribe',
    errno: 105,
    message: `subscribe: ${limit} events were waiting unconsumed (maxQueuedEvents); later events were dropped — re-read the state and subscribe again`,
  });
}

/**
 * A single-consumer async iterator over pushed events. It is created already listening (the producer pushes from
 * the start); `push` applies the subscription's `filter` and queue bound. After a failure (`fail`, or overflow) the
 * events queued before it are still delivered, then `next()` rejects with the error once and the iteration is over.
 * `end()` (signal aborted, handle closed, or `return()`) finishes at once and drops what is queued. `release` runs
 * exactly once, at the first failure or end, to free the producer's resources.
 */
export class SubscriptionQueue implements AsyncIterableIterator<NetlinkEvent> {
  private items: NetlinkEvent[] = [];
  private head = 0;
  private failure: Error | undefined;
  private finished = false;
  private released = false;
  private wake: (() => void) | undefined;
  private readonly limit: number;
  private readonly filter: ((event: NetlinkEvent) => boolean) | undefined;

  constructor(
    options: Pick<SubscribeOptions, 'filter' | 'maxQueuedEvents'>,
    private readonly release: () => void,
  ) {
    this.limit = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
    this.filter = options.filter;
  }

  /** Events waiting for the consumer. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Queues `event` unless filtered out; past the bound, fails the subscription with `ENOBUFS`. */
  push(event: NetlinkEvent): void {
    if (this.finished || this.failure) return;
    try {
      if (this.filter && !this.filter(event)) return;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.size >= this.limit) {
      this.fail(subscriptionOverflow(this.limit));
      return;
    }
    this.items.push(event);
    this.wakeUp();
  }

  /** Ends the subscription with `error`, delivered after the events already queued. */
  fail(error: Error): void {
    if (this.finished || this.failure) return;
    this.failure = error;
    this.releaseOnce();
    this.wakeUp();
  }

  /** Ends the iteration now, dropping anything queued. Idempotent. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.items = [];
    this.head = 0;
    this.releaseOnce();
    this.wakeUp();
  }

  async next(): Promise<IteratorResult<NetlinkEvent>> {
    while (this.size === 0 && !this.finished && !this.failure) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.finished) return { done: true, value: undefined };
    if (this.size > 0) {
      const event = this.items[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.items.length) {
        this.items = this.items.slice(this.head);
        this.head = 0;
      }
      return { done: false, value: event };
    }
    const failure = this.failure!;
    this.end();
    throw failure;
  }

  async return(): Promise<IteratorResult<NetlinkEvent>> {
    this.end();
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private releaseOnce(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
