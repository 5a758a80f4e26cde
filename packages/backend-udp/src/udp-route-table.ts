// The forwarder's route table, with the semantics of flannel's proxy (pkg/backend/udp/proxy_amd64.c):
// a list scanned linearly for the first entry whose network holds the destination, the hit swapped with
// the first entry (a flow's next packets find it first); set replaces the entry for the same network, delete swaps
// the last entry into the hole. No longest-prefix match: flannel's subnets never overlap.

/** One route: packets to `network/prefixLength` go to `nextHop:port` over UDP. Addresses are unsigned 32-bit numbers. */
export interface UdpRoute {
  readonly network: number;
  readonly prefixLength: number;
  readonly nextHop: number;
  readonly port: number;
}

/** The netmask of a prefix length as an unsigned 32-bit number (`24` → `0xffffff00`). */
export function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/**
 * The route table the forwarder owns (one writer: the forwarder thread).
 *
 * @example
 * ```ts
 * const table = new UdpRouteTable();
 * table.set({ network: 0x0a050200, prefixLength: 24, nextHop: 0xc0a84d0c, port: 8285 });
 * table.lookup(0x0a050207)?.nextHop; // 0xc0a84d0c
 * ```
 */
export class UdpRouteTable {
  readonly #routes: UdpRoute[] = [];
  readonly #masks: number[] = [];

  /** Routes in scan order (most recently hit first). */
  get routes(): readonly UdpRoute[] {
    return this.#routes;
  }

  /** Number of routes. */
  get size(): number {
    return this.#routes.length;
  }

  /** Adds a route, or replaces the one for the same network and prefix length in place. */
  set(route: UdpRoute): void {
    const network = (route.network & prefixMask(route.prefixLength)) >>> 0;
    const entry = { ...route, network };
    const index = this.#find(network, route.prefixLength);
    if (index >= 0) {
      this.#routes[index] = entry;
      return;
    }
    this.#routes.push(entry);
    this.#masks.push(prefixMask(route.prefixLength));
  }

  /** Removes the route for `network/prefixLength` (the last route takes its place); false when there is none. */
  delete(network: number, prefixLength: number): boolean {
    const index = this.#find((network & prefixMask(prefixLength)) >>> 0, prefixLength);
    if (index < 0) return false;
    const last = this.#routes.length - 1;
    this.#routes[index] = this.#routes[last]!;
    this.#masks[index] = this.#masks[last]!;
    this.#routes.pop();
    this.#masks.pop();
    return true;
  }

  /** Removes every route. */
  clear(): void {
    this.#routes.length = 0;
    this.#masks.length = 0;
  }

  /** The first route whose network holds `destination`, swapped to the front; undefined when none does. */
  lookup(destination: number): UdpRoute | undefined {
    const routes = this.#routes;
    const masks = this.#masks;
    for (let index = 0; index < routes.length; index += 1) {
      const route = routes[index]!;
      if (((destination & masks[index]!) >>> 0) !== route.network) continue;
      if (index > 0) {
        const mask = masks[index]!;
        routes[index] = routes[0]!;
        masks[index] = masks[0]!;
        routes[0] = route;
        masks[0] = mask;
      }
      return route;
    }
    return undefined;
  }

  #find(network: number, prefixLength: number): number {
    return this.#routes.findIndex((route) => route.network === network && route.prefixLength === prefixLength);
  }
}
