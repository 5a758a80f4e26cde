// Automatic driver choice: the first driver that can create a device here wins (kernel first, then
// wireguard-go) and is kept for later devices. A driver that rejects BACKEND_UNSUPPORTED (no module,
// no program) is skipped; any other failure is the answer.
import { FlannelError, silentLogger } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import type { WireguardDriver } from './wireguard-device.js';

/**
 * A driver that picks among `drivers` in order.
 *
 * @example
 * ```ts
 * const driver = createAutoWireguardDriver([createKernelWireguardDriver({ netlink, genetlink }), createWireguardGoDriver({ netlink })]);
 * ```
 */
export function createAutoWireguardDriver(drivers: readonly WireguardDriver[], options: { readonly logger?: Logger } = {}): WireguardDriver & { readonly chosen: () => string | undefined } {
  const logger = options.logger ?? silentLogger;
  let chosen: WireguardDriver | undefined;
  return {
    kind: 'auto',
    chosen: () => chosen?.kind,
    async createDevice(name, mtu, signal) {
      if (chosen !== undefined) return chosen.createDevice(name, mtu, signal);
      const reasons: string[] = [];
      for (const driver of drivers) {
        try {
          const device = await driver.createDevice(name, mtu, signal);
          chosen = driver;
          logger.info({ driver: driver.kind, skipped: reasons }, `using the ${driver.kind} WireGuard driver`);
          return device;
        } catch (error) {
          if (!(FlannelError.isInstance(error) && error.code === 'BACKEND_UNSUPPORTED')) throw error;
          reasons.push(`${driver.kind}: ${error.message}`);
          logger.info({ driver: driver.kind, reason: error.message }, `the ${driver.kind} WireGuard driver is not available here`);
        }
      }
      throw new FlannelError('BACKEND_UNSUPPORTED', `no WireGuard implementation is available: ${reasons.join('; ')}`);
    },
    async close() {
      for (const driver of drivers) await driver.close?.();
    },
  };
}
