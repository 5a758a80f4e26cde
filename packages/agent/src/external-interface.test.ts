import { FlannelError } from '@flannel-ts/core';
import type { Logger } from '@flannel-ts/core';
import { createRecordingNetlink } from '@flannel-ts/netlink/testing';
import type { RecordingNetlinkOptions } from '@flannel-ts/netlink/testing';
import { describe, expect, it } from 'vitest';
import { selectExternalInterface } from './external-interface.js';
import type { SelectExternalInterfaceOptions } from './external-interface.js';

// A host: eth0 (default route, v4+v6), eth1 (second NIC), br-lab (a bridge with a link-local only).
const host: RecordingNetlinkOptions = {
  links: [
    { name: 'eth0', mtu: 1500, addresses: ['192.168.64.2/24', '2001:db8:64::2/64'] },
    { name: 'eth1', mtu: 9000, addresses: ['10.20.0.5/16', 'fd00:20::5/64'] },
    { name: 'br-lab', kind: 'bridge', mtu: 1400, addresses: ['169.254.3.3/16'] },
  ],
  routes: [
    { family: 4, destination: '0.0.0.0/0', gateway: '192.168.64.1' },
    { family: 6, destination: '::/0', gateway: '2001:db8:64::1' },
  ],
};

type Options = Omit<SelectExternalInterfaceOptions, 'netlink'>;

const select = (options: Options, seed: RecordingNetlinkOptions = host) =>
  selectExternalInterface({ netlink: createRecordingNetlink(seed), ...options });

const failure = async (options: Options, seed: RecordingNetlinkOptions = host): Promise<string> => {
  const error = await select(options, seed).catch((caught: unknown) => caught);
  expect(FlannelError.hasCode(error, 'INTERFACE_NOT_FOUND')).toBe(true);
  return (error as Error).message;
};

