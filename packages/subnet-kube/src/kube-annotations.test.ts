import { describe, expect, it } from 'vitest';
import { kubeAnnotations } from './kube-annotations.js';

describe('kubeAnnotations', () => {
  // flannel's Test_newAnnotations cases (pkg/subnet/kube/annotations_test.go), then the unanchored-regex ones.
  it.each([
    ['flannel.alpha.coreos.com', 'flannel.alpha.coreos.com/backend-type'],
    ['flannel.alpha.coreos.com/', 'flannel.alpha.coreos.com/backend-type'],
    ['flannel.alpha.coreos.com/prefix', 'flannel.alpha.coreos.com/prefix-backend-type'],
    ['flannel.alpha.coreos.com/prefix-', 'flannel.alpha.coreos.com/prefix-backend-type'],
    ['org.com', 'org.com/backend-type'],
    ['org9.com', 'org9.com/backend-type'],
    ['org.com/9', 'org.com/9-backend-type'],
    ['example.com/foo', 'example.com/foo-backend-type'],
    ['Flannel.alpha.coreos.com', 'Flannel.alpha.coreos.com/backend-type'],
    ['a b.example.com', 'a b.example.com/backend-type'],
  ])('normalises %j to %j', (prefix, backendType) => {
    expect(kubeAnnotations(prefix).backendType).toBe(backendType);
  });

  it.each(['org', 'org/', 'org/prefix', 'org.COM', 'org.com/PREFIX', 'ORG.com', 'example.com/Foo-'])('rejects %j as flannel does', (prefix) => {
    expect(() => kubeAnnotations(prefix)).toThrow('is invalid: must be in a format: fqdn/[0-9a-z-_]*');
  });

  it('rejects more than one slash', () => {
    expect(() => kubeAnnotations('a.com/b/c')).toThrow('subnet/kube: prefix can contain at most single slash');
  });

  it('names all ten annotations', () => {
    expect(Object.values(kubeAnnotations())).toEqual([
      'flannel.alpha.coreos.com/',
      'flannel.alpha.coreos.com/kube-subnet-manager',
      'flannel.alpha.coreos.com/backend-data',
      'flannel.alpha.coreos.com/backend-v6-data',
      'flannel.alpha.coreos.com/backend-type',
      'flannel.alpha.coreos.com/public-ip',
      'flannel.alpha.coreos.com/public-ipv6',
      'flannel.alpha.coreos.com/node-public-ip',
      'flannel.alpha.coreos.com/node-public-ipv6',
      'flannel.alpha.coreos.com/public-ip-overwrite',
      'flannel.alpha.coreos.com/public-ipv6-overwrite',
    ]);
  });
});
