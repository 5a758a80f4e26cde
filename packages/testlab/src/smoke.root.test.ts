import { describe, expect, it } from 'vitest';
import { createLab } from './index.js';

describe('smoke', () => {
  it('works', async () => {
    const t0 = Date.now();
    await using lab = await createLab({ hosts: 2, ipv6: true, etcd: { members: 3 } });
    console.log('created', Date.now() - t0, lab.etcd.clientUrls, lab.etcd.hostClientUrls);
    const [h1, h2] = lab.hosts;
    console.log(await h1!.ping(h2!.address), await h1!.ping(h2!.address6!));
    await lab.etcd.put('a', 'b');
    console.log(await lab.etcd.get('a'), (await lab.etcd.leader()).name);
    console.log(await h2!.exec('etcdctl', ['--endpoints', lab.etcd.hostEndpoints, 'get', 'a']));
    console.log(await lab.etcd.etcdctl(['endpoint', 'status', '-w', 'table']));
    expect(1).toBe(1);
  });
});
