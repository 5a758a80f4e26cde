// Names the object a refused request was about, in `ip` words, for error messages: "getLink failed: ENODEV"
// says nothing on a node with forty links; "getLink flannel.1 failed: ENODEV" does.

type Fields = Readonly<Record<string, unknown>>;

const isFields = (value: unknown): value is Fields => typeof value === 'object' && value !== null;
const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);
const part = (label: string, value: unknown): string => (text(value) === undefined ? '' : ` ${label} ${text(value)}`);

function describeLinkRef(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'number') return `index ${ref}`;
  return undefined;
}

/**
 * A short `ip`-style name for the object of a netlink request (`flannel.1`, `10.5.2.0/24 via 10.5.2.0 dev
 * index 7`, `neighbour 10.5.2.0 lladdr … dev index 7`), or `undefined` when the request is not one of the
 * typed objects. Never includes secrets: netlink objects carry none (a WireGuard key is not a netlink field).
 *
 * @example
 * ```ts
 * describeNetlinkRequest('replaceRoute', { family: 4, destination: '10.5.2.0/24', gateway: '10.5.2.0', index: 7 });
 * // '10.5.2.0/24 via 10.5.2.0 dev index 7'
 * ```
 */
export function describeNetlinkRequest(operation: string, request: unknown): string | undefined {
  const ref = describeLinkRef(request);
  if (ref !== undefined) return ref;
  if (!isFields(request)) return undefined;
  if ('ref' in request) return describeLinkRef(request.ref);
  if (/Link$/u.test(operation)) {
    const name = text(request.name);
    return name === undefined ? undefined : `${name}${part('type', request.kind)}`;
  }
  if (/Route/u.test(operation) && text(request.destination) !== undefined) {
    return `${text(request.destination)}${part('via', request.gateway)}${part('dev index', request.index)}${part('table', request.table)}`;
  }
  if (/Neighbour/u.test(operation) && text(request.address) !== undefined) {
    return `neighbour ${text(request.address)}${part('lladdr', request.hardwareAddress)}${part('dev index', request.index)}`;
  }
  if (/Fdb/u.test(operation) && text(request.hardwareAddress) !== undefined) {
    return `fdb ${text(request.hardwareAddress)}${part('dst', request.destination)}${part('dev index', request.index)}`;
  }
  if (/Address/u.test(operation) && text(request.address) !== undefined) {
    const prefix = text(request.prefixLength);
    return `${text(request.address)}${prefix === undefined ? '' : `/${prefix}`}${part('dev index', request.index)}`;
  }
  return undefined;
}
