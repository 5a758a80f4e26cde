// A fake generic netlink for the kernel driver: resolves families from a table, records requests and closes.
import type { WireguardGenetlink } from '../kernel-driver.js';

/** A recorded request. */
export interface RecordedGenetlinkRequest {
  readonly familyId: number;
  readonly flags: number;
  readonly payload: Uint8Array;
}

/**
 * Creates a recording generic netlink. `families` maps names to ids (absent: the resolver rejects
 * ENOENT, as CTRL_CMD_GETFAMILY does); `reply` answers each request (default: an ack, no payloads).
 *
 * @example
 * ```ts
 * const genetlink = createRecordingGenetlink({ families: { wireguard: 0x1b } });
 * ```
 */
export function createRecordingGenetlink(options: { readonly families?: Readonly<Record<string, number>>; readonly reply?: (request: RecordedGenetlinkRequest) => Uint8Array[] } = {}): WireguardGenetlink & {
  readonly requests: RecordedGenetlinkRequest[];
  /** How many times `close()` was called. */
  readonly closes: number;
} {
  const requests: RecordedGenetlinkRequest[] = [];
  let closes = 0;
  return {
    requests,
    get closes() {
      return closes;
    },
    async close() {
      closes += 1;
    },
    async resolveFamily(name) {
      const id = options.families?.[name];
      if (id === undefined) throw Object.assign(new Error(`no generic netlink family ${name}`), { errnoName: 'ENOENT' });
      return id;
    },
    async request(familyId, flags, payload) {
      const request = { familyId, flags, payload: Uint8Array.from(payload) };
      requests.push(request);
      return options.reply?.(request) ?? [];
    },
  };
}
