/**
 * One etcd RPC: its HTTP/2 path and the codecs of its request and response. The transport is generic over
 * these; the concrete methods are in `methods.ts`.
 */
export interface Method<Request, Response> {
  /** gRPC path, e.g. `/etcdserverpb.KV/Range`. */
  readonly path: string;
  /** Whether repeating the call after an unknown outcome is safe (reads): only those are retried on another member once sent. */
  readonly idempotent: boolean;
  /** Whether the call only reads: after a deadline on one member it is retried on another (a hung member). */
  readonly readOnly?: boolean;
  encode(request: Request): Buffer;
  /** Throws an `EtcdError` of code `PROTOCOL` on malformed bytes. */
  decode(bytes: Buffer): Response;
}
