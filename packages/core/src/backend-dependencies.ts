// CONTRACT — the boundaries a backend factory may be given, beyond the kernel (netlink).
//
// flannel's backends reach the OS directly (udp opens /dev/net/tun, extension runs `sh -c`, the cloud
// backends call their provider's API with credentials from the instance, wireguard keeps its private
// key in a file). Here each is a narrow injected interface, so a backend is tested with the recording
// fakes from `@flannel-ts/core/testing` and the daemon decides which real implementation a build ships.
// The kernel boundary (`Netlink`) is not listed: core does not depend on `@flannel-ts/netlink`; a
// backend adds `{ netlink: Pick<Netlink, …> }` to the slice it takes.
import type { Logger } from './logger.js';

/** One command to run (extension's `PreStartupCommand`, `SubnetAddCommand`…). */
export interface CommandRequest {
  /** Program to execute, looked up in `PATH` (flannel's extension backend runs `sh` with `-c <command>`). */
  readonly command: string;
  readonly args: readonly string[];
  /** Extra environment variables (flannel's `SUBNET`, `PUBLIC_IP`, `NETWORK`…), added to the daemon's. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the command's standard input, then closed (extension passes the lease's BackendData). */
  readonly stdin?: string;
  /** Kills the command when aborted; the run then rejects with `ABORTED`. */
  readonly signal?: AbortSignal;
}

/** How a command ended. A non-zero exit is a result, not a rejection: the caller decides. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs external commands (the extension backend). Rejects only when the command could not be started
 * (`ENOENT`…) or was aborted.
 *
 * @example
 * ```ts
 * const { exitCode, stdout } = await commands.run({ command: 'sh', args: ['-c', 'echo hi'] });
 * ```
 */
export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResult>;
}

/** An open TUN device (layer-3 packets, no packet-information header: `IFF_TUN | IFF_NO_PI`). */
export interface TunDevice {
  /** The name the kernel gave the device (`flannel0`). */
  readonly name: string;
  /** The device's packets until `signal` aborts or the device is closed. One reader at a time. */
  packets(signal: AbortSignal): AsyncIterable<Uint8Array>;
  /** Writes one IP packet to the device. */
  write(packet: Uint8Array): Promise<void>;
  /** Closes the file descriptor; the device disappears unless it was made persistent. */
  close(): Promise<void>;
}

/**
 * Opens TUN devices (the udp backend: flannel's `pkg/backend/udp` opens `/dev/net/tun` with `TUNSETIFF`).
 * Addresses, MTU and the link state are then set through netlink like any other link.
 *
 * @example
 * ```ts
 * const tun = await tunOpener.open({ name: 'flannel0' }); // ip tuntap add dev flannel0 mode tun
 * ```
 */
export interface TunOpener {
  open(options: { readonly name: string; readonly signal?: AbortSignal }): Promise<TunDevice>;
}

/** One HTTP request of a cloud backend. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly signal?: AbortSignal;
}

/** The response, read whole (cloud route APIs answer with small JSON documents). */
export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/**
 * Sends HTTP requests (cloud backends: route tables, instance metadata). A non-2xx status is a
 * response, not a rejection; rejects on network failure or abort.
 *
 * @example
 * ```ts
 * const response = await http.request({ method: 'GET', url: 'http://169.254.169.254/latest/meta-data/instance-id' });
 * ```
 */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
}

/**
 * A set of secret values (access key, secret key, token). The values are only reachable through
 * `reveal`, so logging the object never prints them.
 */
export interface Credentials {
  /** The names of the values held (`accessKeyId`, `secretAccessKey`, `sessionToken`). */
  readonly names: readonly string[];
  /** One secret value; `undefined` when not held. Never log the result. */
  reveal(name: string): string | undefined;
  /** Epoch milliseconds after which the credentials must be fetched again; absent: they do not expire. */
  readonly expiresAt?: number;
}

/**
 * Where a cloud backend gets its credentials (instance metadata, environment, a file). Called before
 * each batch of API calls; an implementation caches until `expiresAt`.
 *
 * @example
 * ```ts
 * const credentials = await source.get('aws', { signal });
 * sign(request, credentials.reveal('secretAccessKey'));
 * ```
 */
export interface CredentialSource {
  get(provider: string, options?: { readonly signal?: AbortSignal }): Promise<Credentials>;
}

/**
 * Keeps private keys across restarts (wireguard: flannel's `PrivateKey` file, default
 * `/run/flannel/wgkey`, read if present, generated and written otherwise). Generating keys is the
 * backend's business; the store only persists bytes, with owner-only permissions.
 *
 * @example
 * ```ts
 * const key = (await keys.load('wireguard')) ?? (await keys.save('wireguard', generatePrivateKey()));
 * ```
 */
export interface KeyStore {
  /** The stored key, or `undefined` when none was saved. Rejects on an unreadable or malformed store. */
  load(name: string): Promise<Uint8Array | undefined>;
  /** Stores `key` under `name` (replacing any) and returns it. */
  save(name: string, key: Uint8Array): Promise<Uint8Array>;
}

/**
 * Every non-kernel boundary a backend factory may need. A backend takes the slice it uses
 * (`Pick<BackendDependencies, 'logger' | 'commands'> & { netlink }`) so its tests build only that; the
 * daemon holds one complete set and hands each factory in its backend map the same object.
 *
 * @example
 * ```ts
 * export function createExtensionBackend(dependencies: Pick<BackendDependencies, 'logger' | 'commands'>): BackendFactory;
 * const backends = { extension: (d: DaemonBackendDependencies) => createExtensionBackend(d) };
 * ```
 */
export interface BackendDependencies {
  readonly logger: Logger;
  /** External commands (extension). */
  readonly commands: CommandRunner;
  /** TUN devices (udp). */
  readonly tun: TunOpener;
  /** HTTP (cloud backends: aws-vpc, gce, alicloud-vpc). */
  readonly http: HttpClient;
  /** Cloud credentials (cloud backends). */
  readonly credentials: CredentialSource;
  /** Private keys that survive restarts (wireguard). */
  readonly keys: KeyStore;
}
