import {
  FlannelError,
  leaseAttributes,
  leaseKey,
  throwIfAborted,
  type AcquireLeaseOptions,
  IpNet,
  type Lease,
  type LeaseAttributes,
  type NetworkConfig,
} from '@flannel-ts/core';
import { sleep, type EtcdContext } from './etcd-context.js';
import { entryLeaseKey, SUBNET_TTL_SECONDS, type RawSubnetEntry } from './etcd-registry.js';
import { EMPTY_IPV4, fitsConfig, isTaken, pickFreeSubnet } from './subnet-allocation.js';

interface StoredLease {
  readonly entry: RawSubnetEntry;
  readonly subnet: IpNet;
  readonly ipv6Subnet?: IpNet;
}

function readStored(entries: readonly RawSubnetEntry[]): StoredLease[] {
  const stored: StoredLease[] = [];
  for (const entry of entries) {
    // A key that decodes holds its subnet even when its value does not: never hand that subnet out. The
    // decoded key stays with the entry, for the watch snapshot that reuses this listing.
    const key = entryLeaseKey(entry);
    if (!key.ok) continue;
    const { subnet, ipv6Subnet } = key.value;
    stored.push(ipv6Subnet === undefined ? { entry, subnet } : { entry, subnet, ipv6Subnet });
  }
  return stored;
}

/** The public address that identifies this node's lease (canonical when valid); `undefined` when it has none. */
function ownAddress(attributes: LeaseAttributes, config: NetworkConfig): string | undefined {
  const given = config.enableIPv4 ? attributes.publicIP : attributes.publicIPv6;
  return given !== undefined && IpNet.isAddress(given) ? IpNet.canonicalAddress(given) : given;
}

function sameNode(stored: StoredLease, wanted: string | undefined, config: NetworkConfig): boolean {
  if (wanted === undefined) return false;
  // Decoding every value is the costly part of a listing: skip IPv4 values that cannot match. IPv4 text
  // has one canonical form (unless JSON-escaped); IPv6 text has many (`2001:DB8:0::7`), so always decode.
  const value = stored.entry.value;
  if (config.enableIPv4 && !value.includes(wanted) && !value.includes('\\')) return false;
  const decoded = leaseAttributes.decode(stored.entry.value);
  if (!decoded.ok) return false;
  return config.enableIPv4 ? decoded.value.publicIP === wanted : decoded.value.publicIPv6 === wanted;
}

function buildLease(
  context: EtcdContext,
  subnets: { subnet: IpNet; ipv6Subnet?: IpNet | undefined },
  attributes: LeaseAttributes,
  granted: { leaseId: string; ttl: number; revision: bigint },
): Lease {
  const expiration = granted.leaseId === '0'
      ? undefined
      : (context.expirations.cached(granted.leaseId) ?? new Date(context.clock() + granted.ttl * 1000));
  return {
    enableIPv4: true,
    enableIPv6: subnets.ipv6Subnet !== undefined,
    subnet: subnets.subnet,
    ...(subnets.ipv6Subnet !== undefined && { ipv6Subnet: subnets.ipv6Subnet }),
    attributes,
    ...(expiration !== undefined && { expiration }),
    revision: granted.revision,
  };
}

