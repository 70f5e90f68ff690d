// Errno numbers of the generic Linux ABI (include/uapi/asm-generic/errno-base.h and errno.h;
// x86, arm, arm64, riscv, s390, powerpc except EDEADLOCK), plus the kernel-internal numbers that
// still reach userspace from some drivers (include/linux/errno.h). alpha, mips, parisc and sparc
// number them differently: a transport for those machines answers errnoName() itself.

const GENERIC: ReadonlyArray<readonly [string, number]> = [
  ['EPERM', 1], ['ENOENT', 2], ['ESRCH', 3], ['EINTR', 4], ['EIO', 5], ['ENXIO', 6], ['E2BIG', 7],
  ['ENOEXEC', 8], ['EBADF', 9], ['ECHILD', 10], ['EAGAIN', 11], ['ENOMEM', 12], ['EACCES', 13],
  ['EFAULT', 14], ['ENOTBLK', 15], ['EBUSY', 16], ['EEXIST', 17], ['EXDEV', 18], ['ENODEV', 19],
  ['ENOTDIR', 20], ['EISDIR', 21], ['EINVAL', 22], ['ENFILE', 23], ['EMFILE', 24], ['ENOTTY', 25],
  ['ETXTBSY', 26], ['EFBIG', 27], ['ENOSPC', 28], ['ESPIPE', 29], ['EROFS', 30], ['EMLINK', 31],
  ['EPIPE', 32], ['EDOM', 33], ['ERANGE', 34], ['EDEADLK', 35], ['ENAMETOOLONG', 36], ['ENOLCK', 37],
  ['ENOSYS', 38], ['ENOTEMPTY', 39], ['ELOOP', 40], ['ENOMSG', 42], ['EIDRM', 43], ['ENODATA', 61],
  ['ETIME', 62], ['EOVERFLOW', 75], ['EBADFD', 77], ['EMSGSIZE', 90], ['EOPNOTSUPP', 95],
  ['EADDRINUSE', 98], ['ENOBUFS', 105], ['ENOTCONN', 107], ['ETIMEDOUT', 110], ['ECONNREFUSED', 111],
  ['EALREADY', 114], ['EINPROGRESS', 115], ['ESTALE', 116], ['EDQUOT', 122], ['ECANCELED', 125],
  // kernel-internal, visible when a driver returns them unconverted
  ['ERESTARTSYS', 512], ['ENOIOCTLCMD', 515], ['ENOTSUPP', 524],
];

const NAME_OF = new Map(GENERIC.map(([name, n]) => [n, name]));
const NUMBER_OF = new Map(GENERIC);

/** The name of a positive errno in the generic Linux numbering ('EBUSY'), or `errno N`. */
export function genericErrnoName(errno: number): string {
  return NAME_OF.get(errno) ?? `errno ${errno}`;
}

/** The generic Linux number of an errno name, or undefined. */
export function genericErrnoNumber(name: string): number | undefined {
  return NUMBER_OF.get(name);
}

/** Every name of the table, for tests and tools. */
export const GENERIC_ERRNOS: ReadonlyMap<string, number> = NUMBER_OF;
