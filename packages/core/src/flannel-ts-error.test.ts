import { NetlinkError, NetlinkNotFoundError } from '@flannel-ts/netlink';
import { SubnetEnvError } from '@flannel-ts/subnet-env';
import { describe, expect, it } from 'vitest';
import { FlannelError } from './errors.js';
import { hasErrorCode, isFlannelTsError } from './flannel-ts-error.js';

describe('isFlannelTsError', () => {
  it('recognises the errors of every package by one brand, and branches on code', () => {
    const errors = [
      new FlannelError('CONFIG_INVALID', 'SubnetLen 31 is invalid: must be at most 30'),
      new NetlinkError({ operation: 'addLink', errno: -17, request: { name: 'flannel.1', kind: 'vxlan' } }),
      new NetlinkNotFoundError({ operation: 'getLink', errno: -19, request: 'flannel.1' }),
      new SubnetEnvError('SUBNET_ENV_NOT_FOUND', '/run/flannel/subnet.env does not exist'),
    ];
    expect(errors.map((error) => isFlannelTsError(error) && error.code)).toEqual(['CONFIG_INVALID', 'NETLINK_EXISTS', 'NETLINK_NOT_FOUND', 'SUBNET_ENV_NOT_FOUND']);
    expect(hasErrorCode(errors[3], 'SUBNET_ENV_NOT_FOUND')).toBe(true);
    expect(hasErrorCode(errors[3], 'CONFIG_INVALID')).toBe(false);
  });

  it('refuses other errors, even ones with a code', () => {
    expect(isFlannelTsError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isFlannelTsError(undefined)).toBe(false);
    expect(isFlannelTsError('CONFIG_INVALID')).toBe(false);
  });
});
