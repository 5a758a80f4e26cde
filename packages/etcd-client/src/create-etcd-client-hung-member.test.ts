import { startEtcd, type EtcdCluster, type EtcdMember } from '@flannel-ts/testlab';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import type { EtcdClient } from './etcd-client.js';

// clientv3 leaves a member that stops answering to gRPC keepalive and the balancer (a failed sub-connection
// is not picked again): a hung member must not pin every call. A member is "hung" with SIGSTOP: its
// listening socket still accepts TCP connections, but nothing answers.
let cluster: EtcdCluster;
let stopped: EtcdMember | undefined;
const clients: EtcdClient[] = [];
const key = (text: string): Buffer => Buffer.from(text);

beforeAll(async () => {
  cluster = await startEtcd({ members: 3 });
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  if (stopped?.pid !== undefined) process.kill(stopped.pid, 'SIGCONT');
  stopped = undefined;
});
afterAll(async () => {
  await cluster?.close();
});

/** A follower (stopping it leaves the leader, so the other members answer at once) and the other URLs. */
async function followerFirst(): Promise<{ follower: EtcdMember; endpoints: string[] }> {
  const leader = await cluster.leader();
  const follower = cluster.members.find((member) => member !== leader) as EtcdMember;
  return { follower, endpoints: [follower.clientUrl, ...cluster.members.filter((member) => member !== follower).map((member) => member.clientUrl)] };
}

/** SIGSTOPs `member` (by the pid the cluster started); afterEach resumes it. */
function hang(member: EtcdMember): void {
  const pid = member.pid;
  if (pid === undefined) throw new Error(`member ${member.name} is not running`);
  stopped = member;
  process.kill(pid, 'SIGSTOP');
}

describe('createEtcdClient with a hung member (SIGSTOP)', () => {
  it('a read that times out on the hung member is retried on another; later calls start elsewhere', async () => {
    const { follower, endpoints } = await followerFirst();
    const client = createEtcdClient({ endpoints, requestTimeoutMs: 3_000, keepaliveIntervalMs: 0 });
    clients.push(client);
    await client.put({ key: key('/hung/a'), value: key('1') });
    hang(follower);
    // The session to the hung member looks healthy: the range is sent there, times out, and goes on.
    expect(String((await client.range({ key: key('/hung/a') })).kvs[0]?.value)).toBe('1');
    // The hung member was demoted: a write (never retried after a timeout) goes to another member first.
    await client.put({ key: key('/hung/a'), value: key('2') });
    expect(String((await client.range({ key: key('/hung/a') })).kvs[0]?.value)).toBe('2');
  });

  it('a write sent to the hung member fails with DEADLINE_EXCEEDED and is not repeated elsewhere', async () => {
    const { follower, endpoints } = await followerFirst();
    const client = createEtcdClient({ endpoints, requestTimeoutMs: 3_000, keepaliveIntervalMs: 0 });
    clients.push(client);
    await client.range({ key: key('/hung/w') });
    hang(follower);
    const error = await client.put({ key: key('/hung/w'), value: key('x') }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'EtcdError', code: 'DEADLINE_EXCEEDED', endpoint: follower.clientUrl });
    // The write may or may not have been applied (it never was: the member is stopped); the next one goes elsewhere.
    await client.put({ key: key('/hung/w'), value: key('y') });
  });

  it('keepalive PINGs on an idle connection find the hung member before a write waits on it', async () => {
    const { follower, endpoints } = await followerFirst();
    const client = createEtcdClient({ endpoints, requestTimeoutMs: 3_000, dialTimeoutMs: 1_000, keepaliveIntervalMs: 100, keepaliveTimeoutMs: 200 });
    clients.push(client);
    await client.range({ key: key('/hung/k') });
    hang(follower);
    // The unanswered PING has no event to await from outside: wait out interval + timeout, with margin.
    // (Deadlines here are generous: a loaded machine slows etcd's linearizable reads and elections.)
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The idle session was destroyed; redialling the hung member times out (nothing sent) and the put moves on.
    await client.put({ key: key('/hung/k'), value: key('1') });
    expect(String((await client.range({ key: key('/hung/k') })).kvs[0]?.value)).toBe('1');
  });
});
