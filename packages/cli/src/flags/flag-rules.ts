// Small value rules shared by the flag table; each returns the broken rule's text or undefined.
import { isIP } from 'node:net';
import { re2UnsupportedFeature, unusablePublicAddressKind } from '@flannel-ts/core';
import { redactCredentials } from './credential-spans.js';

/** Integer range rule: `must be min..max`. */
export function intRange(min: number, max: number): (value: number) => string | undefined {
  return (value) => (value >= min && value <= max ? undefined : `must be ${min}..${max}`);
}

/**
 * An empty string or an address of `family` that peers accept as a node's `PublicIP`/`PublicIPv6` (unicast: not
 * unspecified, loopback, multicast, broadcast, reserved…). flanneld takes any address, then every flannel-ts
 * peer refuses the lease it publishes; refused here, the mistake is a usage error (docs/compatibility.md).
 */
export function optionalPublicIp(family: 4 | 6): (value: string) => string | undefined {
  return (value) => {
    if (value === '') return undefined;
    if (isIP(value) !== family) return `must be an IPv${family} address`;
    const kind = unusablePublicAddressKind(value, family);
    return kind === undefined ? undefined : `must be an address other nodes can reach, not ${kind}`;
  };
}

/** An empty string or an IPv4/IPv6 address. */
export function optionalIp(value: string): string | undefined {
  return value === '' || isIP(value) !== 0 ? undefined : 'must be an IP address';
}

/** An IPv4/IPv6 address (no empty value). */
export function ipAddress(value: string): string | undefined {
  return isIP(value) !== 0 ? undefined : 'must be an IP address';
}

/** A non-empty string. */
export function nonEmpty(value: string): string | undefined {
  return value.trim() === '' ? 'must not be empty' : undefined;
}

const ENDPOINT_FORMS = 'http://host:port, https://host:port or host:port';

/**
 * A comma-separated list of etcd endpoints: `http(s)://host:port` or `host:port` (etcdctl's form, which
 * clientv3 accepts). `unix://` sockets are not supported by flannel-ts (docs/compatibility.md).
 */
export function etcdEndpoints(value: string): string | undefined {
  let start = 0;
  for (const endpoint of value.split(',')) {
    const end = start + endpoint.length;
    const rule = endpointRule(endpoint, JSON.stringify(redactCredentials(value, start, end)));
    if (rule !== undefined) return rule;
    start = end + 1;
  }
  return undefined;
}

/**
 * The rule one endpoint breaks; `quoted` is how the rule shows it: JSON-quoted, its password hidden as found
 * on the whole value (a password holding a comma is split over two endpoints: `http://u:pw,x@h`).
 */
function endpointRule(endpoint: string, quoted: string): string | undefined {
  if (endpoint === '' || /\s/u.test(endpoint)) return `must be a comma-separated list of ${ENDPOINT_FORMS} without blanks`;
  // `user:pw@host:port` reads as a URL of scheme `user:`, and stripping the credentials left `user:host:port`,
  // which failed at start-up with a confusing message. Named here without quoting the endpoint (its password).
  if (!endpoint.includes('://') && endpoint.includes('@')) {
    return `must use ${ENDPOINT_FORMS}: an endpoint with credentials needs an http:// or https:// scheme (credentials in it are ignored, as by flanneld); give them with --etcd-username and --etcd-password`;
  }
  let url: URL;
  try {
    url = new URL(endpoint.includes('://') ? endpoint : `http://${endpoint}`);
  } catch {
    return `must be a comma-separated list of ${ENDPOINT_FORMS} (${quoted} is not one)`;
  }
  if (!['http:', 'https:'].includes(url.protocol)) return `must use ${ENDPOINT_FORMS} (${quoted})`;
  if (url.hostname === '') return `must use ${ENDPOINT_FORMS} (${quoted} has no host)`;
  // The etcd lease manager takes no path, query or fragment either; refused here it is a usage error (exit 2)
  // naming the flag, not a start-up failure (exit 1).
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return `must use ${ENDPOINT_FORMS} (${quoted} has a path, query or fragment)`;
  }
  return undefined;
}

/** Every entry of a list is non-empty. */
export function nonEmptyEntries(values: readonly string[]): string | undefined {
  return values.some((value) => value.trim() === '') ? 'must not be empty' : undefined;
}

/** Every entry of a list compiles as a regular expression. */
export function regexEntries(values: readonly string[]): string | undefined {
  for (const value of values) {
    if (value === '') return 'must not be empty';
    try {
      new RegExp(value); // no 'u' flag: Go RE2 patterns such as \- stay valid
    } catch (error) {
      return `must be a valid regular expression (${(error as Error).message})`;
    }
    const unsupported = re2UnsupportedFeature(value);
    if (unsupported !== undefined) return unsupported;
  }
  return undefined;
}
