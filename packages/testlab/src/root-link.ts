import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { TestlabError } from './errors.js';
import { execCommand } from './exec.js';
import { ipv4Overlaps, numberToIpv4, type Ipv4Prefix } from './ip-math.js';
import type { RunRecord } from './run-record.js';

/** The point-to-point link between the root namespace (the test process) and the underlay namespace. */
export interface RootLink {
  /** Interface name in the root namespace, e.g. `ft3k9a-r`. */
  rootIfname: string;
  /** Interface name in the underlay namespace. */
  underlayIfname: string;
  /** The root side's address (the test process's source address). */
  rootAddress: string;
  /** The underlay side's address: services in the underlay namespace listen here for the test process. */
  underlayAddress: string;
  /** The /30 both sides share. */
  cidr: string;
}

const SPECIFIC = 24;

interface RouteEntry {
  dst?: string;
}

// parseIpv4Cidr rejects /29+ (a lab layout rule); routes and addresses here can be anything up to /32.
function prefixOf(text: string): Ipv4Prefix | undefined {
  const [address = '', length = '32'] = text.split('/');
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !(part >= 0 && part <= 255))) return undefined;
  const prefixLength = Number(length);
  const value = parts.reduce((sum, part) => sum * 256 + part, 0);
  const size = 2 ** (32 - prefixLength);
  return { network: Math.floor(value / size) * size, prefixLength };
}

async function existingPrefixes(): Promise<Ipv4Prefix[]> {
  const [routes, addresses] = await Promise.all([
    execCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all'], { check: true }),
    execCommand('ip', ['-j', '-4', 'addr', 'show'], { check: true }),
  ]);
  const prefixes: Ipv4Prefix[] = [];
  for (const route of JSON.parse(routes.stdout) as RouteEntry[]) {
    if (!route.dst || route.dst === 'default') continue;
    const prefix = prefixOf(route.dst);
    if (prefix) prefixes.push(prefix);
  }
  for (const link of JSON.parse(addresses.stdout) as { addr_info?: { local: string; prefixlen: number }[] }[]) {
    for (const info of link.addr_info ?? []) {
      const prefix = prefixOf(`${info.local}/${info.prefixlen}`);
      if (prefix) prefixes.push(prefix);
    }
  }
  return prefixes;
}

/**
 * Connects the root namespace to the underlay namespace with a veth pair holding a random link-local /30
 * (169.254.a.b/30 with a in 1..254 but not 169 — the cloud metadata range — and no route or address of /24 or
 * longer near it in the root namespace),
 * so the test process can reach services in the underlay namespace without any route or forwarding.
 *
 * The only change to the root namespace is the lab's own uniquely named interface and its connected /30.
 * Equals `ip link add NAME type veth peer name lab0 netns UNDERLAY; ip addr add 169.254.a.b+1/30 dev NAME`.
 */
export async function createRootLink(runId: string, underlayNetns: string, record: RunRecord): Promise<RootLink> {
  const rootIfname = `${runId}-r`;
  const underlayIfname = 'lab0';
  record.add('links', rootIfname);
  await execCommand('ip', ['link', 'add', rootIfname, 'type', 'veth', 'peer', 'name', underlayIfname, 'netns', underlayNetns], { check: true });
  // Our own interface: no IPv6 (no router solicitations or MLD reports from it into the root namespace).
  try {
    writeFileSync(`/proc/sys/net/ipv6/conf/${rootIfname}/disable_ipv6`, '1');
  } catch {
    // IPv6 disabled system-wide: nothing to do.
  }
  for (let attempt = 0; attempt < 20; attempt += 1) {
    let second = randomInt(1, 255);
    if (second === 169) second = 170;
    const network = (169 * 256 + 254) * 65536 + second * 256 + randomInt(0, 64) * 4;
    const candidate: Ipv4Prefix = { network, prefixLength: 30 };
    // Broad routes (a zeroconf 169.254.0.0/16, say) do not count: our /30 is more specific and only shadows
    // its own four addresses. Anything as specific as a /24 near it does.
    if ((await existingPrefixes()).some((prefix) => prefix.prefixLength >= SPECIFIC && ipv4Overlaps(prefix, candidate))) continue;
    const cidr = `${numberToIpv4(network)}/30`;
    const rootAddress = numberToIpv4(network + 1);
    const underlayAddress = numberToIpv4(network + 2);
    await execCommand('ip', ['addr', 'add', `${rootAddress}/30`, 'dev', rootIfname], { check: true });
    // A concurrent run may have picked the same /30 between our check and our add: then there are two routes.
    const routes = await execCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all', 'to', 'match', rootAddress], { check: true });
    const clashes = (JSON.parse(routes.stdout) as (RouteEntry & { dev?: string })[]).filter(
      (route) => route.dev !== rootIfname && route.dst !== 'default' && route.dst !== undefined && (prefixOf(route.dst)?.prefixLength ?? 0) >= SPECIFIC,
    );
    if (clashes.length > 0) {
      await execCommand('ip', ['addr', 'del', `${rootAddress}/30`, 'dev', rootIfname]);
      continue;
    }
    await execCommand('ip', ['link', 'set', rootIfname, 'up'], { check: true });
    await execCommand('ip', ['-n', underlayNetns, '-batch', '-'], {
      check: true,
      input: `addr add ${underlayAddress}/30 dev ${underlayIfname}\nlink set ${underlayIfname} up\n`,
    });
    return { rootIfname, underlayIfname, rootAddress, underlayAddress, cidr };
  }
  throw new TestlabError('ADDRESS_CLASH', 'found no free 169.254.x.y/30 for the root link after 20 tries');
}
