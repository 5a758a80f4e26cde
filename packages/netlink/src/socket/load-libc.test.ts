import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../errors.js';
import { currentLibcPlatform, libcCandidates, loadLibc } from './load-libc.js';

describe('libcCandidates', () => {
  it('tries glibc first on glibc', () => {
    expect(libcCandidates({ arch: 'x64', glibcVersion: '2.36' })).toEqual(['libc.so.6', 'libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1']);
  });

  it("tries musl's names for the architecture first on musl (Alpine has no libc.so.6)", () => {
    expect(libcCandidates({ arch: 'x64', glibcVersion: undefined })).toEqual(['libc.musl-x86_64.so.1', 'ld-musl-x86_64.so.1', 'libc.so.6']);
    expect(libcCandidates({ arch: 'arm64', glibcVersion: undefined })[0]).toBe('libc.musl-aarch64.so.1');
  });
});

describe('loadLibc', () => {
  it('falls through to the next name when one does not load', () => {
    const tried: string[] = [];
    const loaded = loadLibc(
      (name) => {
        tried.push(name);
        if (name !== 'ld-musl-aarch64.so.1') throw new Error(`${name}: cannot open shared object file`);
        return { name };
      },
      { arch: 'arm64', glibcVersion: undefined },
    );
    expect(loaded).toEqual({ name: 'ld-musl-aarch64.so.1' });
    expect(tried).toEqual(['libc.musl-aarch64.so.1', 'ld-musl-aarch64.so.1']);
  });

  it('names every file tried when none loads', () => {
    const failing = (): never => {
      throw new Error('cannot open shared object file');
    };
    expect(() => loadLibc(failing, { arch: 'x64', glibcVersion: '2.36' })).toThrow(NetlinkError);
    expect(() => loadLibc(failing, { arch: 'x64', glibcVersion: '2.36' })).toThrow(/libc\.so\.6: .*libc\.musl-x86_64\.so\.1: .*ld-musl-x86_64\.so\.1/u);
  });

  it('loads this machine\'s C library with koffi', () => {
    const lib = loadLibc((name) => koffi.load(name));
    const getpid = lib.func('int getpid()') as () => number;
    expect(getpid()).toBe(process.pid);
    expect(libcCandidates(currentLibcPlatform())).toContain('libc.so.6');
  });

  it('reads the report without its network section (no reverse DNS of open sockets) and restores the setting', () => {
    const report = process.report as NodeJS.ProcessReport & { excludeNetwork: boolean };
    const seen: boolean[] = [];
    const original = report.getReport.bind(report);
    report.getReport = ((...args: Parameters<typeof original>) => {
      seen.push(report.excludeNetwork);
      return original(...args);
    }) as typeof report.getReport;
    try {
      currentLibcPlatform();
    } finally {
      report.getReport = original;
    }
    expect(seen).toEqual([true]);
    expect(report.excludeNetwork).toBe(false);
  });
});
