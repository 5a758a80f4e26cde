/**
 * `@flannel-ts/backend-vxlan`: the vxlan backend — `flannel.<VNI>` devices and per-host neighbour,
 * FDB and route entries — plus the pure desired-state/diff helpers it reconciles with.
 * @packageDocumentation
 */
export { createVxlanBackend } from './vxlan-backend.js';
export type { VxlanBackendDependencies, VxlanBackendOptions } from './vxlan-backend.js';
export { checkVxlanConfig, MAX_VNI, parseVxlanOptions, VXLAN6_OVERHEAD, VXLAN_OVERHEAD } from './vxlan-options.js';
export type { VxlanOptions } from './vxlan-options.js';
export { desiredVxlanState, diffVxlanKernel, diffVxlanState, ownedVxlanEntries, vxlanDiffOperations, vxlanRouteOwner } from './vxlan-state.js';
export type {
  DesiredVxlanOptions,
  IgnoredLease,
  VxlanDesiredState,
  VxlanDeviceRef,
  VxlanKernelIndex,
  VxlanKernelState,
  VxlanOwnership,
  VxlanPeer,
  VxlanStateDiff,
} from './vxlan-state.js';
export {
  configureVxlanDevice,
  ensureVxlanDevice,
  MAX_LINK_NAME_LENGTH,
  vxlanDeviceName,
  vxlanIncompatibility,
  vxlanLinkSpec,
} from './vxlan-device.js';
export type { EnsuredVxlanDevice, VxlanDeviceNetlink, VxlanDeviceSpec } from './vxlan-device.js';
export { applyVxlanDiff, VXLAN_BATCH_SIZE } from './vxlan-apply.js';
export type { VxlanApplyLogging, VxlanApplyResult } from './vxlan-apply.js';
export { expectedVxlanEntries, sameFdb, sameNeighbour, sameRoute, VxlanKernelReader } from './vxlan-kernel-reader.js';
export type { VxlanExpectedEntries } from './vxlan-kernel-reader.js';
export { diffVxlanPeers, vxlanPeerKey } from './vxlan-programmed.js';
export type { VxlanProgrammed } from './vxlan-programmed.js';
export { createVxlanNetwork } from './vxlan-network.js';
export type { VxlanNetworkDevice, VxlanNetworkNetlink, VxlanNetworkOptions, VxlanReconcileReport } from './vxlan-network.js';
export { decodeVxlanLeaseData, encodeVxlanLeaseData } from './vxlan-lease-data.js';
export type { VxlanLeaseData } from './vxlan-lease-data.js';
export { normaliseMac, randomVtepMac } from './vtep-mac.js';
export type { RandomBytes } from './vtep-mac.js';
export { writeProcSysctl } from './sysctl.js';
export type { WriteSysctl } from './sysctl.js';
