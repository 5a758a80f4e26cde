import { FlannelError, IpNet, type Lease, type LeaseAttributes, type LeaseWatchResult } from '@flannel-ts/core';
import { recordingLogger } from '@flannel-ts/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEtcd, type LocalEtcd } from '@flannel-ts/etcd-client/testing';
import { CONFIG_NOT_FOUND_MESSAGE, createEtcdSubnetManager, type EtcdSubnetManager } from './etcd-subnet-manager.js';
import type { EtcdSubnetManagerOptions } from './etcd-subnet-manager-options.js';
import { putKey } from './test-support/etcd-writes.js';

let etcd: LocalEtcd;
let prefixCounter = 0;
const managers: EtcdSubnetManager[] = [];

beforeAll(async () => {
  etcd = await startLocalEtcd();
});
afterAll(async () => {
  await Promise.all(managers.map((manager) => manager.close()));
  await etcd?.close();
});

/** A fresh prefix per test, so tests share one etcd without seeing each other. */
function newPrefix(): string {
  prefixCounter += 1;
  return `/t${prefixCounter}/coreos.com/network`;
}

function manager(prefix: string, options: Partial<EtcdSubnetManagerOptions> = {}): EtcdSubnetManager {
  const created = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix, ...options });
  managers.push(created);
  return created;
}

async function put(key: string, value: string, leaseHex?: string): Promise<void> {
  await etcd.etcdctl(['put', ...(leaseHex ? [`--lease=${leaseHex}`] : []), key, value]);
}

async function grant(ttl: number): Promise<string> {
  const out = await etcd.etcdctl(['lease', 'grant', String(ttl)]);
  return /lease ([0-9a-f]+) granted/.exec(out)?.[1] as string;
}

/** `etcdctl get -w json` of one key: value text and lease ID (0 when none). */
async function rawGet(key: string): Promise<{ value: string; lease: bigint } | undefined> {
  const text = await etcd.etcdctl(['get', '-w', 'json', key]);
  const kv = (JSON.parse(text) as { kvs?: { value: string }[] }).kvs?.[0];
  if (!kv) return undefined;
  // Lease IDs are int64: read them from the text, JSON numbers would lose precision.
  const lease = /"lease":(\d+)/.exec(text)?.[1] ?? '0';
  return { value: Buffer.from(kv.value, 'base64').toString('utf8'), lease: BigInt(lease) };
}

/** Iterates a watch until `until` holds for the batches seen so far. */
async function collect(
  iterator: AsyncIterator<LeaseWatchResult>,
  until: (batches: LeaseWatchResult[]) => boolean,
): Promise<LeaseWatchResult[]> {
  const batches: LeaseWatchResult[] = [];
  while (!until(batches)) {
    const next = await iterator.next();
    if (next.done) break;
    batches.push(next.value);
  }
  return batches;
}

const subnetsOf = (leases: readonly Lease[]): string[] => leases.map((lease) => lease.subnet?.toString() ?? '').sort();
const attributes = (publicIP: string): LeaseAttributes => ({
  publicIP,
  backendType: 'vxlan',
  backendData: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}',
});

