// The node's own lease, as the lease watch sees it. If someone else overwrites it (another PublicIP or
// VtepMAC under our subnet's key), peers start sending this node's pods' traffic elsewhere. flanneld
// does not look (pkg/subnet/watch.go drops every event about the own subnet). flannel-ts notices it on
// the watch, logs an error naming what was written, and re-asserts its own attributes with a renewal
// (the etcd manager's renewLease re-puts the attributes with a fresh etcd lease), at most once per
// interval so that two writers that both claim the subnet cannot flood etcd. A deleted own lease is
// completeLease's business (LEASE_REVOKED, the daemon stops).
import type { Lease, LeaseWatchResult } from './lease.js';
import { isSameLeaseSubnet } from './lease-watcher.js';
import { sameAttributes } from './same-attributes.js';
import type { Logger } from './logger.js';
import type { SubnetManager } from './subnet-manager.js';

/** Options of {@link OwnLeaseGuard}. */
export interface OwnLeaseGuardOptions {
  /** This node's lease, with the attributes it published. */
  readonly lease: Lease;
  readonly subnetManager: Pick<SubnetManager, 'renewLease'>;
  readonly logger: Logger;
  /** Stops pending re-assertions. */
  readonly signal: AbortSignal;
  /** Least time between two re-assertions; default 30 000 ms. */
  readonly reassertIntervalMs?: number;
}

/** Default least time between two re-assertions of the own lease. */
export const OWN_LEASE_REASSERT_INTERVAL_MS = 30_000;

/**
 * Watches lease watch results for this node's lease carrying attributes it did not publish, and
 * re-asserts its own.
 *
 * @example
 * ```ts
 * const guard = new OwnLeaseGuard({ lease, subnetManager, logger, signal });
 * for await (const result of subnetManager.watchLeases({ signal })) guard.observe(result);
 * ```
 */
export class OwnLeaseGuard {
  readonly #options: OwnLeaseGuardOptions;
  #last = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Re-assertions sent so far (for tests and metrics). */
  reasserted = 0;

  constructor(options: OwnLeaseGuardOptions) {
    this.#options = options;
    options.signal.addEventListener('abort', () => clearTimeout(this.#timer), { once: true });
  }

  /** Looks at one watch result; schedules a re-assertion when the own lease was overwritten. */
  observe(result: LeaseWatchResult): void {
    const own = this.#options.lease;
    const seen = result.kind === 'snapshot' ? result.leases : result.events.filter((event) => event.type === 'added').map((event) => event.lease);
    for (const lease of seen) {
      if (!isSameLeaseSubnet(lease, own) || sameAttributes(lease.attributes, own.attributes)) continue;
      const { publicIP, publicIPv6, backendType } = lease.attributes;
      this.#options.logger.error(
        { subnet: own.subnet?.toString() ?? own.ipv6Subnet?.toString(), publicIP, publicIPv6, backendType, backendData: lease.attributes.backendData },
        `this node's lease ${own.subnet?.toString() ?? own.ipv6Subnet?.toString()} was overwritten by someone else (PublicIP ${publicIP}); re-asserting this node's attributes`,
      );
      this.#schedule();
    }
  }

  /** Resolves when the re-assertion in flight (if any) has settled. */
  async settled(): Promise<void> {
    await this.#running;
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#options.signal.aborted) return;
    const interval = this.#options.reassertIntervalMs ?? OWN_LEASE_REASSERT_INTERVAL_MS;
    const wait = Math.max(0, this.#last + interval - Date.now());
    if (wait === 0) {
      this.#reassert();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#reassert();
    }, wait);
  }

  #reassert(): void {
    if (this.#options.signal.aborted) return;
    this.#last = Date.now();
    this.reasserted += 1;
    this.#running = (async () => {
      try {
        await this.#options.subnetManager.renewLease(this.#options.lease, { signal: this.#options.signal });
      } catch (error) {
        if (this.#options.signal.aborted) return;
        this.#options.logger.error({ err: error }, `could not re-assert this node's lease: ${(error as Error).message}`);
      }
    })();
  }
}
