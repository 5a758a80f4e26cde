import { describe, it } from 'vitest';
import { leaseGrant, leaseRevoke, leaseTimeToLive } from '../methods.js';
import { b, expectDecodes, expectEncodes } from './__fixtures__/golden.js';
import { HEADER, LEASE_63 } from './__fixtures__/values.js';

describe('lease codec', () => {
  it('writes grant requests with and without a requested 63-bit ID', () => {
    expectEncodes(leaseGrant, { ttl: 86400n }, 'lease-grant-request-ttl');
    expectEncodes(leaseGrant, { ttl: 86400n, id: 0n }, 'lease-grant-request-ttl');
    expectEncodes(leaseGrant, { ttl: 10n, id: LEASE_63 }, 'lease-grant-request-all-fields');
  });

  it('writes revoke and time-to-live requests', () => {
    expectEncodes(leaseRevoke, { id: LEASE_63 }, 'lease-revoke-request');
    expectEncodes(leaseTimeToLive, { id: 1n, keys: true }, 'lease-time-to-live-request-all-fields');
  });

  it('decodes a grant response with a 63-bit ID, and one carrying an error', () => {
    expectDecodes(leaseGrant, 'lease-grant-response', { header: HEADER, id: LEASE_63, ttl: 86400n, error: '' });
    expectDecodes(leaseGrant, 'lease-grant-response-error', { header: HEADER, id: 0n, ttl: 0n, error: 'etcdserver: lease already exists' });
  });

  it('decodes a revoke response', () => {
    expectDecodes(leaseRevoke, 'lease-revoke-response', { header: HEADER });
  });

  it('decodes TTL -1 (a ten-byte two\'s-complement varint) of an expired lease', () => {
    expectDecodes(leaseTimeToLive, 'lease-time-to-live-response-expired', { header: HEADER, id: LEASE_63, ttl: -1n, grantedTtl: 0n, keys: [] });
  });

  it('decodes the attached keys, an empty one included', () => {
    expectDecodes(leaseTimeToLive, 'lease-time-to-live-response-keys', { header: HEADER, id: 1n, ttl: 30n, grantedTtl: 60n, keys: [b('/a'), b('')] });
  });
});