describe('createEtcdSubnetManager', () => {
  it('rejects CONFIG_NOT_FOUND with flannel message, retryable, when there is no config', async () => {
    const error = await manager(newPrefix())
      .getNetworkConfig()
      .catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((error as FlannelError).message).toBe(CONFIG_NOT_FOUND_MESSAGE);
    expect((error as FlannelError).isRetryable).toBe(true);
  });

  it('rejects calls after close() with ABORTED, not a retryable datastore error', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.40.0.0/16"}');
    const subject = manager(prefix);
    await subject.getNetworkConfig();
    await subject.close();
    const error = await subject.acquireLease({ publicIP: '192.168.40.1' }).catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'ABORTED')).toBe(true);
    expect((error as FlannelError).message).toMatch(/the etcd subnet manager was closed/);
    expect((error as FlannelError).isRetryable).toBe(false);
  });

  it('reads config and leases written by flannel, dual stack and reservations included', async () => {
    const prefix = newPrefix();
    await put(
      `${prefix}/config`,
      '{"network":"10.12.0.0/16","enableIPv6":true,"ipv6Network":"fd00::/16","IPv6SubnetLen":56,"Backend":{"Type":"vxlan"}}',
    );
    const lease = await grant(86_400);
    await put(
      `${prefix}/subnets/10.12.13.0-24&fd00:12:13::-56`,
      '{"PublicIP":"192.168.64.3","PublicIPv6":"2001:db8::3","BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"},"BackendV6Data":{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:45"}}',
      lease,
    );
    await put(`${prefix}/subnets/10.12.14.0-24&fd00:12:14::-56`, '{"PublicIP":"192.168.64.4","PublicIPv6":null}');
    const subject = manager(prefix, { watchExpirations: true });
    const config = await subject.getNetworkConfig();
    expect(config.ipv6SubnetLen).toBe(56);
    const controller = new AbortController();
    const [first] = await collect(subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator](), (b) => b.length >= 1);
    controller.abort();
    expect(first?.kind).toBe('snapshot');
    const leases = first?.kind === 'snapshot' ? first.leases : [];
    const dual = leases.find((each) => each.subnet?.toString() === '10.12.13.0/24');
    const reserved = leases.find((each) => each.subnet?.toString() === '10.12.14.0/24');
    expect(dual?.ipv6Subnet?.toString()).toBe('fd00:12:13::/56');
    expect(dual?.enableIPv6).toBe(true);
    expect(dual?.attributes).toEqual({
      publicIP: '192.168.64.3',
      publicIPv6: '2001:db8::3',
      backendType: 'vxlan',
      backendData: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}',
      backendV6Data: '{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:45"}',
    });
    const remaining = (dual?.expiration?.getTime() ?? 0) - Date.now();
    expect(remaining).toBeGreaterThan(86_000_000);
    expect(remaining).toBeLessThanOrEqual(86_400_000);
    expect(reserved?.expiration).toBeUndefined();
    expect(reserved?.attributes).toEqual({ publicIP: '192.168.64.4' });
  });

  it('by default dates only the leases it granted itself', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.16.0.0/16"}');
    await put(`${prefix}/subnets/10.16.9.0-24`, '{"PublicIP":"1.1.1.9"}', await grant(600));
    const subject = manager(prefix);
    const own = await subject.acquireLease(attributes('192.168.5.1'));
    const controller = new AbortController();
    const [first] = await collect(subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator](), (b) => b.length >= 1);
    controller.abort();
    const leases = first?.kind === 'snapshot' ? first.leases : [];
    expect(leases.find((lease) => lease.subnet?.equals(own.subnet))?.expiration).toEqual(own.expiration);
    expect(leases.find((lease) => lease.subnet?.toString() === '10.16.9.0/24')?.expiration).toBeUndefined();
  });

  it('renews a watched lease of unknown expiry with a new etcd lease, and a watched reservation without one', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.17.0.0/16"}');
    await put(`${prefix}/subnets/10.17.1.0-24`, '{"PublicIP":"1.1.1.1","PublicIPv6":null}', await grant(600));
    await put(`${prefix}/subnets/10.17.2.0-24`, '{"PublicIP":"1.1.1.2","PublicIPv6":null}');
    const subject = manager(prefix);
    const controller = new AbortController();
    const [first] = await collect(subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator](), (b) => b.length >= 1);
    controller.abort();
    const leases = first?.kind === 'snapshot' ? first.leases : [];
    const leased = leases.find((lease) => lease.subnet?.toString() === '10.17.1.0/24') as Lease;
    const reserved = leases.find((lease) => lease.subnet?.toString() === '10.17.2.0/24') as Lease;
    expect(leased.expiration).toBeUndefined();

    const renewed = await subject.renewLease(leased);
    expect(renewed.expiration).toBeDefined();
    const raw = await rawGet(`${prefix}/subnets/10.17.1.0-24`);
    expect(raw?.lease).not.toBe(0n);
    expect(await etcd.etcdctl(['lease', 'timetolive', (raw?.lease ?? 0n).toString(16)])).toMatch(/granted with TTL\(86400s\)/);

    expect((await subject.renewLease(reserved)).expiration).toBeUndefined();
    expect((await rawGet(`${prefix}/subnets/10.17.2.0-24`))?.lease).toBe(0n);
  });

  it('writes leases as flannel does: key, exact JSON bytes and a 24 h etcd lease', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.5.0.0/16","Backend":{"Type":"vxlan"}}');
    const lease = await manager(prefix).acquireLease(attributes('192.168.1.10'));
    const key = `${prefix}/subnets/${lease.subnet?.address}-24`;
    const raw = await rawGet(key);
    expect(raw?.value).toBe(
      '{"PublicIP":"192.168.1.10","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"c6:d2:32:6f:8f:44"}}',
    );
    expect(raw?.lease).not.toBe(0n);
    const ttl = await etcd.etcdctl(['lease', 'timetolive', (raw?.lease ?? 0n).toString(16)]);
    expect(ttl).toMatch(/granted with TTL\(86400s\)/);
    expect(lease.subnet && IpNet.parse('10.5.1.0/24').value <= lease.subnet.value).toBe(true);
    expect(lease.expiration).toBeDefined();
  });

  it('reuses the lease carrying its PublicIP, and a reservation stays a reservation', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.6.0.0/16"}');
    await put(`${prefix}/subnets/10.6.77.0-24`, '{"PublicIP":"192.168.1.20","PublicIPv6":null}');
    const subject = manager(prefix);
    const lease = await subject.acquireLease(attributes('192.168.1.20'));
    expect(lease.subnet?.toString()).toBe('10.6.77.0/24');
    expect(lease.expiration).toBeUndefined();
    const renewed = await subject.renewLease(lease);
    expect(renewed.expiration).toBeUndefined();
    const raw = await rawGet(`${prefix}/subnets/10.6.77.0-24`);
    expect(raw?.lease).toBe(0n);
    expect(raw?.value).toContain('"BackendType":"vxlan"');
  });

  it('reuses an IPv6-only lease whose PublicIPv6 is stored in a non-canonical form', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fd00::/48"}');
    await put(`${prefix}/subnets/0.0.0.0-0&fd00:0:0:7::-64`, '{"PublicIP":"0.0.0.0","PublicIPv6":"2001:DB8:0::7"}');
    const lease = await manager(prefix).acquireLease({ publicIP: '0.0.0.0', publicIPv6: '2001:db8::7' });
    expect(lease.ipv6Subnet?.toString()).toBe('fd00:0:0:7::/64');
    expect(lease.expiration).toBeUndefined();
  });

  it('deletes its lease when it no longer fits the config, and takes the previous subnet when free', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.7.0.0/16","SubnetLen":24}');
    await put(`${prefix}/subnets/10.7.3.0-25`, '{"PublicIP":"192.168.1.30","PublicIPv6":null}');
    const lease = await manager(prefix).acquireLease(attributes('192.168.1.30'), {
      previous: { subnet: IpNet.parse('10.7.42.0/24') },
    });
    expect(lease.subnet?.toString()).toBe('10.7.42.0/24');
    expect(await rawGet(`${prefix}/subnets/10.7.3.0-25`)).toBeUndefined();
  });

  it('gives 200 concurrent acquirers 200 distinct subnets', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.8.0.0/16"}');
    const nodes = Array.from({ length: 200 }, () => manager(prefix, { acquireAttempts: 20 }));
    const leases = await Promise.all(nodes.map((node, index) => node.acquireLease(attributes(`192.168.${index >> 8}.${index & 255}`))));
    expect(new Set(leases.map((lease) => lease.subnet?.toString())).size).toBe(200);
    const listing = await etcd.etcdctl(['get', '--prefix', '--keys-only', `${prefix}/subnets/`]);
    expect(listing.split('\n').filter((line) => line.length > 0)).toHaveLength(200);
    await Promise.all(nodes.map((node) => node.close()));
  });

  it('reports SUBNETS_EXHAUSTED when every subnet is leased', async () => {
    const prefix = newPrefix();
    // /26 in /28s: SubnetMin skips the first, so three subnets can be leased.
    await put(`${prefix}/config`, '{"Network":"10.9.0.0/26","SubnetLen":28}');
    const subject = manager(prefix);
    const taken = [];
    for (const ip of ['192.168.2.1', '192.168.2.2', '192.168.2.3']) taken.push(await subject.acquireLease(attributes(ip)));
    expect(subnetsOf(taken)).toEqual(['10.9.0.16/28', '10.9.0.32/28', '10.9.0.48/28']);
    const error = await subject.acquireLease(attributes('192.168.2.4')).catch((caught: unknown) => caught);
    expect(FlannelError.hasCode(error, 'SUBNETS_EXHAUSTED')).toBe(true);
    expect((error as Error).message).toMatch(/10\.9\.0\.16 to 10\.9\.0\.48/);
  });

  it('streams additions and removals, skipping bad data with a warning naming the key', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.10.0.0/16"}');
    const logger = recordingLogger();
    const subject = manager(prefix, { logger });
    const controller = new AbortController();
    const iterator = subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    const [snapshot] = await collect(iterator, (b) => b.length >= 1);
    expect(snapshot).toMatchObject({ kind: 'snapshot', leases: [] });
    await put(`${prefix}/subnets/10.10.1.0-24`, '{"PublicIP":');
    await put(`${prefix}/subnets/garbage`, '{"PublicIP":"1.2.3.4"}');
    await put(`${prefix}/subnets/10.99.1.0-24`, '{"PublicIP":"1.2.3.5"}');
    await put(`${prefix}/subnets/10.10.2.0-24`, '{"PublicIP":"1.2.3.6"}');
    await etcd.etcdctl(['del', `${prefix}/subnets/10.10.2.0-24`]);
    const batches = await collect(iterator, (b) => b.flatMap((x) => (x.kind === 'events' ? x.events : [])).length >= 2);
    const events = batches.flatMap((batch) => (batch.kind === 'events' ? batch.events : []));
    expect(events.map((event) => [event.type, event.lease.subnet?.toString(), event.lease.attributes.publicIP])).toEqual([
      ['added', '10.10.2.0/24', '1.2.3.6'],
      ['removed', '10.10.2.0/24', '1.2.3.6'],
    ]);
    const warnings = logger.lines.filter((line) => line.level === 'warn').map((line) => line.message);
    expect(warnings.some((text) => text.includes(`${prefix}/subnets/10.10.1.0-24`) && /JSON/.test(text))).toBe(true);
    expect(warnings.some((text) => text.includes(`${prefix}/subnets/garbage`))).toBe(true);
    expect(warnings.some((text) => text.includes(`${prefix}/subnets/10.99.1.0-24`) && /outside Network/.test(text))).toBe(true);
    controller.abort();
    expect((await iterator.next()).done).toBe(true);
  });

  it('names a hostile key in its warning escaped and shortened: no forged log line, no flood', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.18.0.0/16"}');
    const logger = recordingLogger();
    const subject = manager(prefix, { logger });
    await putKey(subject.client, `${prefix}/subnets/10.18.1.0-24\nlevel=error forged`, '{"PublicIP":"1.2.3.4"}');
    await putKey(subject.client, `${prefix}/subnets/${'9'.repeat(20_000)}`, '{"PublicIP":"1.2.3.5"}');
    await putKey(subject.client, `${prefix}/subnets/10.18.2.0-24`, Buffer.from([0xff, 0x00, 0x7b]));
    const controller = new AbortController();
    const [first] = await collect(subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator](), (b) => b.length >= 1);
    controller.abort();
    expect(first).toMatchObject({ kind: 'snapshot', leases: [] });
    const warnings = logger.lines.filter((line) => line.level === 'warn' && line.message.startsWith('skipping lease'));
    expect(warnings).toHaveLength(3);
    for (const warning of warnings) {
      expect(warning.message).not.toContain('\n');
      expect(warning.message).not.toContain('\u0000');
      expect(warning.message.length).toBeLessThan(400);
      expect(String(warning.fields.key).length).toBeLessThan(200);
    }
    const messages = warnings.map((warning) => warning.message);
    expect(messages.some((text) => text.includes(`${prefix}/subnets/10.18.1.0-24\\nlevel=error forged`))).toBe(true);
    expect(messages.some((text) => text.includes(`${prefix}/subnets/10.18.2.0-24`))).toBe(true);
    expect(messages.some((text) => text.includes(`${prefix}/subnets/99999`))).toBe(true);
  });

  it('resumes from a cursor without repeats, and from a compacted cursor with a fresh snapshot', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.11.0.0/16"}');
    await put(`${prefix}/subnets/10.11.1.0-24`, '{"PublicIP":"1.1.1.1"}');
    const subject = manager(prefix);
    let controller = new AbortController();
    const [snapshot] = await collect(subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator](), (b) => b.length >= 1);
    controller.abort();
    await put(`${prefix}/subnets/10.11.2.0-24`, '{"PublicIP":"1.1.1.2"}');

    controller = new AbortController();
    let iterator = subject.watchLeases({ signal: controller.signal, cursor: snapshot?.cursor })[Symbol.asyncIterator]();
    const [resumed] = await collect(iterator, (b) => b.length >= 1);
    controller.abort();
    expect(resumed?.kind).toBe('events');
    expect(resumed?.kind === 'events' && resumed.events.map((event) => event.lease.subnet?.toString())).toEqual(['10.11.2.0/24']);

    await put(`${prefix}/subnets/10.11.3.0-24`, '{"PublicIP":"1.1.1.3"}');
    await etcd.etcdctl(['del', `${prefix}/subnets/10.11.1.0-24`]);
    const status = JSON.parse(await etcd.etcdctl(['endpoint', 'status', '-w', 'json'])) as { Status: { header: { revision: number } } }[];
    await etcd.etcdctl(['compaction', '--physical', String(status[0]?.Status.header.revision)]);

    controller = new AbortController();
    iterator = subject.watchLeases({ signal: controller.signal, cursor: resumed?.cursor })[Symbol.asyncIterator]();
    const [fresh] = await collect(iterator, (b) => b.length >= 1);
    expect(fresh?.kind).toBe('snapshot');
    expect(fresh?.kind === 'snapshot' && subnetsOf(fresh.leases)).toEqual(['10.11.2.0/24', '10.11.3.0/24']);
    await put(`${prefix}/subnets/10.11.4.0-24`, '{"PublicIP":"1.1.1.4"}');
    const [after] = await collect(iterator, (b) => b.length >= 1);
    expect(after?.kind === 'events' && after.events.map((event) => event.lease.subnet?.toString())).toEqual(['10.11.4.0/24']);
    controller.abort();
  });

  it('renews when the margin is reached, and rejects LEASE_REVOKED when its key is deleted', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.13.0.0/16"}');
    let now = Date.now();
    const subject = manager(prefix, { clock: () => now, renewMargin: 60 });
    const lease = await subject.acquireLease(attributes('192.168.3.1'));
    const key = `${prefix}/subnets/${lease.subnet?.address}-24`;
    const before = await rawGet(key);

    const controller = new AbortController();
    const iterator = subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    await collect(iterator, (b) => b.length >= 1);
    now += 23.5 * 3_600_000; // inside the 60-minute margin: renewal is due at once
    const completion = subject.completeLease(lease, { signal: controller.signal });
    const outcome = completion.then(() => undefined, (caught: unknown) => caught);
    const [renewal] = await collect(iterator, (b) => b.length >= 1);
    expect(renewal?.kind === 'events' && renewal.events[0]?.lease.expiration?.getTime()).toBe(now + 86_400_000);
    const after = await rawGet(key);
    expect(after?.lease).not.toBe(before?.lease);
    expect(after?.value).toBe(before?.value);

    await etcd.etcdctl(['del', key]);
    const error = await outcome;
    expect(FlannelError.hasCode(error, 'LEASE_REVOKED')).toBe(true);
    controller.abort();
  });

  it('completeLease resolves when aborted', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.14.0.0/16"}');
    const subject = manager(prefix);
    const lease = await subject.acquireLease(attributes('192.168.4.1'));
    const controller = new AbortController();
    const completion = subject.completeLease(lease, { signal: controller.signal });
    controller.abort();
    await expect(completion).resolves.toBeUndefined();
  });

  it('close ends its running watches and completeLease', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.19.0.0/16"}');
    const subject = createEtcdSubnetManager({ endpoints: etcd.endpoint, prefix });
    const lease = await subject.acquireLease(attributes('192.168.19.1'));
    const controller = new AbortController();
    const iterator = subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    await collect(iterator, (b) => b.length >= 1);
    const pending = iterator.next();
    const completion = subject.completeLease(lease, { signal: controller.signal });
    await subject.close();
    expect((await pending).done).toBe(true);
    await expect(completion).resolves.toBeUndefined();
    controller.abort();
  });

  it('keeps watching across an etcd restart', async () => {
    const prefix = newPrefix();
    await put(`${prefix}/config`, '{"Network":"10.15.0.0/16"}');
    const subject = manager(prefix);
    const controller = new AbortController();
    const iterator = subject.watchLeases({ signal: controller.signal })[Symbol.asyncIterator]();
    await collect(iterator, (b) => b.length >= 1);
    await etcd.stop();
    await etcd.start();
    await put(`${prefix}/subnets/10.15.1.0-24`, '{"PublicIP":"1.1.1.1"}');
    const [batch] = await collect(iterator, (b) => b.length >= 1);
    expect(batch?.kind === 'events' && batch.events.map((event) => event.lease.subnet?.toString())).toEqual(['10.15.1.0/24']);
    controller.abort();
  });
});
