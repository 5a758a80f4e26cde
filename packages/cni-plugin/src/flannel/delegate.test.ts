import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { goJsonEncode } from '../go-json/go-json-encode.js';
import type { GoJsonValue } from '../go-json/go-json-encode.js';
import { buildDelegate } from './delegate.js';
import { loadFlannelNetConf } from './net-conf.js';
import { parseFlannelSubnetEnv } from './subnet-env.js';

const V4 = 'FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n';
const V6 = 'FLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00::1/64\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n';
const DUAL = 'FLANNEL_NETWORK=10.1.0.0/16\nFLANNEL_SUBNET=10.1.17.1/24\nFLANNEL_IPV6_NETWORK=fc00::/48\nFLANNEL_IPV6_SUBNET=fc00::1/64\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n';
const fixture = (name: string): string => readFileSync(new URL(`../__fixtures__/${name}`, import.meta.url), 'utf8');

/** The scratch file's text for a config and a subnet.env. */
const scratch = (conf: object, env = V4): string => goJsonEncode(buildDelegate(loadFlannelNetConf(conf), parseFlannelSubnetEnv(env, 'subnet.env')) as GoJsonValue, { sortKeys: true });
const delegate = (conf: object, env = V4): Record<string, unknown> => JSON.parse(scratch(conf, env)) as Record<string, unknown>;
const failure = (conf: object, env = V4): string => {
  try {
    scratch(conf, env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'built';
};

describe('buildDelegate', () => {
  it('writes the IPv4 delegate byte for byte as flannel\'s Go plugin', () => {
    expect(scratch({ name: 'cni-flannel', type: 'flannel' })).toBe(fixture('go-scratch-ipv4.json'));
  });

  it('writes the dual-stack delegate byte for byte: one range per family, v4 routes before v6', () => {
    expect(scratch({ name: 'cni-flannel', type: 'flannel' }, DUAL)).toBe(fixture('go-scratch-dual.json'));
  });

  it('writes kube-flannel\'s delegate (hairpinMode, isDefaultGateway, cniVersion copied) byte for byte', () => {
    const env = 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n';
    expect(scratch({ name: 'cbr0', cniVersion: '0.3.1', type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } }, env)).toBe(fixture('go-scratch-kube-flannel.json'));
  });

  it('builds an IPv6-only delegate', () => {
    expect(delegate({ name: 'n', type: 'flannel' }, V6)['ipam']).toEqual({ ranges: [[{ subnet: 'fc00::/64' }]], routes: [{ dst: 'fc00::/48' }], type: 'host-local' });
  });

  it('inverts FLANNEL_IPMASQ into ipMasq and keeps a user ipMasq', () => {
    expect(delegate({ name: 'n' }, V4.replace('IPMASQ=true', 'IPMASQ=false'))['ipMasq']).toBe(true);
    expect(delegate({ name: 'n' })['ipMasq']).toBe(false);
    expect(delegate({ name: 'n', delegate: { ipMasq: true } })['ipMasq']).toBe(true);
  });

  it('takes mtu from FLANNEL_MTU unless the delegate sets it, and isGateway only for bridge', () => {
    expect(delegate({ name: 'n', delegate: { mtu: 1400, isGateway: false } })).toMatchObject({ mtu: 1400, isGateway: false });
    const ipvlan = delegate({ name: 'n', delegate: { type: 'ipvlan', master: 'eth0' } });
    expect(ipvlan).toMatchObject({ type: 'ipvlan', mtu: 1472, master: 'eth0' });
    expect(ipvlan).not.toHaveProperty('isGateway');
  });

  it('copies cniVersion over the delegate\'s and leaves it out when the config has none', () => {
    expect(delegate({ name: 'n', cniVersion: '1.0.0', delegate: { cniVersion: '0.2.0' } })['cniVersion']).toBe('1.0.0');
    expect(delegate({ name: 'n', delegate: { cniVersion: '0.2.0' } })['cniVersion']).toBe('0.2.0');
    expect(delegate({ name: 'n' })).not.toHaveProperty('cniVersion');
  });

  it('copies runtimeConfig into the delegate', () => {
    expect(delegate({ name: 'n', runtimeConfig: { portMappings: [{ hostPort: 80 }] } })['runtimeConfig']).toEqual({ portMappings: [{ hostPort: 80 }] });
  });

  it('replaces ipam ranges, appends flannel routes to the user\'s and passes other ipam keys through', () => {
    const ipam = delegate({
      name: 'n',
      ipam: { type: 'my-ipam', 'unknown-param': 'unknown-value', ranges: [[{ subnet: '192.0.2.0/24' }]], routes: [{ dst: '10.96.0.0/12' }, { dst: '192.168.244.0/24', gw: '10.1.17.20' }] },
    })['ipam'];
    expect(ipam).toEqual({
      type: 'my-ipam',
      'unknown-param': 'unknown-value',
      ranges: [[{ subnet: '10.1.17.0/24' }]],
      routes: [{ dst: '10.96.0.0/12' }, { dst: '192.168.244.0/24', gw: '10.1.17.20' }, { dst: '10.1.0.0/16' }],
    });
  });

  it('re-writes user routes as types.Route: field order, empty fields dropped, dst as written', () => {
    expect(scratch({ name: 'n', ipam: { routes: [{ priority: 5, gw: '', dst: '10.2.3.1/24', table: 0, mtu: 0, extra: 1 }] } })).toContain(
      '"routes":[{"dst":"10.2.3.1/24","priority":5,"table":0},{"dst":"10.1.0.0/16"}]',
    );
  });

  it('adds one route per network of a two-network file', () => {
    expect((delegate({ name: 'n' }, V4.replace('10.1.0.0/16', '10.1.0.0/16,192.168.0.0/16'))['ipam'] as { routes: unknown })['routes']).toEqual([{ dst: '10.1.0.0/16' }, { dst: '192.168.0.0/16' }]);
  });

  it('refuses delegate keys flannel sets itself, and a non-string type', () => {
    expect(failure({ name: 'n', delegate: { name: 'x' } })).toBe("'delegate' dictionary must not have 'name' field, it'll be set by flannel");
    expect(failure({ name: 'n', delegate: { ipam: {} } })).toBe("'delegate' dictionary must not have 'ipam' field, it'll be set by flannel");
    expect(failure({ name: 'n', delegate: { type: 5 } })).toBe("'delegate' dictionary, if present, must have (string) 'type' field");
    expect(failure({ name: 'n', delegate: { type: null } })).toBe("'delegate' dictionary, if present, must have (string) 'type' field");
  });

  it('refuses bad ipam routes with flannel\'s wrapped message', () => {
    expect(failure({ name: 'n', ipam: { routes: [{ dst: 'nope' }] } })).toBe('failed to assemble Delegate IPAM: failed to read IPAM routes: failed to parse ipam.routes: invalid CIDR address: nope');
    expect(failure({ name: 'n', ipam: { routes: [{ dst: '10.0.0.0/8', gw: 'x' }] } })).toBe('failed to assemble Delegate IPAM: failed to read IPAM routes: failed to parse ipam.routes: invalid IP address: x');
    expect(failure({ name: 'n', ipam: { routes: [{ dst: '10.0.0.0/8', mtu: '1' }] } })).toBe(
      'failed to assemble Delegate IPAM: failed to read IPAM routes: failed to parse ipam.routes: json: cannot unmarshal string into Go struct field route.mtu of type int',
    );
    expect(failure({ name: 'n', ipam: { routes: {} } })).toBe('failed to assemble Delegate IPAM: failed to read IPAM routes: failed to parse ipam.routes: json: cannot unmarshal object into Go value of type []types.Route');
  });

  it('keeps a __proto__ key of the user\'s delegate as data', () => {
    const conf = JSON.parse('{"name":"n","delegate":{"__proto__":{"polluted":true}}}') as object;
    expect(scratch(conf)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
