// Test-only: the stand-in's paginated lists, as an API server serves a list from etcd (`limit` + `continue`,
// `k8s.io/apiserver/pkg/storage/etcd3/store.go` GetList): the first page fixes a snapshot at the current
// resourceVersion, each `continue` token pages on through that snapshot, and a token whose snapshot is gone
// (compacted: older than the oldest watchable version, or evicted) gets `410 Expired`.
import { kubeStatus } from '../kube-status.js';
import { StatusError, type KubeObject } from './fake-store.js';

/** One page to send: its items and the list's `metadata`. */
export interface ListPage {
  readonly items: readonly KubeObject[];
  readonly metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
}

/** What a `continue` token carries (base64url JSON, opaque to clients as the API server's is). */
interface ContinueToken {
  readonly v: 'meta.k8s.io/v1';
  readonly rv: number;
  /** The snapshot paged through. */
  readonly id: number;
  /** Index of the next item. */
  readonly start: number;
}

/** How many unfinished paged lists are kept; older ones are evicted (their tokens then get `410`). */
const MAX_SNAPSHOTS = 32;

/** The API server's message for a continue token whose snapshot was compacted (`storage/etcd3` `inconsistentContinue`). */
export const EXPIRED_CONTINUE_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function badRequest(message: string): StatusError {
  return new StatusError(kubeStatus(400, 'BadRequest', message));
}

function decodeToken(text: string): ContinueToken {
  let token: unknown;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    token = undefined;
  }
  const t = token as Partial<ContinueToken> | undefined;
  if (t?.v !== 'meta.k8s.io/v1' || !Number.isInteger(t.rv) || !Number.isInteger(t.id) || !Number.isInteger(t.start) || (t.start as number) < 0) {
    throw badRequest(`continue key is not valid: ${JSON.stringify(text)}`);
  }
  return t as ContinueToken;
}

/**
 * The unfinished paged lists of one stand-in. With paging off, `limit` is ignored and every list is one page,
 * as an API server answers from its watch cache.
 *
 * @example
 * ```ts
 * const pages = new ListPages(true);
 * const page = pages.page(query, () => ({ items: store.list(nodes), resourceVersion: store.resourceVersion }), store.oldestWatchable);
 * ```
 */
export class ListPages {
  readonly #enabled: boolean;
  readonly #snapshots = new Map<number, { readonly resourceVersion: number; readonly items: readonly KubeObject[] }>();
  #nextId = 1;

  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /**
   * The page a list request with `query` gets. `current` lists the objects now (first pages only);
   * `oldestWatchable` is the compaction point below which a token's snapshot is gone.
   */
  page(
    query: Readonly<Record<string, string>>,
    current: () => { readonly items: readonly KubeObject[]; readonly resourceVersion: number },
    oldestWatchable: number,
  ): ListPage {
    const limitText = query['limit'] ?? '';
    const limit = limitText === '' ? 0 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 0) throw badRequest(`limit ${JSON.stringify(limitText)} is invalid: must be a non-negative integer`);
    const continueText = query['continue'] ?? '';
    let id: number;
    let start: number;
    let snapshot: { readonly resourceVersion: number; readonly items: readonly KubeObject[] };
    if (continueText === '') {
      const now = current();
      if (!this.#enabled || limit === 0 || limit >= now.items.length) return { items: now.items, metadata: { resourceVersion: String(now.resourceVersion) } };
      id = this.#nextId++;
      start = 0;
      snapshot = now;
      this.#snapshots.set(id, snapshot);
      if (this.#snapshots.size > MAX_SNAPSHOTS) this.#snapshots.delete(this.#snapshots.keys().next().value!);
    } else {
      // apiserver: "specifying resource version is not allowed when using continue"
      if ((query['resourceVersion'] ?? '') !== '') throw badRequest('specifying resource version is not allowed when using continue');
      const token = decodeToken(continueText);
      const kept = this.#snapshots.get(token.id);
      if (kept === undefined || token.rv < oldestWatchable || kept.resourceVersion !== token.rv) {
        this.#snapshots.delete(token.id);
        throw new StatusError(kubeStatus(410, 'Expired', EXPIRED_CONTINUE_MESSAGE));
      }
      id = token.id;
      start = token.start;
      snapshot = kept;
    }
    const end = limit === 0 ? snapshot.items.length : Math.min(snapshot.items.length, start + limit);
    const items = snapshot.items.slice(start, end);
    const resourceVersion = String(snapshot.resourceVersion);
    if (end >= snapshot.items.length) {
      this.#snapshots.delete(id);
      return { items, metadata: { resourceVersion } };
    }
    const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: snapshot.resourceVersion, id, start: end };
    return {
      items,
      metadata: { resourceVersion, continue: Buffer.from(JSON.stringify(token)).toString('base64url'), remainingItemCount: snapshot.items.length - end },
    };
  }

  /** Forgets every unfinished paged list (their tokens get `410`). */
  clear(): void {
    this.#snapshots.clear();
  }
}
