import { describe, it } from 'vitest';
import { watchStream } from '../methods.js';
import { b, expectDecodes, expectEncodes } from './__fixtures__/golden.js';
import { BIG_REV, HEADER, KV_A, KV_B } from './__fixtures__/values.js';

describe('watch codec: requests', () => {
  it('writes a create request with only a key', () => {
    expectEncodes(watchStream, { create: { key: b('/coreos.com/network/subnets/') } }, 'watch-request-create-key-only');
  });

  it('writes every create request field', () => {
    expectEncodes(
      watchStream,
      { create: { key: b('/a/'), rangeEnd: b('/a0'), startRevision: BIG_REV, progressNotify: true, prevKv: true, watchId: 42n, fragment: true } },
      'watch-request-create-all-fields',
    );
  });

  it('writes cancel requests, the one for watch 0 as an empty cancel_request', () => {
    expectEncodes(watchStream, { cancel: { watchId: 7n } }, 'watch-request-cancel');
    expectEncodes(watchStream, { cancel: { watchId: 0n } }, 'watch-request-cancel-zero');
  });

  it('writes a progress request as an empty progress_request', () => {
    expectEncodes(watchStream, { progress: {} }, 'watch-request-progress');
  });
});

describe('watch codec: responses', () => {
  const base = { header: HEADER, watchId: 0n, created: false, canceled: false, compactRevision: 0n, cancelReason: '', fragment: false, events: [] };

  it('decodes the created response of watch 0', () => {
    expectDecodes(watchStream, 'watch-response-created', { ...base, created: true });
  });

  it('decodes put and delete events, with the previous key-value', () => {
    expectDecodes(watchStream, 'watch-response-events', {
      ...base,
      watchId: 3n,
      fragment: true,
      events: [
        { type: 'put', kv: KV_A },
        { type: 'delete', kv: { key: KV_B.key, createRevision: 0n, modRevision: 9n, version: 0n, value: Buffer.alloc(0), lease: 0n }, prevKv: KV_B },
      ],
    });
  });

  it('decodes a cancel for a compacted revision', () => {
    expectDecodes(watchStream, 'watch-response-compacted', {
      ...base,
      watchId: 3n,
      canceled: true,
      compactRevision: 50n,
      cancelReason: 'mvcc: required revision has been compacted',
    });
  });
});
