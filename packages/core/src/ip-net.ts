// IPv4/IPv6 networks with Go's `net.ParseCIDR` semantics and Go's canonical text form.
// Core keeps its own address text readers (ipv4-text.ts, ipv6-text.ts) because @flannel-ts/netlink, which has
// the same rules, depends on no flannel package and core depends on no kernel package.
import { formatIPv4, parseIPv4 } from './ipv4-text.js';
import { formatIPv6, parseIPv6 } from './ipv6-text.js';

/** An IP address family. */
export type IpFamily = 4 | 6;

/** An address parsed by {@link IpNet.parseAddress}: its family and its numeric value. */
export interface ParsedAddress {
  readonly family: IpFamily;
  /** The address as an unsigned integer (32 or 128 bits). */
  readonly value: bigint;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };
// Go's net.ParseCIDR reads the prefix length with dtoi: ASCII digits only, leading zeros allowed (`/024`).
const PREFIX_DIGITS = /^[0-9]+$/;

function familyName(family: IpFamily | undefined): string {
  return family === undefined ? 'IP' : `IPv${family}`;
}

function tryParseAddress(text: string, family?: IpFamily): ParsedAddress | undefined {
  if (typeof text !== 'string') return undefined;
  const looksV6 = text.includes(':');
  if (looksV6) {
    if (family === 4) return undefined;
    const value = parseIPv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  if (family === 6) return undefined;
  const value = parseIPv4(text);
  return value < 0 ? undefined : { family: 4, value: BigInt(value) };
}

function formatAddress(family: IpFamily, value: bigint): string {
  if (value < 0n || value >= 1n << BigInt(BITS[family])) {
    throw new RangeError(`IPv${family} address value ${value} is invalid: must be 0..2^${BITS[family]}-1`);
  }
  return family === 4 ? formatIPv4(Number(value)) : formatIPv6(value);
}

/** The size of an IPv4 network by prefix length, shared by every IPv4 network (a lease snapshot holds thousands). */
const IPV4_SIZES: readonly bigint[] = Array.from({ length: 33 }, (_, prefixLength) => 1n << BigInt(32 - prefixLength));

function rangeSize(family: IpFamily, prefixLength: number): bigint {
  // Callers have checked 0 <= prefixLength <= bits.
  return family === 4 ? (IPV4_SIZES[prefixLength] as bigint) : 1n << BigInt(BITS[family] - prefixLength);
}

let createIPv4Network: (address: string, value: number, prefixLength: number) => IpNet;

/**
 * The IPv4 network `address/prefixLength` from parts its caller has checked: `address` is the canonical
 * dotted quad of `value`, and `value` the network address of its `/prefixLength` (0..32). No parsing, no
 * formatting: lease-key decoding builds one per lease of a snapshot. Internal to @flannel-ts/core.
 *
 * @example
 * ```ts
 * ipv4NetworkFromParts('10.5.34.0', 0x0a052200, 24).toString(); // '10.5.34.0/24'
 * ```
 */
export function ipv4NetworkFromParts(address: string, value: number, prefixLength: number): IpNet {
  return createIPv4Network(address, value, prefixLength);
}

/** `input` names what the prefix length was for in the error; a function when that text costs work to build. */
function checkPrefixLength(family: IpFamily, prefixLength: number, input: string | (() => string)): void {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > BITS[family]) {
    const text = typeof input === 'string' ? input : input();
    throw new RangeError(`invalid ${familyName(family)} prefix length ${prefixLength} in "${text}": must be 0..${BITS[family]}`);
  }
}

/**
 * An immutable IPv4 or IPv6 network (CIDR), always normalised to its network address, as flannel's
 * `ip.IP4Net`/`ip.IP6Net` after `net.ParseCIDR`: `10.5.34.7/24` parses to `10.5.34.0/24`.
 *
 * IPv6 addresses are written in Go's canonical form (RFC 5952: lower case, no leading zeros, the
 * longest run of two or more zero groups compressed to `::`, the first one on a tie).
 *
 * @example
 * ```ts
 * const net = IpNet.parse('10.5.34.7/24');
 * net.toString();              // '10.5.34.0/24'
 * net.firstHost();             // '10.5.34.1'
 * net.contains('10.5.34.200'); // true
 * net.next().toString();       // '10.5.35.0/24'
 * IpNet.parse('fd00:12:13:0::/56').toString(); // 'fd00:12:13::/56'
 * ```
 */
