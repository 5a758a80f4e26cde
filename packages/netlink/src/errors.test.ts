import { describe, expect, it } from 'vitest';
import { errnoDescription, errnoName, errnoNumber } from './errno.js';
import {
  NetlinkError,
  NetlinkInvalidArgumentError,
  NetlinkNotFoundError,
  netlinkErrorFromErrno,
} from './errors.js';

describe('errnoName', () => {
  it.each([
    [1, 'EPERM'], [2, 'ENOENT'], [3, 'ESRCH'], [16, 'EBUSY'], [17, 'EEXIST'], [19, 'ENODEV'],
    [22, 'EINVAL'], [95, 'EOPNOTSUPP'], [97, 'EAFNOSUPPORT'], [99, 'EADDRNOTAVAIL'],
    [101, 'ENETUNREACH'], [105, 'ENOBUFS'],
  ])('names errno %i %s', (n, name) => {
    expect(errnoName(n)).toBe(name);
    expect(errnoName(-n)).toBe(name);
    expect(errnoNumber(name as Parameters<typeof errnoNumber>[0])).toBe(n);
  });

  it('gives unknown numbers a stable placeholder name', () => {
    expect(errnoName(999)).toBe('ERRNO_999');
    expect(errnoDescription(-999)).toBe('Unknown error 999');
  });
});

describe('NetlinkError', () => {
  it('carries operation, errno, name, extended ack, sequence and request', () => {
    const request = { family: 4, destination: '10.5.34.0/24' };
    const error = new NetlinkError({
      operation: 'addRoute', errno: -17, extendedAck: 'Route exists', sequence: 7, request,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NetlinkError');
    expect(error.errno).toBe(17);
    expect(error.errnoName).toBe('EEXIST');
    expect(error.code).toBe('NETLINK_EXISTS');
    expect(error.extendedAck).toBe('Route exists');
    expect(error.sequence).toBe(7);
    expect(error.request).toBe(request);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toBe('addRoute 10.5.34.0/24 failed: EEXIST (File exists): Route exists');
  });

  it('names the object the kernel refused', () => {
    expect(new NetlinkError({ operation: 'getLink', errno: -19, request: 'flannel.1' }).message).toBe('getLink flannel.1 failed: ENODEV (No such device)');
    expect(new NetlinkError({ operation: 'setLink', errno: -19, request: { ref: 7, changes: { up: true } } }).message).toMatch(/^setLink index 7 failed: ENODEV/u);
    expect(new NetlinkError({ operation: 'replaceRoute', errno: -22, request: { family: 4, destination: '10.5.2.0/24', gateway: '10.5.2.0', index: 7 } }).message).toMatch(
      /^replaceRoute 10\.5\.2\.0\/24 via 10\.5\.2\.0 dev index 7 failed: EINVAL/u,
    );
    expect(new NetlinkError({ operation: 'replaceNeighbour', errno: -19, request: { family: 4, address: '10.5.2.0', hardwareAddress: 'c6:d2:32:6f:8f:44', index: 7 } }).message).toMatch(
      /^replaceNeighbour neighbour 10\.5\.2\.0 lladdr c6:d2:32:6f:8f:44 dev index 7 failed/u,
    );
    expect(new NetlinkError({ operation: 'addAddress', errno: -17, request: { family: 4, address: '10.5.2.0', prefixLength: 32, index: 7 } }).message).toMatch(/^addAddress 10\.5\.2\.0\/32 dev index 7 failed/u);
    expect(new NetlinkError({ operation: 'batch', errno: -105 }).message).toMatch(/^batch failed: ENOBUFS/u);
  });

  it('marks transient errnos retryable', () => {
    expect(new NetlinkError({ operation: 'batch', errno: 105 }).isRetryable).toBe(true);
    expect(new NetlinkError({ operation: 'addLink', errno: 16 }).isRetryable).toBe(true);
    expect(new NetlinkError({ operation: 'addLink', errno: 22 }).isRetryable).toBe(false);
  });

  it('maps permission errors to their own code', () => {
    expect(new NetlinkError({ operation: 'addLink', errno: 1 }).code).toBe('NETLINK_PERMISSION_DENIED');
  });

  it('recognises instances by brand across duplicate installs', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@flannel-ts/netlink/NetlinkError')]: true });
    expect(NetlinkError.isInstance(foreign)).toBe(true);
    expect(NetlinkError.isInstance(new Error('x'))).toBe(false);
    expect(NetlinkError.isInstance(null)).toBe(false);
    expect(NetlinkError.isInstance('EEXIST')).toBe(false);
  });

  it('matches on errno name and code', () => {
    const error = new NetlinkError({ operation: 'addAddress', errno: 17 });
    expect(NetlinkError.hasErrno(error, 'EEXIST')).toBe(true);
    expect(NetlinkError.hasErrno(error, 'ENODEV')).toBe(false);
    expect(NetlinkError.hasCode(error, 'NETLINK_EXISTS')).toBe(true);
  });
});

describe('netlinkErrorFromErrno', () => {
  it.each([
    ['getLink', 19, true],
    ['addRoute', 19, true],
    ['deleteRoute', 3, true],
    ['deleteNeighbour', 2, true],
    ['deleteAddress', 99, true],
    ['addAddress', 99, false],
    ['getRoute', 101, false],
    ['addRoute', 2, false],
    ['addRoute', 17, false],
  ] as const)('%s with errno %i is not-found: %s', (operation, errno, notFound) => {
    const error = netlinkErrorFromErrno({ operation, errno });
    expect(NetlinkError.isInstance(error)).toBe(true);
    expect(NetlinkNotFoundError.isInstance(error)).toBe(notFound);
    expect(error instanceof NetlinkNotFoundError).toBe(notFound);
    expect(error.code === 'NETLINK_NOT_FOUND').toBe(notFound);
  });
});

describe('NetlinkInvalidArgumentError', () => {
  it('names the field, the value and the rule', () => {
    const error = new NetlinkInvalidArgumentError({ field: 'vxlan.vni', value: 16777216, rule: 'must be 0..16777215' });
    expect(error.message).toBe('vxlan.vni 16777216 is invalid: must be 0..16777215');
    expect(error.code).toBe('NETLINK_INVALID_ARGUMENT');
    expect(error.errnoName).toBe('EINVAL');
    expect(error.field).toBe('vxlan.vni');
    expect(error.isRetryable).toBe(false);
    expect(NetlinkError.isInstance(error)).toBe(true);
    expect(NetlinkInvalidArgumentError.isInstance(error)).toBe(true);
    expect(NetlinkNotFoundError.isInstance(error)).toBe(false);
  });

  it('quotes string values', () => {
    const error = new NetlinkInvalidArgumentError({ field: 'name', value: 'a/b', rule: "must not contain '/'", operation: 'addLink' });
    expect(error.message).toBe('name "a/b" is invalid: must not contain \'/\'');
    expect(error.operation).toBe('addLink');
  });

  it('shortens a huge value in the message and keeps it whole on the error', () => {
    const name = 'x'.repeat(100_000);
    const error = new NetlinkInvalidArgumentError({ field: 'name', value: name, rule: 'must be 1..15 bytes' });
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).toMatch(/^name "x+… \(100002 characters\) is invalid: must be 1\.\.15 bytes$/);
    expect(error.value).toBe(name);
  });
});
