// Decoding of N flannel leases (etcd key segment + JSON value) by @flannel-ts/core's decodeLease, versus
// `JSON.parse` of the same values in the same run (the floor: no key matching, no address checks, no raw
// BackendData, no subnet). Pure CPU: no etcd, no root.
//
// Run from the repository root (tsx resolves @flannel-ts/* to src, no build needed):
//   pnpm exec tsx bench/core-decode.ts [N=5000]        (ROUNDS=7)
//
// Leases are the shapes flanneld writes: mostly vxlan (`{"PublicIP":…,"PublicIPv6":null,"BackendType":"vxlan",
// "BackendData":{"VNI":1,"VtepMAC":…}}` under `10.x.y.0-24`), with some host-gw, some dual stack (key
// `10.x.y.0-24&fd00:x:y::-64`, both backend data) and some wireguard. Each round decodes all N once; the
// script prints the median and best µs per lease of each side and their ratio (decodeLease / JSON.parse),
// then the same for leaseKey.decode and leaseAttributes.decode alone.
import { performance } from 'node:perf_hooks';
import { decodeLease, leaseAttributes, leaseKey } from '@flannel-ts/core';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);

const hex = (value: number): string => value.toString(16).padStart(2, '0');

function makeLease(index: number): { key: string; value: string } {
  const a = (index >> 8) & 255;
  const b = index & 255;
  const key = `10.${a}.${b}.0-24`;
  const publicIP = `172.16.${a}.${b}`;
  const mac = `0e:2a:00:00:${hex(a)}:${hex(b)}`;
  switch (index % 20) {
    case 0:
      return { key, value: `{"PublicIP":"${publicIP}","PublicIPv6":null,"BackendType":"host-gw"}` };
    case 1:
      return {
        key: `${key}&fd00:${a.toString(16)}:${b.toString(16)}::-64`,
        value:
          `{"PublicIP":"${publicIP}","PublicIPv6":"fd00:1::${index.toString(16)}","BackendType":"vxlan",` +
          `"BackendData":{"VNI":1,"VtepMAC":"${mac}"},"BackendV6Data":{"VNI":1,"VtepMAC":"0e:2b:00:00:${hex(a)}:${hex(b)}"}}`,
      };
    case 2:
      return {
        key,
        value: `{"PublicIP":"${publicIP}","PublicIPv6":null,"BackendType":"wireguard","BackendData":{"PublicKey":"k${index}+/=","Port":51820}}`,
      };
    default:
      return { key, value: `{"PublicIP":"${publicIP}","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"${mac}"}}` };
  }
}

const leases = Array.from({ length: N }, (_, index) => makeLease(index));

// Every lease must decode; a failure here means the bench measures the error path.
for (const { key, value } of leases) {
  const result = decodeLease(key, value);
  if (!result.ok) throw new Error(`bench lease ${key} does not decode: ${result.error.message}`);
}

let sink = 0;

function measure(run: () => void): { median: number; best: number } {
  const perLease: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = performance.now();
    run();
    perLease.push(((performance.now() - start) * 1000) / N);
  }
  perLease.sort((x, y) => x - y);
  return { median: perLease[Math.floor(perLease.length / 2)]!, best: perLease[0]! };
}

const sides = {
  decodeLease: () => {
    for (const { key, value } of leases) if (decodeLease(key, value).ok) sink += 1;
  },
  'JSON.parse': () => {
    for (const { value } of leases) if (JSON.parse(value) !== null) sink += 1;
  },
  'leaseKey.decode': () => {
    for (const { key } of leases) if (leaseKey.decode(key).ok) sink += 1;
  },
  'leaseAttributes.decode': () => {
    for (const { value } of leases) if (leaseAttributes.decode(value).ok) sink += 1;
  },
};

// Warm-up: let the JIT settle on both sides before timing.
for (const run of Object.values(sides)) for (let round = 0; round < 3; round += 1) run();

const results = Object.fromEntries(Object.entries(sides).map(([name, run]) => [name, measure(run)]));
const us = (value: number): string => `${value.toFixed(2).padStart(8)} µs`;

console.log(`core-decode: ${N} leases, ${ROUNDS} rounds (median / best per lease; total per snapshot at the median)`);
for (const [name, { median, best }] of Object.entries(results)) {
  console.log(`  ${name.padEnd(24)} ${us(median)} / ${us(best)}   ${((median * N) / 1000).toFixed(1).padStart(7)} ms per ${N}`);
}
const ratio = results.decodeLease!.median / results['JSON.parse']!.median;
console.log(`  ratio decodeLease / JSON.parse: ${ratio.toFixed(2)}x`);
if (sink === 0) console.log('(no lease decoded)');
