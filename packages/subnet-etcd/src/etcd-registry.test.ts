import { silentLogger } from '@flannel-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { createEtcdClient } from './etcd-client.js';
import { EtcdRegistry, entryLeaseKey, type RawSubnetEntry } from './etcd-registry.js';
import { putKey } from './test-support/etcd-writes.js';

let etcd: LocalEtcd;

beforeAll(async () => {
  etcd = await startLocalEtcd();
});
afterAll(async () => {
  await etcd?.close();
});

describe('EtcdRegistry.listSubnets', () => {
  it('reads more keys than one page holds, in key order, as one snapshot at the first page\'s revision', async () => {
    const prefix = '/paged/coreos.com/network';
    const client = createEtcdClient({ endpoints: etcd.endpoint }, silentLogger);
    try {
      const pageSize = 100;
      const count = 2 * pageSize + 5;
      const names = Array.from({ length: count }, (_, i) => `10.${i >> 8}.${i & 0xff}.0-24`);
      for (let at = 0; at < count; at += 50) {
        await client.txn({
          compare: [],
          success: names.slice(at, at + 50).map((name) => ({ put: { key: Buffer.from(`${prefix}/subnets/${name}`), value: Buffer.from(`{"PublicIP":"${name}"}`) } })),
          failure: [],
        });
      }
      await putKey(client, `${prefix}/subnetz`, 'outside the range'); // just past `subnets/`: not listed
      const registry = new EtcdRegistry(client, prefix, undefined, pageSize);
      const listing = await registry.listSubnets();
      expect(listing.entries.map((entry) => entry.name)).toEqual([...names].sort());
      expect(listing.entries[0]).toMatchObject({ key: `${prefix}/subnets/${[...names].sort()[0]}`, leaseId: '0' });
      expect(listing.entries.every((entry) => entry.value === `{"PublicIP":"${entry.name}"}`)).toBe(true);
      const header = await client.range({ key: Buffer.from(`${prefix}/config`) });
      expect(listing.revision).toBe(header.header.revision);
    } finally {
      client.close();
    }
  });
});

describe('entryLeaseKey', () => {
  it('decodes an entry\'s key once and keeps the answer, a failure included', () => {
    const entry: RawSubnetEntry = { key: '/p/subnets/10.5.34.0-24', name: '10.5.34.0-24', value: '{}', leaseId: '0', modRevision: 1n, decodedKey: undefined };
    const first = entryLeaseKey(entry);
    expect(first.ok && first.value.subnet.toString()).toBe('10.5.34.0/24');
    expect(entryLeaseKey(entry)).toBe(first);
    const bad: RawSubnetEntry = { ...entry, name: '10.5.34.1-24', decodedKey: undefined };
    const failed = entryLeaseKey(bad);
    expect(!failed.ok && failed.error.code).toBe('LEASE_INVALID');
    expect(entryLeaseKey(bad)).toBe(failed);
  });
});
