import type { LeaseAttributes, Logger } from '@flannel-ts/core';
import type { KubeAnnotationNames } from './kube-annotations.js';
import { checkPublicAddressAnnotation } from './public-address-annotation.js';

/**
 * The annotations `AcquireLease` writes on the own Node (`pkg/subnet/kube/kube.go`), or `undefined` when
 * nothing differs. A patch is needed when `backend-data`, `backend-type`, `public-ip` or
 * `kube-subnet-manager` differ, when a `public-ip-overwrite` is set (always true at start when one is), or
 * — with a `publicIPv6` — the v6 analogues. The patch then sets `backend-type`; `backend-data` and
 * `public-ip` (the overwrite value when set) unless the backend is vxlan with `null` v4 data; the v6 pair
 * for vxlan with v6 data, wireguard with v6 data and a v6 address, host-gw/extension with a v6 address; and
 * `kube-subnet-manager: "true"`. Only changed keys are returned (what `CreateTwoWayMergePatch` yields).
 *
 * @example
 * ```ts
 * annotationPatch({}, { publicIP: '10.0.0.1', backendType: 'host-gw' }, kubeAnnotations())
 * // { 'flannel.alpha.coreos.com/backend-type': 'host-gw', '…/backend-data': 'null', '…/public-ip': '10.0.0.1', '…/kube-subnet-manager': 'true' }
 * ```
 */
export function annotationPatch(
  current: Readonly<Record<string, string>>,
  attributes: LeaseAttributes,
  names: KubeAnnotationNames,
  logger?: Logger,
): Record<string, string> | undefined {
  const get = (key: string): string => current[key] ?? '';
  const data = attributes.backendData ?? 'null';
  const v6Data = attributes.backendV6Data ?? 'null';
  const type = attributes.backendType ?? '';
  const v6 = attributes.publicIPv6;
  const overwrite = get(names.publicIPOverwrite);
  const v6Overwrite = get(names.publicIPv6Overwrite);
  const needed =
    get(names.backendData) !== data ||
    get(names.backendType) !== type ||
    get(names.publicIP) !== attributes.publicIP ||
    get(names.subnetKubeManaged) !== 'true' ||
    (overwrite !== '' && overwrite !== attributes.publicIP) ||
    (v6 !== undefined &&
      (get(names.backendV6Data) !== v6Data ||
        get(names.publicIPv6) !== v6 ||
        (v6Overwrite !== '' && v6Overwrite !== v6)));
  if (!needed) return undefined;

  const next: Record<string, string> = { ...current, [names.backendType]: type };
  if (publishesV4(attributes)) {
    next[names.backendData] = data;
    if (overwrite !== '') {
      if (get(names.publicIP) !== overwrite) {
        logger?.info(`Overriding public ip with '${overwrite}' from node annotation '${names.publicIPOverwrite}'`);
        next[names.publicIP] = overwrite;
      }
    } else {
      next[names.publicIP] = attributes.publicIP;
    }
  }
  if (publishesV6(attributes)) {
    next[names.backendV6Data] = v6Data;
    if (v6Overwrite !== '') {
      if (get(names.publicIPv6) !== v6Overwrite) {
        logger?.info(`Overriding public ipv6 with '${v6Overwrite}' from node annotation '${names.publicIPv6Overwrite}'`);
        next[names.publicIPv6] = v6Overwrite;
      }
    } else if (v6 !== undefined) {
      next[names.publicIPv6] = v6;
    }
  }
  next[names.subnetKubeManaged] = 'true';
  const changed: Record<string, string> = {};
  for (const [key, value] of Object.entries(next)) if (current[key] !== value) changed[key] = value;
  return changed;
}

/** Whether `AcquireLease` writes `backend-data` and `public-ip`: unless the backend is vxlan with `null` v4 data. */
function publishesV4(attributes: LeaseAttributes): boolean {
  return attributes.backendType !== 'vxlan' || (attributes.backendData ?? 'null') !== 'null';
}

/** Whether `AcquireLease` writes `backend-v6-data` and `public-ipv6` (vxlan with v6 data, wireguard with v6 data and address, host-gw/extension with an address). */
function publishesV6(attributes: LeaseAttributes): boolean {
  const type = attributes.backendType ?? '';
  const v6Data = attributes.backendV6Data ?? 'null';
  const v6 = attributes.publicIPv6;
  return (
    (type === 'vxlan' && v6Data !== 'null') ||
    (type === 'wireguard' && v6Data !== 'null' && v6 !== undefined) ||
    ((type === 'host-gw' || type === 'extension') && v6 !== undefined)
  );
}

/**
 * The attributes the own Node publishes once {@link annotationPatch} is applied: `attributes` with the
 * `public-ip-overwrite` (`public-ipv6-overwrite`) value as PublicIP (PublicIPv6) where `AcquireLease` copies
 * it into `public-ip` (`public-ipv6`). The lease watch reads the own Node back with these, so they are what
 * the own-lease guard must compare with (flanneld's lease keeps the detected address; it has no guard).
 * Throws `CONFIG_INVALID` naming the annotation when an overwrite that would be published is not a unicast
 * address of its family peers accept (as `--public-ip`; flanneld publishes it as is, and every peer then
 * skips the node).
 *
 * @example
 * ```ts
 * publishedAttributes({ 'flannel.alpha.coreos.com/public-ip-overwrite': '172.18.0.2' }, { publicIP: '10.0.0.1', backendType: 'host-gw' }, kubeAnnotations())
 * // { publicIP: '172.18.0.2', backendType: 'host-gw' }
 * ```
 */
export function publishedAttributes(
  current: Readonly<Record<string, string>>,
  attributes: LeaseAttributes,
  names: KubeAnnotationNames,
): LeaseAttributes {
  const overwrite = current[names.publicIPOverwrite] ?? '';
  const v6Overwrite = current[names.publicIPv6Overwrite] ?? '';
  const published = { ...attributes };
  if (overwrite !== '' && publishesV4(attributes)) {
    checkPublicAddressAnnotation(names.publicIPOverwrite, overwrite, 4);
    published.publicIP = overwrite;
  }
  if (v6Overwrite !== '' && publishesV6(attributes)) {
    checkPublicAddressAnnotation(names.publicIPv6Overwrite, v6Overwrite, 6);
    published.publicIPv6 = v6Overwrite;
  }
  return published;
}

/**
 * The condition patch `CompleteLease` sends to `nodes/status` (Go struct key order).
 *
 * @example
 * ```ts
 * networkAvailablePatch(new Date('2026-01-01T00:00:00Z'))
 * // {"status":{"conditions":[{"type":"NetworkUnavailable","status":"False","lastHeartbeatTime":"2026-01-01T00:00:00Z",…}]}}
 * ```
 */
export function networkAvailablePatch(now: Date): unknown {
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    status: {
      conditions: [
        {
          type: 'NetworkUnavailable',
          status: 'False',
          lastHeartbeatTime: time,
          lastTransitionTime: time,
          reason: 'FlannelIsUp',
          message: 'Flannel is running on this node',
        },
      ],
    },
  };
}
