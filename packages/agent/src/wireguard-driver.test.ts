import { describe, expect, it } from 'vitest';
import type { ClosableGenericNetlink } from './wireguard-driver.js';
import { lazyGenetlink } from './wireguard-driver.js';

/** A fake generic netlink socket: `families` resolve, others reject as the kernel does (ENOENT). */
function fakeSockets(families: Record<string, number>) {
  const log: string[] = [];
  let opened = 0;
  const open = (): ClosableGenericNetlink => {
    const id = ++opened;
    log.push(`open ${id}`);
    return {
      async resolveFamily(name) {
        log.push(`resolve ${name} on ${id}`);
        const family = families[name];
        if (family === undefined) throw Object.assign(new Error(`getFamily ${name}: ENOENT`), { errnoName: 'ENOENT' });
        return { id: family, version: 1 };
      },
      async ack() {
        log.push(`ack on ${id}`);
      },
      async dump() {
        log.push(`dump on ${id}`);
        return [];
      },
      async close() {
        log.push(`close ${id}`);
      },
    };
  };
  return { log, open };
}

describe('lazyGenetlink', () => {
  it('opens no socket until the kernel driver first needs one', () => {
    const fake = fakeSockets({ wireguard: 33 });
    lazyGenetlink(fake.open);
    expect(fake.log).toEqual([]);
  });

  it('keeps one socket for the family and every request after it', async () => {
    const fake = fakeSockets({ wireguard: 33 });
    const genetlink = lazyGenetlink(fake.open);
    expect(await genetlink.resolveFamily('wireguard')).toBe(33);
    await genetlink.request(33, 0x5, Uint8Array.of(1, 1, 0, 0));
    await genetlink.request(33, 0x301, Uint8Array.of(0, 1, 0, 0));
    expect(fake.log).toEqual(['open 1', 'resolve wireguard on 1', 'ack on 1', 'dump on 1']);
  });

  it('closes its socket on close(), once, and opens a fresh one on the next use', async () => {
    const fake = fakeSockets({ wireguard: 33 });
    const genetlink = lazyGenetlink(fake.open);
    await genetlink.close?.(); // nothing open yet: nothing to close
    await genetlink.resolveFamily('wireguard');
    await genetlink.close?.();
    await genetlink.close?.();
    await genetlink.request(33, 0x5, Uint8Array.of(1, 1, 0, 0));
    expect(fake.log).toEqual(['open 1', 'resolve wireguard on 1', 'close 1', 'open 2', 'ack on 2']);
  });

  it('closes the socket when the kernel has no such family, and opens a fresh one on the next try', async () => {
    const fake = fakeSockets({});
    const genetlink = lazyGenetlink(fake.open);
    await expect(genetlink.resolveFamily('wireguard')).rejects.toThrow('ENOENT');
    await expect(genetlink.resolveFamily('wireguard')).rejects.toThrow('ENOENT');
    expect(fake.log).toEqual(['open 1', 'resolve wireguard on 1', 'close 1', 'open 2', 'resolve wireguard on 2', 'close 2']);
  });
});
