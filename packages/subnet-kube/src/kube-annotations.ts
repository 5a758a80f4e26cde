import { FlannelError } from '@flannel-ts/core';

/** flannel's default `--kube-annotation-prefix`. */
export const DEFAULT_ANNOTATION_PREFIX = 'flannel.alpha.coreos.com';

/** The ten annotation names of one prefix (`pkg/subnet/kube/annotations.go`). */
export interface KubeAnnotationNames {
  /** The normalised prefix (`flannel.alpha.coreos.com/`, `example.com/foo-`). */
  readonly prefix: string;
  readonly subnetKubeManaged: string;
  readonly backendData: string;
  readonly backendV6Data: string;
  readonly backendType: string;
  readonly publicIP: string;
  readonly publicIPv6: string;
  readonly nodePublicIP: string;
  readonly nodePublicIPv6: string;
  readonly publicIPOverwrite: string;
  readonly publicIPv6Overwrite: string;
}

// flannel's pattern, unanchored at the start on purpose: a valid suffix is enough (annotations.go).
const PREFIX_PATTERN = /(?:[a-z0-9_-]+\.)+[a-z0-9_-]+\/(?:[a-z0-9_-]+-)?$/;

/**
 * The annotation names for a `--kube-annotation-prefix`, normalised as flannel does: no `/` → append `/`;
 * then unless it ends in `/` or `-`, append `-`. Rejects what flannel rejects, with its messages.
 *
 * @example
 * ```ts
 * kubeAnnotations('flannel.alpha.coreos.com').backendType // 'flannel.alpha.coreos.com/backend-type'
 * kubeAnnotations('example.com/foo').backendType          // 'example.com/foo-backend-type'
 * kubeAnnotations('org')                                  // throws FLAG_INVALID
 * ```
 */
export function kubeAnnotations(prefix: string = DEFAULT_ANNOTATION_PREFIX): KubeAnnotationNames {
  const slashes = prefix.split('/').length - 1;
  if (slashes > 1) throw new FlannelError('FLAG_INVALID', `--kube-annotation-prefix "${prefix}" is invalid: subnet/kube: prefix can contain at most single slash`);
  let normalised = slashes === 0 ? `${prefix}/` : prefix;
  if (!normalised.endsWith('/') && !normalised.endsWith('-')) normalised += '-';
  if (!PREFIX_PATTERN.test(normalised)) {
    throw new FlannelError('FLAG_INVALID', `--kube-annotation-prefix "${prefix}" is invalid: subnet/kube: prefix must be in a format: fqdn/[0-9a-z-_]*`);
  }
  return {
    prefix: normalised,
    subnetKubeManaged: `${normalised}kube-subnet-manager`,
    backendData: `${normalised}backend-data`,
    backendV6Data: `${normalised}backend-v6-data`,
    backendType: `${normalised}backend-type`,
    publicIP: `${normalised}public-ip`,
    publicIPv6: `${normalised}public-ipv6`,
    nodePublicIP: `${normalised}node-public-ip`,
    nodePublicIPv6: `${normalised}node-public-ipv6`,
    publicIPOverwrite: `${normalised}public-ip-overwrite`,
    publicIPv6Overwrite: `${normalised}public-ipv6-overwrite`,
  };
}
