// flanneld's getConfig loop: ask the subnet manager every second until a config is there. A missing
// config or an unreachable datastore is retried (with a clear message the first time and every 30 s);
// a config that is present but invalid is fatal, since waiting would not fix it.
import { FlannelError } from '@flannel-ts/core';
import type { Logger, NetworkConfig, SubnetManager } from '@flannel-ts/core';

/** Options of {@link waitForNetworkConfig}. */
export interface WaitForNetworkConfigOptions {
  readonly subnetManager: SubnetManager;
  readonly logger: Logger;
  /** Aborting ends the wait with `undefined`. */
  readonly signal: AbortSignal;
  /** Waits between attempts. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Default 1 000 ms, as flanneld. */
  readonly retryMs?: number;
}

const REPEAT_LOG_EVERY = 30;

/**
 * Resolves to the network config, retrying retryable failures (`CONFIG_NOT_FOUND`,
 * `DATASTORE_UNAVAILABLE`…) every `retryMs`; `undefined` when `signal` aborts first. Rejects on a
 * non-retryable failure (`CONFIG_INVALID`).
 *
 * @example
 * ```ts
 * const config = await waitForNetworkConfig({ subnetManager, logger, signal, sleep });
 * if (config === undefined) return 0; // shut down while waiting
 * ```
 */
export async function waitForNetworkConfig(options: WaitForNetworkConfigOptions): Promise<NetworkConfig | undefined> {
  const retryMs = options.retryMs ?? 1_000;
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal.aborted) return undefined;
    try {
      return await options.subnetManager.getNetworkConfig({ signal: options.signal });
    } catch (error) {
      if (options.signal.aborted) return undefined;
      const retryable = FlannelError.isInstance(error) ? error.isRetryable : false;
      if (!retryable) throw error;
      if (attempt % REPEAT_LOG_EVERY === 0) {
        const message = error instanceof Error ? error.message : String(error);
        options.logger.warn(
          { attempt: attempt + 1, retryMs },
          `Couldn't fetch network config: ${message} (retrying every ${retryMs / 1000} s)`,
        );
      }
    }
    await options.sleep(retryMs, options.signal);
  }
}
