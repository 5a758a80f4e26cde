import { describe, expect, it } from 'vitest';
import { EtcdError } from '../etcd-error.js';
import { Deframer } from './deframer.js';
import { encodeFrame } from './frame.js';

const message = (text: string): Buffer => Buffer.from(text);

describe('encodeFrame', () => {
  it('prefixes flag 0 and the big-endian length', () => {
    expect(encodeFrame(message('abc')).toString('hex')).toBe(
      [
        '00', //       compressed-flag: 0
        '00000003', // length: 3
        '616263', //   "abc"
      ].join(''),
    );
  });
});

describe('Deframer', () => {
  it('returns a message delivered in one chunk', () => {
    expect(new Deframer().push(encodeFrame(message('hello'))).map(String)).toEqual(['hello']);
  });

  it('joins a frame split across chunks, even inside the header', () => {
    const frame = encodeFrame(message('split me'));
    const deframer = new Deframer();
    const out: string[] = [];
    const cuts = [0, 1, 3, 6, 9, frame.length];
    for (let index = 1; index < cuts.length; index += 1) {
      out.push(...deframer.push(frame.subarray(cuts[index - 1], cuts[index])).map(String));
    }
    expect(out).toEqual(['split me']);
    expect(deframer.pendingBytes).toBe(0);
  });

  it('splits several frames joined in one chunk, keeping a trailing partial one', () => {
    const joined = Buffer.concat([encodeFrame(message('a')), encodeFrame(message('')), encodeFrame(message('ccc'))]);
    const deframer = new Deframer();
    expect(deframer.push(joined.subarray(0, joined.length - 2)).map(String)).toEqual(['a', '']);
    expect(deframer.pendingBytes).toBe(6);
    expect(deframer.push(joined.subarray(joined.length - 2)).map(String)).toEqual(['ccc']);
  });

  it('delivers every frame whatever the chunk boundaries', () => {
    const texts = ['one', 'two', '', 'four'.repeat(50), 'five'];
    const bytes = Buffer.concat(texts.map((text) => encodeFrame(message(text))));
    for (const size of [1, 2, 5, 7, 64, bytes.length]) {
      const deframer = new Deframer();
      const out: string[] = [];
      for (let offset = 0; offset < bytes.length; offset += size) out.push(...deframer.push(bytes.subarray(offset, offset + size)).map(String));
      expect(out, `chunk size ${size}`).toEqual(texts);
    }
  });

  it('rejects a compressed frame with PROTOCOL', () => {
    const frame = encodeFrame(message('x'));
    frame[0] = 1;
    const error = (() => {
      try {
        new Deframer().push(frame);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(EtcdError.isInstance(error) && error.code).toBe('PROTOCOL');
    expect((error as Error).message).toMatch(/compressed-flag 1/);
  });

  it('rejects a frame over the size limit before buffering it', () => {
    const header = Buffer.from([0, 0, 0, 1, 0]); // 256 bytes announced
    expect(() => new Deframer({ maxMessageBytes: 255 }).push(header)).toThrow(/256 bytes is too large: must be at most 255/);
  });
});
