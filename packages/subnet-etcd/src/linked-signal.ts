/** An `AbortSignal` that aborts when any of its sources does; `dispose()` detaches it from them. */
export interface LinkedSignal extends Disposable {
  readonly signal: AbortSignal;
}

/**
 * Links `sources` into one signal (like `AbortSignal.any`, but detaching its listeners on dispose, so a
 * long-lived source such as the manager's lifetime does not collect one listener per call).
 *
 * @example
 * ```ts
 * using linked = linkSignals(options.signal, context.closed);
 * await work(linked.signal);
 * ```
 */
export function linkSignals(...sources: readonly AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  const onAbort = (event: Event): void => controller.abort((event.target as AbortSignal).reason);
  const dispose = (): void => {
    for (const source of sources) source.removeEventListener('abort', onAbort);
  };
  for (const source of sources) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    source.addEventListener('abort', onAbort, { once: true });
  }
  if (controller.signal.aborted) dispose();
  return { signal: controller.signal, [Symbol.dispose]: dispose };
}
