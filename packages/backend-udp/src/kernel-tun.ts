// Opening flannel's TUN device (pkg/backend/udp/udp_network_amd64.go, via flannel's pkg/ip tun.go):
// `open("/dev/net/tun", O_RDWR)` and `ioctl(TUNSETIFF)` with `struct ifreq { char ifr_name[16]; short
// ifr_flags; }`, the name a template (`flannel%d`) the kernel completes, flags `IFF_TUN|IFF_NO_PI`. The fd
// is non-blocking for the forwarder's poll loop. Not persistent: closing the fd removes the device.
import { FlannelError } from '@flannel-ts/core';
import { allocNative, freeNative, IFF_NO_PI, IFF_TUN, IFF_VNET_HDR, IFNAMSIZ, O_CLOEXEC, O_NONBLOCK, O_RDWR, TUN_F_CSUM, TUN_F_TSO4, TUNSETIFF, TUNSETOFFLOAD, udpLibc } from './libc.js';
import type { TunDevice, TunOpener } from './udp-boundaries.js';

/** `sizeof(struct ifreq)` */
const IFREQ_BYTES = 40;

/**
 * Opens a TUN device through koffi (equals `ip tuntap add mode tun name flannel0`, minus persistence).
 * Rejects `BACKEND_FAILED` naming the errno.
 *
 * @example
 * ```ts
 * const tun = await openKernelTun({ nameTemplate: 'flannel%d' }); // tun.name === 'flannel0'
 * ```
 */
export const openKernelTun: TunOpener = ({ nameTemplate, offload = false }) => {
  const name = new TextEncoder().encode(nameTemplate);
  if (name.length >= IFNAMSIZ) throw new FlannelError('BACKEND_FAILED', `TUN name ${JSON.stringify(nameTemplate)} is invalid: must be shorter than ${IFNAMSIZ} bytes`);
  const libc = udpLibc();
  const fd = libc.open('/dev/net/tun', O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw new FlannelError('BACKEND_FAILED', `cannot open /dev/net/tun: errno ${libc.errno()}`);
  const ifreq = allocNative(IFREQ_BYTES);
  try {
    ifreq.bytes.set(name, 0);
    ifreq.view.setUint16(IFNAMSIZ, IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0), true);
    if (libc.ioctl(fd, TUNSETIFF, ifreq.address) < 0) {
      const errno = libc.errno();
      libc.close(fd);
      throw new FlannelError('BACKEND_FAILED', `cannot create TUN device ${nameTemplate} (TUNSETIFF): errno ${errno}`);
    }
    // The kernel then sends TCP super-packets and partial checksums into the TUN (the forwarder cuts them).
    if (offload && libc.ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4) < 0) {
      const errno = libc.errno();
      libc.close(fd);
      throw new FlannelError('BACKEND_FAILED', `cannot enable offloads on TUN device ${nameTemplate} (TUNSETOFFLOAD): errno ${errno}`);
    }
    const end = ifreq.bytes.indexOf(0);
    const actual = new TextDecoder().decode(ifreq.bytes.subarray(0, end < 0 ? IFNAMSIZ : Math.min(end, IFNAMSIZ)));
    let open = true;
    const device: TunDevice = {
      name: actual,
      fd,
      offload,
      close() {
        if (!open) return;
        open = false;
        libc.close(fd);
      },
    };
    return device;
  } finally {
    freeNative(ifreq);
  }
};
