/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: the UAPI types, plus the kernel's own names for them. */
#ifndef SHIM_LINUX_TYPES_H
#define SHIM_LINUX_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

/* sparse's address space marker; nothing in userspace. */
#define __user
/* Newer UAPI headers (generated/uapi) annotate flexible arrays; older libc headers lack it. */
#ifndef __counted_by
#define __counted_by(m)
#endif
#endif
