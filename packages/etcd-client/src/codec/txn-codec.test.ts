import { describe, it } from 'vitest';
import { kvTxn } from '../methods.js';
import { b, expectDecodes, expectEncodes } from './__fixtures__/golden.js';
import { BIG_REV, HEADER, KV_B, LEASE_63 } from './__fixtures__/values.js';

describe('txn codec', () => {
  it('writes nothing for an empty transaction', () => {
    expectEncodes(kvTxn, { compare: [], success: [], failure: [] }, 'txn-request-empty');
  });

  it('writes every compare target and result, zero-valued oneof members included, and range_end as field 64', () => {
    expectEncodes(
      kvTxn,
      {
        compare: [
          { key: b('/k'), result: 'equal', target: 'version', version: 0n },
          { key: b('/k'), result: 'greater', target: 'createRevision', createRevision: 0n },
          { key: b('/k'), result: 'less', target: 'modRevision', modRevision: BIG_REV, rangeEnd: b('/l') },
          { key: b('/k'), result: 'notEqual', target: 'value', value: b('') },
          { key: b('/k'), result: 'equal', target: 'lease', lease: LEASE_63 },
        ],
        success: [{ put: { key: b('/k'), value: b('v'), lease: LEASE_63 } }, { range: { key: b('/k') } }],
        failure: [{ deleteRange: { key: b('/k') } }, { range: { key: Buffer.alloc(0) } }],
      },
      'txn-request-all-targets',
    );
  });

  it('decodes a failed transaction carrying a range response', () => {
    expectDecodes(kvTxn, 'txn-response-failed', {
      header: HEADER,
      succeeded: false,
      responses: [{ range: { header: HEADER, kvs: [KV_B], more: false, count: 1n } }],
    });
  });

  it('decodes a succeeded transaction with put and delete-range responses', () => {
    expectDecodes(kvTxn, 'txn-response-succeeded', {
      header: HEADER,
      succeeded: true,
      responses: [{ put: { header: HEADER } }, { deleteRange: { header: HEADER, deleted: 1n, prevKvs: [] } }],
    });
  });
});
