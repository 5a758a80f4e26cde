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

/** `prefix` normalised as flannel does: no `/` → append `/`; then unless it ends in `/` or `-`, append `-`. */
function normalisePrefix(prefix: string): string {
  const normalised = prefix.includes('/') ? prefix : `${prefix}/`;
  return normalised.endsWith('/') || normalised.endsWith('-') ? normalised : `${normalised}-`;
}

/**
 * The rule a `--kube-annotation-prefix` breaks, or `undefined` when flannel accepts it (`newAnnotations` in
 * `pkg/subnet/kube/annotations.go`): at most one `/`, and once normalised it must end in a lower-case DNS name
 * with a dot, then `/` and an optional `[a-z0-9_-]` name (flannel's regular expression is unanchored at the
 * start, so only the end is checked). For the flag parser and {@link kubeAnnotations}.
 *
 * @example
 * ```ts
 * kubeAnnotationPrefixRule('example.com/foo'); // undefined
 * kubeAnnotationPrefixRule('org');             // 'must be in a format: fqdn/[0-9a-z-_]* …'
 * ```
 */
export function kubeAnnotationPrefixRule(prefix: string): string | undefined {
  if (prefix.split('/').length > 2) return 'must contain at most one "/" (subnet/kube: prefix can contain at most single slash)';
  if (!PREFIX_PATTERN.test(normalisePrefix(prefix))) {
    return 'must be in a format: fqdn/[0-9a-z-_]* (end in a lower-case DNS name with a dot, then optionally "/" and a name of a-z, 0-9, "-", "_")';
  }
  return undefined;
}

/**
 * The annotation names for a `--kube-annotation-prefix`, normalised as flannel does: no `/` → append `/`;
 * then unless it ends in `/` or `-`, append `-`. Rejects what flannel rejects ({@link kubeAnnotationPrefixRule}).
 *
 * @example
 * ```ts
 * kubeAnnotations('flannel.alpha.coreos.com').backendType // 'flannel.alpha.coreos.com/backend-type'
 * kubeAnnotations('example.com/foo').backendType          // 'example.com/foo-backend-type'
 * kubeAnnotations('org')                                  // throws FLAG_INVALID
 * ```
 */
export function kubeAnnotations(prefix: string = DEFAULT_ANNOTATION_PREFIX): KubeAnnotationNames {
  const rule = kubeAnnotationPrefixRule(prefix);
  if (rule !== undefined) throw new FlannelError('FLAG_INVALID', `--kube-annotation-prefix "${prefix}" is invalid: ${rule}`);
  const normalised = normalisePrefix(prefix);
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
