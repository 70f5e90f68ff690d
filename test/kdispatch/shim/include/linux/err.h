/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for error pointers (include/linux/err.h): the top 4095 addresses. */
#ifndef SHIM_LINUX_ERR_H
#define SHIM_LINUX_ERR_H
#include <stdbool.h>
#include <stdint.h>
#define MAX_ERRNO 4095
static inline void *ERR_PTR(long error)
{
	return (void *)error;
}
static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}
static inline bool IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)-MAX_ERRNO;
}
#endif
