import { describe, expect, it } from 'vitest';
import { authAuthenticate, kvDeleteRange, kvPut, kvRange, kvTxn, leaseGrant, leaseRevoke, leaseTimeToLive, watchStream } from '../methods.js';
import type { Method } from '../method.js';
import { expectProtocolError, responseFixtures } from './__fixtures__/golden.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('ProtoReader: hostile input becomes EtcdError PROTOCOL naming message, field and rule', () => {
  const cases: { name: string; method: Method<never, unknown>; bytes: string; message: string }[] = [
    { name: 'truncated varint', method: kvRange, bytes: '12 02 10 80', message: 'KeyValue field create_revision: truncated varint' },
    { name: 'truncated tag', method: kvRange, bytes: '80', message: 'RangeResponse field tag: truncated varint' },
    { name: 'length past the end', method: kvRange, bytes: '12 05 0a 10 61', message: 'RangeResponse field kvs: length 5 runs past the end of the message (3 bytes left)' },
    { name: 'inner length past the sub-message end', method: kvRange, bytes: '12 03 0a 02 61 62', message: 'KeyValue field key: length 2 runs past the end of the message (1 bytes left)' },
    { name: 'length of 2^32 - 1', method: kvRange, bytes: '12 ff ff ff ff 0f', message: 'RangeResponse field kvs: length 4294967295 runs past the end of the message (0 bytes left)' },
    { name: 'known field, wrong wire type', method: kvRange, bytes: '12 02 08 01', message: 'KeyValue field key: wire type 0, expected 2' },
    { name: 'sub-message sent as varint', method: kvRange, bytes: '08 01', message: 'RangeResponse field header: wire type 0, expected 2' },
    { name: 'varint longer than 10 bytes', method: kvRange, bytes: '20 ff ff ff ff ff ff ff ff ff ff 01', message: 'RangeResponse field count: varint longer than 10 bytes' },
    { name: 'varint over 64 bits', method: kvRange, bytes: '20 ff ff ff ff ff ff ff ff ff 02', message: 'RangeResponse field count: varint overflows 64 bits' },
    { name: 'bool longer than 10 bytes', method: kvRange, bytes: '18 80 80 80 80 80 80 80 80 80 80 00', message: 'RangeResponse field more: varint longer than 10 bytes' },
    { name: 'tag over 32 bits', method: kvRange, bytes: 'ff ff ff ff ff 01', message: 'RangeResponse field tag: varint does not fit in 32 bits' },
    { name: 'field number 0', method: kvRange, bytes: '00 00', message: 'RangeResponse field tag: field number 0 is invalid' },
    { name: 'group start (wire type 3)', method: kvRange, bytes: '4b', message: 'RangeResponse field 9: unsupported wire type 3' },
    { name: 'wire type 7', method: kvRange, bytes: '4f', message: 'RangeResponse field 9: unsupported wire type 7' },
    { name: 'truncated fixed64', method: kvRange, bytes: '49 01 02', message: 'RangeResponse field 9: truncated 64-bit value' },
    { name: 'truncated fixed32', method: kvRange, bytes: '4d 01 02 03', message: 'RangeResponse field 9: truncated 32-bit value' },
    { name: 'truncated header', method: leaseTimeToLive, bytes: '0a 01 08', message: 'ResponseHeader field cluster_id: truncated varint' },
    { name: 'nested transaction', method: kvTxn, bytes: '1a 02 22 00', message: 'ResponseOp field response_txn: nested transactions are not supported' },
    { name: 'response op without member', method: kvTxn, bytes: '1a 00', message: 'ResponseOp field response: no member set' },
    { name: 'unknown event type', method: watchStream, bytes: '5a 02 08 07', message: 'Event field type: unknown event type 7 (expected 0 PUT or 1 DELETE)' },
    { name: 'negative event type', method: watchStream, bytes: '5a 0b 08 ff ff ff ff ff ff ff ff ff 01', message: 'Event field type: unknown event type -1 (expected 0 PUT or 1 DELETE)' },
  ];

  it.each(cases)('$name', ({ method, bytes, message }) => {
    expectProtocolError(() => method.decode(hex(bytes)), message);
  });

  it('reads any non-zero varint as true and an over-long but valid encoding of an enum (proto3 leniency)', () => {
    expect(kvRange.decode(hex('18 02')).more).toBe(true);
    expect(kvRange.decode(hex('18 80 80 80 80 80 80 80 80 80 01')).more).toBe(true);
    expect(kvRange.decode(hex('18 80 00')).more).toBe(false);
    expect(watchStream.decode(hex('5a 0a 08 81 80 80 80 80 80 80 80 00')).events[0]?.type).toBe('delete');
  });

  it('lets the last occurrence of a scalar field win', () => {
    expect(kvRange.decode(hex('20 01 20 02')).count).toBe(2n);
  });

  it('decodes every truncation of every golden response to a result or a PROTOCOL error, never another error', () => {
    let protocolErrors = 0;
    for (const [name, { message, hex: bytes }] of Object.entries(responseFixtures)) {
      const method = METHOD_OF[message];
      if (method === undefined) throw new Error(`no method for ${name} (${message})`);
      const full = Buffer.from(bytes, 'hex');
      for (let end = 0; end < full.length; end++) {
        try {
          method.decode(full.subarray(0, end));
        } catch (error) {
          expect(error).toMatchObject({ name: 'EtcdError', code: 'PROTOCOL' });
          protocolErrors++;
        }
      }
    }
    expect(protocolErrors).toBeGreaterThan(100);
  });

  it('decodes random bytes to a result or a PROTOCOL error, never another error', () => {
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const methods = Object.values(METHOD_OF);
    for (let i = 0; i < 1000; i++) {
      const bytes = Buffer.alloc(Math.floor(random() * 40));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      for (const method of methods) {
        try {
          method.decode(bytes);
        } catch (error) {
          expect(error).toMatchObject({ name: 'EtcdError', code: 'PROTOCOL' });
        }
      }
    }
  });
});

const METHOD_OF: Record<string, Method<never, unknown>> = {
  RangeResponse: kvRange,
  'future.RangeResponse': kvRange,
  PutResponse: kvPut,
  DeleteRangeResponse: kvDeleteRange,
  TxnResponse: kvTxn,
  LeaseGrantResponse: leaseGrant,
  LeaseRevokeResponse: leaseRevoke,
  LeaseTimeToLiveResponse: leaseTimeToLive,
  AuthenticateResponse: authAuthenticate,
  WatchResponse: watchStream,
};
