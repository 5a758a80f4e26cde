import type { WatchResponse } from '../messages.js';

/**
 * Joins a watch's fragmented responses (`fragment: true` on every part but the last, etcd's
 * `WatchCreateRequest.fragment` for revisions larger than the server's request limit) into one response,
 * as clientv3's `watch.go` does before delivering it: callers never see half a revision, so a resume
 * revision never lands inside one.
 *
 * @example
 * ```ts
 * const assembler = new FragmentAssembler();
 * const whole = assembler.push(response); // undefined while parts are missing
 * ```
 */
export class FragmentAssembler {
  readonly #parts = new Map<bigint, WatchResponse[]>();

  /** The complete response `response` finishes, or `undefined` when it is a part still waiting for more. */
  push(response: WatchResponse): WatchResponse | undefined {
    const parts = this.#parts.get(response.watchId);
    if (response.fragment) {
      if (parts) parts.push(response);
      else this.#parts.set(response.watchId, [response]);
      return undefined;
    }
    if (!parts) return response;
    this.#parts.delete(response.watchId);
    return { ...response, events: [...parts.flatMap((part) => part.events), ...response.events] };
  }
}
