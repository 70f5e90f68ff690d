/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for array_index_nospec (include/linux/nospec.h): the
 * generic mask, computed without a branch, and counted so a test can see each
 * user index was clamped.
 */
#ifndef SHIM_LINUX_NOSPEC_H
#define SHIM_LINUX_NOSPEC_H
extern unsigned long shim_nospec_calls;

static inline unsigned long shim_index_mask(unsigned long index, unsigned long size)
{
	shim_nospec_calls++;
	/* ~0UL when index < size, else 0 (the kernel's generic array_index_mask_nospec). */
	return ~(long)(index | (size - 1UL - index)) >> (sizeof(long) * 8 - 1);
}

#define array_index_nospec(index, size)					\
	({								\
		__typeof__(index) _i = (index);				\
		__typeof__(size) _s = (size);				\
		_Static_assert(sizeof(_i) <= sizeof(long), "index wider than long"); \
		_Static_assert(sizeof(_s) <= sizeof(long), "size wider than long"); \
		(__typeof__(_i))(_i & shim_index_mask(_i, _s));		\
	})
#endif
