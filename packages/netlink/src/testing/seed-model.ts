// The starting state of a RecordingNetlink: `lo`, the host's links with their addresses, and routes.
import { parseCidr, validateLinkSpec, validateRoute } from '../validate.js';
import type { Route } from '../types.js';
import type { KernelModel } from './kernel-model.js';
import type { CallContext } from './kernel-records.js';

/** A link present before the code under test runs, such as the host's `eth0`. */
export interface SeedLink {
  readonly name: string;
  /** `IFLA_INFO_KIND`; absent for a plain (physical) device. `bridge` lets it be a master. */
  readonly kind?: string;
  /** Default 1500. */
  readonly mtu?: number;
  /** Default a deterministic locally administered MAC. */
  readonly hardwareAddress?: string;
  /** Default true. */
  readonly up?: boolean;
  /** CIDRs (`10.0.0.1/24`, `fd00::1/64`) on the link; connected routes follow as in the kernel. */
  readonly addresses?: readonly string[];
}

/** Options of {@link createRecordingNetlink}. */
export interface RecordingNetlinkOptions {
  /** Create `lo` (index 1, up, 127.0.0.1/8 and ::1/128). Default true. */
  readonly loopback?: boolean;
  /** Links present from the start, indexed from 2 in order. */
  readonly links?: readonly SeedLink[];
  /** Routes present from the start (e.g. a default route via the host's gateway). */
  readonly routes?: readonly Route[];
}

/** Builds the starting state: `lo` with its addresses, then the seed links and routes, all marked seeded. */
export function seedModel(model: KernelModel, options: RecordingNetlinkOptions): void {
  const context: CallContext = { operation: 'seed', sequence: 0, request: options };
  model.seeding = true;
  try {
    if (options.loopback ?? true) {
      model.addLoopback();
      model.addAddress(context, { family: 4, index: 1, address: '127.0.0.1', prefixLength: 8, scope: 'host' });
      model.addAddress(context, { family: 6, index: 1, address: '::1', prefixLength: 128, scope: 'host' });
    }
    for (const link of options.links ?? []) {
      const record = model.addLink(
        context,
        validateLinkSpec({ name: link.name, kind: 'bridge', mtu: link.mtu ?? 1500, hardwareAddress: link.hardwareAddress, up: link.up ?? true }, 'seed'),
        { kind: link.kind },
      );
      for (const text of link.addresses ?? []) {
        const cidr = parseCidr(text, `links.${link.name}.addresses`);
        model.addAddress(context, { family: cidr.family, index: record.index, address: cidr.address, prefixLength: cidr.prefixLength });
      }
    }
    for (const route of options.routes ?? []) model.addRoute(context, validateRoute(route, 'seed'));
  } finally {
    model.seeding = false;
  }
}
