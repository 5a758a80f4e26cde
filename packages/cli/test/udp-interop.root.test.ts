// Interop with flannel's udp design: one host runs flannel-ts (udp), the other a C forwarder of flannel's
// proxy design (packages/backend-udp/src/__fixtures__/c-forwarder.c, built with gcc here) with the lease
// flanneld's udp backend would write. Pings go both ways with the TTL two lower (each forwarder decrements
// once), iperf3 carries TCP both ways, and a plain UDP socket on a third host sees the wire format: the raw
// inner IPv4 packet as the payload, from port 8285, TTL one lower, header checksum patched.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLab, isRoot, rootSkipReason, waitFor } from '@flannel-ts/testlab';
import type { Lab } from '@flannel-ts/testlab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCForwarder, startCForwarder } from '../../backend-udp/src/__fixtures__/c-forwarder.js';
import type { CForwarder } from '../../backend-udp/src/__fixtures__/c-forwarder.js';
import { addPodBridge, PREFIX, readEnv, startDaemon, subnetKey, transferChecked, UDP_LISTENER, waitReady } from './cluster.js';

const NETWORK = '10.7.0.0/16';
const C_SUBNET = '10.7.99.0/24';
const RAW_SUBNET = '10.7.98.0/24';

for (const batchSize of [1, 32]) {
  describe.skipIf(!isRoot())(`flannel-ts udp (BatchSize ${batchSize}) and a C forwarder of flannel's design ${rootSkipReason() ?? ''}`, () => {
    let lab: Lab;
    let forwarder: CForwarder;
    let buildDir: string;
    let tsPod = '';
    const cPod = '10.7.99.1';

    beforeAll(async () => {
      buildDir = await mkdtemp(join(tmpdir(), 'flannel-ts-c-forwarder-'));
      const binary = await buildCForwarder(buildDir);
      lab = await createLab({ hosts: 3, etcd: true });
      const [h1, h2] = lab.hosts as [Lab['hosts'][0], Lab['hosts'][0]];
      await lab.etcd.put(`${PREFIX}/config`, JSON.stringify({ Network: NETWORK, Backend: { Type: 'udp', BatchSize: batchSize } }));
      // The lease flanneld's udp backend writes for h2: PublicIP only, under an etcd lease.
      const granted = await lab.etcd.etcdctl(['lease', 'grant', '3600'], { check: true });
      const leaseId = /lease ([0-9a-f]+) granted/.exec(granted.stdout)![1]!;
      await lab.etcd.etcdctl(['put', `--lease=${leaseId}`, `${PREFIX}/subnets/${subnetKey(C_SUBNET)}`, `{"PublicIP":"${h2.address}","PublicIPv6":null}`], { check: true });
      forwarder = await startCForwarder(h2, { binary, subnet: C_SUBNET, network: NETWORK, mtu: 1472 });
      await addPodBridge(h2, [`${cPod}/24`]);

      const subnetFile = join(lab.tempDir, 'h1-subnet.env');
      const daemon = startDaemon(lab, h1, subnetFile);
      await waitReady(daemon);
      const podCidr = (await readEnv(subnetFile)).get('FLANNEL_SUBNET')!;
      tsPod = podCidr.split('/')[0]!;
      await addPodBridge(h1, [podCidr]);
      await forwarder.setRoute(podCidr.replace(/\.1\//, '.0/'), h1.address);
      // h3 publishes a lease and listens on 8285 with a plain UDP socket: it sees exactly what goes on the wire.
      await lab.etcd.etcdctl(['put', `--lease=${leaseId}`, `${PREFIX}/subnets/${subnetKey(RAW_SUBNET)}`, `{"PublicIP":"${lab.hosts[2]!.address}","PublicIPv6":null}`], { check: true });
    });
    afterAll(async () => {
      await forwarder?.stop().catch(() => undefined);
      await lab?.close();
      if (buildDir) await rm(buildDir, { recursive: true, force: true });
    });

    it('pings both ways, each forwarder decrementing the TTL once', async () => {
      const [h1, h2] = lab.hosts;
      const ping = (host: typeof h1, from: string, to: string) => host!.exec('ping', ['-n', '-c', '2', '-i', '0.2', '-W', '2', '-I', from, to], { timeoutMs: 10_000 });
      await waitFor(async () => (await ping(h1, tsPod, cPod)).code === 0, { timeoutMs: 15_000 });
      for (const result of [await ping(h1, tsPod, cPod), await ping(h2, cPod, tsPod)]) {
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/ttl=62 /);
      }
    });

    it('sends the raw inner IPv4 packet as the datagram payload, from port 8285, TTL one lower', async () => {
      const [h1, , h3] = lab.hosts;
      const listener = h3!.spawn('node', ['-e', UDP_LISTENER(h3!.address)]);
      try {
        await listener.waitForOutput(/listening/);
        const send = `const s = require('dgram').createSocket('udp4'); s.bind({ address: '${tsPod}', port: 40000 }, () => s.send(Buffer.from('flannel'), 9999, '10.7.98.7', () => s.close()));`;
        const match = await waitFor(async () => {
          await h1!.exec('node', ['-e', send], { check: true });
          return /datagram (\S+) (\d+) ([0-9a-f]+)/.exec(listener.stdout) ?? undefined;
        }, { timeoutMs: 15_000 });
        expect(match[1]).toBe(h1!.address);
        expect(match[2]).toBe('8285');
        const packet = Buffer.from(match[3]!, 'hex');
        expect(packet.length).toBe(20 + 8 + 7);
        expect(packet[0]).toBe(0x45);
        expect(packet[8]).toBe(63); // 64, less one for the forwarder
        expect(packet[9]).toBe(17);
        expect([...packet.subarray(12, 16)].join('.')).toBe(tsPod);
        expect([...packet.subarray(16, 20)].join('.')).toBe('10.7.98.7');
        expect(packet.readUInt16BE(20)).toBe(40000);
        expect(packet.readUInt16BE(22)).toBe(9999);
        expect(packet.subarray(28).toString()).toBe('flannel');
        let sum = 0;
        for (let at = 0; at < 20; at += 2) sum += packet.readUInt16BE(at);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
        expect(sum).toBe(0xffff); // the header checksum was patched for the new TTL
      } finally {
        await listener.stop();
      }
    });

    it('carries iperf3 TCP both ways', async () => {
      const [h1, h2] = lab.hosts;
      const server = h2!.spawn('iperf3', ['-s', '-1', '--forceflush', '-B', cPod]);
      try {
        await server.waitForOutput(/Server listening/);
        const run = await h1!.exec('iperf3', ['-c', cPod, '-B', tsPod, '-t', '2', '-J'], { timeoutMs: 30_000, check: true });
        const result = JSON.parse(run.stdout) as { end: { sum_received: { bytes: number } } };
        expect(result.end.sum_received.bytes).toBeGreaterThan(0);
      } finally {
        await server.stop();
      }
      const reverse = h1!.spawn('iperf3', ['-s', '-1', '--forceflush', '-B', tsPod]);
      try {
        await reverse.waitForOutput(/Server listening/);
        const run = await h2!.exec('iperf3', ['-c', tsPod, '-B', cPod, '-t', '2', '-J'], { timeoutMs: 30_000, check: true });
        const result = JSON.parse(run.stdout) as { end: { sum_received: { bytes: number } } };
        expect(result.end.sum_received.bytes).toBeGreaterThan(0);
      } finally {
        await reverse.stop();
      }
      // Byte for byte: with batching flannel-ts sends GSO messages the kernel cuts for the C forwarder's
      // plain socket, and receives the C forwarder's datagrams with UDP GRO on.
      const there = await transferChecked(h1!, tsPod, h2!, cPod, 8 << 20);
      expect(there.received).toEqual(there.sent);
      const back = await transferChecked(h2!, cPod, h1!, tsPod, 8 << 20);
      expect(back.received).toEqual(back.sent);
      const stats = await forwarder.stats();
      expect(stats['sent']).toBeGreaterThan(0);
      expect(stats['written']).toBeGreaterThan(0);
    });
  });
}
