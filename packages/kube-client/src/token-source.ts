import { readFileSync } from 'node:fs';
import type { Logger } from '@flannel-ts/core';

/** How long a token read from a file is reused before the file is read again (client-go: about a minute). */
export const TOKEN_FILE_REFRESH_MS = 60_000;

/**
 * The bearer token of a config: a fixed `token`, or a `tokenFile` re-read at most every
 * {@link TOKEN_FILE_REFRESH_MS} (client-go's `cachingTokenSource`), keeping the last good token when a
 * re-read fails. The token never reaches a log line.
 */
export class TokenSource {
  readonly #token: string | undefined;
  readonly #file: string | undefined;
  readonly #clock: () => number;
  readonly #logger: Logger | undefined;
  readonly #readFile: (path: string) => string;
  #cached: string | undefined;
  #readAt = Number.NEGATIVE_INFINITY;

  constructor(options: {
    readonly token?: string | undefined;
    readonly tokenFile?: string | undefined;
    readonly clock?: () => number;
    readonly logger?: Logger;
    readonly readFile?: (path: string) => string;
  }) {
    this.#token = options.token;
    this.#file = options.tokenFile;
    this.#clock = options.clock ?? Date.now;
    this.#logger = options.logger;
    this.#readFile = options.readFile ?? ((path) => readFileSync(path, 'utf8'));
  }

  /** The token to send now, or `undefined` for none. A fixed token wins over a file, as in client-go. */
  current(): string | undefined {
    if (this.#token !== undefined) return this.#token;
    if (this.#file === undefined) return undefined;
    const now = this.#clock();
    if (this.#cached === undefined || now - this.#readAt >= TOKEN_FILE_REFRESH_MS) this.#reread(now);
    return this.#cached;
  }

  /** Forgets the cached file token so the next request reads the file (after a 401). */
  invalidate(): void {
    this.#readAt = Number.NEGATIVE_INFINITY;
  }

  #reread(now: number): void {
    try {
      const text = this.#readFile(this.#file!).trim();
      if (text !== '') this.#cached = text;
      this.#readAt = now;
    } catch (error) {
      this.#logger?.warn({ tokenFile: this.#file }, `cannot re-read the token file, keeping the previous token: ${(error as Error).message}`);
      this.#readAt = now;
    }
  }
}
