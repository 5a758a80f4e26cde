/**
 * Runs async tasks one at a time in call order (flannel's mutex around `iptables-restore`): a resync can
 * never interleave its read-then-restore with a setup.
 */
export function createSerialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}
