import { describe, expect, it } from 'vitest';
import { kubeAnnotations } from './kube-annotations.js';
import { annotationPatch, networkAvailablePatch, publishedAttributes } from './lease-patch.js';
import { vtepMacOf } from './stored-node-data.js';

const n = kubeAnnotations();
const VXLAN = { publicIP: '192.168.0.1', backendType: 'vxlan', backendData: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}' };

describe('annotationPatch', () => {
  it('writes type, data, public-ip and kube-subnet-manager on a fresh node', () => {
    expect(annotationPatch({}, VXLAN, n)).toEqual({
      [n.backendType]: 'vxlan',
      [n.backendData]: VXLAN.backendData,
      [n.publicIP]: '192.168.0.1',
      [n.subnetKubeManaged]: 'true',
    });
  });

  it('writes what flanneld writes for udp (PublicIP only): an empty backend-type and backend-data null, and nothing at a restart', () => {
    const udp = { publicIP: '192.168.0.1' };
    const patch = annotationPatch({ 'node.alpha.kubernetes.io/ttl': '0' }, udp, n);
    expect(patch).toEqual({
      [n.backendType]: '',
      [n.backendData]: 'null',
      [n.publicIP]: '192.168.0.1',
      [n.subnetKubeManaged]: 'true',
    });
    expect(annotationPatch(patch!, udp, n)).toBeUndefined();
  });

  it('patches nothing when the node already carries the same values', () => {
    expect(annotationPatch(annotationPatch({}, VXLAN, n)!, VXLAN, n)).toBeUndefined();
  });

  it('sends only changed keys', () => {
    const current = annotationPatch({}, VXLAN, n)!;
    expect(annotationPatch(current, { ...VXLAN, publicIP: '192.168.0.7' }, n)).toEqual({ [n.publicIP]: '192.168.0.7' });
  });

  it('publishes public-ip-overwrite instead of the detected address, logging it, and re-patches at every start', () => {
    const lines: string[] = [];
    const logger = { info: (m: string) => void lines.push(m) } as never;
    const current = { [n.publicIPOverwrite]: '172.18.0.2' };
    const patch = annotationPatch(current, VXLAN, n, logger)!;
    expect(patch[n.publicIP]).toBe('172.18.0.2');
    expect(lines).toEqual([`Overriding public ip with '172.18.0.2' from node annotation '${n.publicIPOverwrite}'`]);
    expect(annotationPatch({ ...current, ...patch }, VXLAN, n)).toEqual({});
  });

  it('leaves v4 data and public-ip alone for IPv6-only vxlan (null v4 data)', () => {
    const patch = annotationPatch({}, { publicIP: '0.0.0.0', publicIPv6: 'fd00::1', backendType: 'vxlan', backendV6Data: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:01"}' }, n)!;
    expect(patch).toEqual({
      [n.backendType]: 'vxlan',
      [n.backendV6Data]: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:01"}',
      [n.publicIPv6]: 'fd00::1',
      [n.subnetKubeManaged]: 'true',
    });
  });

  it('writes v6 data for host-gw only with an IPv6 public address, as null', () => {
    expect(annotationPatch({}, { publicIP: '192.168.0.1', backendType: 'host-gw' }, n)).not.toHaveProperty(n.backendV6Data);
    expect(annotationPatch({}, { publicIP: '192.168.0.1', publicIPv6: 'fd00::1', backendType: 'host-gw' }, n)).toMatchObject({
      [n.backendData]: 'null',
      [n.backendV6Data]: 'null',
      [n.publicIPv6]: 'fd00::1',
    });
  });
});

describe('publishedAttributes', () => {
  const V6_VXLAN = { publicIP: '0.0.0.0', publicIPv6: 'fd00::1', backendType: 'vxlan', backendV6Data: '{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:01"}' };

  it('is the public-ip annotation after the patch: the overwrite when one is set, else the detected address', () => {
    expect(publishedAttributes({}, VXLAN, n)).toEqual(VXLAN);
    const current = { [n.publicIPOverwrite]: '172.18.0.2' };
    const published = publishedAttributes(current, VXLAN, n);
    expect(published).toEqual({ ...VXLAN, publicIP: '172.18.0.2' });
    expect(published.publicIP).toBe({ ...current, ...annotationPatch(current, VXLAN, n) }[n.publicIP]);
  });

  it('takes public-ipv6-overwrite where public-ipv6 is written, and no v4 overwrite for IPv6-only vxlan (public-ip is not written)', () => {
    const current = { [n.publicIPOverwrite]: '172.18.0.2', [n.publicIPv6Overwrite]: 'fd00::99' };
    expect(publishedAttributes(current, V6_VXLAN, n)).toEqual({ ...V6_VXLAN, publicIPv6: 'fd00::99' });
    expect(publishedAttributes(current, { publicIP: '192.168.0.1', backendType: 'host-gw' }, n)).toEqual({ publicIP: '172.18.0.2', backendType: 'host-gw' });
  });

  it('rejects an IPv6 overwrite peers would refuse (link-local, multicast), naming the annotation', () => {
    expect(() => publishedAttributes({ [n.publicIPv6Overwrite]: 'fe80::1' }, V6_VXLAN, n)).toThrow(
      `node annotation ${n.publicIPv6Overwrite} "fe80::1" is invalid: must not be a link-local address`,
    );
    expect(() => publishedAttributes({ [n.publicIPv6Overwrite]: 'ff02::1' }, V6_VXLAN, n)).toThrow(
      `node annotation ${n.publicIPv6Overwrite} "ff02::1" is invalid: must not be a multicast address`,
    );
  });

  it('rejects an overwrite that is not an address of its family, naming the annotation', () => {
    expect(() => publishedAttributes({ [n.publicIPOverwrite]: 'fd00::1' }, VXLAN, n)).toThrow(
      `node annotation ${n.publicIPOverwrite} "fd00::1" is invalid: must be an IPv4 address`,
    );
    expect(() => publishedAttributes({ [n.publicIPv6Overwrite]: '10.0.0.1' }, V6_VXLAN, n)).toThrow(
      `node annotation ${n.publicIPv6Overwrite} "10.0.0.1" is invalid: must be an IPv6 address`,
    );
  });
});

describe('networkAvailablePatch', () => {
  it('is the condition flannel sends, in Go struct key order', () => {
    expect(JSON.stringify(networkAvailablePatch(new Date('2026-12-04T20:00:00.123Z')))).toBe(
      '{"status":{"conditions":[{"type":"NetworkUnavailable","status":"False","lastHeartbeatTime":"2026-12-04T20:00:00Z","lastTransitionTime":"2026-12-04T20:00:00Z","reason":"FlannelIsUp","message":"Flannel is running on this node"}]}}',
    );
  });
});

describe('vtepMacOf', () => {
  it('reads the VtepMAC of backend data, in any key order, and nothing else', () => {
    expect(vtepMacOf('{"VNI":1,"VtepMAC":"12:C6:65:89:b4:e3"}')).toBe('12:c6:65:89:b4:e3');
    expect(vtepMacOf('{"VtepMAC":"12:c6:65:89:b4:e3","VNI":1}')).toBe('12:c6:65:89:b4:e3');
    expect(vtepMacOf('null')).toBeUndefined();
    expect(vtepMacOf('{"VtepMAC":"not-a-mac"}')).toBeUndefined();
    expect(vtepMacOf('{')).toBeUndefined();
  });
});
