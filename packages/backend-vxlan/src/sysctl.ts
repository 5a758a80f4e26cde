import { writeFile } from 'node:fs/promises';

/** Writes one sysctl, `path` relative to `/proc/sys` (`net/ipv6/conf/flannel-v6.1/accept_ra`). */
export type WriteSysctl = (path: string, value: string) => Promise<void>;

/**
 * The default {@link WriteSysctl}: writes `/proc/sys/<path>` of the calling process's network
 * namespace. (`sysctl -w net.ipv6.conf.flannel-v6/1.accept_ra=0`)
 */
export const writeProcSysctl: WriteSysctl = async (path, value) => {
  await writeFile(`/proc/sys/${path}`, value);
};
