// CONTRACT STUB — the core engineer replaces the bodies with an ip-num based implementation.
// The public shape below is what other packages code against; extend it, don't change it.

/** An IP address family. */
export type IpFamily = 4 | 6;

/**
 * An immutable IPv4 or IPv6 network (CIDR), always normalised to its network address, as flannel's
 * `ip.IP4Net`/`ip.IP6Net` after `net.ParseCIDR`: `10.5.34.7/24` parses to `10.5.34.0/24`.
 */
export class IpNet {
  private constructor(
    /** 4 or 6. */
    readonly family: IpFamily,
    /** The network address in canonical text form (`10.5.34.0`, `fd00:12:13::`). */
    readonly address: string,
    /** The prefix length (`24`). */
    readonly prefixLength: number,
  ) {}

  /** Parses `a.b.c.d/n` or an IPv6 CIDR; throws `RangeError` naming the input when invalid. */
  static parse(text: string, family?: IpFamily): IpNet {
    void text;
    void family;
    throw new Error('not implemented');
  }

  /** `address/prefixLength`, canonical (Go's form for IPv6: `fd00:12:13::/56`). */
  toString(): string {
    return `${this.address}/${this.prefixLength}`;
  }

  /** The first address after the network address (`10.5.34.1`), as flannel writes to subnet.env. */
  firstHost(): string {
    throw new Error('not implemented');
  }

  /** True when `other` (an address or a network) lies entirely inside this network. */
  contains(other: IpNet | string): boolean {
    void other;
    throw new Error('not implemented');
  }

  /** True when the two networks share at least one address. */
  overlaps(other: IpNet): boolean {
    void other;
    throw new Error('not implemented');
  }

  /** True when both are the same family, address and prefix length. */
  equals(other: IpNet | undefined): boolean {
    return other !== undefined && other.family === this.family && other.address === this.address && other.prefixLength === this.prefixLength;
  }
}
