import { FlannelError, type Lease, type LeaseAttributes, type LeaseWatchResult } from '@flannel-ts/core';
import { recordingLogger } from '@flannel-ts/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { createEtcdSubnetManager, type EtcdSubnetManager } from './etcd-subnet-manager.js';

// The subnet manager against etcd with auth on, where a token stops being valid under it: a 1 s simple-token
// TTL (so every test outlives its first token) and a restart (etcd forgets simple tokens). Its watches must
// fetch a new token (clientv3's watch.go), not reconnect with the dead one forever.
const PASSWORD = 'Pa55-subnet-etcd-pw';
let etcd: LocalEtcd;
let prefixCounter = 0;
const managers: EtcdSubnetManager[] = [];

beforeAll(async () => {
  etcd = await startLocalEtcd({ extraArgs: ['--auth-token-ttl=1'] });
  await etcd.etcdctl(['user', 'add', 'root', `--new-user-password=${PASSWORD}`]);
  await etcd.etcdctl(['auth', 'enable']);
  etcd.useCredentials(`root:${PASSWORD}`);
});
afterAll(async () => {
  await Promise.all(managers.map((manager) => manager.close()));
  await etcd?.close();
});

function newPrefix(): string {
  prefixCounter += 1;
  return `/auth${prefixCounter}/coreos.com/network`;
}

function manager(prefix: string, logger = recordingLogger()): EtcdSubnetManager {
  const created = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix, username: 'root', password: PASSWORD, logger });
  managers.push(created);
  return created;
}

const attributes = (publicIP: string): LeaseAttributes => ({ publicIP, backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}' });

async function next(iterator: AsyncIterator<LeaseWatchResult>): Promise<LeaseWatchResult> {
  const result = await iterator.next();
  if (result.done) throw new Error('the watch ended');
  return result.value;
}

describe('createEtcdSubnetManager with etcd auth', () => {
  it('acquires a lease and reads the config with a user and password', async () => {
    const prefix = newPrefix();
    await etcd.etcdctl(['put', `${prefix}/config`, '{"Network":"10.40.0.0/16"}']);
    const subject = manager(prefix);
    expect((await subject.getNetworkConfig()).network?.toString()).toBe('10.40.0.0/16');
    const lease = await subject.acquireLease(attributes('192.168.40.1'));
    expect(lease.subnet?.toString()).toMatch(/^10\.40\.\d+\.0\/24$/);
  });

  it('watchLeases keeps delivering after etcd restarts and the token is gone', async () => {
    const prefix = newPrefix();
    await etcd.etcdctl(['put', `${prefix}/config`, '{"Network":"10.41.0.0/16"}']);
    const logger = recordingLogger();
    const watcher = manager(prefix, logger);
    const controller = new AbortController();
    const iterator = watcher.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    expect((await next(iterator)).kind).toBe('snapshot');
    await etcd.stop();
    await etcd.start();
    const other = await manager(prefix).acquireLease(attributes('192.168.41.2'));
    let seen: Lease | undefined;
    while (seen === undefined) {
      const batch = await next(iterator);
      const leases = batch.kind === 'snapshot' ? batch.leases : batch.events.map((event) => event.lease);
      seen = leases.find((lease) => lease.subnet?.equals(other.subnet as NonNullable<Lease['subnet']>));
    }
    controller.abort();
    expect(seen.attributes.publicIP).toBe('192.168.41.2');
    // One reconnect for the restart, at most one more for the dead token: never a loop of them.
    const reconnects = logger.lines.filter((line) => line.message.startsWith('etcd watch failed, reconnecting'));
    expect(reconnects.length).toBeLessThanOrEqual(2);
    expect(JSON.stringify(logger.lines)).not.toContain(PASSWORD);
  });

  it('completeLease’s own-key watch sees the key deleted after its token expired', async () => {
    const prefix = newPrefix();
    await etcd.etcdctl(['put', `${prefix}/config`, '{"Network":"10.42.0.0/16"}']);
    const subject = manager(prefix);
    const lease = await subject.acquireLease(attributes('192.168.42.1'));
    const controller = new AbortController();
    const outcome = subject.completeLease(lease, { signal: controller.signal }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    // Token expiry has no event to await: wait out the 1 s TTL, then restart etcd too.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await etcd.stop();
    await etcd.start();
    const key = `${prefix}/subnets/${String(lease.subnet).replace('/', '-')}`;
    await etcd.etcdctl(['del', key]);
    const error = await outcome;
    controller.abort();
    expect(FlannelError.hasCode(error, 'LEASE_REVOKED')).toBe(true);
  });
});
