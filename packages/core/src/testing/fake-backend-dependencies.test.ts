import { describe, expect, it } from 'vitest';
import { FlannelError } from '../errors.js';
import { unavailableBackendDependencies } from '../unavailable-backend-dependencies.js';
import { fakeTunOpener, httpResponse, memoryKeyStore, recordingCommandRunner, recordingHttpClient, staticCredentials } from './fake-backend-dependencies.js';

describe('backend dependency fakes', () => {
  it('recordingCommandRunner records requests and answers from the test', async () => {
    const commands = recordingCommandRunner((request) => ({ exitCode: request.args.includes('fail') ? 1 : 0, stdout: 'out', stderr: '' }));
    expect(await commands.run({ command: 'sh', args: ['-c', 'fail'] })).toEqual({ exitCode: 1, stdout: 'out', stderr: '' });
    expect(commands.requests).toEqual([{ command: 'sh', args: ['-c', 'fail'] }]);
  });

  it('recordingHttpClient records requests; httpResponse encodes JSON', async () => {
    const http = recordingHttpClient(() => httpResponse(200, { ok: true }));
    const response = await http.request({ method: 'GET', url: 'http://169.254.169.254/' });
    expect(new TextDecoder().decode(response.body)).toBe('{"ok":true}');
    expect(response.headers['content-type']).toBe('application/json');
    expect(http.requests.map((request) => request.url)).toEqual(['http://169.254.169.254/']);
  });

  it('staticCredentials reveal values but never serialise them', async () => {
    const credentials = await staticCredentials({ secretAccessKey: 'S3CRET-MARKER' }).get('aws');
    expect(credentials.reveal('secretAccessKey')).toBe('S3CRET-MARKER');
    expect(JSON.stringify(credentials)).not.toContain('S3CRET-MARKER');
  });

  it('memoryKeyStore keeps copies of what was saved', async () => {
    const keys = memoryKeyStore();
    expect(await keys.load('wireguard')).toBeUndefined();
    const key = new Uint8Array(32).fill(7);
    await keys.save('wireguard', key);
    key.fill(0);
    expect(await keys.load('wireguard')).toEqual(new Uint8Array(32).fill(7));
  });

  it('fakeTunOpener devices yield injected packets and record writes', async () => {
    const tun = fakeTunOpener();
    const device = await tun.open({ name: 'flannel0' });
    tun.devices.get('flannel0')!.inject(Uint8Array.of(0x45));
    const controller = new AbortController();
    for await (const packet of device.packets(controller.signal)) {
      expect(packet).toEqual(Uint8Array.of(0x45));
      break;
    }
    await device.write(Uint8Array.of(0x60));
    expect(tun.devices.get('flannel0')!.written).toEqual([Uint8Array.of(0x60)]);
    await device.close();
    await expect(device.write(Uint8Array.of(1))).rejects.toThrow(/closed/);
  });

  it('unavailableBackendDependencies rejects with BACKEND_UNSUPPORTED naming the boundary', async () => {
    const error = await unavailableBackendDependencies().tun.open({ name: 'flannel0' }).catch((e: unknown) => e);
    expect(FlannelError.isInstance(error) && error.code).toBe('BACKEND_UNSUPPORTED');
    expect((error as Error).message).toBe('this build of flannel-ts has no TUN device support (needed by the udp backend)');
  });
});
