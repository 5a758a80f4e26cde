import { describe, expect, it } from 'vitest';
import { FlannelError } from './errors.js';
import { parseNetworkConfig } from './parse-network-config.js';
import { networkConfigToJSON } from './network-config-to-json.js';

function parse(text: string) {
  return parseNetworkConfig(text).config;
}

function expectInvalid(text: string, message: string, options?: Parameters<typeof parseNetworkConfig>[1]) {
  try {
    parseNetworkConfig(text, options);
    expect.unreachable(`expected ${text} to be rejected`);
  } catch (error) {
    expect(FlannelError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toBe(message);
  }
}

describe('parseNetworkConfig', () => {
  // pkg/subnet/config_test.go TestConfigDefaults
  it('resolves IPv4 defaults for a /16 (lower-case keys)', () => {
    const config = parse('{ "network": "10.3.0.0/16" }');
    expect(config.network?.toString()).toBe('10.3.0.0/16');
    expect(config.subnetLen).toBe(24);
    expect(config.subnetMin?.toString()).toBe('10.3.1.0/24');
    expect(config.subnetMax?.toString()).toBe('10.3.255.0/24');
    expect(config.enableIPv4).toBe(true);
    expect(config.enableIPv6).toBe(false);
    expect(config.enableNFTables).toBe(false);
    expect(config.backendType).toBe('udp');
    expect(config.ipv6Network).toBeUndefined();
  });

  // TestIPv6ConfigDefaults
  it('resolves IPv6 defaults for fc00::/48', () => {
    const config = parse('{ "enableIPv6": true, "ipv6Network": "fc00::/48", "enableIPv4": false }');
    expect(config.ipv6Network?.toString()).toBe('fc00::/48');
    expect(config.ipv6SubnetLen).toBe(64);
    expect(config.ipv6SubnetMin?.address).toBe('fc00:0:0:1::');
    expect(config.ipv6SubnetMax?.address).toBe('fc00:0:0:ffff::');
    expect(config.network).toBeUndefined();
    expect(config.subnetLen).toBeUndefined();
  });

  // TestConfigOverrides
  it('keeps explicit SubnetMin, SubnetMax and SubnetLen', () => {
    const config = parse('{ "Network": "10.3.0.0/16", "SubnetMin": "10.3.5.0", "SubnetMax": "10.3.8.0", "SubnetLen": 28 }');
    expect(config.subnetMin?.toString()).toBe('10.3.5.0/28');
    expect(config.subnetMax?.toString()).toBe('10.3.8.0/28');
    expect(config.subnetLen).toBe(28);
  });

  // TestIPv6ConfigOverrides
  it('keeps explicit IPv6 overrides', () => {
    const config = parse(
      '{ "EnableIPv6": true, "IPv6Network": "fc00::/48", "IPv6SubnetMin": "fc00:0:0:1::", "IPv6SubnetMax": "fc00:0:0:f::", "IPv6SubnetLen": 124, "enableIPv4": false }',
    );
    expect(config.ipv6SubnetMin?.toString()).toBe('fc00:0:0:1::/124');
    expect(config.ipv6SubnetMax?.toString()).toBe('fc00:0:0:f::/124');
    expect(config.ipv6SubnetLen).toBe(124);
  });

  it.each([
    ['10.0.0.0/8', 24, '10.0.1.0', '10.255.255.0'],
    ['10.0.0.0/22', 24, '10.0.1.0', '10.0.3.0'],
    ['10.0.0.0/23', 25, '10.0.0.128', '10.0.1.128'],
    ['10.0.0.0/28', 30, '10.0.0.4', '10.0.0.12'],
    ['240.0.0.0/4', 24, '240.0.1.0', '255.255.255.0'],
  ])('sizes subnets of %s as flannel does (SubnetLen %i)', (network, len, min, max) => {
    const config = parse(JSON.stringify({ Network: network }));
    expect([config.subnetLen, config.subnetMin?.address, config.subnetMax?.address]).toEqual([len, min, max]);
  });

  it.each([
    ['fc00::/62', 64],
    ['fc00::/63', 65],
    ['fc00::/124', 126],
  ])('sizes IPv6 subnets of %s (IPv6SubnetLen %i)', (network, len) => {
    expect(parse(JSON.stringify({ EnableIPv4: false, EnableIPv6: true, IPv6Network: network })).ipv6SubnetLen).toBe(len);
  });

  it('parses a dual-stack config with backend options, lower-casing the type', () => {
    const config = parse(
      '{"Network":"10.244.0.0/16","IPv6Network":"fd00:10:244::/56","EnableIPv6":true,"EnableNFTables":true,"Backend":{"Type":"VXLAN","VNI":4096,"Port":4789}}',
    );
    expect(config.enableIPv6 && config.enableIPv4 && config.enableNFTables).toBe(true);
    expect(config.ipv6SubnetMin?.toString()).toBe('fd00:10:244:1::/64');
    expect(config.ipv6SubnetMax?.toString()).toBe('fd00:10:244:ff::/64');
    expect(config.backendType).toBe('vxlan');
    expect(config.backend).toEqual({ Type: 'VXLAN', VNI: 4096, Port: 4789 });
  });

  it('parses the documented example (configuration.md)', () => {
    const config = parse('{"Network":"10.0.0.0/8","SubnetLen":20,"SubnetMin":"10.10.0.0","SubnetMax":"10.99.0.0","Backend":{"Type":"udp","Port":7890}}');
    expect([config.subnetLen, config.subnetMin?.toString(), config.subnetMax?.toString()]).toEqual([20, '10.10.0.0/20', '10.99.0.0/20']);
  });

  it('returns a deeply frozen config', () => {
    const config = parse('{"Network":"10.0.0.0/8","Backend":{"Type":"vxlan","Nested":{"a":1}}}');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.backend['Nested'])).toBe(true);
  });

  it('normalises a Network given with host bits, as net.ParseCIDR does', () => {
    expect(parse('{"Network":"10.3.4.5/16"}').network?.toString()).toBe('10.3.0.0/16');
  });

  it('treats the zero address and JSON null as "not set"', () => {
    const config = parse('{"Network":"10.3.0.0/16","SubnetMin":"0.0.0.0","SubnetLen":null,"EnableIPv4":null,"IPv6SubnetMin":null}');
    expect([config.subnetLen, config.subnetMin?.address, config.enableIPv4]).toEqual([24, '10.3.1.0', true]);
  });

  it('keeps an earlier value when a later key differing only in case is JSON null, as Go does for plain fields', () => {
    const config = parse('{"Network":"10.3.0.0/16","SubnetLen":26,"subnetlen":null,"EnableIPv4":true,"enableipv4":null,"Backend":{"Type":"vxlan","type":null}}');
    expect([config.subnetLen, config.enableIPv4, config.backendType]).toEqual([26, true, 'vxlan']);
  });

  it('lets a later JSON null clear IPv6SubnetMin, a pointer field in Go', () => {
    const config = parse('{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/48","IPv6SubnetMin":"fc00:0:0:5::","ipv6subnetmin":null}');
    expect(config.ipv6SubnetMin?.address).toBe('fc00:0:0:1::');
  });

  it('rejects a malformed value of a disabled family, as Go\'s json.Unmarshal does', () => {
    expectInvalid('{"Network":"10.0.0.0/8","IPv6Network":"garbage"}', 'IPv6Network "garbage" is invalid: must be an IPv6 CIDR like "fc00::/48"');
    expectInvalid(
      '{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/48","Network":7}',
      'Network 7 is invalid: must be an IPv4 CIDR string like "10.0.0.0/8"',
    );
    expectInvalid('{"Network":"10.0.0.0/8","IPv6SubnetLen":-1}', 'IPv6SubnetLen -1 is invalid: must be a non-negative integer');
  });

  it('rejects an IPv6Network overlapping the IPv4-mapped range (its subnets could not be named by lease keys)', () => {
    for (const [network, shown] of [['::ffff:10.0.0.0/104', '::ffff:10.0.0.0/104'], ['::/64', '::/64'], ['::ffff:0:0/96', '::ffff:0.0.0.0/96']]) {
      expectInvalid(
        JSON.stringify({ EnableIPv4: false, EnableIPv6: true, IPv6Network: network }),
        `IPv6Network "${shown}" is invalid: must not overlap the IPv4-mapped range ::ffff:0:0/96`,
      );
    }
  });

  it('names an out-of-range SubnetLen by the number as written', () => {
    expectInvalid('{"Network":"10.0.0.0/8","SubnetLen":99999999999999999999999}', 'SubnetLen 99999999999999999999999 is invalid: must be at most 30');
  });

  it('matches keys case-insensitively with the last one winning', () => {
    expect(parse('{"Network":"10.1.0.0/16","NETWORK":"10.2.0.0/16"}').network?.toString()).toBe('10.2.0.0/16');
  });

  it('warns about unknown keys and an impossible range, and tells the logger', () => {
    const lines: string[] = [];
    const log = (_fields: unknown, message?: string) => void lines.push(String(message));
    const logger = { trace: log, debug: log, info: log, warn: log, error: log, child: () => logger };
    const { warnings } = parseNetworkConfig('{"Network":"10.3.0.0/16","Backnd":{},"BackendType":"vxlan","SubnetMin":"10.3.9.0","SubnetMax":"10.3.2.0"}', {
      logger,
    });
    expect(warnings).toEqual([
      'unknown key "Backnd" in network config is ignored',
      'unknown key "BackendType" in network config is ignored',
      'SubnetMin 10.3.9.0 is after SubnetMax 10.3.2.0: no subnet can be allocated',
    ]);
    expect(lines).toEqual(warnings);
  });

  it('accepts a Backend of null as flannel does, but then requires a Type', () => {
    expectInvalid('{"Network":"10.0.0.0/8","Backend":null}', 'Backend.Type is missing: must name a backend type such as "vxlan", "host-gw" or "udp"');
  });

  it('names the line and column of a JSON syntax error once, even where causes are printed', () => {
    let error: unknown;
    try {
      parseNetworkConfig('{"Network":');
    } catch (caught) {
      error = caught;
    }
    expect(FlannelError.hasCode(error, 'CONFIG_INVALID')).toBe(true);
    // What a logger that follows the cause chain shows (e.g. "message: cause message: …").
    const chain: string[] = [];
    for (let link: unknown = error; link instanceof Error; link = link.cause) chain.push(link.message);
    expect(chain.join(': ')).toBe('network config is not valid JSON: unexpected end of JSON input at line 1 column 12');
  });

  it.each([
    ['{"Network":"10.0.0.0/8",}', 'network config is not valid JSON: invalid character "}" looking for beginning of object key string at line 1 column 25'],
    ['{\n  "Network": "10.0.0.0/8"\n  "SubnetLen": 24\n}', 'network config is not valid JSON: invalid character "\\"" after object key:value pair at line 3 column 3'],
    ['[]', 'network config is invalid: must be a JSON object like {"Network":"10.0.0.0/8"}'],
    ['{}', 'Network is missing: an IPv4 network is required when EnableIPv4 is true'],
    ['{"Network":"0.0.0.0/0"}', 'Network "0.0.0.0/0" is invalid: the prefix must be longer than /0 (a /0 network covers every address)'],
    ['{"Network":"10.0.0.0/0"}', 'Network "0.0.0.0/0" is invalid: the prefix must be longer than /0 (a /0 network covers every address)'],
    ['{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/0"}', 'IPv6Network "::/0" is invalid: the prefix must be longer than /0 (a /0 network covers every address)'],
    ['{"Network":"10.0.0.0"}', 'Network "10.0.0.0" is invalid: must be an IPv4 CIDR like "10.0.0.0/8"'],
    ['{"Network":"fc00::/48"}', 'Network "fc00::/48" is invalid: must be an IPv4 CIDR like "10.0.0.0/8"'],
    ['{"Network":null}', 'Network null is invalid: must be an IPv4 CIDR string like "10.0.0.0/8"'],
    ['{"Network":10}', 'Network 10 is invalid: must be an IPv4 CIDR string like "10.0.0.0/8"'],
    ['{"Network":"10.0.0.0/8","SubnetLen":31}', 'SubnetLen 31 is invalid: must be at most 30'],
    ['{"Network":"10.0.0.0/16","SubnetLen":17}', 'SubnetLen 17 is invalid: must be at least 18 so that Network 10.0.0.0/16 holds at least four subnets'],
    ['{"Network":"10.0.0.0/8","SubnetLen":24.5}', 'SubnetLen 24.5 is invalid: must be a non-negative integer'],
    ['{"Network":"10.0.0.0/8","SubnetLen":-1}', 'SubnetLen -1 is invalid: must be a non-negative integer'],
    ['{"Network":"10.0.0.0/8","SubnetLen":"24"}', 'SubnetLen "24" is invalid: must be a non-negative integer'],
    ['{"Network":"10.0.0.0/29"}', 'Network "10.0.0.0/29" is invalid: prefix must be at most /28 (the network is too small for four subnets)'],
    ['{"Network":"10.3.0.0/16","SubnetMin":"10.4.0.0"}', 'SubnetMin "10.4.0.0" is invalid: must be inside Network 10.3.0.0/16'],
    ['{"Network":"10.3.0.0/16","SubnetMax":"10.4.0.0"}', 'SubnetMax "10.4.0.0" is invalid: must be inside Network 10.3.0.0/16'],
    ['{"Network":"10.3.0.0/16","SubnetMin":"10.3.1.5"}', 'SubnetMin "10.3.1.5" is invalid: must be on a SubnetLen (/24) boundary, e.g. 10.3.1.0'],
    ['{"Network":"10.3.0.0/16","SubnetMax":"10.3.1.128"}', 'SubnetMax "10.3.1.128" is invalid: must be on a SubnetLen (/24) boundary, e.g. 10.3.1.0'],
    ['{"Network":"10.3.0.0/16","SubnetMin":"nope"}', 'SubnetMin "nope" is invalid: must be an IPv4 address string'],
    ['{"Network":"10.3.0.0/16","EnableIPv6":"yes"}', 'EnableIPv6 "yes" is invalid: must be true or false'],
    ['{"Network":"10.3.0.0/16","EnableIPv6":true}', 'IPv6Network is missing: an IPv6 network is required when EnableIPv6 is true'],
    ['{"EnableIPv4":false}', 'EnableIPv4 false is invalid: at least one of EnableIPv4 and EnableIPv6 must be true'],
    ['{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"10.0.0.0/8"}', 'IPv6Network "10.0.0.0/8" is invalid: must be an IPv6 CIDR like "fc00::/48"'],
    ['{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/48","IPv6SubnetLen":127}', 'IPv6SubnetLen 127 is invalid: must be at most 126'],
    [
      '{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/48","IPv6SubnetLen":49}',
      'IPv6SubnetLen 49 is invalid: must be at least 50 so that IPv6Network fc00::/48 holds at least four subnets',
    ],
    ['{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/125"}', 'IPv6Network "fc00::/125" is invalid: prefix must be at most /124 (the network is too small for four subnets)'],
    ['{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/48","IPv6SubnetMin":"fc01::"}', 'IPv6SubnetMin "fc01::" is invalid: must be inside IPv6Network fc00::/48'],
    ['{"EnableIPv4":false,"EnableIPv6":true,"IPv6Network":"fc00::/48","IPv6SubnetMax":"fc00::1"}', 'IPv6SubnetMax "fc00::1" is invalid: must be on a IPv6SubnetLen (/64) boundary, e.g. fc00::'],
    ['{"Network":"10.0.0.0/8","Backend":"vxlan"}', 'Backend "vxlan" is invalid: must be an object like {"Type":"vxlan"}'],
    ['{"Network":"10.0.0.0/8","Backend":{"Port":1}}', 'Backend.Type is missing: must name a backend type such as "vxlan", "host-gw" or "udp"'],
    ['{"Network":"10.0.0.0/8","Backend":{"Type":1}}', 'Backend.Type 1 is invalid: must be a string'],
  ])('rejects %s', (text, message) => {
    expectInvalid(text, message);
  });

  describe('in Kubernetes mode (checkSubnets: false)', () => {
    it('parses without requiring or resolving subnets', () => {
      const { config } = parseNetworkConfig('{"Network":"10.244.0.0/16","EnableNFTables":false,"Backend":{"Type":"vxlan"}}', { checkSubnets: false });
      expect(config.network?.toString()).toBe('10.244.0.0/16');
      expect(config.subnetLen).toBeUndefined();
      expect(config.subnetMin).toBeUndefined();
      expect(config.backendType).toBe('vxlan');
    });

    it('accepts what only CheckNetworkConfig rejects', () => {
      expect(parseNetworkConfig('{"Network":"10.0.0.0/30","SubnetLen":31}', { checkSubnets: false }).config.network?.toString()).toBe('10.0.0.0/30');
      expect(parseNetworkConfig('{}', { checkSubnets: false }).config.network).toBeUndefined();
    });

    it('still rejects values of the wrong type', () => {
      expectInvalid('{"Network":"10.0.0.0/8","SubnetLen":"x"}', 'SubnetLen "x" is invalid: must be a non-negative integer', { checkSubnets: false });
      expectInvalid('{"Network":"10.0.0.0"}', 'Network "10.0.0.0" is invalid: must be an IPv4 CIDR like "10.0.0.0/8"', { checkSubnets: false });
    });
  });
});