/** Picks the subnets for a new lease: `previous` when free and fitting, else random free ones. */
function chooseSubnets(
  context: EtcdContext,
  config: NetworkConfig,
  stored: readonly StoredLease[],
  previous: AcquireLeaseOptions['previous'],
): { subnet: IpNet; ipv6Subnet?: IpNet } {
  const taken4 = stored.map((each) => each.subnet);
  const taken6 = stored.map((each) => each.ipv6Subnet);
  if (previous?.subnet !== undefined || previous?.ipv6Subnet !== undefined) {
    const held = { subnet: previous.subnet ?? EMPTY_IPV4, ipv6Subnet: previous.ipv6Subnet };
    const free =
      (!config.enableIPv4 || (previous.subnet !== undefined && !isTaken(previous.subnet, taken4))) &&
      (!config.enableIPv6 || (previous.ipv6Subnet !== undefined && !isTaken(previous.ipv6Subnet, taken6)));
    if (free && fitsConfig(config.enableIPv6 ? held : { subnet: held.subnet }, config)) {
      context.logger.info({ subnet: previous.subnet?.toString(), ipv6Subnet: previous.ipv6Subnet?.toString() }, 'found previously leased subnet, reusing');
      return config.enableIPv6 ? { subnet: held.subnet, ipv6Subnet: previous.ipv6Subnet as IpNet } : { subnet: held.subnet };
    }
    context.logger.info({ subnet: previous.subnet?.toString() }, 'previously leased subnet is taken or no longer fits the config, allocating a new one');
  }
  let subnet = EMPTY_IPV4;
  if (config.enableIPv4) {
    const picked = pickFreeSubnet(config.subnetMin as IpNet, config.subnetMax as IpNet, config.subnetLen as number, taken4, context.random);
    if (picked === undefined) {
      throw new FlannelError('SUBNETS_EXHAUSTED', `out of subnets: every /${config.subnetLen} from ${config.subnetMin?.address} to ${config.subnetMax?.address} is leased`);
    }
    subnet = picked;
  }
  if (!config.enableIPv6) return { subnet };
  const ipv6Subnet = pickFreeSubnet(
    config.ipv6SubnetMin as IpNet,
    config.ipv6SubnetMax as IpNet,
    config.ipv6SubnetLen as number,
    taken6,
    context.random,
  );
  if (ipv6Subnet === undefined) {
    throw new FlannelError('SUBNETS_EXHAUSTED', `out of IPv6 subnets: every /${config.ipv6SubnetLen} from ${config.ipv6SubnetMin?.address} to ${config.ipv6SubnetMax?.address} is leased`);
  }
  return { subnet, ipv6Subnet };
}

/**
 * flannel's `AcquireLease` (`pkg/subnet/etcd/local_manager.go`) with two deliberate differences: a lost race for a free subnet is
 * retried (up to `acquireAttempts` times, with jittered backoff), and a key without etcd lease (a
 * reservation) stays a reservation when its node takes it back.
 */
export async function acquireLease(
  context: EtcdContext,
  attributes: LeaseAttributes,
  options: AcquireLeaseOptions = {},
): Promise<Lease> {
  const { registry, logger } = context;
  const value = leaseAttributes.encode(attributes);
  const config = await context.getNetworkConfig(options.signal);
  for (let attempt = 1; attempt <= context.acquireAttempts; attempt += 1) {
    throwIfAborted(options.signal);
    const listing = await registry.listSubnets();
    // The watch the daemon starts next takes this listing as its snapshot instead of reading it again.
    context.recentListing.keep(listing);
    let stored = readStored(listing.entries);

    const wanted = ownAddress(attributes, config);
    const own = stored.find((each) => sameNode(each, wanted, config));
    if (own !== undefined) {
      if (fitsConfig(own, config)) {
        const ttl = own.entry.leaseId === '0' ? 0 : SUBNET_TTL_SECONDS;
        const granted = await registry.updateSubnet(own.entry.name, value, ttl);
        context.recentListing.wrote(own.entry.key, { ...own.entry, value, leaseId: granted.leaseId, modRevision: granted.revision }, granted.revision);
        logger.info({ key: own.entry.key, reservation: ttl === 0 }, 'found lease for this node, reusing it');
        return buildLease(context, own, attributes, granted);
      }
      logger.info({ key: own.entry.key }, 'lease for this node no longer fits the config, deleting it');
      const deleted = await registry.deleteSubnet(own.entry.name);
      context.recentListing.wrote(own.entry.key, undefined, deleted.revision);
      stored = stored.filter((each) => each !== own);
    }

    const chosen = chooseSubnets(context, config, stored, attempt === 1 ? options.previous : undefined);
    const name = leaseKey.encode(chosen);
    const created = await registry.createSubnet(name, value, SUBNET_TTL_SECONDS);
    if (created.created) {
      const key = registry.subnetKey(name);
      context.recentListing.wrote(key, { key, name, value, leaseId: created.leaseId, modRevision: created.revision }, created.revision);
      logger.info({ key }, 'allocated lease');
      return buildLease(context, chosen, attributes, created);
    }
    const backoff = Math.round((5 + context.random() * 20) * attempt);
    logger.debug({ key: registry.subnetKey(name), attempt, retryInMs: backoff }, 'another node took the subnet first, retrying');
    try {
      await sleep(backoff, options.signal);
    } catch (reason) {
      throw new FlannelError('ABORTED', 'lease acquisition aborted', { cause: reason });
    }
  }
  throw new FlannelError(
    'LEASE_ACQUIRE_FAILED',
    `could not acquire a subnet: other nodes took each chosen subnet first, ${context.acquireAttempts} times in a row`,
  );
}
