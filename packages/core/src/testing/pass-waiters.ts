/** Waiters for a backend's reconcile passes: see {@link passWaiters}. */
export interface PassWaiters<T = void> {
  /** Wakes every waiter whose check accepts `report`; hand it to the backend as `onReconcile`. */
  notify(report: T): void;
  /** Resolves at the next notified report that `check` accepts (any report by default); earlier reports do not count. */
  next(check?: (report: T) => boolean): Promise<void>;
  /** Resolves once `check()` holds, looking again after each notified report (at once if it already holds). */
  until(check: () => boolean): Promise<void>;
}

/**
 * Lets a test await a backend's next reconcile pass (its `onReconcile` report) instead of sleeping: the harness
 * `nextPass` of `testBackend`, or "until a pass that …" in a backend's own tests.
 *
 * @example
 * ```ts
 * const passes = passWaiters<VxlanReconcileReport>();
 * const backend = createVxlanBackend({ netlink, onReconcile: (report) => passes.notify(report) });
 * // … after run:
 * await passes.next((report) => report.mode === 'full');
 * ```
 */
export function passWaiters<T = void>(): PassWaiters<T> {
  const waiters = new Set<(report: T) => void>();
  return {
    notify(report: T): void {
      waiters.forEach((wake) => wake(report));
    },
    next(check?: (report: T) => boolean): Promise<void> {
      return new Promise<void>((resolve) => {
        const wake = (report: T): void => {
          if (check !== undefined && !check(report)) return;
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    },
    async until(check: () => boolean): Promise<void> {
      while (!check()) await this.next();
    },
  };
}