describe('networkConfigToJSON', () => {
  it('writes flannel key names in flannel field order', () => {
    const json = JSON.stringify(networkConfigToJSON(parse('{"network":"10.3.0.0/16"}')));
    expect(json).toBe(
      '{"EnableIPv4":true,"EnableIPv6":false,"EnableNFTables":false,"Network":"10.3.0.0/16","SubnetMin":"10.3.1.0","SubnetMax":"10.3.255.0","SubnetLen":24,"Backend":{"Type":"udp"}}',
    );
  });

  it('writes dual-stack fields and the backend options with Type first', () => {
    const config = parse('{"Network":"10.244.0.0/16","IPv6Network":"fd00::/56","EnableIPv6":true,"Backend":{"vni":2,"type":"VXLAN"}}');
    expect(networkConfigToJSON(config)).toEqual({
      EnableIPv4: true,
      EnableIPv6: true,
      EnableNFTables: false,
      Network: '10.244.0.0/16',
      IPv6Network: 'fd00::/56',
      SubnetMin: '10.244.1.0',
      SubnetMax: '10.244.255.0',
      IPv6SubnetMin: 'fd00:0:0:1::',
      IPv6SubnetMax: 'fd00:0:0:ff::',
      SubnetLen: 24,
      IPv6SubnetLen: 64,
      Backend: { Type: 'vxlan', vni: 2 },
    });
  });

  it('keeps a Backend key named __proto__ as a key, leaving the printed object\'s prototype alone', () => {
    const json = networkConfigToJSON(parse('{"Network":"10.3.0.0/16","Backend":{"Type":"vxlan","__proto__":{"VNI":5}}}'));
    const backend = json['Backend'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(backend)).toBe(Object.prototype);
    expect(backend['VNI']).toBeUndefined();
    expect(JSON.stringify(backend)).toBe('{"Type":"vxlan","__proto__":{"VNI":5}}');
  });

  it('round-trips through parseNetworkConfig', () => {
    const config = parse('{"Network":"10.0.0.0/8","SubnetLen":20,"SubnetMin":"10.10.0.0","SubnetMax":"10.99.0.0","Backend":{"Type":"udp","Port":7890}}');
    const again = parse(JSON.stringify(networkConfigToJSON(config)));
    expect(networkConfigToJSON(again)).toEqual(networkConfigToJSON(config));
  });
});
