// Choosing the external interface, as flanneld's main.go + pkg/ipmatch LookupExtIface:
//  1. no --iface/--iface-regex/--iface-can-reach: the interface owning --public-ip (else
//     --public-ipv6), else the interface of the default route (both families on one interface when
//     dual stack);
//  2. otherwise each --iface in order (an IP → the interface owning it; else a name), then each
//     --iface-regex (first interface with a usable address matching it, else first name matching),
//     then --iface-can-reach (the interface of `ip route get <ip>`); first success wins.
// Addresses are preferred global over link-local, then permanent over dynamic; deprecated and
// temporary flags are not in the Netlink contract, so they are not considered (noted deviation).
// Deliberately not replicated: flannel keeping a stale address across regex candidates, and its
// crash on an IPv6 --iface in dual stack without --public-ipv6 (an error here).
import { FlannelError, re2UnsupportedFeature, silentLogger } from '@flannel-ts/core';
import type { ExternalInterface, Logger } from '@flannel-ts/core';
import type { Address, Link, Netlink } from '@flannel-ts/netlink';
import { canonicalIp, isGlobalUnicast, isLinkLocalUnicast } from './ip-class.js';

/** Options of {@link selectExternalInterface}. */
export interface SelectExternalInterfaceOptions {
  readonly netlink: Netlink;
  /** The network config's `EnableIPv4`. */
  readonly ipv4: boolean;
  /** The network config's `EnableIPv6`. */
  readonly ipv6: boolean;
  /** `--iface`, in order. */
  readonly iface?: readonly string[];
  /** `--iface-regex`, in order. */
  readonly ifaceRegex?: readonly string[];
  /** `--iface-can-reach`. */
  readonly ifaceCanReach?: string;
  /** `--public-ip`. */
  readonly publicIP?: string;
  /** `--public-ipv6`. */
  readonly publicIPv6?: string;
  readonly logger?: Logger;
}

type Stack = 'ipv4' | 'ipv6' | 'dual';

interface Found {
  link: Link;
  address?: string;
  address6?: string;
}

class LookupFailure extends Error {}

const fail = (message: string): never => {
  throw new LookupFailure(message);
};

function compareAddresses(a: Address, b: Address): number {
  const aGlobal = isGlobalUnicast(a.address);
  const bGlobal = isGlobalUnicast(b.address);
  if (aGlobal && isLinkLocalUnicast(b.address)) return -1;
  if (isLinkLocalUnicast(a.address) && bGlobal) return 1;
  if (a.dynamic !== true && b.dynamic === true) return -1;
  if (a.dynamic === true && b.dynamic !== true) return 1;
  return 0;
}

class Lookup {
  private links?: Link[];
  private readonly addressCache = new Map<string, Address[]>();

  constructor(
    private readonly netlink: Netlink,
    private readonly stack: Stack,
    private readonly publicIPv6: string | undefined,
  ) {}

  async allLinks(): Promise<Link[]> {
    this.links ??= await this.netlink.listLinks();
    return this.links;
  }

  async linkByName(name: string): Promise<Link> {
    return (await this.allLinks()).find((link) => link.name === name) ?? fail(`no interface named ${name}`);
  }

  async linkByIndex(index: number): Promise<Link> {
    return (await this.allLinks()).find((link) => link.index === index) ?? fail(`no interface with index ${index}`);
  }

  /** Every address of the family on the link (unfiltered). */
  async addresses(link: Link, family: 4 | 6): Promise<Address[]> {
    const key = `${link.index}/${family}`;
    let addresses = this.addressCache.get(key);
    if (addresses === undefined) {
      addresses = await this.netlink.listAddresses({ family, index: link.index });
      this.addressCache.set(key, addresses);
    }
    return addresses;
  }

  /** flannel's GetInterfaceIP4Addrs/IP6Addrs: usable addresses, best first. */
  async usableAddresses(link: Link, family: 4 | 6): Promise<string[]> {
    const addresses = (await this.addresses(link, family)).filter(
      (address) => isGlobalUnicast(address.address) || isLinkLocalUnicast(address.address),
    );
    return [...addresses].sort(compareAddresses).map((address) => address.address);
  }

  async linkOwning(ip: string, family: 4 | 6): Promise<Link> {
    for (const link of await this.allLinks()) {
      if ((await this.addresses(link, family)).some((address) => canonicalIp(address.address) === ip)) return link;
    }
    return fail(`no interface has the IPv${family} address ${ip}`);
  }

