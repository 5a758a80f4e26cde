import { readFile as readFileAsync } from 'node:fs/promises';
import { FlannelError, parseNetworkConfig, type Logger, type NetworkConfig } from '@flannel-ts/core';

/**
 * Reads and parses `--net-config-path` as flannel's kube manager does (`subnet.ParseConfig` only): a file
 * that does not exist yet rejects `CONFIG_NOT_FOUND` (retryable), bad JSON or values `CONFIG_INVALID`.
 * SubnetLen/SubnetMin/SubnetMax are resolved when they are valid, for the daemon's convenience; when
 * they are not, the config is still accepted, as flannel accepts it (pod CIDRs come from Kubernetes).
 */
export async function readNetConfigFile(
  path: string,
  readFile: ((path: string) => Promise<string>) | undefined,
  logger: Logger,
): Promise<NetworkConfig> {
  let text: string;
  try {
    text = await (readFile ?? ((file: string) => readFileAsync(file, 'utf8')))(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FlannelError(code === 'ENOENT' ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID', `failed to read net conf: ${(error as Error).message}`, {
      cause: error,
      isRetryable: code === 'ENOENT',
    });
  }
  let parsed;
  try {
    parsed = parseNetworkConfig(text);
  } catch (checked) {
    try {
      parsed = parseNetworkConfig(text, { checkSubnets: false });
      logger.debug({ path }, `net conf subnet sizes not resolved (flannel's kube mode does not need them): ${(checked as Error).message}`);
    } catch (error) {
      throw new FlannelError('CONFIG_INVALID', `error parsing subnet config: ${(error as Error).message}`, { cause: error });
    }
  }
  for (const warning of parsed.warnings) logger.warn({ path }, warning);
  return parsed.config;
}
