import type { FdbEntry, Neighbour, Route } from '@flannel-ts/netlink';
import { describe, expect, it } from 'vitest';
import { KernelJournal } from './kernel-journal.js';

const route = (destination: string, gateway: string): Route => ({ family: 4, destination, gateway, index: 7 });
const neighbour = (address: string, hardwareAddress: string): Neighbour => ({ family: 4, index: 7, address, hardwareAddress, state: 'permanent' });
const fdb = (hardwareAddress: string, destination: string): FdbEntry => ({ index: 7, hardwareAddress, destination, self: true, state: 'permanent' });

/** Writes on routes: one replaced, one deleted, one added then deleted, one added. */
const ROUTE_WRITES = [
  { op: 'replaceRoute', route: route('10.5.34.0/24', '192.168.1.3') },
  { op: 'deleteRoute', route: route('10.5.35.0/24', '10.5.35.0') },
  { op: 'replaceRoute', route: route('10.5.36.0/24', '10.5.36.0') },
  { op: 'deleteRoute', route: route('10.5.36.0/24', '10.5.36.0') },
  { op: 'replaceRoute', route: route('10.5.37.0/24', '10.5.37.0') },
] as const;
/** The dump those writes are laid over. */
const dumpedRoutes = (): Route[] => [route('10.5.33.0/24', '10.5.33.0'), route('10.5.34.0/24', '10.5.34.0'), route('10.5.35.0/24', '10.5.35.0')];

describe('KernelJournal', () => {
  it('leaves a dump as it is when nothing was recorded', () => {
    const journal = new KernelJournal();
    const dumped = [route('10.5.34.0/24', '10.5.34.0')];
    expect(journal.empty).toBe(true);
    expect(journal.routes(dumped)).toBe(dumped);
  });

  it('replaces, removes and adds dumped entries as the recorded writes left them, the last write on an entry winning', () => {
    const journal = new KernelJournal();
    journal.record(ROUTE_WRITES);
    const dumped = dumpedRoutes();
    expect(journal.routes(dumped).map((entry) => `${entry.destination} via ${entry.gateway}`)).toEqual([
      '10.5.33.0/24 via 10.5.33.0',
      '10.5.34.0/24 via 192.168.1.3',
      '10.5.37.0/24 via 10.5.37.0',
    ]);
  });

  it('keys neighbours by address and FDB entries by MAC whatever their case and text', () => {
    const journal = new KernelJournal();
    journal.record([
      { op: 'deleteFdb', entry: fdb('0E:2A:00:00:00:01', '192.168.1.2') },
      { op: 'replaceFdb', entry: fdb('0e:2a:00:00:00:02', '192.168.1.3') },
      { op: 'replaceNeighbour', neighbour: neighbour('10.5.34.0', '0e:2a:00:00:00:02') },
    ]);
    expect(journal.fdb([fdb('0e:2a:00:00:00:01', '192.168.1.2')]).map((entry) => entry.destination)).toEqual(['192.168.1.3']);
    expect(journal.neighbours([neighbour('10.5.34.0', '0e:2a:00:00:00:01')]).map((entry) => entry.hardwareAddress)).toEqual(['0e:2a:00:00:00:02']);
    expect(journal.empty).toBe(false);
  });

  it('lays the same writes over dumps already keyed, in place, as over the dumped lists', () => {
    const journal = new KernelJournal();
    journal.record([
      ...ROUTE_WRITES,
      { op: 'deleteFdb', entry: fdb('0E:2A:00:00:00:01', '192.168.1.2') },
      { op: 'replaceNeighbour', neighbour: neighbour('10.5.34.0', '0e:2a:00:00:00:02') },
    ]);
    const dumped = dumpedRoutes();
    const routes = new Map(dumped.map((entry) => [entry.destination, entry]));
    const fdbs = new Map([['0e:2a:00:00:00:01', fdb('0e:2a:00:00:00:01', '192.168.1.2')]]);
    const neighbours = new Map([['10.5.34.0', neighbour('10.5.34.0', '0e:2a:00:00:00:01')]]);
    journal.layOver({ routes, fdb: fdbs, neighbours });
    expect([...routes.values()]).toEqual(journal.routes(dumped));
    expect([...routes.keys()]).toEqual(['10.5.33.0/24', '10.5.34.0/24', '10.5.37.0/24']);
    expect(fdbs.size).toBe(0);
    expect(neighbours.get('10.5.34.0')?.hardwareAddress).toBe('0e:2a:00:00:00:02');
  });
});
