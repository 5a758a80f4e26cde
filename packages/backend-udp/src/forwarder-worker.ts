// The entry of a forwarder worker thread (started by worker-forwarder.ts): runs the loop with the fds and
// settings in `workerData`, then closes its port so the thread can exit.
import { workerData } from 'node:worker_threads';
import { runForwarderLoop } from './forwarder-loop.js';
import type { ForwarderWorkerData } from './forwarder-protocol.js';

const data = workerData as ForwarderWorkerData;
try {
  runForwarderLoop(data);
} finally {
  data.port.close();
}
