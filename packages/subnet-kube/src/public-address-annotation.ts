import { checkPublicAddress, FlannelError, type IpFamily } from '@flannel-ts/core';

/**
 * Checks an address a user put in a node annotation to stand for this node's underlay address
 * (`node-public-ip(v6)`, `public-ip(v6)-overwrite`) with the rule `--public-ip` follows and peers apply to a
 * lease (core's `checkPublicAddress`: an address of `family`, unicast — not unspecified, loopback,
 * multicast, broadcast, reserved, IPv6 link-local). flanneld only parses it (`pkg/ipmatch/match.go`) and then
 * publishes a lease every flannel-ts peer refuses. Throws `CONFIG_INVALID` naming the annotation.
 *
 * @example
 * ```ts
 * checkPublicAddressAnnotation('flannel.alpha.coreos.com/node-public-ip', '127.0.0.1', 4);
 * // throws 'node annotation flannel.alpha.coreos.com/node-public-ip "127.0.0.1" is invalid: must not be a loopback address'
 * ```
 */
export function checkPublicAddressAnnotation(annotation: string, value: string, family: IpFamily): void {
  const problem = checkPublicAddress(`node annotation ${annotation}`, value, family);
  if (problem !== undefined) throw new FlannelError('CONFIG_INVALID', problem);
}
