import type { Route } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { diffRouteChanges, diffRoutes, routeMatches } from './route-diff.js';
import { routeAddressKey, routeDestinationKey } from './route-keys.js';

const route = (destination: string, gateway: string, index = 2): Route => ({ family: 4, destination, gateway, index, protocol: 70 });

describe('routeMatches', () => {
  it('compares gateway, device, onlink and protocol; not table or text form', () => {
    const want = route('10.5.34.0/24', '192.168.1.2');
    expect(routeMatches(want, { ...want, table: 254 })).toBe(true);
    expect(routeMatches(want, { ...want, protocol: 3 })).toBe(false);
    expect(routeMatches(want, { ...want, gateway: '192.168.1.3' })).toBe(false);
    expect(routeMatches(want, { ...want, onlink: true })).toBe(false);
    expect(routeMatches({ family: 6, destination: 'fd00::/64', gateway: 'fd00::2' }, { family: 6, destination: 'fd00::/64', gateway: 'FD00:0::2' })).toBe(true);
  });
});

describe('diffRoutes', () => {
  const want = route('10.5.34.0/24', '192.168.1.2');

  it('adds a missing route and leaves a present one alone', () => {
    expect(diffRoutes([want], [])).toEqual([{ op: 'replaceRoute', route: want }]);
    expect(diffRoutes([want], [{ ...want, table: 254 }])).toEqual([]);
  });

  it('replaces a route whose gateway differs and deletes routes no lease wants, deletions first', () => {
    const stale = route('10.5.9.0/24', '192.168.1.9');
    expect(diffRoutes([want], [{ ...want, gateway: '192.168.1.99' }, stale])).toEqual([
      { op: 'deleteRoute', route: stale },
      { op: 'replaceRoute', route: want },
    ]);
  });

  it('rewrites an unmarked route of ours once so it carries the mark', () => {
    expect(diffRoutes([want], [{ ...want, protocol: 3 }])).toEqual([{ op: 'replaceRoute', route: want }]);
  });
});

describe('diffRouteChanges', () => {
  const programmed = new Map([
    ['10.5.34.0/24', route('10.5.34.0/24', '192.168.1.2')],
    ['10.5.35.0/24', route('10.5.35.0/24', '192.168.1.3')],
  ]);

  it('adds the route of a new destination', () => {
    expect(diffRouteChanges([route('10.5.36.0/24', '192.168.1.4')], programmed, ['10.5.36.0/24'])).toEqual([
      { op: 'replaceRoute', route: route('10.5.36.0/24', '192.168.1.4') },
    ]);
  });

  it('replaces a route whose gateway or device changed and leaves an unchanged one alone', () => {
    expect(diffRouteChanges([route('10.5.34.0/24', '192.168.1.9'), route('10.5.35.0/24', '192.168.1.3')], programmed, ['10.5.34.0/24', '10.5.35.0/24'])).toEqual([
      { op: 'replaceRoute', route: route('10.5.34.0/24', '192.168.1.9') },
    ]);
    expect(diffRouteChanges([route('10.5.35.0/24', '192.168.1.3', 3)], programmed, ['10.5.35.0/24'])).toEqual([
      { op: 'replaceRoute', route: route('10.5.35.0/24', '192.168.1.3', 3) },
    ]);
  });

  it('deletes the programmed route of a destination no longer wanted, first, and nothing it never programmed', () => {
    expect(diffRouteChanges([route('10.5.36.0/24', '192.168.1.4')], programmed, ['10.5.36.0/24', '10.5.35.0/24', '10.5.99.0/24'])).toEqual([
      { op: 'deleteRoute', route: route('10.5.35.0/24', '192.168.1.3') },
      { op: 'replaceRoute', route: route('10.5.36.0/24', '192.168.1.4') },
    ]);
    expect(diffRouteChanges([], programmed, [])).toEqual([]);
  });
});

describe('route keys', () => {
  it('canonicalise destinations and addresses, and keep unparsable text as itself', () => {
    expect(routeDestinationKey('10.5.34.0/24')).toBe('10.5.34.0/24');
    expect(routeDestinationKey('fd00:0:0:34::/64')).toBe('fd00:0:0:34::/64');
    expect(routeDestinationKey('not a net')).toBe('not a net');
    expect(routeAddressKey('FD00:0::2')).toBe('fd00::2');
    expect(routeAddressKey(undefined)).toBe('');
  });
});