describe('selectExternalInterface', () => {
  it('uses the default route interface when no interface flag is given', async () => {
    expect(await select({ ipv4: true, ipv6: false })).toEqual({
      name: 'eth0',
      index: 2,
      mtu: 1500,
      address: '192.168.64.2',
      publicIP: '192.168.64.2',
    });
  });

  it('uses the default route interface of both families in dual stack', async () => {
    expect(await select({ ipv4: true, ipv6: true })).toMatchObject({
      name: 'eth0',
      address: '192.168.64.2',
      address6: '2001:db8:64::2',
      publicIP: '192.168.64.2',
      publicIPv6: '2001:db8:64::2',
    });
  });

  it('refuses dual stack when the default routes use different interfaces', async () => {
    const seed = { ...host, routes: [host.routes![0]!, { family: 6 as const, destination: '::/0', gateway: 'fd00:20::1' }] };
    expect(await failure({ ipv4: true, ipv6: true }, seed)).toContain('v6 default route interface eth1 must be the same as v4 default route interface eth0');
  });

  it('fails clearly without a default route', async () => {
    expect(await failure({ ipv4: true, ipv6: false }, { links: host.links })).toContain('unable to find a default route');
  });

  it('looks up the interface owning --public-ip when no interface flag is given (as flanneld)', async () => {
    expect(await select({ ipv4: true, ipv6: false, publicIP: '10.20.0.5' })).toMatchObject({ name: 'eth1', address: '10.20.0.5', publicIP: '10.20.0.5' });
    expect(await failure({ ipv4: true, ipv6: false, publicIP: '203.0.113.9' })).toContain('no interface has the IPv4 address 203.0.113.9');
  });

  it('takes --iface by name and publishes --public-ip instead of the interface address', async () => {
    expect(await select({ ipv4: true, ipv6: false, iface: ['eth1'], publicIP: '203.0.113.9' })).toEqual({
      name: 'eth1',
      index: 3,
      mtu: 9000,
      address: '10.20.0.5',
      publicIP: '203.0.113.9',
    });
  });

  it('takes --iface by IP', async () => {
    expect(await select({ ipv4: true, ipv6: false, iface: ['10.20.0.5'] })).toMatchObject({ name: 'eth1', address: '10.20.0.5' });
    expect(await select({ ipv4: false, ipv6: true, iface: ['fd00:20:0::5'] })).toMatchObject({ name: 'eth1', address6: 'fd00:20::5', publicIPv6: 'fd00:20::5' });
  });

  it('checks --iface entries in order and takes the first match', async () => {
    const infos: string[] = [];
    const logger: Logger = { trace() {}, debug() {}, warn() {}, error() {}, info: (message: unknown) => void infos.push(String(message)), child: () => logger };
    const external = await select({ ipv4: true, ipv6: false, iface: ['wlan0', '10.9.9.9', 'eth1', 'eth0'], logger });
    expect(external.name).toBe('eth1');
    expect(infos[0]).toContain('--iface wlan0: no interface named wlan0');
    expect(infos.at(-1)).toBe('Using interface with name eth1 and address 10.20.0.5');
  });

  it('matches --iface-regex against addresses first, then names, after --iface', async () => {
    expect(await select({ ipv4: true, ipv6: false, iface: ['nope'], ifaceRegex: ['^10\\.20\\.'] })).toMatchObject({ name: 'eth1', address: '10.20.0.5' });
    expect(await select({ ipv4: true, ipv6: false, ifaceRegex: ['^br-'] })).toMatchObject({ name: 'br-lab', address: '169.254.3.3' });
    expect(await select({ ipv4: true, ipv6: false, ifaceRegex: ['^nothing', 'eth[1-9]'] })).toMatchObject({ name: 'eth1' });
  });

  it('requires both families to match the regex on one interface in dual stack', async () => {
    expect(await select({ ipv4: true, ipv6: true, ifaceRegex: ['^(10\\.20|fd00:20)'] })).toMatchObject({ name: 'eth1', address: '10.20.0.5', address6: 'fd00:20::5' });
  });

  it('lists the available interfaces when no regex matches', async () => {
    expect(await failure({ ipv4: true, ipv6: false, ifaceRegex: ['^zz'] })).toContain(
      'could not match pattern ^zz to any of the available network interfaces (lo:[], eth0:[192.168.64.2], eth1:[10.20.0.5], br-lab:[169.254.3.3])',
    );
  });

  it('refuses a regex with a backreference or lookaround, as flanneld\'s RE2 does, before matching anything', async () => {
    expect(await failure({ ipv4: true, ipv6: false, ifaceRegex: ['^(eth)\\1'] })).toContain('could not compile the regex "^(eth)\\\\1": must not use a backreference (\\1)');
    expect(await failure({ ipv4: true, ipv6: false, ifaceRegex: ['^eth(?!0)'] })).toContain('must not use a lookahead "(?!"');
  });

  it('uses the interface of the route to --iface-can-reach', async () => {
    expect(await select({ ipv4: true, ipv6: false, ifaceCanReach: '10.20.7.7' })).toMatchObject({ name: 'eth1', address: '10.20.0.5' });
    expect(await select({ ipv4: true, ipv6: false, ifaceCanReach: '8.8.8.8' })).toMatchObject({ name: 'eth0', address: '192.168.64.2' });
  });

  it('prefers a global address to a link-local one and a permanent one to a dynamic one', async () => {
    const netlink = createRecordingNetlink({ links: [{ name: 'eth0', addresses: ['169.254.9.9/16'] }] });
    await netlink.outside.addAddress({ family: 4, index: 2, address: '10.1.1.1', prefixLength: 24, dynamic: true });
    await netlink.outside.addAddress({ family: 4, index: 2, address: '10.1.1.2', prefixLength: 24 });
    expect(await selectExternalInterface({ netlink, ipv4: true, ipv6: false, iface: ['eth0'] })).toMatchObject({ address: '10.1.1.2' });
  });

  it('fails when the interface has no usable address of a needed family', async () => {
    expect(await failure({ ipv4: true, ipv6: true, iface: ['br-lab'] })).toContain('failed to find an IPv6 address for interface br-lab');
    expect(await failure({ ipv4: true, ipv6: false, iface: ['lo'] })).toContain('failed to find an IPv4 address for interface lo');
  });

  it('uses --public-ipv6 to find the v6 address in dual stack with an --iface IP', async () => {
    expect(await select({ ipv4: true, ipv6: true, iface: ['10.20.0.5'], publicIPv6: 'fd00:20::5' })).toMatchObject({ name: 'eth1', address6: 'fd00:20::5' });
    expect(await failure({ ipv4: true, ipv6: true, iface: ['10.20.0.5'], publicIPv6: '2001:db8:64::2' })).toContain(
      'v6 interface eth0 must be the same as v4 interface eth1',
    );
    expect(await failure({ ipv4: true, ipv6: true, iface: ['fd00:20::5'] })).toContain('set --public-ipv6');
  });

  it('rejects configs that enable no family and invalid public addresses', async () => {
    expect(await failure({ ipv4: false, ipv6: false })).toContain('neither IPv4 nor IPv6');
    expect(await failure({ ipv4: true, ipv6: false, publicIP: 'bogus' })).toBe('--public-ip bogus is invalid: must be an IP address');
  });

  it('reports every candidate when none matches', async () => {
    expect(await failure({ ipv4: true, ipv6: false, iface: ['wlan0'], ifaceRegex: ['^zz'], ifaceCanReach: '10.99.0.1' }, { links: host.links })).toMatch(
      /^failed to find an interface to use: --iface wlan0: no interface named wlan0; --iface-regex \^zz: could not match .*; --iface-can-reach 10\.99\.0\.1: couldn't look up the route/u,
    );
  });
});
