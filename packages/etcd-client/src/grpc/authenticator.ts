/**
 * Caches the etcd auth token: the first caller triggers `authenticate`, concurrent callers share that
 * attempt, a failed attempt is not cached. {@link Authenticator.invalidate} drops a token etcd rejected
 * (`etcdserver: invalid auth token`) so the next caller authenticates again.
 *
 * @example
 * ```ts
 * const authenticator = new Authenticator(async () => (await call(authAuthenticate, { name, password })).token);
 * const token = await authenticator.token();
 * ```
 */
export class Authenticator {
  readonly #authenticate: () => Promise<string>;
  #token: Promise<string> | undefined;

  constructor(authenticate: () => Promise<string>) {
    this.#authenticate = authenticate;
  }

  /** The cached token, authenticating first when there is none. */
  token(): Promise<string> {
    if (!this.#token) {
      const attempt = this.#authenticate();
      this.#token = attempt;
      attempt.catch(() => {
        if (this.#token === attempt) this.#token = undefined;
      });
    }
    return this.#token;
  }

  /** Forgets `token` if it is still the cached one. */
  async invalidate(token: string | undefined): Promise<void> {
    const current = this.#token;
    if (!current) return;
    const value = await current.catch(() => undefined);
    if (value === token && this.#token === current) this.#token = undefined;
  }
}
