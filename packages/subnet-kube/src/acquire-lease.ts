import { FlannelError, throwIfAborted, type IpNet, type Lease, type LeaseAttributes } from '@flannel-ts/core';
import { KubeError, sleep, type KubeNode } from '@flannel-ts/kube-client';
import { leaseFamilies, type KubeContext } from './kube-context.js';
import { isAuthFailure, toFlannelError } from './kube-errors.js';
import { annotationPatch, publishedAttributes } from './lease-patch.js';
import { podCidrsOf } from './pod-cidrs.js';

/** How long a kube lease is said to last; nothing renews it (flannel's cosmetic 24 h). */
export const KUBE_LEASE_TTL_MS = 24 * 60 * 60 * 1000;

async function pause(context: KubeContext, signal: AbortSignal | undefined): Promise<void> {
  await sleep(context.pollIntervalMs, signal);
  throwIfAborted(signal);
}

/**
 * Reads the own Node (`GET ?resourceVersion=0`, as flannel's alloc path and informer cache do) until it
 * exists and has a podCIDR. Unreachable API server, missing Node and missing podCIDR are waited out with
 * one clear log line each (unless `waitForPodCidr` is off); 401/403 fail at once.
 */
async function ownNodeWithPodCidr(context: KubeContext, signal: AbortSignal | undefined): Promise<KubeNode> {
  const { client, nodeName, logger } = context;
  const logged = new Set<string>();
  const once = (key: string, message: string): void => {
    if (!logged.has(key)) logger.warn({ node: nodeName }, message);
    logged.add(key);
  };
  for (;;) {
    throwIfAborted(signal);
    let node: KubeNode;
    try {
      node = await client.getNode(nodeName, { fromCache: true, ...(signal !== undefined && { signal }) });
    } catch (error) {
      if (isAuthFailure(error) || (KubeError.isInstance(error) && error.code === 'ABORTED')) throw toFlannelError(error, `failed to get node "${nodeName}": ${(error as Error).message}`);
      if (KubeError.isInstance(error) && error.code === 'NOT_FOUND') once('missing', `node "${nodeName}" does not exist (yet); waiting for it to register`);
      else once(`error ${(error as Error).message}`, `Failed to get node "${nodeName}", retrying: ${(error as Error).message}`);
      await pause(context, signal);
      continue;
    }
    if (node.podCIDR !== '' || node.podCIDRs.length > 0) return node;
    if (!context.waitForPodCidr) throw new FlannelError('LEASE_ACQUIRE_FAILED', `node "${nodeName}" pod cidr not assigned`, { isRetryable: false });
    once(
      'podcidr',
      `node "${nodeName}" pod cidr not assigned; waiting for kube-controller-manager to assign one (it needs --allocate-node-cidrs=true and a --cluster-cidr inside the net conf Network)`,
    );
    await pause(context, signal);
  }
}

function checkContains(network: IpNet | undefined, cidr: IpNet, label: string, context: KubeContext): void {
  if (network === undefined || !network.contains(cidr)) {
    throw new FlannelError(
      'CONFIG_INVALID',
      `subnet "${network?.toString() ?? '<nil>'}" specified in the flannel net config doesn't contain "${cidr.toString()}" ${label}PodCIDR of the "${context.nodeName}" node`,
    );
  }
}

/**
 * flannel's `AcquireLease` in kube mode: the lease is the own Node's podCIDR(s); the node's annotations
 * are brought up to date with one strategic-merge PATCH on `nodes/<n>/status` (RBAC grants only that),
 * retried every poll interval up to the patch timeout. Unlike flannel, the podCIDRs and a
 * `public-ip-overwrite` are checked **before** anything is patched, and the lease's PublicIP(v6) is the
 * address published (the overwrite when one is set; flannel's lease keeps the detected one).
 */
export async function acquireLease(context: KubeContext, attributes: LeaseAttributes, signal: AbortSignal | undefined): Promise<Lease> {
  throwIfAborted(signal);
  const config = await context.networkConfig(signal);
  const { enableIPv4, enableIPv6 } = leaseFamilies(config);
  const node = await ownNodeWithPodCidr(context, signal);
  let cidrs;
  try {
    cidrs = podCidrsOf(node, context.nodeName, 'last');
  } catch (error) {
    throw new FlannelError('LEASE_INVALID', `node "${context.nodeName}" podCIDRs ${JSON.stringify(node.podCIDRs)}: ${(error as Error).message}`, { cause: error });
  }
  if (enableIPv4) {
    if (cidrs.v4 === undefined) throw new FlannelError('CONFIG_INVALID', `node "${context.nodeName}" has no IPv4 podCIDR (${JSON.stringify(node.podCIDRs)}) but the net config enables IPv4`);
    checkContains(config.network, cidrs.v4, '', context);
  }
  if (enableIPv6) {
    if (cidrs.v6 === undefined) throw new FlannelError('CONFIG_INVALID', `node "${context.nodeName}" has no IPv6 podCIDR (${JSON.stringify(node.podCIDRs)}) but the net config enables IPv6`);
    checkContains(config.ipv6Network, cidrs.v6, 'IPv6 ', context);
  }

  // Checked before the patch (an invalid overwrite patches nothing); the lease carries what the Node will
  // publish, so the own-lease guard compares the Node read back by the watch with like.
  const published = publishedAttributes(node.annotations, attributes, context.names);
  const changed = annotationPatch(node.annotations, attributes, context.names, context.logger);
  if (changed !== undefined) await patchAnnotations(context, changed, signal);

  return {
    enableIPv4,
    enableIPv6,
    ...(enableIPv4 && { subnet: cidrs.v4! }),
    ...(enableIPv6 && { ipv6Subnet: cidrs.v6! }),
    attributes: published,
    expiration: new Date(context.clock() + KUBE_LEASE_TTL_MS),
  };
}

async function patchAnnotations(context: KubeContext, annotations: Record<string, string>, signal: AbortSignal | undefined): Promise<void> {
  const deadline = context.clock() + context.patchTimeoutMs;
  for (;;) {
    try {
      await context.client.patchNodeStatus(context.nodeName, { metadata: { annotations } }, signal === undefined ? {} : { signal });
      context.logger.debug({ node: context.nodeName, annotations: Object.keys(annotations) }, 'patched node annotations');
      return;
    } catch (error) {
      const message = `timeout contacting kube-api, failed to patch node "${context.nodeName}". Error: ${(error as Error).message}`;
      if (isAuthFailure(error) || (KubeError.isInstance(error) && error.code === 'ABORTED')) throw toFlannelError(error, message);
      context.logger.debug({ node: context.nodeName }, `Failed to patch node "${context.nodeName}": ${(error as Error).message}`);
      if (context.clock() + context.pollIntervalMs > deadline) throw toFlannelError(error, message);
    }
    await pause(context, signal);
  }
}
