import { describe, expect, it } from 'vitest';
import { REDACTED, redactBackendSecrets } from './redact-secrets.js';

describe('redactBackendSecrets', () => {
  it('redacts secret-like backend options at any depth, whatever their case', () => {
    const config = {
      Network: '10.5.0.0/16',
      Backend: { Type: 'wireguard', PSK: 'c2VjcmV0', psk: 'x', AccessKeySecret: 'y', Nested: { Password: 'z', Tokens: ['a'] }, ListenPort: 51820, PersistentKeepaliveInterval: 25 },
    };
    expect(redactBackendSecrets(config)).toEqual({
      Network: '10.5.0.0/16',
      Backend: { Type: 'wireguard', PSK: REDACTED, psk: REDACTED, AccessKeySecret: REDACTED, Nested: { Password: REDACTED, Tokens: REDACTED }, ListenPort: 51820, PersistentKeepaliveInterval: 25 },
    });
  });

  it('leaves an empty secret empty (so the output shows none is set) and the input untouched', () => {
    const config = { Backend: { Type: 'wireguard', PSK: '' } };
    expect(redactBackendSecrets(config)).toEqual({ Backend: { Type: 'wireguard', PSK: '' } });
    const withSecret = { Backend: { Type: 'ipsec', PSK: 'secret' } };
    redactBackendSecrets(withSecret);
    expect(withSecret.Backend.PSK).toBe('secret');
  });

  it('keeps options that only look alike (extension commands, VNI, ports)', () => {
    const backend = { Type: 'extension', PreStartupCommand: 'hostname', SubnetAddCommand: 'ip route replace $SUBNET via $PUBLIC_IP', VNI: 1, Port: 8472 };
    expect(redactBackendSecrets({ Backend: backend })).toEqual({ Backend: backend });
  });
});
