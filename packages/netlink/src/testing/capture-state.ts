// A comparable picture of a namespace read through any `Netlink` (the kernel's or the fake's): link
// indices replaced by names, kernel-generated noise (IPv6 link-local, random MACs, bridge FDB) left out,
// defaults made explicit, everything sorted.
import type { Netlink } from '../netlink.js';

/** The normalised state of one namespace; see {@link captureNetlinkState}. */
export interface NetlinkState {
  readonly links: readonly { name: string; kind: string | null; mtu: number; up: boolean; master: string | null; vxlan: string | null }[];
  readonly addresses: readonly string[];
  readonly routes: readonly string[];
  readonly neighbours: readonly string[];
  readonly fdb: readonly string[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reads links, addresses, main-table routes, permanent neighbours and VXLAN FDB entries through
 * `netlink` and prints each as one sorted line, so two implementations can be compared with `toEqual`.
 * Left out: `lo`, IPv6 link-local (`fe80::/64`) addresses and routes, hardware addresses of links
 * (the kernel picks random ones), neighbours not `permanent`, FDB entries of non-VXLAN links.
 *
 * @example
 * ```ts
 * expect(await captureNetlinkState(kernel)).toEqual(await captureNetlinkState(fake));
 * ```
 */
export async function captureNetlinkState(netlink: Netlink): Promise<NetlinkState> {
  const allLinks = await netlink.listLinks();
  const names = new Map(allLinks.map((l) => [l.index, l.name]));
  const nameOf = (index: number | undefined): string => (index === undefined ? '-' : names.get(index) ?? `if${index}`);
  const links = allLinks.filter((l) => l.name !== 'lo');
  const vxlanIndices = new Set(links.filter((l) => l.kind === 'vxlan').map((l) => l.index));
  const linkLocal = (text: string | undefined): boolean => text !== undefined && /^fe80:/i.test(text);

  const addresses = (await netlink.listAddresses())
    .filter((a) => nameOf(a.index) !== 'lo' && !linkLocal(a.address))
    .map((a) => `${a.address}/${a.prefixLength} dev ${nameOf(a.index)} scope ${a.scope ?? 'universe'}`);

  const routes = (await netlink.listRoutes())
    .filter((r) => !linkLocal(r.destination))
    .map((r) => {
      const words = [r.type ?? 'unicast', r.destination];
      if (r.gateway) words.push('via', r.gateway);
      words.push('dev', nameOf(r.index));
      if (r.onlink) words.push('onlink');
      words.push('proto', String(r.protocol ?? 3));
      if (r.family === 4) words.push('scope', r.scope ?? 'universe');
      if (r.source) words.push('src', r.source);
      words.push('metric', String(r.priority ?? (r.family === 6 ? 1024 : 0)));
      return words.join(' ');
    });

  const neighbours = (await netlink.listNeighbours())
    .filter((n) => n.state === 'permanent' && nameOf(n.index) !== 'lo')
    .map((n) => `${n.address} dev ${nameOf(n.index)} lladdr ${n.hardwareAddress ?? '-'} ${n.state}`);

  const fdb = (await netlink.listFdb())
    .filter((e) => vxlanIndices.has(e.index))
    .map((e) => `${e.hardwareAddress} dev ${nameOf(e.index)}${e.self === false ? '' : ' self'} dst ${e.destination ?? '-'} ${e.state ?? 'permanent'}`);

  return {
    links: links
      .map((l) => ({
        name: l.name,
        kind: l.kind ?? null,
        mtu: l.mtu,
        up: l.up,
        master: l.masterIndex ? nameOf(l.masterIndex) : null,
        vxlan: l.vxlan
          ? `id ${l.vxlan.vni} local ${l.vxlan.local ?? '-'} dev ${nameOf(l.vxlan.underlayIndex)} port ${l.vxlan.port ?? 8472} learning ${l.vxlan.learning ?? true}`
          : null,
      }))
      .sort((a, b) => byText(a.name, b.name)),
    addresses: addresses.sort(byText),
    routes: routes.sort(byText),
    neighbours: neighbours.sort(byText),
    fdb: fdb.sort(byText),
  };
}
