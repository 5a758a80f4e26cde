import { describe, it } from 'vitest';
import { authAuthenticate } from '../methods.js';
import { expectDecodes, expectEncodes, expectProtocolError } from './__fixtures__/golden.js';
import { HEADER } from './__fixtures__/values.js';

describe('auth codec', () => {
  it('writes name and password as UTF-8 strings', () => {
    expectEncodes(authAuthenticate, { name: 'flannel', password: 'fixture-only-pässword' }, 'authenticate-request');
  });

  it('decodes the token', () => {
    expectDecodes(authAuthenticate, 'authenticate-response', { header: HEADER, token: 'fixture.token.8' });
  });

  it('never puts the token into a decoding error', () => {
    const bytes = Buffer.from([0x12, 0x06, ...Buffer.from('secret'), 0x1a, 0x05]);
    expectProtocolError(() => authAuthenticate.decode(bytes), 'AuthenticateResponse field 3: length 5 runs past the end of the message (0 bytes left)');
  });
});
