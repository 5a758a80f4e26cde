import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForShutdownSignals } from './shutdown-signals.js';

describe('listenForShutdownSignals', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('aborts on the first %s and keeps catching later signals until disposed', (name) => {
    const target = new EventEmitter();
    const shutdown = listenForShutdownSignals(target);
    expect(shutdown.signal.aborted).toBe(false);
    target.emit(name);
    expect(shutdown.signal.aborted).toBe(true);
    // A second SIGTERM during shutdown must still find a listener, else Node's default action kills the
    // process half-way through (flanneld ignores it too).
    expect(target.listenerCount('SIGTERM')).toBe(1);
    expect(target.listenerCount('SIGINT')).toBe(1);
    target.emit('SIGTERM');
    shutdown.dispose();
    expect(target.listenerCount('SIGTERM')).toBe(0);
    expect(target.listenerCount('SIGINT')).toBe(0);
  });
});

describe('SIGHUP', () => {
  it('is caught, reported and ignored: the daemon keeps running (issue 9 item 8)', () => {
    const target = new EventEmitter();
    let hangups = 0;
    const shutdown = listenForShutdownSignals(target, { onHangup: () => (hangups += 1) });
    target.emit('SIGHUP');
    target.emit('SIGHUP');
    expect(hangups).toBe(2);
    expect(shutdown.signal.aborted).toBe(false);
    shutdown.dispose();
    expect(target.listenerCount('SIGHUP')).toBe(0);
  });
});
