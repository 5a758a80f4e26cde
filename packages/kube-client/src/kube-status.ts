/**
 * The API server's `Status` object (`k8s.io/apimachinery/pkg/apis/meta/v1` `Status`): the body of every
 * non-2xx response and of a watch `ERROR` event.
 */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, unknown>;
  /** `Success` or `Failure`. */
  readonly status: string;
  readonly message: string;
  /** `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Forbidden`, `Unauthorized`, `Expired`, `Gone`… */
  readonly reason: string;
  readonly details?: { readonly name?: string; readonly kind?: string; readonly group?: string } & Record<string, unknown>;
  /** The HTTP status code (410 for `Expired`). */
  readonly code: number;
}

/**
 * Reads a `Status` out of parsed JSON; `undefined` when `value` is not one.
 *
 * @example
 * ```ts
 * parseKubeStatus(JSON.parse(body))?.reason // 'NotFound'
 * ```
 */
export function parseKubeStatus(value: unknown): KubeStatus | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const object = value as Record<string, unknown>;
  if (object['kind'] !== 'Status') return undefined;
  const text = (key: string): string => (typeof object[key] === 'string' ? (object[key] as string) : '');
  const details = object['details'];
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: text('status'),
    message: text('message'),
    reason: text('reason'),
    ...(typeof details === 'object' && details !== null && { details: details as KubeStatus['details'] }),
    code: typeof object['code'] === 'number' ? object['code'] : 0,
  };
}

/**
 * Builds a `Failure` Status as the API server sends it.
 *
 * @example
 * ```ts
 * kubeStatus(404, 'NotFound', 'nodes "n1" not found', { name: 'n1', kind: 'nodes' })
 * ```
 */
export function kubeStatus(code: number, reason: string, message: string, details?: KubeStatus['details']): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details !== undefined && { details }),
    code,
  };
}
