// Parse a flannel network config exactly as flanneld reads `<prefix>/config` from etcd.
// Run: pnpm exec tsx docs/examples/parse-config.ts
import { backendIntegerOption, FlannelError, networkConfigToJSON, parseNetworkConfig } from '@flannel-ts/core';

const text = '{"network":"10.5.0.0/16","Backend":{"Type":"vxlan","vni":4},"Mtu":1400}';
const { config, warnings } = parseNetworkConfig(text);

console.log(config.backendType); // 'vxlan'
console.log(config.network?.toString(), config.subnetLen); // '10.5.0.0/16' 24
console.log(config.subnetMin?.toString(), config.subnetMax?.toString()); // '10.5.1.0/24' '10.5.255.0/24'
console.log(backendIntegerOption(config, 'VNI', 1, { min: 0, max: 16_777_215 })); // 4 (keys are case-insensitive)
console.log(warnings); // the unknown key "Mtu" is reported, not fatal
console.log(JSON.stringify(networkConfigToJSON(config))); // resolved, with flannel's key names

try {
  parseNetworkConfig('{"Network":"10.5.0.0/16","SubnetLen":31,"Backend":{"Type":"vxlan"}}');
} catch (error) {
  if (!FlannelError.hasCode(error, 'CONFIG_INVALID')) throw error;
  console.log(error.message); // 'SubnetLen 31 is invalid: must be at most 30'
}
