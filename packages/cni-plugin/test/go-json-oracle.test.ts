// goJsonEncode against Go's own encoding/json (the libcni driver's `marshal` mode: JSON → interface{} →
// json.Marshal), over the values a delegate map can hold. Debian's Go 1.19 writes \b and \f as \u0008 and
// \u000c; flannel's releases are built with Go ≥ 1.22, which writes \b and \f, so the oracle's output is
// adjusted for those two.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { goJsonEncode } from '../src/go-json/go-json-encode.js';
import type { GoJsonValue } from '../src/go-json/go-json-encode.js';
import { buildCniDriver, libcniSkipReason } from './libcni.js';

const skip = libcniSkipReason();

const CASES: readonly string[] = [
  '{"type":"bridge","ipMasq":false,"mtu":1450,"name":"cbr0","isGateway":true,"ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.1.0/24"}]]}}',
  '{"b":"<script>&amp;</script>","a":"\\u2028\\u2029","c":"\\u0001\\u001f\\t\\n\\r\\"\\\\/"}',
  '{"n":[0,-0,1,-1,0.5,1e-7,0.000001,1e20,1e21,123456789012345678901,1.7976931348623157e308,5e-324,0.1,100,1.5e300,-2.5e-10]}',
  '{"é":1,"Z":2,"a":3,"\\ud83d\\ude00":4,"\\uffff":5,"":6,"A":7,"_":8}',
  '{"lone":"\\ud800x","pair":"\\ud83d\\ude00","nested":{"z":[{"y":null,"x":[true,false]}],"a":{}},"empty":[]}',
  '{"x":"\\b\\f"}',
];

describe.skipIf(skip !== undefined)(`goJsonEncode matches Go's json.Marshal ${skip ?? ''}`, () => {
  it.each(CASES)('re-encodes %s as Go does', (text) => {
    const driver = buildCniDriver();
    const go = execFileSync(driver, ['marshal'], { input: text }).toString('utf8').replace(/\\u0008/g, '\\b').replace(/\\u000c/g, '\\f');
    expect(goJsonEncode(JSON.parse(text) as GoJsonValue, { sortKeys: true })).toBe(go);
  });
});
