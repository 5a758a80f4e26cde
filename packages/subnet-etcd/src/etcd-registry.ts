import { posix } from 'node:path';
import { leaseKey, type DecodeResult, type LeaseKey } from '@flannel-ts/core';
import { prefixRangeEnd, type EtcdClient, type KeyValue } from '@flannel-ts/etcd-client';
import { etcdErrorOf, redact, toDatastoreError } from './etcd-errors.js';

/** flannel's `subnetTTL`: every lease is granted for 24 hours. */
export const SUBNET_TTL_SECONDS = 86_400;

/** A key under `<prefix>/subnets/` as stored: raw text, the etcd lease holding it, its revision. */
export interface RawSubnetEntry {
  /** Full etcd key (`/coreos.com/network/subnets/10.5.34.0-24`). */
  readonly key: string;
  /** The part after `<prefix>/subnets/` (`10.5.34.0-24`). */
  readonly name: string;
  /** The value, decoded as UTF-8. */
  readonly value: string;
  /** etcd lease ID as a decimal string; `'0'` for a key without lease (a reservation). */
  readonly leaseId: string;
  /** `mod_revision`. */
  readonly modRevision: bigint;
  /** `create_revision` (kept for the lease order of conflicting leases), when read from etcd. */
  readonly createRevision?: bigint;
  /**
   * `name` decoded, kept by {@link entryLeaseKey} for the entry's next reader: an acquisition's listing is
   * decoded once for the acquisition and the watch snapshot that reuses it. `undefined` until first read.
   */
  decodedKey?: DecodeResult<LeaseKey> | undefined;
}

/** `leaseKey.decode(entry.name)`, decoded once per entry. @internal */
export function entryLeaseKey(entry: RawSubnetEntry): DecodeResult<LeaseKey> {
  return (entry.decodedKey ??= leaseKey.decode(entry.name));
}

/** A listing and the store revision it was read at. */
export interface RawSubnetListing {
  readonly entries: readonly RawSubnetEntry[];
  readonly revision: bigint;
}

/**
 * Keys per range request when listing `<prefix>/subnets/`. Large enough that a cluster of thousands of nodes is
 * listed in one request (a flannel lease value is ~100–150 bytes, so 10,000 keys stay well inside gRPC's 4 MiB
 * message limit), small enough to bound one response on very large clusters.
 */
export const LIST_PAGE_SIZE = 10_000;

const ZERO_BYTE = Buffer.from([0]);

/**
 * The etcd storage layout flannel uses (`pkg/subnet/etcd/registry.go`): `<prefix>/config` and `<prefix>/subnets/<key>`,
 * each operation one etcd request (the lease creation a grant plus a transaction). No decoding here:
 * values travel as text; `etcd-subnet-manager.ts` applies flannel's codecs.
 */
export class EtcdRegistry {
  /** `<prefix>/config`. */
  readonly configKey: string;
  /** `<prefix>/subnets/`. */
  readonly subnetsPrefix: string;

  constructor(
    readonly client: EtcdClient,
    prefix: string,
    private readonly password?: string,
    private readonly pageSize: number = LIST_PAGE_SIZE,
  ) {
    const clean = posix.join('/', prefix);
    this.configKey = posix.join(clean, 'config');
    this.subnetsPrefix = `${posix.join(clean, 'subnets')}/`;
  }

  /** Full key of the subnet named `name` (`10.5.34.0-24`). */
  subnetKey(name: string): string {
    return this.subnetsPrefix + name;
  }

