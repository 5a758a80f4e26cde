// A GenericNetlink without a kernel, in the style of mdlayher/netlink's test connection: the families it knows
// and a function from request to reply messages. Records every request so a backend test (wireguard) checks
// what it asked the family.
import type { GenericFamily } from '../codec/generic-message.js';
import type { Message } from '../codec/message.js';
import { netlinkErrorFromErrno } from '../errors.js';
import type { GenericNetlink, GenericRequest } from '../generic-netlink.js';

/** A {@link GenericNetlink} fake: see {@link fakeGenericNetlink}. */
export interface FakeGenericNetlink extends GenericNetlink {
  /** Every `ack` and `dump` request, in order, with the kind it was sent as. */
  readonly requests: ReadonlyArray<{ readonly kind: 'ack' | 'dump'; readonly request: GenericRequest }>;
  readonly closed: boolean;
}

/** Options of {@link fakeGenericNetlink}. */
export interface FakeGenericNetlinkOptions {
  /** The families this "kernel" has; any other name is `ENOENT` (`NetlinkNotFoundError`), as the controller answers. */
  readonly families: readonly GenericFamily[];
  /**
   * Answers a request: reply messages for a dump (ignored for an ack), or a negative errno to refuse it.
   * Default: an empty dump, a successful ack.
   */
  readonly respond?: (request: GenericRequest, kind: 'ack' | 'dump') => readonly Message[] | number | void;
}

/**
 * A generic netlink socket over a list of families and a reply function.
 *
 * @example
 * ```ts
 * const genl = fakeGenericNetlink({ families: [{ id: 29, name: 'wireguard', version: 1, headerSize: 0, maxAttribute: 8, multicastGroups: [] }] });
 * await backend.registerNetwork({ config }); // resolves 'wireguard', sends WG_CMD_SET_DEVICE
 * expect(genl.requests.map((r) => r.request.command)).toEqual([1]);
 * ```
 */
export function fakeGenericNetlink(options: FakeGenericNetlinkOptions): FakeGenericNetlink {
  const requests: Array<{ kind: 'ack' | 'dump'; request: GenericRequest }> = [];
  let closed = false;
  const answer = (request: GenericRequest, kind: 'ack' | 'dump'): readonly Message[] => {
    if (closed) throw netlinkErrorFromErrno({ operation: request.operation, errno: -9 });
    requests.push({ kind, request });
    const reply = options.respond?.(request, kind);
    if (typeof reply === 'number') throw netlinkErrorFromErrno({ operation: request.operation, errno: reply, request });
    return reply ?? [];
  };
  return {
    requests,
    get closed() {
      return closed;
    },
    async resolveFamily(name) {
      const family = options.families.find((candidate) => candidate.name === name);
      if (family === undefined) throw netlinkErrorFromErrno({ operation: 'getFamily', errno: -2, request: { name } });
      return family;
    },
    async ack(request) {
      answer(request, 'ack');
    },
    async dump(request) {
      return [...answer(request, 'dump')];
    },
    async close() {
      closed = true;
    },
  };
}
