/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the UAPI errno values plus the kernel-internal ones. */
#ifndef SHIM_LINUX_ERRNO_H
#define SHIM_LINUX_ERRNO_H
#include_next <linux/errno.h>
#define ENOIOCTLCMD 515	/* include/linux/errno.h: the VFS turns it into ENOTTY */
#define ENOTSUPP 524
#endif
