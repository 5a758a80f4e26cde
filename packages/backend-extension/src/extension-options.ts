// The extension backend's config keys (pkg/backend/extension/extension.go: PreStartupCommand,
// PostStartupCommand, SubnetAddCommand, SubnetRemoveCommand; matched case-insensitively as Go's
// encoding/json does). An empty string means "no command", as in flannel.
import { backendStringOption, FlannelError } from '@flannel-ts/core';
import type { NetworkConfig } from '@flannel-ts/core';
import { splitCommandFields } from './command-line.js';

/** The four commands of the extension backend; "" when not configured. */
export interface ExtensionOptions {
  readonly preStartupCommand: string;
  readonly postStartupCommand: string;
  readonly subnetAddCommand: string;
  readonly subnetRemoveCommand: string;
}

/** The config key of each command, as flannel spells it. */
export const EXTENSION_COMMAND_KEYS = {
  preStartupCommand: 'PreStartupCommand',
  postStartupCommand: 'PostStartupCommand',
  subnetAddCommand: 'SubnetAddCommand',
  subnetRemoveCommand: 'SubnetRemoveCommand',
} as const satisfies Record<keyof ExtensionOptions, string>;

/**
 * Reads the extension backend's commands from the config's `Backend` section. Throws `CONFIG_INVALID`
 * naming the key when a value is not a string, or is only white space (flannel would crash on it: its
 * `strings.Fields` gives no program to run).
 *
 * @example
 * ```ts
 * parseExtensionOptions(config).subnetAddCommand; // '/etc/flannel/add.sh $SUBNET'
 * ```
 */
export function parseExtensionOptions(config: Pick<NetworkConfig, 'backend'>): ExtensionOptions {
  const read = (key: keyof ExtensionOptions): string => {
    const name = EXTENSION_COMMAND_KEYS[key];
    const value = backendStringOption(config, name, '');
    if (value !== '' && splitCommandFields(value).length === 0) {
      throw new FlannelError('CONFIG_INVALID', `Backend.${name} ${JSON.stringify(value)} is invalid: must name a command (it is only white space)`);
    }
    return value;
  };
  return {
    preStartupCommand: read('preStartupCommand'),
    postStartupCommand: read('postStartupCommand'),
    subnetAddCommand: read('subnetAddCommand'),
    subnetRemoveCommand: read('subnetRemoveCommand'),
  };
}
