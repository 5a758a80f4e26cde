// The body of the event reader's worker thread, as plain JavaScript run with `new Worker(source, { eval: true })`
// (so it works the same from `src` under tsx/vitest and from the built `dist`). It owns no sockets: the main thread
// opens, binds and closes them; the worker only polls and reads them.
//
// Loop: drain control messages (add/remove/stop) with `receiveMessageOnPort`, then one blocking `poll(2)` over the
// wake eventfd and every registered socket (timeout `sliceMs`, so that terminating the thread at process exit never
// waits long), then non-blocking `recv` of each ready socket, posting all datagrams of the round in one message
// (their ArrayBuffers transferred, not copied). A socket whose `recv` fails (e.g. `ENOBUFS`) is reported once and
// dropped from the poll set until the main thread removes it.

/** Source of the worker (CommonJS, `eval`). `workerData`: `{ koffi, control, wakeFd, bufferBytes, sliceMs }`. */
export const EVENT_READER_WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const koffi = require(workerData.koffi);
const lib = koffi.load('libc.so.6');
const poll = lib.func('int poll(void *fds, uint64_t nfds, int timeout)');
const recv = lib.func('intptr_t recv(int, void *, uintptr_t, int)');
const read = lib.func('intptr_t read(int, void *, uintptr_t)');
const { control, wakeFd, bufferBytes, sliceMs } = workerData;
const MSG_DONTWAIT = 0x40, MSG_TRUNC = 0x20, POLLIN = 1, EAGAIN = 11, EINTR = 4;
const READS_PER_ROUND = 256;
const sockets = new Map();
const buffer = new Uint8Array(bufferBytes);
const counter = new Uint8Array(8);
let running = true;
while (running) {
  for (let m = receiveMessageOnPort(control); m !== undefined; m = receiveMessageOnPort(control)) {
    const c = m.message;
    if (c.type === 'add') sockets.set(c.id, c.fd);
    else if (c.type === 'remove') { sockets.delete(c.id); parentPort.postMessage([{ id: c.id, removed: true }]); }
    else if (c.type === 'stop') running = false;
  }
  if (!running) break;
  const ids = [...sockets.keys()];
  const pollfds = new Uint8Array(8 * (ids.length + 1));
  const view = new DataView(pollfds.buffer);
  view.setInt32(0, wakeFd, true);
  view.setInt16(4, POLLIN, true);
  for (let i = 0; i < ids.length; i++) {
    view.setInt32(8 * (i + 1), sockets.get(ids[i]), true);
    view.setInt16(8 * (i + 1) + 4, POLLIN, true);
  }
  const ready = poll(pollfds, ids.length + 1, sliceMs);
  if (ready <= 0) continue;
  if (view.getInt16(6, true) !== 0) read(wakeFd, counter, 8);
  const out = [];
  const transfer = [];
  for (let i = 0; i < ids.length; i++) {
    if (view.getInt16(8 * (i + 1) + 6, true) === 0) continue;
    const id = ids[i];
    const fd = sockets.get(id);
    for (let n = 0; n < READS_PER_ROUND; n++) {
      const length = Number(recv(fd, buffer, buffer.byteLength, MSG_DONTWAIT | MSG_TRUNC));
      if (length < 0) {
        const errno = koffi.errno();
        if (errno === EAGAIN) break;
        if (errno === EINTR) continue;
        out.push({ id, errno });
        sockets.delete(id);
        break;
      }
      if (length > buffer.byteLength) { out.push({ id, truncated: length }); continue; }
      const bytes = buffer.slice(0, length);
      out.push({ id, bytes });
      transfer.push(bytes.buffer);
    }
  }
  if (out.length > 0) parentPort.postMessage(out, transfer);
}
`;
