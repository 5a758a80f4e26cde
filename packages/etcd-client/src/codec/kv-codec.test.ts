import { describe, expect, it } from 'vitest';
import { kvDeleteRange, kvPut, kvRange } from '../methods.js';
import { b, expectDecodes, expectEncodes } from './__fixtures__/golden.js';
import { BIG_REV, HEADER, KV_A, KV_B, LEASE_63, ZERO_HEADER } from './__fixtures__/values.js';


describe('kv codec: requests', () => {
  it('writes nothing for a range request holding only defaults', () => {
    expectEncodes(kvRange, { key: Buffer.alloc(0) }, 'range-request-empty');
    expectEncodes(kvRange, { key: Buffer.alloc(0), limit: 0n, revision: 0n, keysOnly: false, rangeEnd: Buffer.alloc(0) }, 'range-request-empty');
  });

  it('writes a single-key range request as just the key', () => {
    expectEncodes(kvRange, { key: b('/coreos.com/network/config') }, 'range-request-key-only');
  });

  it('writes every range request field in field-number order', () => {
    expectEncodes(
      kvRange,
      {
        key: b('/coreos.com/network/subnets/'),
        rangeEnd: b('/coreos.com/network/subnets0'),
        limit: 5000n,
        revision: BIG_REV,
        serializable: true,
        keysOnly: true,
        countOnly: true,
      },
      'range-request-all-fields',
    );
  });

  it('writes put requests with and without a 63-bit lease', () => {
    expectEncodes(kvPut, { key: b('/k'), value: b('v') }, 'put-request-key-value');
    expectEncodes(kvPut, { key: b('/k'), value: b('v'), lease: 0n, prevKv: false }, 'put-request-key-value');
    expectEncodes(kvPut, { key: KV_A.key, value: KV_A.value, lease: LEASE_63, prevKv: true }, 'put-request-all-fields');
  });

  it('writes a delete-range request', () => {
    expectEncodes(kvDeleteRange, { key: b('/a/'), rangeEnd: b('/a0'), prevKv: true }, 'delete-range-request-all-fields');
  });
});

describe('kv codec: responses', () => {
  it('decodes an empty range response to the proto3 defaults', () => {
    expectDecodes(kvRange, 'range-response-empty', { header: ZERO_HEADER, kvs: [], more: false, count: 0n });
  });

  it('decodes uint64 header ids above 2^63, int64 revisions above 2^53 and a 63-bit lease', () => {
    expectDecodes(kvRange, 'range-response-two-kvs', { header: HEADER, kvs: [KV_A, KV_B], more: true, count: 5000n });
  });

  it('skips unknown fields of wire types 0, 1, 2 and 5 at every level', () => {
    expectDecodes(kvRange, 'range-response-unknown-fields', { header: HEADER, kvs: [KV_B], more: false, count: 1n });
  });

  it('decodes put responses with and without the previous key-value', () => {
    expectDecodes(kvPut, 'put-response-header-only', { header: HEADER });
    expectDecodes(kvPut, 'put-response-prev-kv', { header: HEADER, prevKv: KV_B });
  });

  it('decodes a delete-range response with previous key-values', () => {
    expectDecodes(kvDeleteRange, 'delete-range-response', { header: HEADER, deleted: 2n, prevKvs: [KV_A, KV_B] });
  });

  it('returns key and value as views into the received frame, not copies', () => {
    const frame = Buffer.from('12060a016b2a017620', 'hex').subarray(0, 8);
    const { kvs } = kvRange.decode(frame);
    expect(kvs[0]?.key.buffer).toBe(frame.buffer);
    expect(kvs[0]?.value.toString()).toBe('v');
  });
});