export class IpNet {
  /** The network address as an unsigned integer. */
  readonly #value: bigint;
  /** Number of addresses in the network. */
  readonly #size: bigint;

  private constructor(
    /** 4 or 6. */
    readonly family: IpFamily,
    /** The network address in canonical text form (`10.5.34.0`, `fd00:12:13::`). */
    readonly address: string,
    /** The prefix length (`24`). */
    readonly prefixLength: number,
    value: bigint,
    size: bigint,
  ) {
    this.#value = value;
    this.#size = size;
  }

  static {
    createIPv4Network = (address, value, prefixLength) =>
      new IpNet(4, address, prefixLength, BigInt(value), IPV4_SIZES[prefixLength] as bigint);
  }

  static #create(family: IpFamily, value: bigint, prefixLength: number): IpNet {
    const size = rangeSize(family, prefixLength);
    const network = value - (value % size);
    return new IpNet(family, formatAddress(family, network), prefixLength, network, size);
  }

  /**
   * Parses `a.b.c.d/n` or an IPv6 CIDR and normalises it to its network address (Go's
   * `net.ParseCIDR`). With `family`, other families are rejected. Throws `RangeError` naming the input.
   *
   * @example
   * ```ts
   * IpNet.parse('10.1.2.3/16').toString(); // '10.1.0.0/16'
   * IpNet.parse('10.1.0.0/16', 6);         // throws RangeError: invalid IPv6 CIDR "10.1.0.0/16"
   * ```
   */
  static parse(text: string, family?: IpFamily): IpNet {
    const slash = typeof text === 'string' ? text.indexOf('/') : -1;
    const invalid = (): RangeError => new RangeError(`invalid ${familyName(family)} CIDR ${JSON.stringify(text)}`);
    if (slash < 0) throw invalid();
    const address = tryParseAddress(text.slice(0, slash), family);
    const prefixText = text.slice(slash + 1);
    if (address === undefined || !PREFIX_DIGITS.test(prefixText)) throw invalid();
    const prefixLength = Number(prefixText);
    if (prefixLength > BITS[address.family]) throw invalid();
    return IpNet.#create(address.family, address.value, prefixLength);
  }

  /**
   * The network of `prefixLength` containing `address` (a text address or a parsed one).
   * Throws `RangeError` when the address or the prefix length is invalid.
   *
   * @example
   * ```ts
   * IpNet.fromAddress('10.5.34.1', 24).toString(); // '10.5.34.0/24'
   * ```
   */
  static fromAddress(address: string | ParsedAddress, prefixLength: number): IpNet {
    const parsed = typeof address === 'string' ? IpNet.parseAddress(address) : address;
    checkPrefixLength(parsed.family, prefixLength, typeof address === 'string' ? address : () => formatAddress(parsed.family, parsed.value));
    return IpNet.#create(parsed.family, parsed.value, prefixLength);
  }

  /**
   * True when `text` is a valid address (of `family`, when given). Zones (`%eth0`) are not addresses.
   *
   * @example
   * ```ts
   * IpNet.isAddress('10.0.0.1');    // true
   * IpNet.isAddress('10.0.0.1', 6); // false
   * ```
   */
  static isAddress(text: string, family?: IpFamily): boolean {
    return tryParseAddress(text, family) !== undefined;
  }

  /**
   * Parses an address to its family and numeric value; throws `RangeError` naming the input.
   * IPv4 octets with leading zeros are rejected, as Go does.
   *
   * @example
   * ```ts
   * IpNet.parseAddress('10.0.0.1'); // { family: 4, value: 167772161n }
   * ```
   */
  static parseAddress(text: string, family?: IpFamily): ParsedAddress {
    const parsed = tryParseAddress(text, family);
    if (parsed === undefined) throw new RangeError(`invalid ${familyName(family)} address ${JSON.stringify(text)}`);
    return parsed;
  }

  /**
   * Writes an address in canonical text form (Go's `net.IP.String()` for IPv6: `fd00:12:13::`).
   *
   * @example
   * ```ts
   * IpNet.formatAddress({ family: 6, value: 1n }); // '::1'
   * ```
   */
  static formatAddress(address: ParsedAddress): string {
    return formatAddress(address.family, address.value);
  }

  /**
   * Re-writes an address in canonical form; throws `RangeError` when invalid.
   *
   * @example
   * ```ts
   * IpNet.canonicalAddress('FD00:0012:0013:0:0:0:0:0'); // 'fd00:12:13::'
   * ```
   */
  static canonicalAddress(text: string, family?: IpFamily): string {
    return IpNet.formatAddress(IpNet.parseAddress(text, family));
  }

  /**
   * Orders networks: IPv4 before IPv6, then by network address, then by prefix length.
   *
   * @example
   * ```ts
   * leases.map((lease) => lease.subnet).sort(IpNet.compare);
   * ```
   */
  static compare(this: void, a: IpNet, b: IpNet): number {
    if (a.family !== b.family) return a.family - b.family;
    if (a.#value !== b.#value) return a.#value < b.#value ? -1 : 1;
    return a.prefixLength - b.prefixLength;
  }

  /** The network address as an unsigned integer. */
  get value(): bigint {
    return this.#value;
  }

  /** The number of addresses in the network (`256n` for a /24). */
  get size(): bigint {
    return this.#size;
  }

  /** The last address of the network (`10.5.34.255` for `10.5.34.0/24`). */
  lastAddress(): string {
    return formatAddress(this.family, this.#value + this.#size - 1n);
  }

  /** `address/prefixLength`, canonical (Go's form for IPv6: `fd00:12:13::/56`). */
  toString(): string {
    return `${this.address}/${this.prefixLength}`;
  }

  /** The same as {@link IpNet.toString}, so `JSON.stringify` writes `"10.5.34.0/24"` as Go does. */
  toJSON(): string {
    return this.toString();
  }

  /**
   * The first address after the network address (`10.5.34.1`), as flannel writes to subnet.env
   * (flannel increments the address without checking the prefix, so a /32 yields the next address).
   */
  firstHost(): string {
    const max = (1n << BigInt(BITS[this.family])) - 1n;
    if (this.#value === max) throw new RangeError(`network ${this.toString()} has no address after its network address`);
    return formatAddress(this.family, this.#value + 1n);
  }

  /**
   * True when `other` (an address or a network) lies entirely inside this network. An address or
   * network of the other family is never contained. Throws `RangeError` when `other` is invalid text.
   */
  contains(other: IpNet | string): boolean {
    if (typeof other === 'string') {
      const address = IpNet.parseAddress(other);
      return address.family === this.family && address.value >= this.#value && address.value < this.#value + this.#size;
    }
    return (
      other.family === this.family &&
      other.prefixLength >= this.prefixLength &&
      other.#value >= this.#value &&
      other.#value < this.#value + this.#size
    );
  }

  /** True when the two networks share at least one address. */
  overlaps(other: IpNet): boolean {
    return this.contains(other) || other.contains(this);
  }

  /** True when both are the same family, address and prefix length. */
  equals(other: IpNet | undefined): boolean {
    return other !== undefined && other.family === this.family && other.address === this.address && other.prefixLength === this.prefixLength;
  }

  /**
   * The next network of the same size (`10.5.34.0/24` → `10.5.35.0/24`), as flannel's `Next()`.
   * Throws `RangeError` past the end of the address space.
   */
  next(): IpNet {
    const following = this.#value + this.#size;
    if (following >> BigInt(BITS[this.family]) !== 0n) {
      throw new RangeError(`network ${this.toString()} is the last of its size`);
    }
    return new IpNet(this.family, formatAddress(this.family, following), this.prefixLength, following, this.#size);
  }

  /** The network of `prefixLength` that contains this network's address (`10.5.34.0/24` at 16 → `10.5.0.0/16`). */
  withPrefixLength(prefixLength: number): IpNet {
    checkPrefixLength(this.family, prefixLength, this.toString());
    return IpNet.#create(this.family, this.#value, prefixLength);
  }
}
