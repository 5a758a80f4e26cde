// One request over a wireguard-go UAPI socket (a unix stream socket, one request per connection as
// `wg` does): write the request, read until the reply's `errno=N` line and the empty line after it.
import { createConnection } from 'node:net';

/** Sends `request` to the socket at `path` and resolves the whole reply text. */
export type UapiTransport = (path: string, request: string) => Promise<string>;

const END = /(?:^|\n)errno=-?\d+\n\n$/;

/**
 * The real transport over `node:net`. Rejects with the socket error (ENOENT, ECONNREFUSED) or when
 * the reply does not end within `timeoutMs`.
 *
 * @example
 * ```ts
 * const reply = await uapiRequest('/var/run/wireguard/flannel-wg.sock', 'get=1\n\n');
 * ```
 */
export function uapiRequest(path: string, request: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    let reply = '';
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply);
    };
    const timer = setTimeout(() => finish(new Error(`no UAPI reply from ${path} within ${timeoutMs} ms`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => {
      reply += chunk;
      if (END.test(reply)) finish();
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(END.test(reply) ? undefined : new Error(`UAPI socket ${path} closed before its reply ended`)));
  });
}
