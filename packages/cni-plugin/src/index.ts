/**
 * `@flannel-ts/cni-plugin`: flannel's CNI plugin (the executable `flannel`), byte-compatible with
 * flannel-io/cni-plugin, and `installCni` for putting it and a conflist on a node.
 * @packageDocumentation
 */
export { CNI_ERROR_CODES, CniError } from './skel/cni-error.js';
export { CURRENT_VERSION, SUPPORTED_VERSIONS, cniVersionAtLeast, parseCniVersion, versionInfoText } from './skel/cni-version.js';
export { pluginMain, validateContainerId, validateInterfaceName, validateNetworkName } from './skel/skel.js';
export type { CmdArgs, CniFuncs, PluginIo, Writer } from './skel/skel.js';
export { findInPath, processPluginExec } from './skel/invoke.js';
export type { PluginExec } from './skel/invoke.js';
export { DEFAULT_DATA_DIR, DEFAULT_SUBNET_FILE, loadFlannelNetConf } from './flannel/net-conf.js';
export type { FlannelNetConf, JsonMap } from './flannel/net-conf.js';
export { loadFlannelSubnetEnv, parseFlannelSubnetEnv } from './flannel/subnet-env.js';
export type { FlannelSubnetEnv } from './flannel/subnet-env.js';
export { buildDelegate } from './flannel/delegate.js';
export { saveScratchNetConf, scratchPath } from './flannel/scratch-file.js';
export { flannelPlugin } from './flannel/flannel-plugin.js';
export type { FlannelPluginOptions } from './flannel/flannel-plugin.js';
export { aboutText, PLUGIN_VERSION, processPluginIo, runFlannelPlugin } from './flannel/flannel-main.js';
export { convertCniResult, decodeCniResult, formatCniResult, parseDelegateResult } from './result/cni-result.js';
export type { CniDns, CniInterface, CniIp02, CniIpConfig, CniResult } from './result/cni-result.js';
export type { CniRoute } from './flannel/ipam-routes.js';
export type { GoIpNet } from './go-json/go-net.js';
export { goJsonEncode, GoStruct } from './go-json/go-json-encode.js';
export type { GoJsonEncodeOptions, GoJsonValue } from './go-json/go-json-encode.js';
export { checkConflist, defaultArtifactsDir, installCni } from './install/install-cni.js';
export type { InstallCniOptions, InstallCniResult, PluginKind } from './install/install-cni.js';
export { installFileAtomically } from './install/atomic-install.js';
