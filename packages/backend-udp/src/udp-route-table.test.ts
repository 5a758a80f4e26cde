import { describe, expect, it } from 'vitest';
import { prefixMask, UdpRouteTable } from './udp-route-table.js';

const route = (network: number, nextHop: number, prefixLength = 24) => ({ network, prefixLength, nextHop, port: 8285 });
const networks = (table: UdpRouteTable) => table.routes.map((each) => each.network.toString(16));

describe('UdpRouteTable', () => {
  it('finds the route whose network holds the destination', () => {
    const table = new UdpRouteTable();
    table.set(route(0x0a050100, 1));
    table.set(route(0x0a050200, 2));
    expect(table.lookup(0x0a050207)?.nextHop).toBe(2);
    expect(table.lookup(0x0a0501ff)?.nextHop).toBe(1);
    expect(table.lookup(0x0a050300)).toBeUndefined();
  });

  it('swaps a hit to the front', () => {
    const table = new UdpRouteTable();
    for (const [index, network] of [0x0a050100, 0x0a050200, 0x0a050300].entries()) table.set(route(network, index));
    table.lookup(0x0a050301);
    expect(networks(table)).toEqual(['a050300', 'a050200', 'a050100']);
  });

  it('set replaces the entry for the same network in place', () => {
    const table = new UdpRouteTable();
    table.set(route(0x0a050100, 1));
    table.set(route(0x0a050200, 2));
    table.set(route(0x0a050100, 9));
    expect(table.size).toBe(2);
    expect(networks(table)).toEqual(['a050100', 'a050200']);
    expect(table.lookup(0x0a050101)?.nextHop).toBe(9);
  });

  it('delete swaps the last entry into the hole', () => {
    const table = new UdpRouteTable();
    for (const [index, network] of [0x0a050100, 0x0a050200, 0x0a050300].entries()) table.set(route(network, index));
    expect(table.delete(0x0a050100, 24)).toBe(true);
    expect(networks(table)).toEqual(['a050300', 'a050200']);
    expect(table.delete(0x0a050100, 24)).toBe(false);
    expect(table.lookup(0x0a050101)).toBeUndefined();
  });

  it('takes the first match, not the longest (flannel subnets never overlap)', () => {
    const table = new UdpRouteTable();
    table.set(route(0x0a050000, 1, 16));
    table.set(route(0x0a050100, 2, 24));
    expect(table.lookup(0x0a050101)?.nextHop).toBe(1);
  });

  it('keys entries by network and prefix length, masking host bits', () => {
    const table = new UdpRouteTable();
    table.set(route(0x0a050107, 1, 24));
    expect(table.routes[0]?.network).toBe(0x0a050100);
    table.set(route(0x0a050100, 2, 25));
    expect(table.size).toBe(2);
    expect(prefixMask(0)).toBe(0);
    expect(prefixMask(32)).toBe(0xffffffff);
  });
});