  /** Wraps etcd failures into `FlannelError`s without leaking the password. */
  async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toDatastoreError(error, operation, this.password);
    }
  }

  /** A failure's message with the password removed. */
  describeError(error: unknown): string {
    return redact(error instanceof Error ? error.message : String(error), this.password);
  }

  /** The config text, or `undefined` when the key does not exist. */
  async getConfig(): Promise<string | undefined> {
    const response = await this.call(`read ${this.configKey}`, () =>
      this.client.range({ key: Buffer.from(this.configKey) }),
    );
    return response.kvs[0]?.value.toString('utf8');
  }

  /**
   * Every key under `<prefix>/subnets/`, read in pages of {@link LIST_PAGE_SIZE} keys (by default), every page at the
   * revision of the first (one consistent snapshot, as one range request would give). Each page's response is
   * turned into entries and dropped before the next is read, so a large cluster's listing never sits in memory
   * as one gRPC message plus its decoded copy. When etcd compacts that revision between two pages, the listing
   * starts over at the newest revision.
   */
  async listSubnets(): Promise<RawSubnetListing> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.listSubnetsOnce();
      } catch (error) {
        if (attempt >= 3 || etcdErrorOf(error)?.code !== 'COMPACTED') throw error;
      }
    }
  }

  private async listSubnetsOnce(): Promise<RawSubnetListing> {
    const prefix = Buffer.from(this.subnetsPrefix);
    const rangeEnd = prefixRangeEnd(prefix);
    const entries: RawSubnetEntry[] = [];
    let from = prefix;
    let revision: bigint | undefined;
    for (;;) {
      const at = revision;
      const response = await this.call(`list ${this.subnetsPrefix}`, () =>
        this.client.range({ key: from, rangeEnd, limit: BigInt(this.pageSize), ...(at === undefined ? {} : { revision: at }) }),
      );
      revision ??= response.header.revision;
      for (const kv of response.kvs) entries.push(this.toEntry(kv));
      const last = response.kvs.at(-1);
      if (!response.more || last === undefined) break;
      from = Buffer.concat([last.key, ZERO_BYTE]); // the smallest key after the last one read
    }
    return { entries, revision };
  }

  /** One subnet key, or `undefined`; with the revision of the read. */
  async getSubnet(name: string): Promise<{ entry?: RawSubnetEntry; revision: bigint }> {
    const key = this.subnetKey(name);
    const response = await this.call(`read ${key}`, () => this.client.range({ key: Buffer.from(key) }));
    const kv = response.kvs[0];
    return { ...(kv ? { entry: this.toEntry(kv) } : {}), revision: response.header.revision };
  }

  /** Called with every lease this registry grants, before any key is attached to it. */
  onGrant: ((leaseId: string, ttlSeconds: number) => void) | undefined;

  /** Grants a fresh etcd lease of `ttlSeconds`; resolves its ID and granted TTL. */
  async grant(ttlSeconds: number): Promise<{ leaseId: string; ttl: number }> {
    const response = await this.call('grant an etcd lease', () =>
      this.client.leaseGrant({ ttl: BigInt(ttlSeconds) }),
    );
    if (response.error !== '') throw toDatastoreError(new Error(response.error), 'grant an etcd lease', this.password);
    const granted = { leaseId: String(response.id), ttl: Number(response.ttl) };
    this.onGrant?.(granted.leaseId, granted.ttl);
    return granted;
  }

  /** Revokes an etcd lease, ignoring failures (it then simply expires). */
  async revokeQuietly(leaseId: string): Promise<void> {
    await this.client.leaseRevoke({ id: BigInt(leaseId) }).catch(() => undefined);
  }

  /**
   * flannel's `createSubnet`: grant `ttlSeconds` (unless 0), then "if the key does not exist, put it with
   * that lease" in one transaction. Resolves `created: false` when another node holds the key.
   */
  async createSubnet(
    name: string,
    value: string,
    ttlSeconds: number,
  ): Promise<{ created: boolean; leaseId: string; ttl: number; revision: bigint }> {
    const key = this.subnetKey(name);
    const lease = ttlSeconds > 0 ? await this.grant(ttlSeconds) : { leaseId: '0', ttl: 0 };
    const response = await this.call(`create ${key}`, () =>
      this.client.txn({
        compare: [{ key: Buffer.from(key), target: 'version', result: 'equal', version: 0n }],
        success: [{ put: { key: Buffer.from(key), value: Buffer.from(value), lease: BigInt(lease.leaseId) } }],
        failure: [],
      }),
    );
    if (!response.succeeded && lease.leaseId !== '0') await this.revokeQuietly(lease.leaseId);
    return { created: response.succeeded, ...lease, revision: response.header.revision };
  }

  /**
   * flannel's `updateSubnet`: a new grant of `ttlSeconds` (or none when 0: a reservation stays one) and a
   * put of `value` with it. The previous etcd lease is left to expire, as flannel does.
   */
  async updateSubnet(
    name: string,
    value: string,
    ttlSeconds: number,
  ): Promise<{ leaseId: string; ttl: number; revision: bigint }> {
    const key = this.subnetKey(name);
    const lease = ttlSeconds > 0 ? await this.grant(ttlSeconds) : { leaseId: '0', ttl: 0 };
    const response = await this.call(`update ${key}`, () =>
      this.client.put({ key: Buffer.from(key), value: Buffer.from(value), lease: BigInt(lease.leaseId) }),
    );
    return { ...lease, revision: response.header.revision };
  }

  /** Deletes a subnet key; resolves the revision of the delete. */
  async deleteSubnet(name: string): Promise<{ revision: bigint }> {
    const key = this.subnetKey(name);
    const response = await this.call(`delete ${key}`, () => this.client.deleteRange({ key: Buffer.from(key) }));
    return { revision: response.header.revision };
  }

  /** Remaining TTL of an etcd lease in seconds, or `undefined` when it no longer exists. */
  async timeToLive(leaseId: string): Promise<number | undefined> {
    const response = await this.call(`read the TTL of etcd lease ${leaseId}`, () =>
      this.client.leaseTimeToLive({ id: BigInt(leaseId) }),
    );
    const ttl = Number(response.ttl);
    return ttl < 0 ? undefined : ttl;
  }

  /** @internal */
  toEntry(kv: KeyValue): RawSubnetEntry {
    const key = kv.key.toString('utf8');
    return {
      key,
      name: key.slice(this.subnetsPrefix.length),
      value: kv.value.toString('utf8'),
      leaseId: String(kv.lease),
      modRevision: kv.modRevision,
      createRevision: kv.createRevision,
      // Declared up front, so that every entry keeps one shape once its key is decoded.
      decodedKey: undefined,
    };
  }
}
