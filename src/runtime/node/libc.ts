// The libc calls behind the kernel transport, the unix socket, guest memory and eventfds, bound
// once through koffi, and the few numbers that differ between Linux architectures. Struct
// layouts (msghdr, cmsghdr) are computed from the platform's own sizes (koffi's sizeof of size_t
// and pointers), not written down per architecture.
import koffi, { type LibraryHandle } from 'koffi';

type KoffiFunction = ReturnType<LibraryHandle['func']>;

export interface Libc {
  ioctl: KoffiFunction;
  socket: KoffiFunction;
  connect: KoffiFunction;
  socketpair: KoffiFunction;
  sendmsg: KoffiFunction;
  recvmsg: KoffiFunction;
  close: KoffiFunction;
  poll: KoffiFunction;
  read: KoffiFunction;
  write: KoffiFunction;
  memfdCreate: KoffiFunction;
  ftruncate: KoffiFunction;
  mmap: KoffiFunction;
  munmap: KoffiFunction;
  eventfd: KoffiFunction;
}

let libc: Libc | undefined;

export function loadLibc(): Libc {
  if (libc) return libc;
  if (process.platform !== 'linux') throw new Error(`ioctl-abi/runtime/node: the kernel transport, unix sockets and guest memory need Linux (this is ${process.platform})`);
  // libc of this process (koffi.load(null): the symbols already loaded, glibc or musl alike).
  const lib = koffi.load(null);
  libc = {
    ioctl: lib.func('int ioctl(int fd, unsigned long request, void *arg)'),
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    connect: lib.func('int connect(int fd, void *addr, uint32_t len)'),
    socketpair: lib.func('int socketpair(int domain, int type, int protocol, _Out_ int *fds)'),
    sendmsg: lib.func('long sendmsg(int fd, void *msg, int flags)'),
    recvmsg: lib.func('long recvmsg(int fd, void *msg, int flags)'),
    close: lib.func('int close(int fd)'),
    poll: lib.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    read: lib.func('long read(int fd, void *buf, unsigned long count)'),
    write: lib.func('long write(int fd, void *buf, unsigned long count)'),
    memfdCreate: lib.func('int memfd_create(const char *name, unsigned int flags)'),
    ftruncate: lib.func('int ftruncate(int fd, int64_t length)'),
    mmap: lib.func('void *mmap(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)'),
    munmap: lib.func('int munmap(void *addr, size_t length)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
  };
  return libc;
}

/** -errno of the call that just failed (read in the statement after it, nothing in between). */
export const lastErrno = (): number => -koffi.errno();

const mips = process.arch === 'mips' || process.arch === 'mipsel' || process.arch === 'mips64el' as string;

/** Socket numbers: the generic Linux values, and MIPS's own where it differs. */
export const AF_UNIX = 1;
export const SOCK_STREAM = mips ? 2 : 1;
export const SOL_SOCKET = mips ? 0xffff : 1;
export const SCM_RIGHTS = 1;
export const SOCK_CLOEXEC = 0o2000000;
export const MSG_DONTWAIT = mips ? 0x80 : 0x40;
export const MSG_NOSIGNAL = 0x4000;
export const MSG_CMSG_CLOEXEC = 0x40000000;
export const MSG_CTRUNC = 0x8;
export const EFD_CLOEXEC = 0o2000000;
export const MFD_CLOEXEC = 1;
export const PROT_READ_WRITE = 0x3;
export const MAP_SHARED = 0x1;
export const POLLIN = 1;
export const EAGAIN = 11;
export const EINTR = 4;
export const ETIMEDOUT = 110;

export const POINTER = koffi.sizeof('void *');
const SIZE_T = koffi.sizeof('size_t');

/** struct msghdr as glibc declares it; offsets from koffi's layout of the same declaration. */
export const msghdr = koffi.struct({
  msg_name: 'void *',
  msg_namelen: 'uint32_t',
  msg_iov: 'void *',
  msg_iovlen: 'size_t',
  msg_control: 'void *',
  msg_controllen: 'size_t',
  msg_flags: 'int',
});
export const MSGHDR = {
  size: koffi.sizeof(msghdr),
  iov: koffi.offsetof(msghdr, 'msg_iov'),
  iovlen: koffi.offsetof(msghdr, 'msg_iovlen'),
  control: koffi.offsetof(msghdr, 'msg_control'),
  controllen: koffi.offsetof(msghdr, 'msg_controllen'),
  flags: koffi.offsetof(msghdr, 'msg_flags'),
};

/** struct iovec: base pointer, then size_t length. */
export const IOVEC = { size: POINTER + SIZE_T, len: POINTER };

/** CMSG_ALIGN: control messages are aligned to size_t. */
const cmsgAlign = (n: number): number => Math.ceil(n / SIZE_T) * SIZE_T;
/** struct cmsghdr: size_t cmsg_len; int cmsg_level; int cmsg_type; then the data, CMSG_ALIGNed. */
export const CMSG = {
  header: cmsgAlign(SIZE_T + 8),
  level: SIZE_T,
  type: SIZE_T + 4,
  /** CMSG_LEN(n) */
  len: (n: number): number => cmsgAlign(SIZE_T + 8) + n,
  /** CMSG_SPACE(n) */
  space: (n: number): number => cmsgAlign(SIZE_T + 8) + cmsgAlign(n),
};

export const SIZE_T_BYTES = SIZE_T;
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Writes a pointer-sized or size_t integer in host order. */
export function putWord(view: DataView, at: number, value: bigint | number, bytes: number): void {
  if (bytes === 8) view.setBigUint64(at, BigInt(value), LITTLE_ENDIAN);
  else view.setUint32(at, Number(value), LITTLE_ENDIAN);
}

export function getWord(view: DataView, at: number, bytes: number): number {
  return bytes === 8 ? Number(view.getBigUint64(at, LITTLE_ENDIAN)) : view.getUint32(at, LITTLE_ENDIAN);
}

/** poll(fd, POLLIN, ms) on a caller's 8-byte pollfd: 1 readable, 0 timeout, -errno; a signal (a profiler's SIGPROF) restarts it. */
export function pollReadable(c: Libc, pollfd: Uint8Array, view: DataView, fd: number, timeoutMs: number): number {
  view.setInt32(0, fd, LITTLE_ENDIAN);
  view.setInt16(4, POLLIN, LITTLE_ENDIAN);
  view.setInt16(6, 0, LITTLE_ENDIAN);
  for (;;) {
    const r = c.poll(pollfd, 1, timeoutMs) as number;
    if (r >= 0) return r;
    const errno = lastErrno();
    if (errno !== -EINTR) return errno;
  }
}
