import ipNum from 'ip-num';
import { describe, expect, it } from 'vitest';
import { leaseKey } from './lease-key.js';
import { seededRandom } from './__fixtures__/seeded-random.js';

const { IPv4, IPv6, IPv4Prefix, IPv6Prefix, Validator, collapseIPv6Number } = ipNum;

const shorten = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** One subnet of a key the way lease-key.ts decoded it when IpNet was built on ip-num alone. */
function referenceSubnet(family: 4 | 6, addressText: string, prefixText: string): string {
  const valid =
    family === 4
      ? /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(addressText) && Validator.isValidIPv4String(addressText)[0]
      : !addressText.includes('.') && Validator.isValidIPv6String(addressText)[0];
  if (!valid) return `error: ${shorten(addressText)} must be an IPv${family} address`;
  const maxPrefix = family === 4 ? 31 : 127;
  const prefixLength = Number(prefixText);
  if (!Number.isSafeInteger(prefixLength) || prefixLength > maxPrefix) {
    return `error: IPv${family} prefix length ${shorten(prefixText)} must be 0..${maxPrefix}`;
  }
  const value = family === 4 ? IPv4.fromDecimalDottedString(addressText).getValue() : new IPv6(addressText).getValue();
  const size = family === 4 ? IPv4Prefix.fromNumber(BigInt(prefixLength)).toRangeSize() : IPv6Prefix.fromNumber(BigInt(prefixLength)).toRangeSize();
  const format = (number: bigint): string =>
    family === 4 ? IPv4.fromNumber(number).toString() : collapseIPv6Number(IPv6.fromBigInt(number).toString());
  const network = format(value - (value % size));
  if (network !== format(value)) return `error: ${addressText} must be the network address of its /${prefixLength} (${network})`;
  return `${network}/${prefixLength}`;
}

function reference(key: string): string {
  const parts = /^(\d+\.\d+\.\d+\.\d+)-(\d+)(?:&([a-f\d:]+)-(\d+))?$/.exec(key);
  if (parts === null) return `error: must look like 10.5.34.0-24 or 10.5.34.0-24&fd00:12:13::-56`;
  const subnet = referenceSubnet(4, parts[1]!, parts[2]!);
  if (subnet.startsWith('error: ') || parts[3] === undefined) return subnet;
  const ipv6Subnet = referenceSubnet(6, parts[3], parts[4]!);
  return ipv6Subnet.startsWith('error: ') ? ipv6Subnet : `${subnet} ${ipv6Subnet}`;
}

function observed(key: string): string {
  const result = leaseKey.decode(key);
  if (!result.ok) {
    const rule = result.error.message.slice(result.error.message.indexOf(' is invalid: ') + ' is invalid: '.length);
    return `error: ${rule}`;
  }
  const { subnet, ipv6Subnet } = result.value;
  return ipv6Subnet === undefined ? subnet.toString() : `${subnet.toString()} ${ipv6Subnet.toString()}`;
}

describe('leaseKey.decode on generated keys', () => {
  it('decodes (or refuses, with the same rule) as the ip-num based decoder did', () => {
    const next = seededRandom(20_261_126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const octets = ['0', '00', '1', '01', '10', '34', '128', '192', '255', '256', '999', '1000'];
    const prefixes = ['0', '8', '16', '20', '024', '24', '30', '31', '32', '33', '64', '127', '128', '99999999999999999999'];
    const groups = ['0', '00', '0000', '1', 'fd00', 'fc00', '12', 'ffff', '10000', ''];
    let accepted = 0;
    for (let round = 0; round < 5_000; round++) {
      // Half the addresses end in zero octets or a `::`, so that many keys are network addresses.
      const tail = next() < 0.5 ? '0.0' : `${pick(octets)}.${pick(octets)}`;
      let key = `${pick(octets)}.${pick(octets)}.${tail}-${pick(prefixes)}`;
      if (next() < 0.4) {
        const count = 1 + Math.floor(next() * 8);
        const address = Array.from({ length: count }, () => pick(groups)).join(':');
        key += `&${next() < 0.5 ? `${address}::` : address}-${pick(prefixes)}`;
      }
      const result = observed(key);
      expect({ key, result }).toEqual({ key, result: reference(key) });
      if (!result.startsWith('error: ')) accepted++;
    }
    expect(accepted).toBeGreaterThan(200);
  });
});
