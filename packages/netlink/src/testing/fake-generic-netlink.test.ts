import { describe, expect, it } from 'vitest';
import { NetlinkNotFoundError } from '../errors.js';
import { fakeGenericNetlink } from './fake-generic-netlink.js';

const WIREGUARD = { id: 29, name: 'wireguard', version: 1, headerSize: 0, maxAttribute: 8, multicastGroups: [] };

describe('fakeGenericNetlink', () => {
  it('resolves the families it has and answers any other name ENOENT, as the controller does', async () => {
    const genl = fakeGenericNetlink({ families: [WIREGUARD] });
    expect(await genl.resolveFamily('wireguard')).toBe(WIREGUARD);
    const error = await genl.resolveFamily('ethtool').catch((e: unknown) => e);
    expect(NetlinkNotFoundError.isInstance(error) && error.errnoName).toBe('ENOENT');
  });

  it('records requests and answers from the test, refusing with an errno', async () => {
    const genl = fakeGenericNetlink({ families: [WIREGUARD], respond: (request) => (request.command === 1 ? -22 : undefined) });
    await genl.ack({ family: WIREGUARD, command: 0, operation: 'getDevice' });
    const refused = await genl.ack({ family: WIREGUARD, command: 1, operation: 'setDevice' }).catch((e: unknown) => e);
    expect((refused as NetlinkNotFoundError).errnoName).toBe('EINVAL');
    expect(genl.requests.map(({ kind, request }) => `${kind} ${request.operation}`)).toEqual(['ack getDevice', 'ack setDevice']);
  });
});
