import type { StoredNodeData } from '@flannel-ts/core';
import type { KubeNode } from '@flannel-ts/kube-client';
import type { KubeAnnotationNames } from './kube-annotations.js';
import { checkPublicAddressAnnotation } from './public-address-annotation.js';

const MAC = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;

/**
 * The VtepMAC of a `backend-data` text (`{"VNI":1,"VtepMAC":"12:c6:65:89:b4:e3"}`), or `undefined`.
 * flannel trims `"}` and splits on `:"` (`GetStoredMacAddresses`), which finds the same MAC in what
 * flanneld writes; parsing the JSON also finds it when the keys come in another order.
 */
export function vtepMacOf(backendData: string | undefined): string | undefined {
  if (backendData === undefined || backendData === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(backendData);
  } catch {
    return undefined;
  }
  const mac = (parsed as { VtepMAC?: unknown } | null)?.VtepMAC;
  return typeof mac === 'string' && MAC.test(mac) ? mac.toLowerCase() : undefined;
}

/**
 * What a previous run left on the own Node (`GetStoredMacAddresses` + `GetStoredPublicIP`): the VTEP MACs
 * from `backend-data`/`backend-v6-data` and the user's `node-public-ip`/`node-public-ipv6`. Names are the
 * normalised ones, so it works for every prefix (flannel looks up `<raw prefix>/backend-data`).
 * A `node-public-ip(v6)` that is not a unicast address of its family (the rule of `--public-ip`, which it
 * replaces) throws `CONFIG_INVALID` naming the annotation, before the daemon selects an interface or patches.
 */
export function storedNodeData(node: KubeNode, names: KubeAnnotationNames): StoredNodeData {
  const vtepMac = vtepMacOf(node.annotations[names.backendData]);
  const vtepMacV6 = vtepMacOf(node.annotations[names.backendV6Data]);
  const publicIP = node.annotations[names.nodePublicIP] ?? '';
  const publicIPv6 = node.annotations[names.nodePublicIPv6] ?? '';
  if (publicIP !== '') checkPublicAddressAnnotation(names.nodePublicIP, publicIP, 4);
  if (publicIPv6 !== '') checkPublicAddressAnnotation(names.nodePublicIPv6, publicIPv6, 6);
  return {
    ...(vtepMac !== undefined && { vtepMac }),
    ...(vtepMacV6 !== undefined && { vtepMacV6 }),
    ...(publicIP !== '' && { publicIP }),
    ...(publicIPv6 !== '' && { publicIPv6 }),
  };
}