  async byNameOrIp(text: string): Promise<Found> {
    const ip = canonicalIp(text);
    if (ip === undefined) return { link: await this.linkByName(text) };
    const isV4 = !ip.includes(':');
    if (this.stack === 'ipv4') {
      if (!isV4) fail(`${text} is not an IPv4 address (IPv6 is not enabled)`);
      return { link: await this.linkOwning(ip, 4), address: ip };
    }
    if (this.stack === 'ipv6') {
      if (isV4) fail(`${text} is not an IPv6 address (IPv4 is not enabled)`);
      return { link: await this.linkOwning(ip, 6), address6: ip };
    }
    // dual stack
    const found: Found | undefined = isV4 ? { link: await this.linkOwning(ip, 4), address: ip } : undefined;
    const publicV6 = this.publicIPv6 === undefined ? undefined : canonicalIp(this.publicIPv6);
    if (publicV6 !== undefined) {
      const v6Link = await this.linkOwning(publicV6, 6);
      if (found === undefined) return { link: v6Link, address6: publicV6 };
      if (found.link.name !== v6Link.name) fail(`v6 interface ${v6Link.name} must be the same as v4 interface ${found.link.name}`);
      return { ...found, address6: publicV6 };
    }
    return found ?? fail(`${text} is an IPv6 address: in dual stack, give an IPv4 address or set --public-ipv6`);
  }

  async matchIp(regex: RegExp, link: Link, family: 4 | 6): Promise<string | undefined> {
    return (await this.usableAddresses(link, family)).find((address) => regex.test(address));
  }

