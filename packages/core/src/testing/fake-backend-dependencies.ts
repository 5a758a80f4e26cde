// Recording fakes of the non-kernel backend boundaries (see backend-dependencies.ts): each records
// what it was asked and answers from a function the test gives, so a backend test states the world
// ("this command exits 1", "this API answers 404") and checks what the backend did.
import type {
  CommandRequest,
  CommandResult,
  CommandRunner,
  CredentialSource,
  Credentials,
  HttpClient,
  HttpRequest,
  HttpResponse,
  KeyStore,
  TunDevice,
  TunOpener,
} from '../backend-dependencies.js';
import { FlannelError } from '../errors.js';

/** A {@link CommandRunner} that records every request. */
export interface RecordingCommandRunner extends CommandRunner {
  /** Every request, in order. */
  readonly requests: readonly CommandRequest[];
}

/**
 * A command runner that answers from `respond` (default: exit 0, no output) and records the requests.
 *
 * @example
 * ```ts
 * const commands = recordingCommandRunner((request) => ({ exitCode: 0, stdout: '{"mac":"…"}', stderr: '' }));
 * await backend.registerNetwork({ config });
 * expect(commands.requests.map((r) => r.args.at(-1))).toEqual(['echo pre']);
 * ```
 */
export function recordingCommandRunner(
  respond: (request: CommandRequest) => CommandResult | Promise<CommandResult> = () => ({ exitCode: 0, stdout: '', stderr: '' }),
): RecordingCommandRunner {
  const requests: CommandRequest[] = [];
  return {
    requests,
    async run(request) {
      requests.push(request);
      if (request.signal?.aborted) throw new FlannelError('ABORTED', `${request.command} aborted`);
      return respond(request);
    },
  };
}

/** A {@link HttpClient} that records every request. */
export interface RecordingHttpClient extends HttpClient {
  readonly requests: readonly HttpRequest[];
}

/**
 * An HTTP client that answers from `respond` (default: 404, empty body) and records the requests.
 *
 * @example
 * ```ts
 * const http = recordingHttpClient((request) => httpResponse(200, { RouteTables: [] }));
 * ```
 */
export function recordingHttpClient(respond: (request: HttpRequest) => HttpResponse | Promise<HttpResponse> = () => httpResponse(404, '')): RecordingHttpClient {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(request) {
      requests.push(request);
      if (request.signal?.aborted) throw new FlannelError('ABORTED', `${request.method} ${request.url} aborted`);
      return respond(request);
    },
  };
}

/**
 * A response for {@link recordingHttpClient}: text as is, anything else as JSON.
 *
 * @example
 * ```ts
 * httpResponse(200, { ok: true }); // content-type application/json
 * ```
 */
export function httpResponse(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const type = typeof body === 'string' ? 'text/plain' : 'application/json';
  return { status, headers: { 'content-type': type, ...headers }, body: new TextEncoder().encode(text) };
}

/**
 * Fixed credentials: `reveal` gives the values, printing or serialising the object never does.
 *
 * @example
 * ```ts
 * const source = staticCredentials({ accessKeyId: 'AKIA…', secretAccessKey: 'secret' });
 * (await source.get('aws')).reveal('secretAccessKey'); // 'secret'
 * ```
 */
export function staticCredentials(values: Readonly<Record<string, string>>, expiresAt?: number): CredentialSource & { readonly requests: readonly string[] } {
  const requests: string[] = [];
  const secrets = new Map(Object.entries(values));
  const credentials: Credentials = {
    names: [...secrets.keys()],
    reveal: (name) => secrets.get(name),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
  Object.defineProperty(credentials, 'toJSON', { value: () => ({ names: credentials.names }), enumerable: false });
  return {
    requests,
    async get(provider) {
      requests.push(provider);
      return credentials;
    },
  };
}

/** A {@link KeyStore} in memory, with what it holds visible to the test. */
export interface MemoryKeyStore extends KeyStore {
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/**
 * A key store in memory, optionally pre-filled (a restart with a key already saved).
 *
 * @example
 * ```ts
 * const keys = memoryKeyStore({ wireguard: new Uint8Array(32).fill(7) });
 * ```
 */
export function memoryKeyStore(initial: Readonly<Record<string, Uint8Array>> = {}): MemoryKeyStore {
  const keys = new Map(Object.entries(initial).map(([name, key]) => [name, Uint8Array.from(key)]));
  return {
    keys,
    async load(name) {
      const key = keys.get(name);
      return key === undefined ? undefined : Uint8Array.from(key);
    },
    async save(name, key) {
      keys.set(name, Uint8Array.from(key));
      return key;
    },
  };
}

/** A fake TUN device: packets the test injects come out of `packets`, writes are recorded. */
export interface FakeTunDevice extends TunDevice {
  /** Packets the backend wrote, in order. */
  readonly written: readonly Uint8Array[];
  /** Makes the device yield `packet` (as if the kernel routed it to the device). */
  inject(packet: Uint8Array): void;
  readonly closed: boolean;
}

/** A {@link TunOpener} whose devices are {@link FakeTunDevice}s. */
export interface FakeTunOpener extends TunOpener {
  /** The devices opened, by name. */
  readonly devices: ReadonlyMap<string, FakeTunDevice>;
}

/**
 * A TUN opener without a kernel: `open` gives a {@link FakeTunDevice}.
 *
 * @example
 * ```ts
 * const tun = fakeTunOpener();
 * // after registerNetwork:
 * tun.devices.get('flannel0')?.inject(ipPacket);
 * ```
 */
export function fakeTunOpener(): FakeTunOpener {
  const devices = new Map<string, FakeTunDevice>();
  return {
    devices,
    async open({ name, signal }) {
      if (signal?.aborted) throw new FlannelError('ABORTED', `opening ${name} aborted`);
      if (devices.has(name) && !devices.get(name)!.closed) throw new FlannelError('BACKEND_FAILED', `TUN device ${name} is already open`);
      const device = fakeTunDevice(name);
      devices.set(name, device);
      return device;
    },
  };
}

function fakeTunDevice(name: string): FakeTunDevice {
  const queue: Uint8Array[] = [];
  const written: Uint8Array[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  return {
    name,
    written,
    get closed() {
      return closed;
    },
    inject(packet) {
      queue.push(packet);
      wake?.();
    },
    async *packets(signal) {
      const stop = (): void => wake?.();
      signal.addEventListener('abort', stop, { once: true });
      try {
        while (!signal.aborted && !closed) {
          const packet = queue.shift();
          if (packet !== undefined) {
            yield packet;
            continue;
          }
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      } finally {
        signal.removeEventListener('abort', stop);
      }
    },
    async write(packet) {
      if (closed) throw new FlannelError('BACKEND_FAILED', `TUN device ${name} is closed`);
      written.push(Uint8Array.from(packet));
    },
    async close() {
      closed = true;
      wake?.();
    },
  };
}
