import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, DEFAULT_SUBNET_FILE, loadFlannelNetConf } from './net-conf.js';

describe('loadFlannelNetConf', () => {
  it('defaults subnetFile and dataDir', () => {
    expect(loadFlannelNetConf({ name: 'cni-flannel', type: 'flannel' })).toMatchObject({ subnetFile: DEFAULT_SUBNET_FILE, dataDir: DEFAULT_DATA_DIR, delegate: null, ipam: null });
  });

  it('matches keys case-insensitively, the last one winning, as Go does', () => {
    expect(loadFlannelNetConf({ name: 'n', SubnetFile: '/a', subnetfile: '/b', DATADIR: '/d' })).toMatchObject({ subnetFile: '/b', dataDir: '/d' });
  });

  it('keeps the default when a string field is null', () => {
    expect(loadFlannelNetConf({ name: 'n', subnetFile: null }).subnetFile).toBe(DEFAULT_SUBNET_FILE);
  });

  it('refuses wrong JSON types with Go\'s text', () => {
    expect(() => loadFlannelNetConf({ name: 'n', subnetFile: 5 })).toThrow('failed to load netconf: json: cannot unmarshal number into Go struct field NetConf.subnetFile of type string');
    expect(() => loadFlannelNetConf({ name: 'n', delegate: 'bridge' })).toThrow('failed to load netconf: json: cannot unmarshal string into Go struct field NetConf.delegate of type map[string]interface {}');
    expect(() => loadFlannelNetConf({ name: 'n', capabilities: { portMappings: 'yes' } })).toThrow('of type bool');
  });
});
