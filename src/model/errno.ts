// Linux errno names a check may answer with (include/uapi/asm-generic/errno-base.h and errno.h),
// plus the kernel-internal ENOIOCTLCMD that the VFS turns into ENOTTY.
export const ERRNO_NAMES: ReadonlySet<string> = new Set([
  'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD', 'EAGAIN', 'ENOMEM',
  'EACCES', 'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV', 'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE',
  'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG', 'ENOSPC', 'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM', 'ERANGE',
  'EDEADLK', 'ENAMETOOLONG', 'ENOLCK', 'ENOSYS', 'ENOTEMPTY', 'ELOOP', 'ENOMSG', 'EIDRM', 'ENODATA', 'ETIME',
  'EOVERFLOW', 'EBADFD', 'EOPNOTSUPP', 'ENOBUFS', 'ENOTCONN', 'ETIMEDOUT', 'EALREADY', 'EINPROGRESS', 'ESTALE',
  'EDQUOT', 'ECANCELED', 'ENOTSUPP', 'ENOIOCTLCMD',
]);
