// The forwarder's worker lifecycle without a kernel device: fds of -1 are skipped by poll, so the worker
// only waits on its eventfd. Starting, changing routes while it runs, reading stats and stopping through
// the eventfd (never worker.terminate()) work the same as with a TUN and a socket.
import { describe, expect, it } from 'vitest';
import { startWorkerForwarder } from './worker-forwarder.js';

describe('startWorkerForwarder', () => {
  for (const threads of ['one-thread', 'two-threads'] as const) {
    it(`starts, takes route changes and stops through its eventfd (${threads})`, async () => {
      const forwarder = await startWorkerForwarder({ tunFd: -1, socketFd: -1, tunAddress: 0x0a050100, mtu: 1472, batchSize: 32, threads, offload: false });
      forwarder.setRoute({ network: 0x0a050200, prefixLength: 24, nextHop: 0xc0a84d0c, port: 8285 });
      forwarder.deleteRoute(0x0a050200, 24);
      await forwarder.sync();
      const stats = await forwarder.stats();
      expect(stats).toMatchObject({ tunPackets: 0, sentDatagrams: 0, receivedDatagrams: 0 });
      await forwarder.stop();
      await expect(forwarder.exited).resolves.toBeUndefined();
      await forwarder.stop();
    });
  }
});
