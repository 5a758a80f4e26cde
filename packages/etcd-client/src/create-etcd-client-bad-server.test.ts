import { createServer as createHttp2Server, constants, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import { createServer as createNetServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEtcdClient } from './create-etcd-client.js';
import type { EtcdClient } from './etcd-client.js';
import { startLocalEtcd, type LocalEtcd } from './testing/local-etcd.js';
import { etcdFailure } from './testing/etcd-failure.js';

const key = (text: string): Buffer => Buffer.from(text);
const cleanups: (() => unknown)[] = [];
let etcd: LocalEtcd;

beforeAll(async () => {
  etcd = await startLocalEtcd();
});
afterAll(async () => {
  await etcd?.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Listens on a free loopback port; on cleanup destroys the open connections, then closes the server. */
async function listen(server: Server | Http2Server, connections: Set<{ destroy(): void }>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    connections.forEach((connection) => connection.destroy());
    return new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A plain TCP server; `onSocket` decides what it does with each connection. */
async function tcpServer(onSocket: (socket: Socket) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  return listen(server, sockets);
}

/** An HTTP/2 server whose every stream is handled by `onStream`. */
async function h2Server(onStream: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void): Promise<string> {
  const server = createHttp2Server();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    onStream(stream, headers);
  });
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (session) => sessions.add(session));
  return listen(server, sessions);
}

function client(endpoints: string[], options: { requestTimeoutMs?: number; keepaliveIntervalMs?: number; keepaliveTimeoutMs?: number } = {}): EtcdClient {
  const created = createEtcdClient({ endpoints, ...options });
  cleanups.push(() => created.close());
  return created;
}

describe('createEtcdClient against servers that are not etcd', () => {
  it('an HTTP/1 server gives a clear UNAVAILABLE error, not a hang', async () => {
    const endpoint = await tcpServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    const error = await etcdFailure(client([endpoint]).range({ key: key('/x') }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(new RegExp(`^etcd KV/Range on ${endpoint} failed: .*is this an etcd client URL speaking HTTP/2\\?`));
  });

  it('a server that closes every connection gives UNAVAILABLE', async () => {
    const endpoint = await tcpServer((socket) => socket.destroy());
    const error = await etcdFailure(client([endpoint]).put({ key: key('/x'), value: key('1') }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(new RegExp(`^etcd KV/Put on ${endpoint} failed: `));
  });

  it('a server that never answers hits the deadline; grpc-timeout is sent', async () => {
    let timeout: unknown;
    const endpoint = await h2Server((_stream, headers) => (timeout = headers['grpc-timeout']));
    const server = client([endpoint], { requestTimeoutMs: 60_000 });
    const error = await etcdFailure(server.range({ key: key('/x') }, { timeoutMs: 50 }));
    expect(error.code).toBe('DEADLINE_EXCEEDED');
    expect(error.message).toBe(`etcd KV/Range on ${endpoint} failed: deadline of 50 ms exceeded`);
    expect(timeout).toBe('50m');
  });

  it('sends the gRPC request headers and cancels an aborted call with RST_STREAM CANCEL', async () => {
    const controller = new AbortController();
    let headers: IncomingHttpHeaders = {};
    let reset!: Promise<number>;
    const endpoint = await h2Server((stream, received) => {
      headers = received;
      reset = new Promise((resolve) => stream.on('close', () => resolve(stream.rstCode)));
      controller.abort();
    });
    const error = await etcdFailure(client([endpoint]).range({ key: key('/x') }, { signal: controller.signal }));
    expect(error.code).toBe('ABORTED');
    expect(await reset).toBe(constants.NGHTTP2_CANCEL);
    expect(headers).toMatchObject({
      ':method': 'POST',
      ':path': '/etcdserverpb.KV/Range',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': '10000m',
      'user-agent': expect.stringMatching(/^flannel-ts-etcd-client\//),
    });
    expect(headers.token).toBeUndefined();
  });

  it('a non-200 status or a wrong content-type is a PROTOCOL error', async () => {
    const notFound = await h2Server((stream) => stream.respond({ ':status': 404, 'content-type': 'text/plain' }, { endStream: true }));
    const error = await etcdFailure(client([notFound]).range({ key: key('/x') }));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/HTTP status 404 is not a gRPC response \(expected 200\)/);
    const html = await h2Server((stream) => stream.respond({ ':status': 200, 'content-type': 'text/html' }, { endStream: true }));
    expect((await etcdFailure(client([html]).range({ key: key('/x') }))).message).toMatch(/content-type "text\/html" is not a gRPC response/);
  });

  it('reads a trailers-only status and its percent-encoded message', async () => {
    const endpoint = await h2Server((stream) =>
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '9', 'grpc-message': 'etcdserver%3A too%20many requests' }, { endStream: true }),
    );
    const error = await etcdFailure(client([endpoint]).put({ key: key('/x'), value: key('1') }));
    expect(error).toMatchObject({ code: 'REQUEST_FAILED', grpcStatus: 9 });
    expect(error.message).toBe(`etcd KV/Put on ${endpoint} failed: etcdserver: too many requests`);
  });

  it('rejects a compressed response frame with PROTOCOL', async () => {
    const endpoint = await h2Server((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.from([1, 0, 0, 0, 0]));
    });
    const error = await etcdFailure(client([endpoint]).range({ key: key('/x') }));
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/compressed-flag 1 is invalid/);
  });

  it('a refused stream was not processed: even a put moves on to the next endpoint', async () => {
    const refusing = await h2Server((stream) => stream.close(constants.NGHTTP2_REFUSED_STREAM));
    const both = client([refusing, etcd.endpoint]);
    await both.put({ key: key('/refused'), value: key('ok') });
    expect(String((await both.range({ key: key('/refused') })).kvs[0]?.value)).toBe('ok');
  });

  it('a GOAWAY that excludes the stream means it was not processed: a put moves on', async () => {
    // Raw HTTP/2 (node's server caps GOAWAY's last-stream-id to the last stream it saw): SETTINGS, then
    // GOAWAY(last-stream-id 0, NO_ERROR) as soon as a HEADERS frame arrives.
    const leaving = await tcpServer((socket) => {
      socket.write(Buffer.from('000000040000000000', 'hex'));
      let buffered = Buffer.alloc(0);
      let prefaceSkipped = false;
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        if (!prefaceSkipped && buffered.length >= 24) {
          buffered = buffered.subarray(24);
          prefaceSkipped = true;
        }
        while (prefaceSkipped && buffered.length >= 9 && buffered.length >= 9 + buffered.readUIntBE(0, 3)) {
          const type = buffered[3];
          buffered = buffered.subarray(9 + buffered.readUIntBE(0, 3));
          if (type === 1) socket.write(Buffer.from('000008070000000000' + '00000000' + '00000000', 'hex'));
        }
      });
    });
    const both = client([leaving, etcd.endpoint]);
    await both.put({ key: key('/goaway'), value: key('ok') });
    expect(String((await both.range({ key: key('/goaway') })).kvs[0]?.value)).toBe('ok');
  });

  it('a put that may have reached a member whose connection then broke is not repeated', async () => {
    const breaking = await tcpServer((socket) => {
      // Speak just enough HTTP/2 to accept the request, then drop the connection.
      const upstream = netConnect(Number(new URL(etcd.endpoint).port), '127.0.0.1');
      upstream.on('error', () => undefined);
      socket.pipe(upstream);
      upstream.pipe(socket);
      let seen = 0;
      socket.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > 200) {
          socket.destroy();
          upstream.destroy();
        }
      });
    });
    const error = await etcdFailure(client([breaking, etcd.endpoint]).put({ key: key('/maybe'), value: key('x'.repeat(300)) }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.endpoint).toBe(breaking);
  });

  it('a watch whose connection stops answering PINGs fails with UNAVAILABLE', async () => {
    let blackhole = (): void => undefined;
    const proxy = await tcpServer((socket) => {
      const upstream = netConnect(Number(new URL(etcd.endpoint).port), '127.0.0.1');
      upstream.on('error', () => undefined);
      socket.pipe(upstream);
      upstream.pipe(socket);
      blackhole = () => {
        socket.unpipe(upstream);
        upstream.unpipe(socket);
      };
      cleanups.push(() => upstream.destroy());
    });
    const watcher = client([proxy], { keepaliveIntervalMs: 20, keepaliveTimeoutMs: 100 });
    const watch = watcher.watch();
    watch.send({ create: { key: key('/ka') } });
    const iterator = watch[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ created: true });
    blackhole();
    const error = await etcdFailure(iterator.next());
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toMatch(/keepalive PING not answered within 100 ms/);
  });
});
