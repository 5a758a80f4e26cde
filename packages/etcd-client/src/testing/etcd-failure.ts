import { EtcdError } from '../etcd-error.js';

/**
 * Awaits the rejection of `promise` and returns it as an {@link EtcdError}; throws when `promise`
 * resolves or rejects with anything else.
 *
 * @example
 * ```ts
 * expect((await etcdFailure(client.range({ key }))).code).toBe('UNAVAILABLE');
 * ```
 */
export async function etcdFailure(promise: Promise<unknown>): Promise<EtcdError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (caught: unknown) => caught,
  );
  if (!EtcdError.isInstance(error)) throw error;
  return error;
}
