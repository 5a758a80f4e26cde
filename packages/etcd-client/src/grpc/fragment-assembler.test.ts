import { describe, expect, it } from 'vitest';
import type { WatchEvent, WatchResponse } from '../messages.js';
import { FragmentAssembler } from './fragment-assembler.js';

const HEADER = { clusterId: 1n, memberId: 2n, revision: 9n, raftTerm: 3n };
const event = (name: string): WatchEvent => ({
  type: 'put',
  kv: { key: Buffer.from(name), createRevision: 9n, modRevision: 9n, version: 1n, value: Buffer.from('v'), lease: 0n },
});
const response = (watchId: bigint, fragment: boolean, names: string[]): WatchResponse => ({
  header: HEADER,
  watchId,
  created: false,
  canceled: false,
  compactRevision: 0n,
  cancelReason: '',
  fragment,
  events: names.map(event),
});

describe('FragmentAssembler', () => {
  it('passes an unfragmented response through unchanged', () => {
    const whole = response(1n, false, ['/a']);
    expect(new FragmentAssembler().push(whole)).toBe(whole);
  });

  it('holds the parts of a revision and delivers them as one response, in order', () => {
    const assembler = new FragmentAssembler();
    expect(assembler.push(response(1n, true, ['/a', '/b']))).toBeUndefined();
    expect(assembler.push(response(1n, true, ['/c']))).toBeUndefined();
    expect(assembler.push(response(1n, false, ['/d']))).toEqual(response(1n, false, ['/a', '/b', '/c', '/d']));
    // The next revision starts afresh.
    expect(assembler.push(response(1n, false, ['/e']))).toEqual(response(1n, false, ['/e']));
  });

  it('keeps the parts of different watches apart', () => {
    const assembler = new FragmentAssembler();
    expect(assembler.push(response(1n, true, ['/a']))).toBeUndefined();
    expect(assembler.push(response(2n, false, ['/x']))).toEqual(response(2n, false, ['/x']));
    expect(assembler.push(response(1n, false, ['/b']))).toEqual(response(1n, false, ['/a', '/b']));
  });
});
