// Test helpers: the golden bytes made by scripts/make-golden-fixtures.mjs (protobufjs from etcd's .proto files).
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Method } from '../../method.js';

type Fixtures = Record<string, { readonly message: string; readonly hex: string }>;

const load = (file: string): Fixtures => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as Fixtures;

/** Golden request encodings by case name. */
export const requestFixtures: Fixtures = load('./requests.json');
/** Golden response encodings by case name. */
export const responseFixtures: Fixtures = load('./responses.json');

/** The golden bytes of a case, failing the test when the case is missing. */
export function golden(fixtures: Fixtures, name: string): Buffer {
  const fixture = fixtures[name];
  if (fixture === undefined) throw new Error(`no golden fixture ${name}`);
  return Buffer.from(fixture.hex, 'hex');
}

/** Asserts `method.encode(value)` yields the golden bytes of `name`. */
export function expectEncodes<Request>(method: Method<Request, unknown>, value: Request, name: string): void {
  expect(method.encode(value).toString('hex')).toBe(golden(requestFixtures, name).toString('hex'));
}

/**
 * Asserts the golden response `name` decodes to `expected`, also when the frame sits at an offset inside a
 * larger buffer (decoded views must not leak the surrounding bytes).
 */
export function expectDecodes<Response>(method: Method<unknown, Response>, name: string, expected: Response): void {
  const bytes = golden(responseFixtures, name);
  expect(method.decode(bytes)).toEqual(expected);
  const padded = Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), bytes, Buffer.from([0xff])]);
  expect(method.decode(padded.subarray(3, 3 + bytes.length))).toEqual(expected);
}

/** Asserts decoding `bytes` throws `EtcdError` code `PROTOCOL` with exactly `message`. */
export function expectProtocolError(decode: () => unknown, message: string): void {
  let caught: unknown;
  try {
    decode();
  } catch (error) {
    caught = error;
  }
  expect(caught).toMatchObject({ name: 'EtcdError', code: 'PROTOCOL', message });
}

/** `Buffer.from(text)`. */
export const b = (text: string): Buffer => Buffer.from(text, 'utf8');
