/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: a 32-bit caller's pointer, zero-extended (include/linux/compat.h). */
#ifndef SHIM_LINUX_COMPAT_H
#define SHIM_LINUX_COMPAT_H
#include <stdint.h>
static inline void *compat_ptr(unsigned long uptr)
{
	return (void *)(uintptr_t)(uint32_t)uptr;
}
#endif