  async byRegex(pattern: string): Promise<Found> {
    let regex: RegExp;
    try {
      regex = new RegExp(pattern);
    } catch (error) {
      return fail(`could not compile the regex ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
    // Go's RE2 (flanneld) refuses these; without them a pattern also fits V8's linear-time engine, which the
    // flannel-ts bin lets V8 fall back to when a match backtracks too much (cli/src/regex-backtracking.ts).
    const unsupported = re2UnsupportedFeature(pattern);
    if (unsupported !== undefined) return fail(`could not compile the regex ${JSON.stringify(pattern)}: ${unsupported}`);
    const links = await this.allLinks();
    for (const link of links) {
      if (this.stack === 'ipv4') {
        const address = await this.matchIp(regex, link, 4);
        if (address !== undefined) return { link, address };
      } else if (this.stack === 'ipv6') {
        const address6 = await this.matchIp(regex, link, 6);
        if (address6 !== undefined) return { link, address6 };
      } else {
        const address = await this.matchIp(regex, link, 4);
        const address6 = address === undefined ? undefined : await this.matchIp(regex, link, 6);
        if (address !== undefined && address6 !== undefined) return { link, address, address6 };
      }
    }
    const byName = links.find((link) => regex.test(link.name));
    if (byName !== undefined) return { link: byName };
    const available: string[] = [];
    for (const link of links) {
      available.push(`${link.name}:[${(await this.usableAddresses(link, this.stack === 'ipv6' ? 6 : 4)).join(' ')}]`);
    }
    return fail(`could not match pattern ${pattern} to any of the available network interfaces (${available.join(', ')})`);
  }

  async byRoute(target: string): Promise<Found> {
    const ip = canonicalIp(target) ?? fail(`${target} is not an IP address`);
    let routes;
    try {
      routes = await this.netlink.getRoute(ip);
    } catch (error) {
      return fail(`couldn't look up the route to ${ip}: ${(error as Error).message}`);
    }
    const route = routes[0] ?? fail(`no route to ${ip}`);
    if (route.index === undefined || route.index <= 0) fail(`the route to ${ip} has no interface`);
    const link = await this.linkByIndex(route.index as number);
    const source = route.source === undefined ? undefined : canonicalIp(route.source);
    if (source === undefined) return { link };
    return source.includes(':') ? { link, address6: source } : { link, address: source };
  }

  async defaultRouteLink(family: 4 | 6): Promise<Link> {
    const wanted = family === 4 ? '0.0.0.0/0' : '::/0';
    const route = (await this.netlink.listRoutes({ family })).find((candidate) => candidate.destination === wanted);
    const name = family === 4 ? 'default route' : 'default v6 route';
    if (route === undefined) return fail(`unable to find a ${name}`);
    if (route.index === undefined || route.index <= 0) fail(`found a ${name} but could not determine its interface`);
    return this.linkByIndex(route.index as number);
  }

  async byDefaultRoute(): Promise<Found> {
    if (this.stack === 'ipv4') return { link: await this.defaultRouteLink(4) };
    if (this.stack === 'ipv6') return { link: await this.defaultRouteLink(6) };
    const link = await this.defaultRouteLink(4);
    const v6 = await this.defaultRouteLink(6);
    if (v6.name !== link.name) fail(`v6 default route interface ${v6.name} must be the same as v4 default route interface ${link.name}`);
    return { link };
  }

  /** Fills the addresses the stack needs and checks the MTU. */
  async complete(found: Found): Promise<Found> {
    let { address, address6 } = found;
    if (this.stack !== 'ipv6' && address === undefined) {
      address = (await this.usableAddresses(found.link, 4))[0] ?? fail(`failed to find an IPv4 address for interface ${found.link.name}`);
    }
    if (this.stack !== 'ipv4' && address6 === undefined) {
      address6 = (await this.usableAddresses(found.link, 6))[0] ?? fail(`failed to find an IPv6 address for interface ${found.link.name}`);
    }
    if (!(found.link.mtu > 0)) fail(`failed to determine the MTU of interface ${found.link.name}`);
    return { link: found.link, ...(address === undefined ? {} : { address }), ...(address6 === undefined ? {} : { address6 }) };
  }
}

function toExternal(found: Found, stack: Stack, publicIP: string | undefined, publicIPv6: string | undefined): ExternalInterface {
  const external: { -readonly [K in keyof ExternalInterface]: ExternalInterface[K] } = {
    name: found.link.name,
    index: found.link.index,
    mtu: found.link.mtu,
  };
  if (found.address !== undefined && stack !== 'ipv6') external.address = found.address;
  if (found.address6 !== undefined && stack !== 'ipv4') external.address6 = found.address6;
  const extAddress = publicIP ?? (stack !== 'ipv6' ? found.address : undefined);
  const extAddress6 = publicIPv6 ?? (stack !== 'ipv4' ? found.address6 : undefined);
  if (extAddress !== undefined) external.publicIP = extAddress;
  if (extAddress6 !== undefined) external.publicIPv6 = extAddress6;
  return Object.freeze(external);
}

/**
 * Chooses the interface flannel sends overlay traffic through, with flanneld's rules (see the note
 * at the top of this file), reading links, addresses and routes through `Netlink`.
 * Throws `FlannelError` `INTERFACE_NOT_FOUND` with every candidate's reason.
 *
 * @example
 * ```ts
 * const external = await selectExternalInterface({ netlink, ipv4: true, ipv6: false, iface: options.iface,
 *   ifaceRegex: options.ifaceRegex, publicIP: options.publicIP });
 * logger.info(`Using interface with name ${external.name} and address ${external.address}`);
 * ```
 */
export async function selectExternalInterface(options: SelectExternalInterfaceOptions): Promise<ExternalInterface> {
  const logger = options.logger ?? silentLogger;
  const stack: Stack | undefined = options.ipv4 && options.ipv6 ? 'dual' : options.ipv4 ? 'ipv4' : options.ipv6 ? 'ipv6' : undefined;
  if (stack === undefined) throw new FlannelError('INTERFACE_NOT_FOUND', 'neither IPv4 nor IPv6 is enabled: no interface to look for');
  for (const [flag, value] of [['--public-ip', options.publicIP], ['--public-ipv6', options.publicIPv6]] as const) {
    if (value !== undefined && value !== '' && canonicalIp(value) === undefined) {
      throw new FlannelError('INTERFACE_NOT_FOUND', `${flag} ${value} is invalid: must be an IP address`);
    }
  }
  const publicIP = options.publicIP === '' || options.publicIP === undefined ? undefined : canonicalIp(options.publicIP);
  const publicIPv6 = options.publicIPv6 === '' || options.publicIPv6 === undefined ? undefined : canonicalIp(options.publicIPv6);
  const lookup = new Lookup(options.netlink, stack, publicIPv6);

  const candidates: { label: string; find: () => Promise<Found> }[] = [];
  const iface = options.iface ?? [];
  const ifaceRegex = options.ifaceRegex ?? [];
  const canReach = options.ifaceCanReach === '' ? undefined : options.ifaceCanReach;
  if (iface.length === 0 && ifaceRegex.length === 0 && canReach === undefined) {
    const byPublic = publicIP ?? publicIPv6;
    candidates.push(
      byPublic !== undefined
        ? { label: `the interface with public IP ${byPublic}`, find: () => lookup.byNameOrIp(byPublic) }
        : { label: 'the default route interface', find: () => lookup.byDefaultRoute() },
    );
  } else {
    for (const entry of iface) candidates.push({ label: `--iface ${entry}`, find: () => lookup.byNameOrIp(entry) });
    for (const entry of ifaceRegex) candidates.push({ label: `--iface-regex ${entry}`, find: () => lookup.byRegex(entry) });
    if (canReach !== undefined) candidates.push({ label: `--iface-can-reach ${canReach}`, find: () => lookup.byRoute(canReach) });
  }

  const reasons: string[] = [];
  for (const candidate of candidates) {
    try {
      const found = await lookup.complete(await candidate.find());
      const external = toExternal(found, stack, publicIP, publicIPv6);
      if (external.address !== undefined) logger.info(`Using interface with name ${external.name} and address ${external.address}`);
      if (external.address6 !== undefined) logger.info(`Using interface with name ${external.name} and v6 address ${external.address6}`);
      return external;
    } catch (error) {
      if (!(error instanceof LookupFailure)) {
        throw new FlannelError('INTERFACE_NOT_FOUND', `failed to find the interface to use (${candidate.label}): ${(error as Error).message}`, { cause: error });
      }
      logger.info(`Could not find a valid interface matching ${candidate.label}: ${error.message}`);
      reasons.push(`${candidate.label}: ${error.message}`);
    }
  }
  throw new FlannelError('INTERFACE_NOT_FOUND', `failed to find an interface to use: ${reasons.join('; ')}`);
}
